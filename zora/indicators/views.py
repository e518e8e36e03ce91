"""Benchmark pages: public region profiles and indicator comparisons; members' imports and peers."""

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from zora.core.charts import Bar, Line, bars, time_series
from zora.core.forms import add_errors
from zora.core.jobs import job_create, job_enqueue
from zora.core.models import Job
from zora.indicators import selectors, services
from zora.indicators.forms import ImportForm, MappingForm, PeerGroupForm
from zora.indicators.importers import mapped
from zora.indicators.models import ImportBatch, Indicator, PeerGroup, Region
from zora.indicators.regions import EU_CODES
from zora.organisations.models import Organisation
from zora.organisations.permissions import can
from zora.organisations.tenancy import get_for_org_or_404, organisation_for_user_or_404

PAGE_SIZE = 50


def _region_or_404(code: str) -> Region:
    region = selectors.region_get(code.upper())
    if region is None:
        raise Http404
    return region


def _organisation_for_benchmark(request: HttpRequest) -> Organisation | None:
    """The organisation whose saved peer groups apply (?org=slug, if the user is a member)."""
    slug = request.GET.get("org")
    if not slug or not request.user.is_authenticated:
        return None
    try:
        return organisation_for_user_or_404(request.user, slug, "organisation.view")
    except Exception:  # noqa: BLE001 (not a member: no saved groups, the page stays public)
        return None


def _percentile_class(percentile: float | None) -> str:
    if percentile is None:
        return "pct-none"
    return f"pct-{min(4, int(percentile // 20))}"


