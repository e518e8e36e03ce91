"""Views of the reports app (thin: permissions, forms, services, templates)."""

from django.http import HttpRequest, HttpResponse

from zora.organisations.views import capability


def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    return capability(request, slug, "report")
