from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """A new user's preferred language is the language they signed up in."""
        language = (get_language() or "bg")[:2]
        user.preferred_language = language if language in ("bg", "en") else "en"
        return super().save_user(request, user, form, commit=commit)