def region_list(request: HttpRequest) -> HttpResponse:
    qs = Region.objects.all()
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(
            Q(code__istartswith=query) | Q(name__icontains=query) | Q(name_bg__icontains=query)
        )
    country = request.GET.get("country", "").strip().upper()
    if country:
        qs = qs.filter(country=country)
    level = request.GET.get("level", "")
    if level.lstrip("-").isdigit():
        qs = qs.filter(level=int(level))
    page = Paginator(qs.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = "&".join(
        f"{k}={v}" for k, v in (("q", query), ("country", country), ("level", level)) if v
    )
    return render(
        request,
        "indicators/region_list.html",
        {"page": page, "q": query, "country": country, "level": level, "query": params},
    )


def region_profile(request: HttpRequest, code: str) -> HttpResponse:
    region = _region_or_404(code)
    organisation = _organisation_for_benchmark(request)
    return _render_profile(request, region, organisation, "indicators/region_profile.html")


def _render_profile(
    request: HttpRequest,
    region: Region,
    organisation: Organisation | None,
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    groups = selectors.peer_groups_for(organisation=organisation, region=region)
    peers = selectors.choose_peers(groups, request.GET.get("peers"))
    rows = selectors.scorecard(region=region, peer_codes=peers.codes)
    themes = selectors.theme_names()
    context = {
        "region": region,
        "organisation": organisation,
        "groups": groups,
        "peers": peers,
        "rows": [
            {
                "c": c,
                "css": _percentile_class(c.percentile),
                "theme": themes.get(c.indicator.theme, c.indicator.theme),
            }
            for c in rows
        ],
        "ancestors": _ancestors(region),
        "children": list(region.children.order_by("code")[:60]),
        "org_param": f"&org={organisation.slug}" if organisation else "",
    }
    context.update(extra or {})
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export_scorecard(region, rows, request.GET["format"])
    return render(request, template, context)


def _ancestors(region: Region) -> list[Region]:
    out: list[Region] = []
    current = region.parent
    while current is not None:
        out.insert(0, current)
        current = current.parent
    return out


SCORECARD_HEADER = [
    "indicator",
    "name",
    "unit",
    "region",
    "period",
    "value",
    "flags",
    "rank",
    "n",
    "percentile",
    "peer_median",
    "national",
    "eu",
    "target",
    "target_year",
    "target_gap",
    "yearly_pace_needed",
    "cagr_5y",
    "last_update",
    "read_from",
]


def _scorecard_rows(region: Region, rows: list[selectors.Comparison]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for c in rows:
        out.append(
            [
                c.indicator.code,
                c.indicator.name,
                c.indicator.unit,
                region.code,
                c.period or "",
                c.value,
                c.flags,
                c.rank,
                c.n,
                _round(c.percentile),
                _round(c.peer_median),
                c.national,
                c.eu,
                c.indicator.target_value,
                c.indicator.target_year,
                _round(c.target_gap),
                _round(c.yearly_pace),
                _round(c.cagr, 4),
                c.last_update,
                c.effective_region.code if c.effective_region else "",
            ]
        )
    return out


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _table_response(name: str, header: list[str], rows: list[list[Any]], fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("data")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.append([])
        sheet.append(
            ["Source: Eurostat and the other publishers named in the catalogue (CC BY 4.0)."]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _export_scorecard(region: Region, rows: list[selectors.Comparison], fmt: str) -> HttpResponse:
    return _table_response(
        f"scorecard-{region.code}", SCORECARD_HEADER, _scorecard_rows(region, rows), fmt
    )


def indicator_detail(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    region = _region_or_404(code)
    item = Indicator.objects.filter(code=indicator).first()
    if item is None:
        raise Http404
    organisation = _organisation_for_benchmark(request)
    groups = selectors.peer_groups_for(organisation=organisation, region=region)
    peers = selectors.choose_peers(groups, request.GET.get("peers"))
    comparison = selectors.compare(indicator=item, region=region, peer_codes=peers.codes)
    effective = comparison.effective_region
    names = dict(
        Region.objects.filter(code__in=[r.code for r in comparison.ranking]).values_list(
            "code", "name"
        )
    )
    table: list[dict[str, Any]] = [
        {
            "code": r.code,
            "name": names.get(r.code, r.code),
            "value": r.value,
            "rank": r.rank,
            "is_region": effective is not None and r.code == effective.code,
        }
        for r in comparison.ranking
    ]
    if request.GET.get("format") in ("csv", "xlsx"):
        header = ["region", "name", "period", "value", "rank"]
        rows = [[t["code"], t["name"], comparison.period, t["value"], t["rank"]] for t in table]
        return _table_response(f"{item.code}-{region.code}", header, rows, request.GET["format"])
    chart = ranking_chart = None
    if effective is not None:
        since = int(comparison.period[:4]) - 19 if comparison.period else None
        top_peers = [r.code for r in comparison.ranking[:4] if r.code != effective.code]
        codes = [effective.code, effective.country, *EU_CODES, *top_peers]
        series = selectors.peer_series(indicator=item, codes=codes, since=since)
        lines = [
            Line(
                f"{effective.code} {effective.display_name}",
                series.get(effective.code, []),
                emphasis=True,
            )
        ]
        if effective.country != effective.code:
            lines.append(Line(effective.country, series.get(effective.country, [])))
        eu = next((series[c] for c in EU_CODES if series.get(c)), [])
        lines.append(Line("EU", eu))
        lines += [Line(code, series.get(code, [])) for code in top_peers]
        target = (
            (str(item.target_year), item.target_value)
            if item.target_value is not None and item.target_year
            else None
        )
        chart = time_series(
            lines,
            title=_("%(indicator)s over time") % {"indicator": item.name},
            unit=item.unit,
            target=target,
            target_label=_("EU target %(year)s") % {"year": item.target_year} if target else "",
        )
        ranking_chart = bars(
            [
                Bar(f"{t['code']} {t['name']}", float(t["value"]), bool(t["is_region"]))
                for t in table
            ],  # type: ignore[arg-type]
            title=_("Ranking among the peers in %(period)s") % {"period": comparison.period},
            unit=item.unit,
        )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "region": region,
            "indicator": item,
            "c": comparison,
            "groups": groups,
            "peers": peers,
            "table": table,
            "chart": chart,
            "ranking_chart": ranking_chart,
            "organisation": organisation,
            "org_param": f"&org={organisation.slug}" if organisation else "",
            "theme": selectors.theme_names().get(item.theme, item.theme),
        },
    )


def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/catalogue.html",
        {"indicators": selectors.indicator_list(), "themes": selectors.theme_names()},
    )


# --- The organisation's Benchmark: its region, peer groups, imports --------------------------


def _org(request: HttpRequest, slug: str, action: str) -> Organisation:
    organisation = organisation_for_user_or_404(request.user, slug, action)
    request.organisation = organisation  # type: ignore[attr-defined]
    return organisation


@login_required
def benchmark_home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    region = selectors.region_get(organisation.region_code) if organisation.region_code else None
    if region is None:
        return render(
            request,
            "indicators/benchmark_no_region.html",
            {
                "organisation": organisation,
                "can_change": can(request.user, "organisation.change", organisation),
            },
        )
    return _render_profile(
        request,
        region,
        organisation,
        "indicators/benchmark_home.html",
        {
            "can_edit": can(request.user, "organisation.edit_content", organisation),
            "recent_imports": ImportBatch.objects.filter(organisation=organisation)[:5],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_groups(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    can_edit = can(request.user, "organisation.edit_content", organisation)
    form = PeerGroupForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if request.POST.get("delete"):
            group = get_for_org_or_404(PeerGroup, organisation, pk=request.POST["delete"])
            group.delete()
            messages.success(request, _("The peer group was deleted."))
            return redirect("peer_groups", slug=organisation.slug)
        if form.is_valid():
            try:
                services.peer_group_save(
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    region_codes=form.cleaned_data["region_codes"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The peer group was saved."))
                return redirect("peer_groups", slug=organisation.slug)
    return render(
        request,
        "indicators/peer_groups.html",
        {
            "organisation": organisation,
            "groups": PeerGroup.objects.filter(organisation=organisation),
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    can_edit = can(request.user, "organisation.edit_content", organisation)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = job_create(
                kind="indicators.import",
                organisation=organisation,
                user=request.user,
                input_file=upload,
                params={
                    "format": form.cleaned_data["format"],
                    "dataset": form.cleaned_data["dataset"],
                    "strict": form.cleaned_data["strict"],
                    "file_name": upload.name,
                },
            )
            if form.cleaned_data["format"] == "mapped":
                return redirect("import_mapping", slug=organisation.slug, job_id=job.pk)
            job_enqueue(job)
            return redirect("job_detail", job_id=job.pk)
    batches = Paginator(
        ImportBatch.objects.filter(organisation=organisation).select_related("user"), PAGE_SIZE
    )
    return render(
        request,
        "indicators/imports.html",
        {
            "organisation": organisation,
            "form": form,
            "can_edit": can_edit,
            "page": batches.get_page(request.GET.get("page")),
            "jobs": Job.objects.filter(organisation=organisation, kind="indicators.import").exclude(
                status__in=[Job.Status.DONE]
            )[:10],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The column-mapping step for any CSV/XLSX: preview the first rows, choose the columns."""
    organisation = _org(request, slug, "organisation.edit_content")
    job = get_for_org_or_404(
        Job, organisation, pk=job_id, kind="indicators.import", status=Job.Status.QUEUED
    )
    job.input_file.open("rb")
    data = job.input_file.read()
    job.input_file.close()
    try:
        header, preview = mapped.preview(data, job.params.get("file_name", ""), rows=5)
    except Exception as error:  # noqa: BLE001 (shown to the user)
        messages.error(request, _("The file cannot be read: %(error)s") % {"error": error})
        return redirect("imports", slug=organisation.slug)
    saved = list(organisation.column_mappings.all())
    initial = {"dataset": job.params.get("dataset", "")}
    chosen = next((m for m in saved if str(m.pk) == request.GET.get("mapping")), None)
    if chosen:
        initial.update(chosen.mapping)
        initial["dataset"] = chosen.dataset
        initial["save_as"] = chosen.name
    form = MappingForm(request.POST or None, columns=header, initial=initial)
    if request.method == "POST" and form.is_valid():
        mapping = {
            k: form.cleaned_data[k]
            for k in ("region", "period", "value", "flags")
            if form.cleaned_data[k]
        }
        if form.cleaned_data["dimensions"]:
            mapping["dimensions"] = ",".join(form.cleaned_data["dimensions"])
        dataset = form.cleaned_data["dataset"].strip().upper()
        if form.cleaned_data["save_as"]:
            services.column_mapping_save(
                organisation=organisation,
                name=form.cleaned_data["save_as"],
                dataset=dataset,
                mapping=mapping,
            )
        Job.objects.filter(pk=job.pk).update(
            params={**job.params, "format": "mapped", "dataset": dataset, "mapping": mapping}
        )
        job.refresh_from_db()
        job_enqueue(job)
        return redirect("job_detail", job_id=job.pk)
    return render(
        request,
        "indicators/import_mapping.html",
        {
            "organisation": organisation,
            "job": job,
            "header": header,
            "preview": preview,
            "form": form,
            "saved": saved,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def import_detail(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    batch = get_for_org_or_404(
        ImportBatch.objects.select_related("user"), organisation, pk=batch_id
    )
    labels = {
        "unknown region code": _("unknown region code"),
        "no value and no flag": _("no value and no flag"),
        "duplicate row in the file": _("duplicate row in the file"),
    }
    reasons = [(labels.get(r, r), n) for r, n in sorted(batch.skipped_reasons.items())]
    return render(
        request,
        "indicators/import_detail.html",
        {
            "organisation": organisation,
            "batch": batch,
            "reasons": reasons,
            "revisions": batch.revisions.select_related("series")[:50],
            "indicators": Indicator.objects.filter(dataset=batch.dataset),
            "region_code": organisation.region_code,
        },
    )


@login_required
@require_POST
def import_retry(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    job = get_for_org_or_404(Job, organisation, pk=job_id)
    from zora.core.jobs import job_retry

    job_retry(job)
    return redirect(reverse("job_detail", args=[job.pk]))
