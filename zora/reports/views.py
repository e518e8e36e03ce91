"""Report pages: the list of generated reports, requesting one (a job), the live preview, the
download, and the organisation's layout and branding. Published reports have a public list."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zora.assessments.models import Campaign, Subject
from zora.core.forms import add_errors
from zora.core.i18n import current_language
from zora.indicators import selectors as indicator_selectors
from zora.organisations.models import Organisation
from zora.organisations.permissions import can
from zora.organisations.tenancy import get_for_org_or_404, organisation_for_user_or_404
from zora.reports import selectors, services
from zora.reports.forms import (
    AssessmentRequestForm,
    BenchmarkRequestForm,
    BrandingForm,
    CustomSectionForm,
    RequestForm,
)
from zora.reports.kinds import KINDS
from zora.reports.models import CONTENT_TYPES, Branding, CustomSection, Kind, Report

PAGE_SIZE = 25


def _org(request: HttpRequest, slug: str, action: str) -> Organisation:
    organisation = organisation_for_user_or_404(request.user, slug, action)
    request.organisation = organisation  # type: ignore[attr-defined]
    return organisation


def _kind_or_404(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


# --- The list of reports ----------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    page = Paginator(selectors.report_list(organisation, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/report_list.html",
        {
            "organisation": organisation,
            "page": page,
            "kind": kind,
            "kinds": [(k, Kind(k).label) for k in KINDS],
            "query": f"kind={kind}" if kind else "",
            "can_request": can(request.user, "organisation.analyse", organisation),
            "can_edit": can(request.user, "organisation.edit_content", organisation),
        },
    )


# --- Requesting a report ---------------------------------------------------------------------


def _form(organisation: Organisation, kind: str, data: Any, initial: dict[str, Any]) -> RequestForm:
    if kind == "assessment":
        campaigns = [(c.pk, c.name) for c in Campaign.objects.filter(organisation=organisation)]
        campaign_id = (data or {}).get("campaign") or initial.get("campaign")
        subjects: list[tuple[int, str]] = []
        if campaign_id and str(campaign_id).isdigit():
            subjects = [
                (s.pk, s.organisation.name)
                for s in Subject.objects.filter(
                    campaign__organisation=organisation, campaign_id=int(campaign_id)
                ).select_related("organisation")
            ]
            subjects.sort(key=lambda pair: pair[1].lower())
        return AssessmentRequestForm(data, initial=initial, campaigns=campaigns, subjects=subjects)
    if kind == "benchmark":
        region_code = (data or {}).get("region") or initial.get("region") or ""
        region = indicator_selectors.region_get(str(region_code).strip().upper())
        choices = [("", _("The first group in the list"))]
        if region is not None:
            choices += [
                (g.key, f"{g.name} ({len(g.codes)})")
                for g in indicator_selectors.peer_groups_for(
                    organisation=organisation, region=region
                )
            ]
        return BenchmarkRequestForm(data, initial=initial, peer_choices=choices)
    return _strategy_form(organisation, kind, data, initial)


def _strategy_form(
    organisation: Organisation, kind: str, data: Any, initial: dict[str, Any]
) -> RequestForm:
    form_class = getattr(KINDS[kind].builder, "request_form", None)
    if form_class is None:
        raise Http404
    return form_class(organisation, data, initial=initial)  # type: ignore[no-any-return]


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The form of one kind of report; without JavaScript, choosing a campaign (or a region)
    and pressing "Update the choices" fills in the next list."""
    organisation = _org(request, slug, "organisation.analyse")
    kind = _kind_or_404(kind)
    initial = {
        "language": current_language(),
        "format": "pdf",
        "region": organisation.region_code,
        **{k: v for k, v in request.GET.items() if k in KINDS[kind].params},
    }
    data = request.POST if request.method == "POST" else None
    form = _form(organisation, kind, data, initial)
    status = 200
    if request.method == "POST" and request.POST.get("action") != "refresh":
        if form.is_valid() and request.POST.get("action") == "preview":
            query = urlencode({"language": form.cleaned_data["language"], **form.params()})
            return redirect(f"{reverse('report_preview', args=[organisation.slug, kind])}?{query}")
        if form.is_valid():
            try:
                report = services.report_request(
                    organisation=organisation,
                    user=request.user,
                    kind=kind,
                    params=form.params(),
                    language=form.cleaned_data["language"],
                    format=form.cleaned_data["format"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                assert report.job is not None
                return redirect("job_detail", job_id=report.job.pk)
        status = 400
    elif request.method == "POST":
        form = _form(organisation, kind, None, {**initial, **request.POST.dict()})
    return render(
        request,
        "reports/report_new.html",
        {
            "organisation": organisation,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "form": form,
            "sections": selectors.layout_entries(organisation, kind),
            "can_edit": can(request.user, "organisation.edit_content", organisation),
        },
        status=status,
    )


@login_required
def report_preview(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The report as a page of the app, from the live data, in the language asked."""
    from zora.reports.rendering import compose

    organisation = _org(request, slug, "organisation.analyse")
    kind = _kind_or_404(kind)
    language = request.GET.get("language") or current_language()
    language = language if language in ("bg", "en") else current_language()
    params = {k: v for k, v in request.GET.items() if k in KINDS[kind].params}
    try:
        clean = services.check_request(
            organisation=organisation, kind=kind, params=params, language=language, format="html"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('report_new', args=[organisation.slug, kind])}")
    with translation.override(language):
        document = compose(organisation=organisation, kind=kind, params=clean, language=language)
        body = render_to_string("reports/includes/body.html", {"document": document})
    return render(
        request,
        "reports/report_preview.html",
        {
            "organisation": organisation,
            "document": document,
            "body": body,
            "kind": kind,
            "params": clean,
            "language": language,
        },
    )


# --- One report ------------------------------------------------------------------------------


def _report(organisation: Organisation, report_id: int) -> Report:
    return get_for_org_or_404(
        Report.objects.select_related("job", "requested_by", "organisation"),
        organisation,
        pk=report_id,
    )


@login_required
def report_detail(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    report = _report(organisation, report_id)
    return render(
        request,
        "reports/report_detail.html",
        {
            "organisation": organisation,
            "report": report,
            "job": report.job,
            "can_request": can(request.user, "organisation.analyse", organisation),
            "can_edit": can(request.user, "organisation.edit_content", organisation),
        },
    )


def _file_response(report: Report) -> FileResponse:
    if not report.is_ready:
        raise Http404
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.file_name,
        content_type=CONTENT_TYPES[report.format],
    )
    response["X-Robots-Tag"] = "noindex" if not report.is_public else "all"
    return response


@login_required
def report_download(request: HttpRequest, slug: str, report_id: int) -> FileResponse:
    organisation = _org(request, slug, "organisation.view")
    return _file_response(_report(organisation, report_id))


@login_required
@require_POST
def report_publish(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    report = _report(organisation, report_id)
    publish = request.POST.get("public") == "1"
    try:
        services.report_set_public(report=report, is_public=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The report is published on the organisation's public reports page.")
            if publish
            else _("The report is no longer public."),
        )
    return redirect("report_detail", slug=organisation.slug, report_id=report.pk)


@login_required
@require_POST
def report_delete(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    services.report_delete(report=_report(organisation, report_id))
    messages.success(request, _("The report was deleted."))
    return redirect("report_list", slug=organisation.slug)


# --- Layout and branding -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def layout_edit(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Order, include or leave out the sections of a kind of report, and add free-text ones.
    Works without JavaScript: each arrow is a submit button."""
    organisation = _org(request, slug, "organisation.view")
    kind = _kind_or_404(kind)
    can_edit = can(request.user, "organisation.edit_content", organisation)
    section_form = CustomSectionForm()
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action.startswith(("up:", "down:")):
                direction, key = action.split(":", 1)
                if request.POST.getlist("order"):  # keep the boxes ticked or unticked so far
                    services.layout_save(
                        organisation=organisation,
                        kind=kind,
                        order=request.POST.getlist("order"),
                        included=set(request.POST.getlist("include")),
                    )
                services.layout_move(
                    organisation=organisation, kind=kind, key=key, direction=direction
                )
                messages.success(request, _("The section was moved."))
                return redirect(f"{reverse('report_layout', args=[slug, kind])}#entry-{key}")
            if action == "save":
                services.layout_save(
                    organisation=organisation,
                    kind=kind,
                    order=request.POST.getlist("order"),
                    included=set(request.POST.getlist("include")),
                )
                messages.success(request, _("The layout was saved."))
                return redirect("report_layout", slug=slug, kind=kind)
            if action == "reset":
                services.layout_reset(organisation=organisation, kind=kind)
                messages.success(request, _("The default layout is back."))
                return redirect("report_layout", slug=slug, kind=kind)
            if action == "add":
                section_form = CustomSectionForm(request.POST)
                if section_form.is_valid():
                    services.custom_section_save(
                        organisation=organisation, kind=kind, **section_form.cleaned_data
                    )
                    messages.success(request, _("The section was added at the end."))
                    return redirect("report_layout", slug=slug, kind=kind)
                status = 400
        except ValidationError as error:
            if action == "add":
                add_errors(section_form, error)  # type: ignore[arg-type]
            else:
                messages.error(request, " ".join(error.messages))
            status = 400
    return render(
        request,
        "reports/layout.html",
        {
            "organisation": organisation,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "kinds": [(k, Kind(k).label) for k in KINDS],
            "entries": selectors.layout_entries(organisation, kind),
            "section_form": section_form,
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def custom_section_edit(request: HttpRequest, slug: str, section_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    section = get_for_org_or_404(CustomSection, organisation, pk=section_id)
    form = CustomSectionForm(request.POST or None, instance=section)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            kind = section.kind
            services.custom_section_delete(section=section)
            messages.success(request, _("The section was deleted."))
            return redirect("report_layout", slug=slug, kind=kind)
        if form.is_valid():
            try:
                services.custom_section_save(
                    organisation=organisation,
                    kind=section.kind,
                    section=section,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_errors(form, error)  # type: ignore[arg-type]
            else:
                messages.success(request, _("The section was saved."))
                return redirect("report_layout", slug=slug, kind=section.kind)
    return render(
        request,
        "reports/custom_section.html",
        {"organisation": organisation, "section": section, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def branding_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    can_edit = can(request.user, "organisation.edit_content", organisation)
    branding = Branding.objects.filter(organisation=organisation).first()
    initial = {
        "primary_colour": branding.primary_colour if branding else Branding.DEFAULT_PRIMARY,
        "accent_colour": branding.accent_colour if branding else Branding.DEFAULT_ACCENT,
    }
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.branding_save(
                    organisation=organisation,
                    primary_colour=form.cleaned_data["primary_colour"],
                    accent_colour=form.cleaned_data["accent_colour"],
                    logo=form.cleaned_data["logo"] or None,
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The report branding was saved."))
                return redirect("report_branding", slug=slug)
    return render(
        request,
        "reports/branding.html",
        {
            "organisation": organisation,
            "form": form,
            "can_edit": can_edit,
            "look": selectors.branding_for(organisation),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def branding_css(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's report colours for the preview page (the CSP allows no inline style)."""
    organisation = _org(request, slug, "organisation.view")
    look = selectors.branding_for(organisation)
    css = render_to_string("reports/print/branding.css", {"look": look})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


# --- Public ----------------------------------------------------------------------------------


def public_report_list(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's published reports, for anyone who may see its profile."""
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.view_profile")
    page = Paginator(selectors.report_list(organisation, public_only=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/public_list.html",
        {"organisation": organisation, "page": page},
    )


def public_report_download(request: HttpRequest, slug: str, report_id: int) -> FileResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.view_profile")
    report = get_for_org_or_404(
        Report.objects.select_related("job", "organisation"),
        organisation,
        pk=report_id,
        is_public=True,
    )
    return _file_response(report)
