"""Home page and the health check."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from zora.organisations.selectors import organisation_list_visible_to

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    public = organisation_list_visible_to(user=None).order_by("kind", "slug")[:12]
    return render(request, "core/home.html", {"public_organisations": public})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
