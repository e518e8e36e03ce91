"""Versioned caches of the public consultation pages.

Every write that changes what a consultation's public pages show (a proposal created, edited,
withdrawn, hidden or answered; a support; a comment or a vote on one; topics; the consultation's
settings, categories and answer states) increments the consultation's `PageVersion` in the same
transaction (`touch`). The version lives in the database, read with the consultation in the same
query, so every gunicorn worker sees a change the moment it is committed, whatever the cache
backend (Redis when REDIS_URL is set, a per-process local memory otherwise). Cache keys include the
version, so a write makes the old entries unreachable; they expire on their own.

Two caches use it:
- **Full responses for anonymous visitors** (`cached_response`): only GET/HEAD requests that
  carry neither a session nor a messages cookie, and only responses that set no cookie. The key
  holds the version, the language, the path and the (sorted) query string. Signed-in users are
  never served from it (their pages carry their own state: "you support it", forms, menus).
- **Proposal cards** of the list (`proposal_cards`): the card's HTML without any per-user bit,
  keyed by the version, the language and the proposal; fetched for a page with one `get_many`.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from zora.participation.models import Consultation, PageVersion, Proposal

TIMEOUT = 600  # seconds; stale keys are never read again, this only frees memory
CACHE_HEADER = "X-Zora-Cache"


def touch(consultation_id: int | None) -> None:
    """Marks the consultation's public pages as changed (call inside the writing transaction,
    after its other writes: the version's row stays locked until the commit)."""
    if consultation_id is not None:
        PageVersion.objects.filter(consultation_id=consultation_id).update(number=F("number") + 1)


def _key(*parts: Any) -> str:
    digest = hashlib.blake2b("|".join(str(p) for p in parts).encode(), digest_size=16)
    return f"participation:{digest.hexdigest()}"


def anonymous_cacheable(request: HttpRequest) -> bool:
    """A visitor without a session or pending messages: the page is the same for all of them."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not getattr(request, "htmx", False)
    )


def page_key(request: HttpRequest, consultation: Consultation, kind: str) -> str:
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    return _key(
        "page",
        kind,
        consultation.pk,
        consultation.content_version,
        get_language(),
        request.path,
        query,
    )


def cached_response(
    request: HttpRequest,
    consultation: Consultation,
    kind: str,
    render: Callable[[dict[str, Any]], HttpResponse],
) -> HttpResponse:
    """The anonymous page from the cache, or `render(extra_context)` stored for the next one.

    For a cacheable request the page is rendered without a CSRF token (it has no POST form for
    anonymous visitors), so that the response sets no cookie and can be shared."""
    if not anonymous_cacheable(request) or consultation.content_version is None:
        return render({})
    key = page_key(request, consultation, kind)
    content = cache.get(key)
    if content is not None:
        response = HttpResponse(content, content_type="text/html; charset=utf-8")
        response[CACHE_HEADER] = "hit"
        return response
    response = render({"csrf_token": ""})
    if (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "streaming", False)
    ):
        cache.set(key, response.content, TIMEOUT)
        response[CACHE_HEADER] = "miss"
    return response


class CountCachedPaginator(Paginator):
    """A paginator whose COUNT is cached under the consultation's version and the filters."""

    def __init__(self, object_list: Any, per_page: int, *, key: str) -> None:
        super().__init__(object_list, per_page)
        self._count_key = key

    @cached_property
    def count(self) -> int:
        if not self._count_key:
            return super().count
        found = cache.get(self._count_key)
        if found is None:
            found = super().count
            cache.set(self._count_key, found, TIMEOUT)
        return int(found)


def count_key(consultation: Consultation, params: Iterable[Any]) -> str:
    if consultation.content_version is None:
        return ""
    return _key("count", consultation.pk, consultation.content_version, *params)


def proposal_cards(
    consultation: Consultation, proposals: list[Proposal]
) -> list[tuple[Proposal, SafeString]]:
    """Each proposal with the HTML of its card (no per-user state in it)."""
    language = get_language()
    if consultation.content_version is None:
        return [(p, mark_safe(_card(p))) for p in proposals]  # noqa: S308 (escaped template)
    keys = {
        p.pk: _key("card", consultation.pk, consultation.content_version, language, p.pk)
        for p in proposals
    }
    found = cache.get_many(list(keys.values()))
    missing: dict[str, str] = {}
    out = []
    for proposal in proposals:
        key = keys[proposal.pk]
        html = found.get(key)
        if html is None:
            html = _card(proposal)
            missing[key] = html
        out.append((proposal, mark_safe(html)))  # noqa: S308 (our own rendered, escaped template)
    if missing:
        cache.set_many(missing, TIMEOUT)
    return out


def _card(proposal: Proposal) -> str:
    return render_to_string("participation/includes/proposal_card.html", {"p": proposal})
