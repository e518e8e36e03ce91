"""Assessment pages: campaigns (members), the questionnaire (respondents, by link), results."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zora.assessments import exports, selectors, services
from zora.assessments.forms import CampaignForm, RespondentForm, answers_from_post
from zora.assessments.framework import Framework as Tree
from zora.assessments.models import Campaign, Response, Subject
from zora.core.charts import Box, Series, box_plot, radar
from zora.core.forms import add_errors
from zora.core.i18n import current_language
from zora.organisations.models import Organisation
from zora.organisations.permissions import can
from zora.organisations.tenancy import get_for_org_or_404, organisation_for_user_or_404

PAGE_SIZE = 50


def _org(request: HttpRequest, slug: str, action: str) -> Organisation:
    organisation = organisation_for_user_or_404(request.user, slug, action)
    request.organisation = organisation  # type: ignore[attr-defined]
    return organisation


# --- Campaigns (members) ---------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    page = Paginator(selectors.campaign_list(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "organisation": organisation,
            "page": page,
            "can_edit": can(request.user, "organisation.edit_content", organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    from zora.organisations.selectors import organisation_list_visible_to

    visible = organisation_list_visible_to(user=request.user).order_by("name_en")
    form = CampaignForm(request.POST or None, subjects_queryset=visible)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                organisation=organisation,
                user=request.user,
                framework=data["framework"],
                stage=data["stage"],
                name_bg=data["name_bg"],
                name_en=data["name_en"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                mode=data["mode"],
                anonymous=data["anonymous"],
                aggregation=data["aggregation"],
                subjects=list(data["subjects"]),
                new_subject_names=data["new_subjects"].splitlines(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect("campaign_detail", slug=organisation.slug, campaign_id=campaign.pk)
    return render(
        request,
        "assessments/campaign_form.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _campaign(
    request: HttpRequest, slug: str, campaign_id: int, action: str
) -> tuple[Organisation, Campaign]:
    organisation = _org(request, slug, action)
    campaign = get_for_org_or_404(
        Campaign.objects.select_related("framework"), organisation, pk=campaign_id
    )
    return organisation, campaign


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    organisation, campaign = _campaign(request, slug, campaign_id, "organisation.view")
    can_edit = can(request.user, "organisation.edit_content", organisation)
    created = None
    form = RespondentForm(campaign=campaign)
    status = 200
    if request.method == "POST":
        if not can_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = RespondentForm(request.POST, campaign=campaign)
        if form.is_valid():
            created = services.respondent_add(
                campaign=campaign,
                subject=form.cleaned_data["subject"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
            form = RespondentForm(campaign=campaign)
        else:
            status = 400
    subjects_qs = campaign.subjects.select_related("organisation").order_by("organisation__slug")
    page = Paginator(subjects_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    results = selectors.subject_results(campaign=campaign, subjects=list(page))
    tree = selectors.framework_tree(campaign.framework)
    open_url = (
        request.build_absolute_uri(reverse("assessment_open", args=[campaign.open_token]))
        if campaign.open_token
        else None
    )
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "organisation": organisation,
            "campaign": campaign,
            "tree": tree,
            "page": page,
            "results": results,
            "levels": {lv.code: lv for lv in tree.levels},
            "can_edit": can_edit,
            "can_export": can(request.user, "organisation.analyse", organisation),
            "form": form,
            "created": created,
            "open_url": open_url,
        },
        status=status,
    )


@login_required
def campaign_results(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    organisation, campaign = _campaign(request, slug, campaign_id, "organisation.view")
    tree = selectors.framework_tree(campaign.framework)
    stats = selectors.campaign_statistics(campaign=campaign)
    language = current_language()
    boxes = [
        Box(
            _("Overall"),
            stats.overall.n,
            stats.overall.minimum,
            stats.overall.q1,
            stats.overall.median,
            stats.overall.q3,
            stats.overall.maximum,
        )
    ]
    boxes += [
        Box(d.title.get(language), s.n, s.minimum, s.q1, s.median, s.q3, s.maximum)
        for d, s in stats.dimensions
    ]
    chart = box_plot(boxes, title=_("Distribution of scores per dimension"), n_label="n")
    return render(
        request,
        "assessments/campaign_results.html",
        {
            "organisation": organisation,
            "campaign": campaign,
            "tree": tree,
            "stats": stats,
            "chart": (chart),
            "cohort_titles": {
                "sector": _("By sector"),
                "size_band": _("By size band"),
                "region_code": _("By region"),
            },
            "min_cell": selectors.MIN_CELL,
            "can_export": can(request.user, "organisation.analyse", organisation),
        },
    )


@login_required
def campaign_responses(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    """Every response of the campaign (current and superseded revisions, drafts), paginated."""
    organisation, campaign = _campaign(request, slug, campaign_id, "organisation.view")
    responses = (
        Response.objects.filter(campaign=campaign)
        .select_related("subject__organisation", "respondent")
        .order_by("-submitted_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in Response.Status.values:
        responses = responses.filter(status=status)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    tree = selectors.framework_tree(campaign.framework)
    return render(
        request,
        "assessments/campaign_responses.html",
        {
            "organisation": organisation,
            "campaign": campaign,
            "page": page,
            "status": status,
            "query": f"status={status}" if status else "",
            "levels": {lv.code: lv for lv in tree.levels},
        },
    )


@login_required
@require_POST
def campaign_status(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    """Close a campaign (no more answers) or open it again."""
    organisation, campaign = _campaign(request, slug, campaign_id, "organisation.edit_content")
    new_status = request.POST.get("status")
    if new_status in (Campaign.Status.OPEN, Campaign.Status.CLOSED):
        services.campaign_set_status(campaign=campaign, status=new_status)
        messages.success(
            request,
            _("The campaign is open for answers.")
            if new_status == Campaign.Status.OPEN
            else _("The campaign is closed: no more answers are accepted."),
        )
    return redirect("campaign_detail", slug=organisation.slug, campaign_id=campaign.pk)


@login_required
def campaign_export(
    request: HttpRequest, slug: str, campaign_id: int, kind: str
) -> HttpResponse | StreamingHttpResponse:
    _organisation, campaign = _campaign(request, slug, campaign_id, "organisation.analyse")
    if kind not in exports.KINDS:
        raise Http404
    return exports.response(campaign, kind)


# --- Results of one response and of one subject over time ------------------------------------


def _result_context(
    tree: Tree, response: Response, compare: list[tuple[str, list[float | None]]]
) -> dict[str, Any]:
    language = current_language()
    levels = {lv.code: lv for lv in tree.levels}
    dimensions = []
    for node, score in zip(tree.dimensions, response.scores, strict=False):
        level = tree.level_for(score, node)
        dimensions.append({"node": node, "score": score, "level": level})
    weakest = sorted((d for d in dimensions if d["score"] is not None), key=lambda d: d["score"])[
        :2
    ]
    recommendations = [
        {
            "node": d["node"],
            "level": d["level"],
            "text": d["node"].recommendations.get(d["level"].code),
        }
        for d in weakest
        if d["level"] is not None and d["level"].code in d["node"].recommendations
    ]
    series = [Series(label, values) for label, values in compare] or [
        Series(_("Score"), list(response.scores))
    ]
    chart = radar(
        [d.title.get(language) for d in tree.dimensions], series, title=_("Score per dimension")
    )
    return {
        "tree": tree,
        "response": response,
        "overall_level": levels.get(response.level),
        "dimensions": dimensions,
        "recommendations": recommendations,
        "chart": (chart),
    }


@login_required
def response_detail(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    response = _response_for(organisation, response_id)
    tree = selectors.framework_tree(response.framework)
    context = _result_context(tree, response, [])
    context.update({"organisation": organisation, "member_view": True})
    return render(request, "assessments/response_result.html", context)


def _response_for(organisation: Organisation, response_id: int) -> Response:
    response = (
        Response.objects.select_related("campaign__framework", "subject__organisation", "framework")
        .filter(
            campaign__organisation=organisation, status=Response.Status.SUBMITTED, pk=response_id
        )
        .first()
    )
    if response is None:
        raise Http404
    return response


@login_required
def subject_history(request: HttpRequest, slug: str, subject_slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.view")
    subject_org = (
        Organisation.objects.filter(
            Q(slug=subject_slug), Q(assessed_in__campaign__organisation=organisation)
        )
        .distinct()
        .first()
    )
    if subject_org is None:
        raise Http404
    stages = selectors.subject_history(organisation=organisation, subject_organisation=subject_org)
    language = current_language()
    chart = None
    tree = None
    if stages:
        tree = selectors.framework_tree(stages[0].campaign.framework)
        comparable = [s for s in stages if s.comparable]
        chart = radar(
            [d.title.get(language) for d in tree.dimensions],
            [Series(s.campaign.stage, s.result.dimensions) for s in comparable],
            title=_("Scores per dimension by stage"),
        )
    return render(
        request,
        "assessments/subject_history.html",
        {
            "organisation": organisation,
            "subject_org": subject_org,
            "stages": stages,
            "tree": tree,
            "chart": chart,
            "mixed_versions": any(not s.comparable for s in stages),
            "levels": {lv.code: lv for lv in tree.levels} if tree else {},
        },
    )


# --- The questionnaire (respondents, by link; no account needed) -----------------------------


def _message(request: HttpRequest, title: str, text: str, status: int = 400) -> HttpResponse:
    return render(
        request, "assessments/message.html", {"title": title, "text": text}, status=status
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A named respondent's link: starts, resumes or shows their response."""
    respondent = services.respondent_by_token(raw_token=token)
    if respondent is None:
        raise Http404
    latest = respondent.responses.order_by("-revision").first()
    if latest is None:
        try:
            services.response_start(
                campaign=respondent.campaign,
                subject=respondent.subject,
                respondent=respondent,
                raw_token=services.respondent_response_token(token, 1),
            )
        except ValidationError as error:
            return _message(request, _("Assessment closed"), error.messages[0])
        return redirect("assessment_answer", token=services.respondent_response_token(token, 1))
    response_token = services.respondent_response_token(token, latest.revision)
    if latest.status == Response.Status.DRAFT:
        return redirect("assessment_answer", token=response_token)
    return redirect("assessment_result", token=response_token)


