"""Demo data of the strategy app, loaded by `zora demo` (idempotent)."""

from collections.abc import Iterator


def load() -> Iterator[str]:
    yield from ()
