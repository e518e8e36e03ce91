from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from zora.core.api import AUTH, PUBLIC_AUTH, ApiError, ErrorOut, api_user
from zora.core.jobs import job_create, job_enqueue
from zora.core.models import Job
from zora.indicators import selectors
from zora.indicators.models import Indicator, Observation, Region
from zora.organisations.permissions import can
from zora.organisations.tenancy import organisation_for_user_or_404

router = Router(tags=["indicators"])
RESERVED = {"dataset", "region", "period", "page", "page_size"}


class RegionOut(Schema):
    code: str
    name: str
    name_bg: str
    level: int
    country: str
    parent: str | None
    population: int | None

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class IndicatorOut(Schema):
    code: str
    name: dict[str, str]
    definition: dict[str, str]
    unit: dict[str, str]
    direction: str
    theme: str
    dataset: str
    filter: dict[str, str]
    finest_level: int
    target: dict[str, Any] | None

    @staticmethod
    def resolve_name(obj: Indicator) -> dict[str, str]:
        return {"bg": obj.name_bg, "en": obj.name_en}

    @staticmethod
    def resolve_definition(obj: Indicator) -> dict[str, str]:
        return {"bg": obj.definition_bg, "en": obj.definition_en}

    @staticmethod
    def resolve_unit(obj: Indicator) -> dict[str, str]:
        return {"bg": obj.unit_bg, "en": obj.unit_en}

    @staticmethod
    def resolve_target(obj: Indicator) -> dict[str, Any] | None:
        if obj.target_value is None:
            return None
        return {
            "value": obj.target_value,
            "year": obj.target_year,
            "source": {"bg": obj.target_source_bg, "en": obj.target_source_en},
        }


class ObservationOut(Schema):
    dataset: str
    region: str
    period: str
    value: float | None
    flags: str
    dimensions: dict[str, str]

    @staticmethod
    def resolve_region(obj: Observation) -> str:
        return obj.region_code


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    message: str
    error: str
    result: dict[str, Any]


@router.get("/regions", response=list[RegionOut], auth=PUBLIC_AUTH)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def regions(
    request: HttpRequest, country: str = "", level: int | None = None, parent: str = "", q: str = ""
) -> Any:
    qs = Region.objects.select_related("parent").order_by("code")
    if country:
        qs = qs.filter(country=country.upper())
    if level is not None:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent.upper())
    if q:
        qs = qs.filter(Q(code__istartswith=q) | Q(name__icontains=q) | Q(name_bg__icontains=q))
    return qs


@router.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut}, auth=PUBLIC_AUTH)
def region(request: HttpRequest, code: str) -> Any:
    found = Region.objects.select_related("parent").filter(code=code.upper()).first()
    if found is None:
        raise Http404
    return found


@router.get("/indicators", response=list[IndicatorOut], auth=PUBLIC_AUTH)
def indicators(request: HttpRequest, theme: str = "") -> Any:
    qs = selectors.indicator_list()
    return qs.filter(theme=theme) if theme else qs


@router.get("/indicators/{code}", response={200: IndicatorOut, 404: ErrorOut}, auth=PUBLIC_AUTH)
def indicator(request: HttpRequest, code: str) -> Any:
    found = Indicator.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/observations",
    response={200: list[ObservationOut], 422: ErrorOut},
    auth=PUBLIC_AUTH,
    summary="Observations of a dataset: ?dataset=CODE&region=GEO[&period=YYYY][&<dimension>=<code>…]",
)
@paginate(PageNumberPagination, page_size=100)
def observations(request: HttpRequest, dataset: str, region: str = "", period: str = "") -> Any:
    qs = Observation.objects.filter(dataset=dataset.upper())
    if region:
        qs = qs.filter(region_code=region.upper())
    if period:
        qs = qs.filter(period=period)
    for key, value in request.GET.items():
        if key not in RESERVED:
            qs = qs.filter(**{f"dimensions__{key.lower()}": value})
    return qs.order_by("region_code", "dims_key", "period")


@router.get(
    "/comparisons",
    response={200: dict[str, Any], 404: ErrorOut},
    auth=PUBLIC_AUTH,
    summary="A region compared with its peers on one indicator (see the README for the rules)",
)
def comparison(
    request: HttpRequest, indicator: str, region: str, peers: str = "", organisation: str = ""
) -> Any:
    item = Indicator.objects.filter(code=indicator).first()
    place = selectors.region_get(region.upper())
    if item is None or place is None:
        raise Http404
    org = None
    if organisation:
        org = organisation_for_user_or_404(api_user(request), organisation, "organisation.view")
    groups = selectors.peer_groups_for(organisation=org, region=place)
    if peers and "," in peers or (peers and not any(g.key == peers for g in groups)):
        chosen = selectors.Peers(
            "custom", "custom", [c.strip().upper() for c in peers.split(",") if c.strip()]
        )
    else:
        chosen = selectors.choose_peers(groups, peers or None)
    c = selectors.compare(indicator=item, region=place, peer_codes=chosen.codes)
    return {
        "indicator": item.code,
        "region": place.code,
        "read_from": c.effective_region.code if c.effective_region else None,
        "fallback": c.fallback_from is not None,
        "peers": {"key": chosen.key, "name": chosen.name, "count": len(chosen.codes)},
        "period": c.period,
        "value": c.value,
        "flags": c.flags,
        "rank": c.rank,
        "n": c.n,
        "percentile": c.percentile,
        "peer_median": c.peer_median,
        "distance_to_median": c.distance_to_median,
        "national": c.national,
        "eu": c.eu,
        "target": item.target_value,
        "target_year": item.target_year,
        "target_gap": c.target_gap,
        "yearly_pace_needed": c.yearly_pace,
        "trend": [{"period": p, "value": v} for p, v in c.trend],
        "cagr": c.cagr,
        "last_update": c.last_update,
        "ranking": [{"region": r.code, "value": r.value, "rank": r.rank} for r in c.ranking],
    }


@router.post(
    "/organisations/{slug}/imports",
    response={202: JobOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
    summary="Upload a statistics file; it is imported by a background job (poll /jobs/{id})",
)
def import_upload(
    request: HttpRequest,
    slug: str,
    file: File[UploadedFile],
    format: Form[str] = "auto",
    dataset: Form[str] = "",
    strict: Form[bool] = False,
) -> Any:
    org = organisation_for_user_or_404(api_user(request), slug, "organisation.edit_content")
    if format not in {"auto", "eurostat-csv", "sdmx-csv", "tsv", "jsonstat", "egov-xlsx"}:
        raise ApiError(
            422,
            "invalid",
            _("Unknown format: use auto, eurostat-csv, sdmx-csv, tsv, jsonstat or egov-xlsx."),
        )
    job = job_create(
        kind="indicators.import",
        organisation=org,
        user=api_user(request),
        input_file=file,
        params={"format": format, "dataset": dataset, "strict": strict, "file_name": file.name},
    )
    job_enqueue(job)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/jobs/{job_id}", response={200: JobOut, 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def job_status(request: HttpRequest, job_id: int) -> Any:
    user = api_user(request)
    job = Job.objects.select_related("organisation").filter(pk=job_id).first()
    if job is None or (
        job.user_id != user.pk
        and not (job.organisation is not None and can(user, "organisation.view", job.organisation))
    ):
        raise Http404
    return job
