from typing import Any

from django import template

from zora.core.i18n import localized as _localized

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """{{ organisation|localized:"name" }} → name_bg or name_en for the current language."""
    return _localized(obj, field)
