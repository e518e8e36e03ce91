"""Consultation pages: public (list, consultation, proposal) and moderators' (queue, topics)."""

import csv
import io
import json
import zipfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zora.core.forms import add_errors
from zora.core.ratelimit import allow
from zora.organisations.permissions import can
from zora.organisations.tenancy import get_for_org_or_404, organisation_for_user_or_404
from zora.participation import caching, selectors, services
from zora.participation.forms import (
    AnswerForm,
    AnswerStateFormSet,
    CategoryFormSet,
    CommentForm,
    ConsultationForm,
    ConsultationSettingsForm,
    PermissionsForm,
    ProposalForm,
    ReportForm,
    formset_rows,
)
from zora.participation.models import (
    Comment,
    Consultation,
    ModerationAction,
    Phase,
    Proposal,
    Topic,
)

PAGE_SIZE = 20
COMMENTS_PAGE = 20


def _consultation(consultation_id: int, user: Any = None) -> Consultation:
    consultation = (
        Consultation.objects.select_related("organisation", "page_version")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        raise Http404
    if not consultation.is_published and not can(
        user, "organisation.view", consultation.organisation
    ):
        raise Http404
    return consultation


def _is_moderator(user: Any, consultation: Consultation) -> bool:
    return can(user, "organisation.edit_content", consultation.organisation)


def _too_many(request: HttpRequest) -> HttpResponse:
    messages.error(
        request, _("Too many attempts in a short time. Please wait a while and try again.")
    )
    return HttpResponse(
        status=429,
        content=_("Too many attempts in a short time. Please wait a while and try again."),
    )


def consultation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.consultation_list_public(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "participation/consultation_list.html", {"page": page})


def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The proposals of a consultation. Anonymous visitors get a cached response, renewed by
    every write that changes the page (see participation.caching)."""
    consultation = _consultation(consultation_id, request.user)
    return caching.cached_response(
        request,
        consultation,
        "list",
        lambda extra: _consultation_detail(request, consultation, extra),
    )


def _consultation_detail(
    request: HttpRequest, consultation: Consultation, extra: dict[str, Any]
) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in ("category", "state", "topic", "q", "sort")}
    sort = params["sort"] if params["sort"] in selectors.SORTS else "newest"
    seed = request.GET.get("seed", "")
    q = params["q"].strip()
    proposals = selectors.proposal_list(
        consultation=consultation,
        category=params["category"],
        state=params["state"],
        topic=params["topic"],
        q=q,
        sort=sort,
        seed=int(seed) if seed.isdigit() else None,
    ).only(*selectors.CARD_FIELDS)
    filters = (params["category"], params["state"], params["topic"], q)
    page = caching.CountCachedPaginator(
        proposals, PAGE_SIZE, key=caching.count_key(consultation, filters)
    ).get_page(request.GET.get("page"))
    items = list(page)
    supported = selectors.supported_ids(user=request.user, proposal_ids=[p.pk for p in items])
    query = "&".join(f"{k}={v}" for k, v in {**params, "sort": sort, "seed": seed}.items() if v)
    return render(
        request,
        "participation/consultation_detail.html",
        {
            "consultation": consultation,
            "page": page,
            "cards": caching.proposal_cards(consultation, items),
            "supported": supported,
            "params": params,
            "sort": sort,
            "query": query,
            "categories": consultation.categories.all(),
            "states": consultation.answer_states.all(),
            "topics": consultation.topics.all()[:30],
            "can_create": _allowed(consultation, "create", request.user),
            "is_moderator": _is_moderator(request.user, consultation),
            **extra,
        },
    )


def _allowed(
    consultation: Consultation, action: str, user: Any, facts: dict[str, bool] | None = None
) -> bool:
    try:
        services.check_can(consultation, action, user, facts)
    except services.NotAllowed:
        return False
    return True


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation(consultation_id, request.user)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    try:
        services.check_can(consultation, "create", request.user)
    except services.NotAllowed as error:
        return render(
            request,
            "participation/not_allowed.html",
            {"consultation": consultation, "error": error},
            status=403,
        )
    form = ProposalForm(request.POST or None, request.FILES or None, consultation=consultation)
    form.fields["title"].widget.attrs.update(
        {
            "hx-get": reverse("proposal_similar", args=[consultation.pk]),
            "hx-trigger": "input changed delay:400ms, change",
            "hx-target": "#similar",
            "autocomplete": "off",
        }
    )
    if request.method == "POST" and form.is_valid():
        if not allow(request, "proposal", per_user=10, per_ip=30):
            return _too_many(request)
        from django.utils.translation import get_language

        try:
            proposal = services.proposal_create(
                consultation=consultation,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                category=form.cleaned_data["category"],
                location=form.cleaned_data["location"],
                image=form.cleaned_data["image"],
                language=(get_language() or "bg")[:2],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your proposal was published. Thank you!"))
            return redirect("proposal_detail", proposal_id=proposal.pk)
    return render(
        request,
        "participation/proposal_form.html",
        {"consultation": consultation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def similar(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The duplicate hint while a title is typed (htmx partial)."""
    consultation = _consultation(consultation_id, request.user)
    text = request.GET.get("title", "").strip()
    matches: list[tuple[Proposal, float]] = []
    if len(text) >= 8:
        from zora.participation.similarity import similar_proposals

        matches = similar_proposals(consultation=consultation, text=text, top=5)
    return render(request, "participation/similar.html", {"matches": matches, "text": text})


def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A proposal with a page of its comment threads. Hidden proposals are answered 404 (except
    to moderators) before any cache is consulted; anonymous visitors get a cached response."""
    found = selectors.proposal_visible(proposal_id=proposal_id, full=False)
    if found is None:
        raise Http404
    consultation = found.consultation
    moderator = _is_moderator(request.user, consultation)
    if found.hidden_at is not None and not moderator:
        raise Http404
    return caching.cached_response(
        request,
        consultation,
        f"proposal-{found.pk}",
        lambda extra: _proposal_detail(request, found.pk, consultation, moderator, extra),
    )


def _proposal_detail(
    request: HttpRequest,
    proposal_id: int,
    consultation: Consultation,
    moderator: bool,
    extra: dict[str, Any],
) -> HttpResponse:
    proposal = selectors.proposal_visible(proposal_id=proposal_id)
    if proposal is None:
        raise Http404
    proposal.consultation = consultation  # the one whose version keys the cache
    threads = Paginator(selectors.comment_threads(proposal=proposal), COMMENTS_PAGE).get_page(
        request.GET.get("page")
    )
    user = request.user
    signed_in = user.is_authenticated
    facts: dict[str, bool] = {}  # blocked? verified? asked once for both checks
    return render(
        request,
        "participation/proposal_detail.html",
        {
            "proposal": proposal,
            "consultation": consultation,
            "threads": threads,
            "page": threads,
            "supported": signed_in
            and bool(selectors.supported_ids(user=user, proposal_ids=[proposal.pk])),
            "following": user.is_authenticated and proposal.follows.filter(user=user).exists(),
            "can_support": signed_in and _allowed(consultation, "support", user, facts),
            "can_comment": signed_in and _allowed(consultation, "comment", user, facts),
            "is_author": signed_in and proposal.author_id == user.pk,
            "is_moderator": moderator,
            "comment_form": CommentForm() if signed_in else None,
            "report_form": ReportForm() if signed_in else None,
            "answer_form": AnswerForm(
                consultation=consultation,
                initial={
                    "state": proposal.answer_state_id,
                    "text_bg": proposal.answer_bg,
                    "text_en": proposal.answer_en,
                    "cost": proposal.answer_cost,
                },
            )
            if moderator
            else None,
            **extra,
        },
    )


def _proposal_or_404(proposal_id: int, full: bool = True) -> Proposal:
    proposal = selectors.proposal_visible(proposal_id=proposal_id, full=full)
    if proposal is None:
        raise Http404
    return proposal


@login_required
@require_POST
def support(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id, full=False)
    if not allow(request, "support", per_user=300, per_ip=1000):
        return _too_many(request)
    try:
        if request.POST.get("action") == "remove":
            services.support_remove(proposal=proposal, user=request.user)
            messages.success(request, _("Your support was withdrawn."))
        else:
            services.support_add(proposal=proposal, user=request.user)
            messages.success(request, _("You support this proposal."))
    except (services.NotAllowed, services.AlreadySupported) as error:
        messages.error(request, str(error))
    return redirect(request.POST.get("next") or reverse("proposal_detail", args=[proposal.pk]))


@login_required
@require_POST
def comment(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("body", []) + form.errors.get("website", []):
            messages.error(request, str(message))
        return redirect("proposal_detail", proposal_id=proposal.pk)
    if not allow(request, "comment", per_user=30, per_ip=100):
        return _too_many(request)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], proposal=proposal).first()
    try:
        services.comment_create(
            proposal=proposal, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
        messages.success(request, _("Your comment was published."))
    except (services.NotAllowed, ValidationError) as error:
        messages.error(
            request, error.messages[0] if isinstance(error, ValidationError) else str(error)
        )
    return redirect(reverse("proposal_detail", args=[proposal.pk]) + "#comments")


@login_required
@require_POST
def comment_vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    item = (
        Comment.objects.select_related("proposal__consultation")
        .filter(pk=comment_id, hidden_at__isnull=True)
        .first()
    )
    if item is None:
        raise Http404
    try:
        services.comment_vote(
            comment=item, user=request.user, value=1 if request.POST.get("value") == "1" else -1
        )
    except (services.NotAllowed, ValidationError) as error:
        messages.error(request, str(error))
    return redirect(reverse("proposal_detail", args=[item.proposal_id]) + f"#c{item.pk}")


@login_required
@require_POST
def report(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    form = ReportForm(request.POST)
    target_comment = None
    if request.POST.get("comment"):
        target_comment = Comment.objects.filter(
            pk=request.POST["comment"], proposal=proposal
        ).first()
    if form.is_valid():
        try:
            services.report_content(
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                proposal=None if target_comment else proposal,
                comment=target_comment,
            )
            messages.success(request, _("Thank you: a moderator will look at it."))
        except (services.NotAllowed, ValidationError) as error:
            messages.error(
                request, error.messages[0] if isinstance(error, ValidationError) else str(error)
            )
    else:
        messages.error(request, _("Say why a moderator should look at it."))
    return redirect("proposal_detail", proposal_id=proposal.pk)


@login_required
@require_POST
def follow(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    following = services.follow_toggle(proposal=proposal, user=request.user)
    messages.success(
        request,
        _("You follow this proposal.") if following else _("You no longer follow this proposal."),
    )
    return redirect("proposal_detail", proposal_id=proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The author edits a proposal within the consultation's edit window."""
    proposal = _proposal_or_404(proposal_id)
    try:
        services.check_can_edit(proposal, request.user)
    except services.NotAllowed as error:
        messages.error(request, str(error))
        return redirect("proposal_detail", proposal_id=proposal.pk)
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category_id,
        "location": proposal.location,
    }
    form = ProposalForm(request.POST or None, consultation=proposal.consultation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_edit(
                proposal=proposal,
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                category=form.cleaned_data["category"],
                location=form.cleaned_data["location"],
            )
        except (services.NotAllowed, ValidationError) as error:
            messages.error(
                request, error.messages[0] if isinstance(error, ValidationError) else str(error)
            )
        else:
            messages.success(request, _("Your proposal was saved."))
            return redirect("proposal_detail", proposal_id=proposal.pk)
    return render(
        request,
        "participation/proposal_form.html",
        {"consultation": proposal.consultation, "form": form, "editing": proposal},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    try:
        services.proposal_withdraw(proposal=proposal, user=request.user)
        messages.success(request, _("Your proposal was withdrawn."))
    except services.NotAllowed as error:
        messages.error(request, str(error))
    return redirect("consultation_detail", consultation_id=proposal.consultation_id)


@login_required
@require_POST
def answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    if not _is_moderator(request.user, proposal.consultation):
        raise PermissionDenied
    form = AnswerForm(request.POST, consultation=proposal.consultation)
    if form.is_valid():
        try:
            services.answer_proposal(
                proposal=proposal,
                moderator=request.user,
                state=form.cleaned_data["state"],
                text_bg=form.cleaned_data["text_bg"],
                text_en=form.cleaned_data["text_en"],
                cost=form.cleaned_data["cost"],
            )
            messages.success(
                request, _("The official answer was published and the supporters were told.")
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
    else:
        messages.error(request, _("Choose a state and write the answer."))
    return redirect("proposal_detail", proposal_id=proposal.pk)


def open_data(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """Public content as CSV and JSON in a ZIP; no personal data (no names, no e-mails)."""
    consultation = _consultation(consultation_id, request.user)
    rows = []
    for p in (
        selectors.proposal_list(consultation=consultation)
        .defer(None)
        .defer("embedding")
        .iterator(chunk_size=2000)
    ):
        rows.append(
            {
                "id": p.pk,
                "title": p.title,
                "body": p.body,
                "language": p.language,
                "category": p.category.code if p.category else "",
                "location": p.location,
                "created_at": p.created_at.isoformat(),
                "supports": p.supports_count,
                "comments": p.comments_count,
                "topic": p.topic.name if p.topic else "",
                "answer_state": p.answer_state.code if p.answer_state else "",
                "answer_bg": p.answer_bg,
                "answer_en": p.answer_en,
                "answer_cost": str(p.answer_cost) if p.answer_cost is not None else "",
            }
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
        archive.writestr("proposals.csv", "\ufeff" + text.getvalue())
        archive.writestr(
            "proposals.json",
            json.dumps(
                {
                    "consultation": {
                        "id": consultation.pk,
                        "title": {"bg": consultation.title_bg, "en": consultation.title_en},
                        "organisation": consultation.organisation.slug,
                        "phase": consultation.phase,
                    },
                    "licence": "CC BY 4.0",
                    "proposals": rows,
                },
                ensure_ascii=False,
                indent=1,
            ),
        )
        archive.writestr(
            "README.txt",
            "Zora open data: public proposals of one consultation, without personal data.\n",
        )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.zip"'
    return response


# --- The organisation's side: consultations, moderation, topics -------------------------------


def _org_consultation(
    request: HttpRequest, slug: str, consultation_id: int, action: str
) -> tuple[Any, Consultation]:
    organisation = organisation_for_user_or_404(request.user, slug, action)
    request.organisation = organisation  # type: ignore[attr-defined]
    return organisation, get_for_org_or_404(Consultation, organisation, pk=consultation_id)


@login_required
@require_http_methods(["GET", "POST"])
def engage_home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_user_or_404(request.user, slug, "organisation.view")
    request.organisation = organisation  # type: ignore[attr-defined]
    can_edit = can(request.user, "organisation.edit_content", organisation)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            consultation = form.save(commit=False)
            consultation.organisation = organisation
            consultation.save()
            messages.success(
                request,
                _(
                    "The consultation was created. Check who may take part in each phase, "
                    "its categories and answer states."
                ),
            )
            return redirect(
                "consultation_settings", slug=organisation.slug, consultation_id=consultation.pk
            )
    return render(
        request,
        "participation/engage_home.html",
        {
            "organisation": organisation,
            "consultations": selectors.consultation_list(organisation=organisation),
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_settings(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    """Editors change a consultation: its settings, who may create, support and comment in each
    phase (a table), its places, categories and answer states — saved together or not at all."""
    organisation, consultation = _org_consultation(
        request, slug, consultation_id, "organisation.edit_content"
    )
    data = request.POST if request.method == "POST" else None
    form = ConsultationSettingsForm(data, instance=consultation)
    grid = PermissionsForm(data, consultation=consultation)
    categories = CategoryFormSet(
        data,
        prefix="categories",
        initial=[
            {"id": c.pk, "code": c.code, "name_bg": c.name_bg, "name_en": c.name_en}
            for c in consultation.categories.order_by("id")
        ],
    )
    states = AnswerStateFormSet(
        data,
        prefix="states",
        initial=[
            {
                "id": s.pk,
                "code": s.code,
                "label_bg": s.label_bg,
                "label_en": s.label_en,
                "colour": s.colour,
            }
            for s in consultation.answer_states.all()
        ],
    )
    if request.method == "POST":
        valid = [f.is_valid() for f in (form, grid, categories, states)]
        if all(valid):
            try:
                services.consultation_configure(
                    consultation=consultation,
                    values={f: form.cleaned_data[f] for f in services.SETTINGS_FIELDS},
                    permissions=grid.permissions(),
                    locations=form.location_lines(),
                    categories=formset_rows(categories),
                    answer_states=formset_rows(states),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The consultation's settings were saved."))
                return redirect(
                    "consultation_settings", slug=organisation.slug, consultation_id=consultation.pk
                )
        # Nothing was saved; show the submitted values with their errors.
        consultation.refresh_from_db()
    return render(
        request,
        "participation/consultation_settings.html",
        {
            "organisation": organisation,
            "consultation": consultation,
            "form": form,
            "grid": grid,
            "categories": categories,
            "states": states,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    organisation, consultation = _org_consultation(
        request, slug, consultation_id, "organisation.edit_content"
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "phase":
            services.phase_set(consultation=consultation, phase=request.POST.get("phase", ""))
            messages.success(request, _("The phase was changed."))
        else:
            target_proposal = Proposal.objects.filter(
                consultation=consultation, pk=request.POST.get("proposal") or 0
            ).first()
            target_comment = Comment.objects.filter(
                proposal__consultation=consultation, pk=request.POST.get("comment") or 0
            ).first()
            try:
                services.moderate(
                    consultation=consultation,
                    moderator=request.user,
                    action=action,
                    proposal=target_proposal if not target_comment else None,
                    comment=target_comment,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Done."))
            except ValidationError as error:
                messages.error(request, error.messages[0])
        return redirect("moderation", slug=organisation.slug, consultation_id=consultation.pk)
    queue = selectors.moderation_queue(consultation=consultation)
    return render(
        request,
        "participation/moderation.html",
        {
            "organisation": organisation,
            "consultation": consultation,
            "queue": queue,
            "phases": Phase.choices,
            "log": ModerationAction.objects.filter(consultation=consultation).select_related(
                "moderator"
            )[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def topics(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    organisation, consultation = _org_consultation(
        request, slug, consultation_id, "organisation.edit_content"
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rebuild":
            from zora.core.jobs import job_create, job_enqueue

            job = job_create(
                kind="participation.topics",
                organisation=organisation,
                user=request.user,
                params={"consultation": consultation.pk},
            )
            job_enqueue(job)
            return redirect("job_detail", job_id=job.pk)
        if action == "rename":
            topic = Topic.objects.filter(
                consultation=consultation, pk=request.POST.get("topic") or 0
            ).first()
            if topic is None:
                raise Http404
            try:
                services.topic_rename(
                    topic=topic, name=request.POST.get("name", ""), moderator=request.user
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
        if action == "merge":
            chosen = list(
                Topic.objects.filter(
                    consultation=consultation, pk__in=request.POST.getlist("merge")
                )
            )
            if len(chosen) >= 2:
                services.topics_merge(into=chosen[0], others=chosen[1:], moderator=request.user)
                messages.success(request, _("The topics were merged."))
            else:
                messages.error(request, _("Choose at least two topics to merge."))
        return redirect("topics", slug=organisation.slug, consultation_id=consultation.pk)
    from zora.participation.similarity import duplicate_pairs

    return render(
        request,
        "participation/topics.html",
        {
            "organisation": organisation,
            "consultation": consultation,
            "topics": consultation.topics.all(),
            "pairs": duplicate_pairs(consultation=consultation, limit=30),
        },
    )
