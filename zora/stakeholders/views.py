"""Views of the stakeholders app (thin: permissions, forms, services, templates).

Who sees what: members see the registry, the codebook, the findings and the events; contact
data (and only of stakeholders with consent) is for analysts and above, who also record and code
interviews; editors change the registry and run events. Another tenant gets 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zora.core.charts import Bar, bars
from zora.core.forms import add_errors as _add_errors
from zora.core.ratelimit import allow
from zora.organisations.models import Organisation
from zora.organisations.permissions import can
from zora.organisations.tenancy import get_for_org_or_404, organisation_for_user_or_404
from zora.stakeholders import importers, selectors, services
from zora.stakeholders.forms import (
    CodeForm,
    EditorRegistrationForm,
    EventForm,
    FindingForm,
    GuideForm,
    ImportForm,
    InterviewForm,
    MaterialForm,
    MeetingForm,
    MergeForm,
    RegistrationForm,
    SlotsForm,
    StakeholderFilterForm,
    StakeholderForm,
)
from zora.stakeholders.models import (
    Code,
    Event,
    EventKind,
    Finding,
    Guide,
    Interview,
    Material,
    Meeting,
    Note,
    Quadrant,
    Registration,
    Slot,
    Stakeholder,
    StakeholderType,
)

PAGE_SIZE = 25


def add_errors(form: Any, error: ValidationError) -> None:
    """zora.core.forms.add_errors, for model forms too."""
    _add_errors(form, error)


def _org(request: HttpRequest, slug: str, action: str = "organisation.view") -> Organisation:
    organisation = organisation_for_user_or_404(request.user, slug, action)
    request.organisation = organisation  # type: ignore[attr-defined]
    return organisation


def _rights(user: Any, organisation: Organisation) -> dict[str, bool]:
    return {
        "can_analyse": can(user, "organisation.analyse", organisation),
        "can_edit": can(user, "organisation.edit_content", organisation),
    }


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _query(params: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in params.items() if v})


# --- Registry -------------------------------------------------------------------------------


def stakeholders_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The registry: search and filters, 25 a page; contacts for analysts and above."""
    organisation = _org(request, slug)
    rights = _rights(request.user, organisation)
    form = StakeholderFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    stakeholders = selectors.stakeholder_list(
        organisation=organisation,
        q=(params.get("q") or "").strip(),
        type=params.get("type") or "",
        tag=params.get("tag") or "",
        consent=params.get("consent") or "",
        contacts=rights["can_analyse"],
    )
    page = Paginator(stakeholders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/stakeholder_list.html",
        {
            "organisation": organisation,
            "page": page,
            "form": form,
            "query": _query(params),
            "tags": selectors.tag_list(organisation=organisation),
            "tab": "registry",
            **rights,
        },
    )