@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """An open campaign link: anyone may answer (choosing the organisation if there are several)."""
    campaign = (
        Campaign.objects.select_related("framework", "organisation")
        .filter(open_token=token)
        .first()
    )
    if campaign is None:
        raise Http404
    try:
        services.check_campaign_open(campaign)
    except ValidationError as error:
        return _message(request, _("Assessment closed"), error.messages[0])
    subjects = list(campaign.subjects.select_related("organisation"))
    chosen: Subject | None = subjects[0] if len(subjects) == 1 else None
    if request.method == "POST":
        chosen = next((s for s in subjects if str(s.pk) == request.POST.get("subject")), chosen)
        if chosen is not None:
            started = services.response_start(campaign=campaign, subject=chosen)
            return redirect("assessment_answer", token=started.raw_token)
    return render(
        request,
        "assessments/open_start.html",
        {
            "campaign": campaign,
            "subjects": subjects,
            "tree": selectors.framework_tree(campaign.framework),
            "error": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )


def _pages(tree: Tree) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    if tree.profile:
        pages.append({"title": None, "profile": tree.profile, "questions": [], "node": None})
    for node in tree.dimensions:
        pages.append(
            {"title": node.title, "profile": [], "questions": list(node.questions()), "node": node}
        )
    return pages


def _draft(token: str) -> Response:
    response = services.response_by_token(raw_token=token)
    if response is None:
        raise Http404
    return response


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """One page of the questionnaire: a dimension per page, saved on every step."""
    response = _draft(token)
    if response.status != Response.Status.DRAFT:
        return redirect("assessment_result", token=token)
    tree = selectors.framework_tree(response.framework)
    pages = _pages(tree)
    try:
        number = int(request.GET.get("page", response.page))
    except ValueError:
        number = 0
    number = max(0, min(number, len(pages) - 1))
    page = pages[number]
    problems: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.check_campaign_open(response.campaign)
        except ValidationError as error:
            return _message(request, _("Assessment closed"), error.messages[0])
        answers = answers_from_post(page["questions"], page["profile"], request.POST)
        found = services.response_save(response=response, answers=answers, page=number)
        problems = {p.question: p.message for p in found}
        if not problems:
            action = request.POST.get("action", "next")
            if action == "previous":
                return redirect(
                    f"{reverse('assessment_answer', args=[token])}?page={max(0, number - 1)}"
                )
            if action == "save":
                messages.success(
                    request,
                    _("Your answers are saved. Use this page's address to come back later."),
                )
                return redirect(f"{reverse('assessment_answer', args=[token])}?page={number}")
            if number + 1 < len(pages):
                return redirect(f"{reverse('assessment_answer', args=[token])}?page={number + 1}")
            return redirect("assessment_review", token=token)
    return render(
        request,
        "assessments/answer.html",
        {
            "response": response,
            "campaign": response.campaign,
            "tree": tree,
            "page": page,
            "number": number,
            "display_number": number + 1,
            "count": len(pages),
            "answers": response.answers,
            "problems": problems,
            "token": token,
            "pages": [{"index": i, "title": p["title"]} for i, p in enumerate(pages)],
        },
        status=400 if problems else 200,
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, token: str) -> HttpResponse:
    response = _draft(token)
    if response.status != Response.Status.DRAFT:
        return redirect("assessment_result", token=token)
    tree = selectors.framework_tree(response.framework)
    pages = _pages(tree)
    page_of = {}
    for i, p in enumerate(pages):
        for field in p["profile"]:
            page_of[field.code] = i
        for q in p["questions"]:
            page_of[q.code] = i
    problems = []
    if request.method == "POST":
        try:
            found = services.response_submit(response=response)
        except ValidationError as error:
            return _message(request, _("Not submitted"), error.messages[0])
        if not found:
            return redirect("assessment_result", token=token)
        titles = {q.code: q.title for q in tree.questions()} | {
            p.code: p.title for p in tree.profile
        }
        problems = [
            {
                "question": p.question,
                "title": titles.get(p.question),
                "message": p.message,
                "page": page_of.get(p.question, 0),
            }
            for p in found
        ]
    return render(
        request,
        "assessments/review.html",
        {
            "response": response,
            "campaign": response.campaign,
            "tree": tree,
            "problems": problems,
            "token": token,
            "count": len(pages),
        },
        status=400 if problems else 200,
    )


def result(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's own result (only with their link)."""
    response = _draft(token)
    if response.status != Response.Status.SUBMITTED:
        return redirect("assessment_answer", token=token)
    tree = selectors.framework_tree(response.framework)
    context = _result_context(tree, response, [])
    context.update({"token": token, "member_view": False, "organisation": None})
    return render(request, "assessments/response_result.html", context)


@require_POST
def revise(request: HttpRequest, token: str) -> HttpResponse:
    """Correct a submitted response: a new revision, the original stays stored."""
    response = _draft(token)
    raw = None
    if response.respondent_id and "." in token:
        raw = services.respondent_response_token(token.rsplit(".", 1)[0], response.revision + 1)
    try:
        started = services.response_revise(response=response, raw_token=raw)
    except ValidationError as error:
        return _message(request, _("Cannot correct"), error.messages[0])
    return redirect("assessment_answer", token=started.raw_token)
