from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def zora(request: HttpRequest) -> dict[str, Any]:
    """Header data for every page: language links that keep the current page, the user's
    organisations for the switcher, and the organisation the page belongs to (if any)."""
    path = request.get_full_path()
    language_links = [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    memberships: list[Any] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from zora.organisations.selectors import membership_list_for_user

        memberships = list(membership_list_for_user(user=user))
    return {
        "language_links": language_links,
        "user_memberships": memberships,
        "current_organisation": getattr(request, "organisation", None),
    }
