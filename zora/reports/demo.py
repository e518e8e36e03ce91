"""Demo data of the reports app, loaded by `zora demo` (idempotent)."""

from collections.abc import Iterator


def load() -> Iterator[str]:
    yield from ()
