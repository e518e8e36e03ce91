"""Builders: one module per report kind (see zora.reports.kinds). They only read, through the
other apps' selectors, and return each section's template context."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[float, str], None]


@dataclass
class Built:
    title: str
    subtitle: str = ""
    # key → the section's template context, or None when the section does not apply.
    sections: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    # (label, value) pairs shown on the cover.
    facts: list[tuple[str, str]] = field(default_factory=list)


def no_progress(fraction: float, message: str = "") -> None:
    return None
