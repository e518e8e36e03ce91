"""Bilingual content fields (`name_bg` / `name_en`) and the helper that picks one."""

from typing import Any

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("bg", "en")


def current_language() -> str:
    language = (get_language() or "bg")[:2]
    return language if language in CONTENT_LANGUAGES else "en"


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The value of `<field>_<language>`, falling back to the other language when empty."""
    language = language or current_language()
    order = [language] + [lang for lang in CONTENT_LANGUAGES if lang != language]
    for lang in order:
        value = getattr(obj, f"{field}_{lang}", "") or ""
        if value:
            return str(value)
    return ""
