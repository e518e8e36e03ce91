from typing import Any

from django import template

from zora.core.i18n import localized as _localized

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """{{ organisation|localized:"name" }} → name_bg or name_en for the current language."""
    return _localized(obj, field)


@register.filter
def localized_text(text: Any) -> str:
    """{{ node.title|localized_text }} for a framework Text (bg/en) object or dict."""
    from zora.core.i18n import current_language

    if text is None:
        return ""
    language = current_language()
    if isinstance(text, dict):
        return str(text.get(language) or text.get("en") or text.get("bg") or "")
    return str(text.get(language) if hasattr(text, "get") else text)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """{{ mapping|get_item:key }}"""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def delta(value: Any) -> str:
    """A signed change in the page's number format: +3,5 / −1,0."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    text = number_format(abs(float(value)), 1)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text
