"""Views of the strategy app (thin: permissions, forms, services, templates)."""

from django.http import HttpRequest, HttpResponse

from zora.organisations.views import capability


def strategy_list(request: HttpRequest, slug: str) -> HttpResponse:
    return capability(request, slug, "plan")
