"""What every API router shares: authentication, the error format and error helpers.

Errors are always JSON `{"detail": "<human message>", "code": "<machine code>"}`;
401 (no or bad credentials), 403 (a member whose role is too low) and 404 (not found, or not
yours to see) are distinct and never reveal another tenant's data.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from zora.accounts.services import api_token_authenticate


class ErrorOut(Schema):
    detail: str
    code: str


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <personal API token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


class Anonymous:
    """Lets anonymous callers reach public endpoints, unless they sent credentials that failed."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        return AnonymousUser()


bearer_auth = BearerTokenAuth()
session_auth = SessionAuth()
AUTH = [bearer_auth, session_auth]
PUBLIC_AUTH = [bearer_auth, session_auth, Anonymous()]


def api_user(request: HttpRequest) -> Any:
    auth = getattr(request, "auth", None)
    if auth is not None and getattr(auth, "is_authenticated", False):
        return auth
    return AnonymousUser()


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, detail: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.detail)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            api,
            request,
            401,
            "not_authenticated",
            _("Authentication required: send 'Authorization: Bearer <token>' or log in."),
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            api, request, 403, "permission_denied", _("Your role does not allow this.")
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg', '')}" for e in exc.errors
        )
        return api.create_response(
            request,
            {
                "detail": _("Invalid input: %(problems)s") % {"problems": problems},
                "code": "invalid",
                "errors": exc.errors,
            },
            status=422,
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "bad_request", 405: "method_not_allowed", 429: "throttled"}
        return error_response(
            api, request, exc.status_code, codes.get(exc.status_code, "error"), str(exc)
        )