@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "tags_text"}
        try:
            stakeholder = services.stakeholder_save(
                organisation=organisation, fields=fields, tags=form.cleaned_data["tags_text"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The stakeholder was added."))
            return redirect("stakeholder_detail", slug=slug, stakeholder_id=stakeholder.pk)
    return render(
        request,
        "stakeholders/stakeholder_form.html",
        {"organisation": organisation, "form": form, "tab": "registry"},
        status=_status(request),
    )


def _stakeholder(organisation: Organisation, stakeholder_id: int) -> Stakeholder:
    return get_for_org_or_404(
        Stakeholder.objects.prefetch_related("tags"),
        organisation,
        pk=stakeholder_id,
        erased_at__isnull=True,
    )


def stakeholder_detail(request: HttpRequest, slug: str, stakeholder_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    rights = _rights(request.user, organisation)
    stakeholder = _stakeholder(organisation, stakeholder_id)
    interviews = (
        selectors.interview_list(organisation=organisation, stakeholder=stakeholder)
        if rights["can_analyse"]
        else None
    )
    registrations = stakeholder.registrations.select_related("event").order_by("-event__starts_at")
    return render(
        request,
        "stakeholders/stakeholder_detail.html",
        {
            "organisation": organisation,
            "stakeholder": stakeholder,
            "show_contacts": rights["can_analyse"] and stakeholder.has_consent,
            "interviews": interviews,
            "registrations": registrations if rights["can_analyse"] else None,
            "tab": "registry",
            **rights,
        },
    )


@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HttpRequest, slug: str, stakeholder_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    stakeholder = _stakeholder(organisation, stakeholder_id)
    form = StakeholderForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "tags_text"}
        try:
            services.stakeholder_save(
                organisation=organisation,
                stakeholder=stakeholder,
                fields=fields,
                tags=form.cleaned_data["tags_text"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("stakeholder_detail", slug=slug, stakeholder_id=stakeholder.pk)
    return render(
        request,
        "stakeholders/stakeholder_form.html",
        {"organisation": organisation, "form": form, "stakeholder": stakeholder, "tab": "registry"},
        status=_status(request),
    )


@require_http_methods(["GET", "POST"])
def stakeholder_erase(request: HttpRequest, slug: str, stakeholder_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    stakeholder = _stakeholder(organisation, stakeholder_id)
    if request.method == "POST":
        services.stakeholder_erase(stakeholder=stakeholder)
        messages.success(
            request, _("The personal data was erased. Interview findings stay, anonymised.")
        )
        return redirect("stakeholders_home", slug=slug)
    return render(
        request,
        "stakeholders/stakeholder_erase.html",
        {"organisation": organisation, "stakeholder": stakeholder, "tab": "registry"},
    )


@require_http_methods(["GET", "POST"])
def stakeholder_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV or XLSX file. Every row is checked first; the errors name the row and the
    column and nothing is imported. Large files are imported by a job with progress."""
    organisation = _org(request, slug, "organisation.edit_content")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[importers.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        parsed = importers.parse(data, upload.name)
        if parsed.errors:
            errors = parsed.errors
        elif len(parsed.rows) > services.DIRECT_IMPORT_ROWS:
            from django.core.files.base import ContentFile

            from zora.core.jobs import job_create, job_enqueue

            job = job_create(
                kind="stakeholders.import",
                organisation=organisation,
                user=request.user,
                input_file=ContentFile(data, name=upload.name),
                params={"file_name": upload.name},
            )
            job_enqueue(job)
            return redirect("job_detail", job_id=job.pk)
        else:
            try:
                result = services.stakeholder_import(
                    organisation=organisation, data=data, file_name=upload.name
                )
            except importers.ImportFailed as failed:
                errors = failed.row_errors
            else:
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(updated)s updated.") % result,
                )
                return redirect("stakeholders_home", slug=slug)
    return render(
        request,
        "stakeholders/stakeholder_import.html",
        {
            "organisation": organisation,
            "form": form,
            "errors": errors[:200],
            "more_errors": max(0, len(errors) - 200),
            "columns": importers.COLUMNS,
            "types": StakeholderType.choices,
            "tab": "registry",
        },
        status=400 if errors else _status(request),
    )


def stakeholder_export(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    organisation = _org(request, slug)
    if format not in ("csv", "xlsx"):
        raise Http404
    contacts = can(request.user, "organisation.analyse", organisation)
    rows = importers.export_rows(
        selectors.stakeholder_list(organisation=organisation), contacts=contacts
    )
    name = f"stakeholders-{organisation.slug}-{timezone.localdate():%Y%m%d}.{format}"
    if format == "csv":
        response = HttpResponse(importers.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            importers.to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Interviews -----------------------------------------------------------------------------


def interview_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.analyse")
    page = Paginator(selectors.interview_list(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "stakeholders/interview_list.html",
        {"organisation": organisation, "page": page, "tab": "interviews"},
    )


@require_http_methods(["GET", "POST"])
def interview_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.analyse")
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if request.GET.get("stakeholder", "").isdigit():
        initial["stakeholder"] = int(request.GET["stakeholder"])
    guide = Guide.objects.filter(organisation=organisation).first()
    if guide is not None:
        initial["guide"] = guide.pk
    form = InterviewForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.interview_create(
                organisation=organisation, interviewer=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The interview was recorded. Write the notes below."))
            return redirect("interview_detail", slug=slug, interview_id=interview.pk)
    return render(
        request,
        "stakeholders/interview_form.html",
        {"organisation": organisation, "form": form, "tab": "interviews"},
        status=_status(request),
    )


def _interview(organisation: Organisation, interview_id: int) -> Interview:
    return get_for_org_or_404(
        Interview.objects.select_related("stakeholder", "guide", "interviewer"),
        organisation,
        pk=interview_id,
    )


def _note_blocks(
    interview: Interview, organisation: Organisation, bound: dict[int, FindingForm] | None = None
) -> list[dict[str, Any]]:
    """The guide's questions, each with its note, its findings and a coding form."""
    notes = list(selectors.interview_notes(interview=interview))
    by_question = {n.question_id: n for n in notes if n.question_id}
    blocks: list[dict[str, Any]] = []
    questions = list(interview.guide.questions.all()) if interview.guide_id else []  # type: ignore[union-attr]
    for question in questions:
        blocks.append({"question": question, "note": by_question.get(question.pk)})
    for note in notes:
        if note.question_id is None or note.question_id not in {q.pk for q in questions}:
            blocks.append({"question": note.question, "note": note})
    for block in blocks:
        note = block["note"]
        if note is not None:
            block["form"] = (bound or {}).get(note.pk) or FindingForm(
                organisation=organisation, prefix=f"n{note.pk}"
            )
    return blocks


@require_http_methods(["GET", "POST"])
def interview_detail(request: HttpRequest, slug: str, interview_id: int) -> HttpResponse:
    """The interview: notes per question (one form) and, under each note, a small form to code
    an excerpt."""
    organisation = _org(request, slug, "organisation.analyse")
    interview = _interview(organisation, interview_id)
    if request.method == "POST":
        answers = {
            int(key[2:]): str(value)
            for key, value in request.POST.items()
            if key.startswith("q_") and key[2:].isdigit()
        }
        services.interview_notes_save(
            interview=interview, answers=answers, free_note=request.POST.get("free_note", "")
        )
        messages.success(request, _("The notes were saved."))
        return redirect("interview_detail", slug=slug, interview_id=interview.pk)
    return render(
        request,
        "stakeholders/interview_detail.html",
        {
            "organisation": organisation,
            "interview": interview,
            "blocks": _note_blocks(interview, organisation),
            "tab": "interviews",
        },
    )


@require_POST
def finding_create(
    request: HttpRequest, slug: str, interview_id: int, note_id: int
) -> HttpResponse:
    organisation = _org(request, slug, "organisation.analyse")
    interview = _interview(organisation, interview_id)
    note = get_object_or_404(Note, interview=interview, pk=note_id)
    form = FindingForm(request.POST, organisation=organisation, prefix=f"n{note.pk}")
    ok = False
    if form.is_valid():
        try:
            services.finding_create(
                interview=interview,
                note=note,
                excerpt=form.cleaned_data["excerpt"],
                code=form.cleaned_data["code"],
                new_code=form.cleaned_data["new_code"],
                quadrant=form.cleaned_data["quadrant"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            ok = True
    if getattr(request, "htmx", False):
        note = selectors.interview_notes(interview=interview).get(pk=note.pk)
        fresh = FindingForm(organisation=organisation, prefix=f"n{note.pk}")
        return render(
            request,
            "stakeholders/includes/note_coding.html",
            {
                "organisation": organisation,
                "interview": interview,
                "block": {"note": note, "form": fresh if ok else form},
                "saved": ok,
            },
            status=200 if ok else 400,
        )
    if ok:
        messages.success(request, _("The excerpt was coded."))
        return redirect(reverse("interview_detail", args=[slug, interview.pk]) + f"#note-{note.pk}")
    return render(
        request,
        "stakeholders/interview_detail.html",
        {
            "organisation": organisation,
            "interview": interview,
            "blocks": _note_blocks(interview, organisation, {note.pk: form}),
            "tab": "interviews",
        },
        status=400,
    )


@require_POST
def finding_delete(request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.analyse")
    finding = get_for_org_or_404(Finding, organisation, pk=finding_id)
    interview_id = finding.interview_id
    services.finding_delete(finding=finding)
    messages.success(request, _("The finding was removed."))
    return redirect("interview_detail", slug=slug, interview_id=interview_id)


# --- Guides and codebook --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def guide_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    rights = _rights(request.user, organisation)
    form = GuideForm(request.POST or None)
    if request.method == "POST":
        if not rights["can_analyse"]:
            raise PermissionDenied
        if form.is_valid():
            try:
                guide = services.guide_save(organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The interview guide was saved."))
                return redirect("guide_edit", slug=slug, guide_id=guide.pk)
    guides = selectors.guide_list(organisation=organisation).prefetch_related("questions")
    return render(
        request,
        "stakeholders/guide_list.html",
        {
            "organisation": organisation,
            "guides": guides,
            "form": form,
            "tab": "guides",
            **rights,
        },
        status=_status(request),
    )


@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest, slug: str, guide_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.analyse")
    guide = get_for_org_or_404(Guide, organisation, pk=guide_id)
    questions = list(guide.questions.all())
    initial = {
        "title_bg": guide.title_bg,
        "title_en": guide.title_en,
        "questions_bg": "\n".join(q.text_bg for q in questions),
        "questions_en": "\n".join(q.text_en for q in questions),
    }
    form = GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.guide_save(organisation=organisation, guide=guide, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The interview guide was saved."))
            return redirect("guide_edit", slug=slug, guide_id=guide.pk)
    return render(
        request,
        "stakeholders/guide_edit.html",
        {
            "organisation": organisation,
            "guide": guide,
            "questions": questions,
            "form": form,
            "tab": "guides",
        },
        status=_status(request),
    )


@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    rights = _rights(request.user, organisation)
    form = CodeForm(request.POST if request.POST.get("action") == "create" else None)
    merge = MergeForm(
        request.POST if request.POST.get("action") == "merge" else None,
        organisation=organisation,
    )
    if request.method == "POST":
        if not rights["can_analyse"]:
            raise PermissionDenied
        if form.is_bound and form.is_valid():
            try:
                services.code_save(organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The code was added to the codebook."))
                return redirect("codebook", slug=slug)
        if merge.is_bound and merge.is_valid():
            try:
                target = services.code_merge(organisation=organisation, **merge.cleaned_data)
            except ValidationError as error:
                add_errors(merge, error)
            else:
                messages.success(
                    request,
                    _("The codes were merged into “%(code)s”.") % {"code": target.name},
                )
                return redirect("codebook", slug=slug)
    return render(
        request,
        "stakeholders/codebook.html",
        {
            "organisation": organisation,
            "codes": selectors.code_list(organisation=organisation),
            "form": form,
            "merge": merge,
            "tab": "codebook",
            **rights,
        },
        status=_status(request),
    )


@require_http_methods(["GET", "POST"])
def code_edit(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.analyse")
    code = get_for_org_or_404(Code, organisation, pk=code_id)
    form = CodeForm(request.POST or None, instance=code)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.code_delete(code=code)
                messages.success(request, _("The code was deleted."))
                return redirect("codebook", slug=slug)
            if form.is_valid():
                services.code_save(organisation=organisation, code=code, **form.cleaned_data)
                messages.success(request, _("The changes were saved."))
                return redirect("codebook", slug=slug)
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "stakeholders/code_edit.html",
        {"organisation": organisation, "code": code, "form": form, "tab": "codebook"},
        status=_status(request),
    )


# --- Findings -------------------------------------------------------------------------------


def _type_labels() -> dict[str, str]:
    return {value: str(label) for value, label in StakeholderType.choices}


def findings_by_code(request: HttpRequest, slug: str) -> HttpResponse:
    """Each code with its number of findings and the counts by stakeholder type."""
    organisation = _org(request, slug)
    quadrants = {value: str(label) for value, label in Quadrant.choices}
    rows = [
        {**row, "quadrant_label": quadrants.get(row["quadrant"], "")}
        for row in selectors.code_frequencies(organisation=organisation)
    ]
    types = [t for t in StakeholderType.values if any(r["by_type"].get(t) for r in rows)]
    labels = _type_labels()
    chart = ""
    counted = [r for r in rows if r["count"]]
    if counted:
        chart = bars(
            [Bar(label=r["code"], value=r["count"]) for r in counted[:15]],
            title=_("Findings by code"),
        )
    return render(
        request,
        "stakeholders/findings_by_code.html",
        {
            "organisation": organisation,
            "rows": rows,
            "types": [(t, labels[t]) for t in types],
            "total": sum(r["count"] for r in rows),
            "chart": chart,
            "tab": "findings",
            **_rights(request.user, organisation),
        },
    )


def findings_for_code(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """The excerpts coded with one code (drill-down), newest interview first."""
    organisation = _org(request, slug)
    code = get_for_org_or_404(Code, organisation, pk=code_id)
    stakeholder_type = request.GET.get("type", "")
    findings = selectors.finding_list(organisation=organisation, code=code)
    if stakeholder_type in StakeholderType.values:
        findings = findings.filter(interview__stakeholder__type=stakeholder_type)
    else:
        stakeholder_type = ""
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = _type_labels()
    by_type = selectors.counts_by_type(organisation=organisation, code=code)
    return render(
        request,
        "stakeholders/findings_for_code.html",
        {
            "organisation": organisation,
            "code": code,
            "page": page,
            "by_type": [(t, labels[t], n) for t, n in sorted(by_type.items(), key=lambda x: -x[1])],
            "stakeholder_type": stakeholder_type,
            "query": _query({"type": stakeholder_type}),
            "tab": "findings",
            **_rights(request.user, organisation),
        },
    )


# --- Events (members) -----------------------------------------------------------------------


def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    step = request.GET.get("step") or None
    page = Paginator(
        selectors.event_list(organisation=organisation, strategy_step=step), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/event_list.html",
        {
            "organisation": organisation,
            "page": page,
            "query": _query({"step": step}),
            "tab": "events",
            **_rights(request.user, organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    form = EventForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.organisation = organisation
        try:
            services.event_save(event=event)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The event was created."))
            return redirect("event_detail", slug=slug, event_id=event.pk)
    return render(
        request,
        "stakeholders/event_form.html",
        {"organisation": organisation, "form": form, "tab": "events"},
        status=_status(request),
    )


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    event = get_for_org_or_404(Event, organisation, pk=event_id)
    form = EventForm(request.POST or None, instance=event, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(event=form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("event_detail", slug=slug, event_id=event.pk)
    return render(
        request,
        "stakeholders/event_form.html",
        {"organisation": organisation, "form": form, "event": event, "tab": "events"},
        status=_status(request),
    )


def _event_context(
    request: HttpRequest, organisation: Organisation, event: Event, **forms: Any
) -> dict[str, Any]:
    rights = _rights(request.user, organisation)
    context: dict[str, Any] = {
        "organisation": organisation,
        "event": event,
        "registered": selectors.registered_count(event=event),
        "materials": event.materials.all(),
        "tab": "events",
        **rights,
    }
    if rights["can_analyse"]:
        context["registrations"] = selectors.registration_list(event=event)
    if rights["can_edit"]:
        context["add_form"] = forms.get("add_form") or EditorRegistrationForm()
        context["material_form"] = forms.get("material_form") or MaterialForm()
    if event.kind == EventKind.B2B:
        context["slots"] = selectors.slot_list(event=event)
        if rights["can_edit"]:
            context["slots_form"] = forms.get("slots_form") or SlotsForm()
            context["meeting_form"] = forms.get("meeting_form") or MeetingForm(event=event)
    return context


def event_detail(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    event = get_for_org_or_404(Event.objects.select_related("campaign"), organisation, pk=event_id)
    return render(
        request, "stakeholders/event_detail.html", _event_context(request, organisation, event)
    )


def _event_for_edit(request: HttpRequest, slug: str, event_id: int) -> tuple[Organisation, Event]:
    organisation = _org(request, slug, "organisation.edit_content")
    return organisation, get_for_org_or_404(Event, organisation, pk=event_id)


def _back(slug: str, event: Event, anchor: str) -> HttpResponse:
    return redirect(reverse("event_detail", args=[slug, event.pk]) + f"#{anchor}")


def _event_error(
    request: HttpRequest, organisation: Organisation, event: Event, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "stakeholders/event_detail.html",
        _event_context(request, organisation, event, **forms),
        status=400,
    )


@require_POST
def event_register_add(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """An editor registers someone (e.g. by phone)."""
    organisation, event = _event_for_edit(request, slug, event_id)
    form = EditorRegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.registration_create(event=event, by_editor=True, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The participant was registered."))
            return _back(slug, event, "registrations")
    return _event_error(request, organisation, event, add_form=form)


@require_POST
def registration_cancel(request: HttpRequest, slug: str, registration_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    registration = get_object_or_404(
        Registration, pk=registration_id, event__organisation=organisation
    )
    services.registration_cancel(registration=registration)
    messages.success(request, _("The registration was cancelled."))
    return _back(slug, registration.event, "registrations")


@require_POST
def event_attendance(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    organisation, event = _event_for_edit(request, slug, event_id)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    count = services.attendance_save(event=event, present=present)
    messages.success(request, _("Attendance saved: %(count)s present.") % {"count": count})
    return _back(slug, event, "registrations")


def event_attendees(request: HttpRequest, slug: str, event_id: int, format: str) -> HttpResponse:
    """The attendee list as CSV or XLSX (analysts and above: it holds personal data)."""
    organisation = _org(request, slug, "organisation.analyse")
    event = get_for_org_or_404(Event, organisation, pk=event_id)
    if format not in ("csv", "xlsx"):
        raise Http404
    rows: list[list[Any]] = [
        ["id", "name", "email", "organisation", "status", "attended", "registered_at"]
    ]
    for r in selectors.registration_list(event=event):
        rows.append(
            [
                r.pk,
                r.display_name,
                r.email,
                r.affiliation,
                r.status,
                "yes" if r.attended else "no",
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    name = f"attendees-{event.pk}.{format}"
    if format == "csv":
        response = HttpResponse(importers.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            importers.to_xlsx(rows, title="Attendees"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def material_add(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    organisation, event = _event_for_edit(request, slug, event_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(event=event, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The material was added."))
            return _back(slug, event, "materials")
    return _event_error(request, organisation, event, material_form=form)


@require_POST
def material_delete(request: HttpRequest, slug: str, material_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    material = get_object_or_404(Material, pk=material_id, event__organisation=organisation)
    event = material.event
    services.material_delete(material=material)
    messages.success(request, _("The material was removed."))
    return _back(slug, event, "materials")


@require_POST
def slots_create(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    organisation, event = _event_for_edit(request, slug, event_id)
    form = SlotsForm(request.POST)
    if form.is_valid():
        try:
            services.slots_create(
                event=event,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                minutes=form.cleaned_data["minutes"],
                tables=form.cleaned_data["tables"].split(","),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The slots were created."))
            return _back(slug, event, "slots")
    return _event_error(request, organisation, event, slots_form=form)


def _book(request: HttpRequest, event: Event, form: MeetingForm) -> bool:
    if not form.is_valid():
        return False
    slot = Slot.objects.filter(event=event, pk=form.cleaned_data["slot"]).first()
    if slot is None:
        form.add_error("slot", _("Choose a free slot."))
        return False
    try:
        services.meeting_book(
            event=event,
            slot=slot,
            first=form.cleaned_data["first"],
            second=form.cleaned_data["second"],
        )
    except ValidationError as error:
        add_errors(form, error)
        return False
    messages.success(request, _("The meeting was booked."))
    return True


@require_POST
def meeting_book(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    organisation, event = _event_for_edit(request, slug, event_id)
    form = MeetingForm(request.POST, event=event)
    if _book(request, event, form):
        return _back(slug, event, "slots")
    return _event_error(request, organisation, event, meeting_form=form)


@require_POST
def meeting_cancel(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    meeting = get_object_or_404(Meeting, pk=meeting_id, event__organisation=organisation)
    event = meeting.event
    services.meeting_cancel(meeting=meeting)
    messages.success(request, _("The meeting was cancelled."))
    return _back(slug, event, "slots")


# --- Public event pages ---------------------------------------------------------------------


def event_public_list(request: HttpRequest) -> HttpResponse:
    events = selectors.event_list_public().filter(
        Q(ends_at__gte=timezone.now()) | Q(ends_at__isnull=True, starts_at__gte=timezone.now())
    )
    page = Paginator(events.order_by("starts_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "stakeholders/event_public_list.html", {"page": page})


def _visible_event(request: HttpRequest, event_id: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("organisation"), pk=event_id)
    if not event.is_public and not can(request.user, "organisation.view", event.organisation):
        raise Http404
    return event


def _my_registration(request: HttpRequest, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        event.registrations.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def _public_context(
    request: HttpRequest, event: Event, form: RegistrationForm | None = None, **extra: Any
) -> dict[str, Any]:
    mine = _my_registration(request, event)
    registered = selectors.registered_count(event=event)
    context: dict[str, Any] = {
        "event": event,
        "organisation_public": event.organisation,
        "registered": registered,
        "places_left": None if event.capacity is None else max(0, event.capacity - registered),
        "mine": mine,
        "form": form or RegistrationForm(),
        "materials": event.materials.all(),
        "is_over": (event.ends_at or event.starts_at) < timezone.now(),
        **extra,
    }
    if event.kind == EventKind.B2B and mine is not None:
        context["my_meetings"] = selectors.meetings_of(registration=mine)
        if mine.status == Registration.Status.REGISTERED:
            context["meeting_form"] = extra.get("meeting_form") or MeetingForm(event=event, me=mine)
    return context


@require_http_methods(["GET", "POST"])
def event_public(request: HttpRequest, event_id: int) -> HttpResponse:
    """The event's page with its registration form (works without JavaScript). Members-only
    events are shown to members, who register with their account."""
    event = _visible_event(request, event_id)
    form = None
    if request.method == "POST":
        if not allow(request, "event-register", per_user=20, per_ip=30):
            return HttpResponse(
                _("Too many attempts in a short time. Please wait a while and try again."),
                status=429,
            )
        if request.POST.get("action") == "account":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                registration = services.registration_create(event=event, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("event_public", event_id=event.pk)
            _registered_message(request, registration)
            return redirect("event_public", event_id=event.pk)
        if not event.is_public:
            raise PermissionDenied
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.registration_create(
                    event=event,
                    name=data["name"],
                    email=data["email"],
                    affiliation=data["affiliation"],
                    consent=data["consent"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                _registered_message(request, registration)
                return redirect("event_public", event_id=event.pk)
    return render(
        request,
        "stakeholders/event_public.html",
        _public_context(request, event, form),
        status=400 if form is not None else 200,
    )


def _registered_message(request: HttpRequest, registration: Registration) -> None:
    if registration.status == Registration.Status.WAITING:
        messages.warning(
            request,
            _(
                "The event is full: you are on the waiting list and will hear from us if a "
                "place frees up."
            ),
        )
    else:
        messages.success(request, _("You are registered. See you there!"))


@require_POST
def event_public_book(request: HttpRequest, event_id: int) -> HttpResponse:
    """A registered participant of a B2B meeting day books a meeting with another one."""
    event = _visible_event(request, event_id)
    mine = _my_registration(request, event)
    if mine is None or event.kind != EventKind.B2B:
        raise PermissionDenied
    post = request.POST.copy()
    post["first"] = str(mine.pk)
    form = MeetingForm(post, event=event, me=mine)
    if _book(request, event, form):
        return redirect(reverse("event_public", args=[event.pk]) + "#meetings")
    return render(
        request,
        "stakeholders/event_public.html",
        _public_context(request, event, meeting_form=form),
        status=400,
    )
