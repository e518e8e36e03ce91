"""Writes for stakeholders, interviews, findings and events.

Rules kept here:
- Erasure (`stakeholder_erase`) blanks every personal field in place and anonymises the
  person's event registrations; interviews and coded findings stay, without the name.
- Imports validate every row before anything is written; one bad row and nothing is imported.
- Registrations take a row lock on the event, so capacity holds under concurrency.
- A B2B meeting takes row locks on both participants (in id order) and on the slot; the slot
  is unique per meeting in the database, and a participant's meetings may not overlap.
"""

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zora.core.i18n import localized
from zora.stakeholders.importers import ImportFailed, Parsed, parse
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
    Question,
    Registration,
    Slot,
    Stakeholder,
    Tag,
)

MAX_EXCERPT = 2000
ERASED_MARK = "[…]"
DIRECT_IMPORT_ROWS = 500

STAKEHOLDER_FIELDS = (
    "external_id",
    "kind",
    "name",
    "type",
    "sector",
    "affiliation",
    "position",
    "email",
    "phone",
    "address",
    "website",
    "consent_on",
    "consent_purpose",
    "notes",
)


# --- Stakeholders ---------------------------------------------------------------------------


def _set_tags(stakeholder: Stakeholder, names: list[str]) -> None:
    organisation = stakeholder.organisation
    existing = {t.name.lower(): t for t in Tag.objects.filter(organisation=organisation)}
    tags = []
    for name in names:
        name = name.strip()[:60]
        if not name:
            continue
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag.objects.create(organisation=organisation, name=name)
            existing[name.lower()] = tag
        tags.append(tag)
    stakeholder.tags.set(tags)


def _check_unique(organisation: Any, stakeholder: Stakeholder) -> None:
    others = Stakeholder.objects.filter(organisation=organisation, erased_at__isnull=True)
    if stakeholder.pk:
        others = others.exclude(pk=stakeholder.pk)
    if stakeholder.external_id and others.filter(external_id=stakeholder.external_id).exists():
        raise ValidationError({"external_id": _("Another stakeholder has this external ID.")})
    if stakeholder.email and others.filter(email__iexact=stakeholder.email).exists():
        raise ValidationError({"email": _("Another stakeholder has this e-mail address.")})


@transaction.atomic
def stakeholder_save(
    *,
    organisation: Any,
    fields: dict[str, Any],
    tags: list[str] | None = None,
    stakeholder: Stakeholder | None = None,
) -> Stakeholder:
    """Creates or updates a stakeholder of the organisation."""
    if stakeholder is not None and stakeholder.is_erased:
        raise ValidationError(_("An erased stakeholder cannot be changed."))
    stakeholder = stakeholder or Stakeholder(organisation=organisation)
    for name in STAKEHOLDER_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(stakeholder, name, value.strip() if isinstance(value, str) else value)
    stakeholder.email = (stakeholder.email or "").lower()
    if not stakeholder.name:
        raise ValidationError({"name": _("This field cannot be empty.")})
    if stakeholder.consent_on and stakeholder.consent_on > timezone.localdate():
        raise ValidationError({"consent_on": _("The consent date cannot be in the future.")})
    _check_unique(organisation, stakeholder)
    stakeholder.updated_at = timezone.now()
    stakeholder.full_clean(exclude=["organisation", "tags"])
    stakeholder.save()
    if tags is not None:
        _set_tags(stakeholder, tags)
    return stakeholder


def _scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        if needle and len(needle) >= 3:
            text = re.sub(re.escape(needle), ERASED_MARK, text, flags=re.IGNORECASE)
    return text


@transaction.atomic
def stakeholder_erase(*, stakeholder: Stakeholder) -> Stakeholder:
    """Removes the person's data for good (the right to erasure): every personal field is
    blanked, the name becomes an anonymous label, their event registrations are anonymised and
    their name is cut out of interview notes and findings. Interviews and findings stay."""
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if stakeholder.is_erased:
        return stakeholder
    needles = [stakeholder.name, stakeholder.email]
    if stakeholder.kind == "person":
        needles += stakeholder.name.split() if len(stakeholder.name.split()) > 1 else []
    needles = sorted({n for n in needles if n}, key=len, reverse=True)
    email = stakeholder.email
    label = f"Erased stakeholder #{stakeholder.pk}"
    for name in STAKEHOLDER_FIELDS:
        if name not in ("kind", "type", "sector"):
            setattr(stakeholder, name, None if name == "consent_on" else "")
    stakeholder.name = label
    stakeholder.erased_at = timezone.now()
    stakeholder.updated_at = stakeholder.erased_at
    stakeholder.save()
    stakeholder.tags.clear()
    registrations = Registration.objects.filter(stakeholder=stakeholder)
    if email:
        registrations = Registration.objects.filter(
            Q(stakeholder=stakeholder)
            | Q(email__iexact=email, event__organisation_id=stakeholder.organisation_id)
        )
    for registration in registrations:
        registration.name = f"Erased participant #{registration.pk}"
        registration.email = ""
        registration.affiliation = ""
        registration.user = None
        registration.stakeholder = stakeholder
        registration.save()
    for interview in Interview.objects.filter(stakeholder=stakeholder):
        interview.summary = _scrub(interview.summary, needles)
        interview.save(update_fields=["summary"])
        for note in interview.notes.all():
            note.text = _scrub(note.text, needles)
            note.save(update_fields=["text"])
        for finding in interview.findings.all():
            finding.excerpt = _scrub(finding.excerpt, needles)
            finding.save(update_fields=["excerpt"])
    _purge_admin_log(stakeholder)
    return stakeholder


def _purge_admin_log(stakeholder: Stakeholder) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Stakeholder)
    LogEntry.objects.filter(content_type=content_type, object_id=str(stakeholder.pk)).delete()


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder) -> None:
    if stakeholder.interviews.exists():
        raise ValidationError(
            _("This stakeholder was interviewed; erase the personal data instead of deleting.")
        )
    stakeholder.delete()


# --- Import ---------------------------------------------------------------------------------


def _match(organisation: Any, parsed: Parsed) -> dict[int, Stakeholder]:
    """Row number → the existing stakeholder it updates: by external ID (or the `zora-<id>`
    an export gives), else by e-mail."""
    existing = list(Stakeholder.objects.filter(organisation=organisation, erased_at__isnull=True))
    by_external = {s.external_id: s for s in existing if s.external_id}
    by_pk = {f"zora-{s.pk}": s for s in existing}
    by_email = {s.email.lower(): s for s in existing if s.email}
    matched: dict[int, Stakeholder] = {}
    for row in parsed.rows:
        key = row["external_id"]
        found = (by_external.get(key) or by_pk.get(key)) if key else None
        if found is None and row["email"]:
            found = by_email.get(row["email"])
        if found is not None:
            matched[row["row"]] = found
    return matched


def stakeholder_import(
    *,
    organisation: Any,
    data: bytes,
    file_name: str = "",
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, int]:
    """Imports a CSV or XLSX file of stakeholders: every row is validated first; if any row is
    wrong nothing is written and ImportFailed names each row and column. Existing stakeholders
    (same external ID or e-mail) are updated; empty cells keep what is there."""
    parsed = parse(data, file_name)
    if parsed.errors:
        raise ImportFailed(parsed.errors)
    return _load(organisation, parsed, progress)


@transaction.atomic
def _load(
    organisation: Any, parsed: Parsed, progress: Callable[[float, str], None] | None
) -> dict[str, int]:
    matched = _match(organisation, parsed)
    created = updated = 0
    total = len(parsed.rows) or 1
    tags = {t.name.lower(): t for t in Tag.objects.filter(organisation=organisation)}
    new: list[tuple[Stakeholder, list[str]]] = []
    now = timezone.now()
    for i, row in enumerate(parsed.rows):
        stakeholder = matched.get(row["row"])
        values = {
            "external_id": row["external_id"] if not row["external_id"].startswith("zora-") else "",
            "kind": row["kind"],
            "name": row["name"],
            "type": row["type"],
            "sector": row["sector"],
            "affiliation": row["organisation"],
            "position": row["position"],
            "email": row["email"],
            "phone": row["phone"],
            "address": row["address"],
            "website": row["website"],
            "consent_on": row["consent_on"],
            "consent_purpose": row["consent_purpose"],
            "notes": row["notes"],
        }
        if stakeholder is None:
            stakeholder = Stakeholder(organisation=organisation, created_at=now, updated_at=now)
            for name, value in values.items():
                setattr(stakeholder, name, value if value is not None else None)
            new.append((stakeholder, row["tags"]))
            created += 1
        else:
            for name, value in values.items():
                if value not in ("", None):  # empty cells keep the stored value
                    setattr(stakeholder, name, value)
            stakeholder.updated_at = now
            stakeholder.save()
            if row["tags"]:
                _attach_tags(organisation, stakeholder, row["tags"], tags)
            updated += 1
        if progress and i % 200 == 0:
            progress(0.9 * i / total, _("Row %(row)s of %(total)s") % {"row": i, "total": total})
    Stakeholder.objects.bulk_create([s for s, _tags in new], batch_size=500)
    through = Stakeholder.tags.through
    links = []
    for stakeholder, names in new:
        for name in names:
            tag = tags.get(name.lower()) or _new_tag(organisation, name, tags)
            links.append(through(stakeholder_id=stakeholder.pk, tag_id=tag.pk))
    through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    if progress:
        progress(1.0, _("Imported"))
    return {"created": created, "updated": updated}


def _new_tag(organisation: Any, name: str, cache: dict[str, Tag]) -> Tag:
    tag = Tag.objects.create(organisation=organisation, name=name)
    cache[name.lower()] = tag
    return tag


def _attach_tags(
    organisation: Any, stakeholder: Stakeholder, names: list[str], cache: dict[str, Tag]
) -> None:
    for name in names:
        tag = cache.get(name.lower()) or _new_tag(organisation, name, cache)
        stakeholder.tags.add(tag)


def run_import_job(job: Any, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """The `stakeholders.import` job: the file is the job's input file. The file holds
    personal data, so it is deleted once the import has succeeded."""
    from django.urls import reverse

    from zora.core.jobs import JobError

    job.input_file.open("rb")
    try:
        data = job.input_file.read()
    finally:
        job.input_file.close()
    try:
        result = stakeholder_import(
            organisation=job.organisation,
            data=data,
            file_name=job.params.get("file_name", ""),
            progress=progress,
        )
    except ImportFailed as error:
        raise JobError("\n".join(error.messages)) from error
    job.input_file.delete(save=True)
    return {**result, "url": reverse("stakeholders_home", args=[job.organisation.slug])}


# --- Codebook -------------------------------------------------------------------------------


@transaction.atomic
def code_save(
    *,
    organisation: Any,
    name_bg: str,
    name_en: str,
    description_bg: str = "",
    description_en: str = "",
    code: Code | None = None,
) -> Code:
    name_bg, name_en = name_bg.strip()[:120], name_en.strip()[:120]
    if not name_bg and not name_en:
        raise ValidationError({"name_bg": _("Give the code a name in at least one language.")})
    others = Code.objects.filter(organisation=organisation)
    if code is not None:
        others = others.exclude(pk=code.pk)
    if (name_bg and others.filter(name_bg__iexact=name_bg).exists()) or (
        name_en and others.filter(name_en__iexact=name_en).exists()
    ):
        raise ValidationError({"name_bg": _("The codebook already has a code with this name.")})
    code = code or Code(organisation=organisation)
    code.name_bg, code.name_en = name_bg, name_en
    code.description_bg, code.description_en = description_bg.strip(), description_en.strip()
    code.save()
    return code


@transaction.atomic
def code_merge(*, organisation: Any, source: Code, target: Code) -> Code:
    """Moves every finding of `source` to `target` and deletes `source`."""
    if source.organisation_id != organisation.pk or target.organisation_id != organisation.pk:
        raise ValidationError(_("Both codes must belong to this organisation."))
    if source.pk == target.pk:
        raise ValidationError(_("Choose two different codes."))
    Finding.objects.filter(code=source).update(code=target)
    source.delete()
    return target


@transaction.atomic
def code_delete(*, code: Code) -> None:
    if code.findings.exists():
        raise ValidationError(_("This code is used by findings; merge it into another instead."))
    code.delete()


# --- Interview guides -----------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def guide_save(
    *,
    organisation: Any,
    title_bg: str,
    title_en: str,
    questions_bg: str,
    questions_en: str,
    guide: Guide | None = None,
) -> Guide:
    """Saves a guide whose questions are given one per line in each language (line N in
    Bulgarian and line N in English are the same question)."""
    if not title_bg.strip() and not title_en.strip():
        raise ValidationError({"title_bg": _("Give the guide a title in at least one language.")})
    lines_bg, lines_en = _lines(questions_bg), _lines(questions_en)
    if not lines_bg and not lines_en:
        raise ValidationError({"questions_bg": _("Write at least one question.")})
    if lines_bg and lines_en and len(lines_bg) != len(lines_en):
        raise ValidationError(
            {
                "questions_en": _(
                    "The Bulgarian and English lists must have the same number of questions "
                    "(%(bg)s and %(en)s)."
                )
                % {"bg": len(lines_bg), "en": len(lines_en)}
            }
        )
    count = max(len(lines_bg), len(lines_en))
    guide = guide or Guide(organisation=organisation)
    guide.title_bg, guide.title_en = title_bg.strip()[:200], title_en.strip()[:200]
    guide.save()
    existing = list(guide.questions.order_by("position", "id"))
    removed = existing[count:]
    if removed and Note.objects.filter(question__in=removed).exists():
        raise ValidationError(
            {"questions_bg": _("Questions that interviews already answered cannot be removed.")}
        )
    for question in removed:
        question.delete()
    for position in range(count):
        question = existing[position] if position < len(existing) else Question(guide=guide)
        question.position = position + 1
        question.text_bg = lines_bg[position] if position < len(lines_bg) else ""
        question.text_en = lines_en[position] if position < len(lines_en) else ""
        question.save()
    return guide


# --- Interviews and findings ----------------------------------------------------------------


@transaction.atomic
def interview_create(
    *,
    organisation: Any,
    stakeholder: Stakeholder,
    interviewer: Any,
    held_on: date,
    guide: Guide | None = None,
    summary: str = "",
) -> Interview:
    if stakeholder.organisation_id != organisation.pk:
        raise ValidationError({"stakeholder": _("Choose a stakeholder of this organisation.")})
    if stakeholder.is_erased:
        raise ValidationError({"stakeholder": _("This stakeholder was erased.")})
    if guide is not None and guide.organisation_id != organisation.pk:
        raise ValidationError({"guide": _("Choose a guide of this organisation.")})
    if held_on > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"held_on": _("The date is too far in the future.")})
    return Interview.objects.create(
        organisation=organisation,
        stakeholder=stakeholder,
        guide=guide,
        interviewer=interviewer,
        held_on=held_on,
        summary=summary.strip(),
    )


@transaction.atomic
def interview_notes_save(
    *, interview: Interview, answers: dict[int, str], free_note: str = ""
) -> list[Note]:
    """Saves the notes per question (`answers`: question id → text) and an optional free note.
    An emptied note is deleted unless findings were coded from it."""
    questions = {}
    if interview.guide_id:
        questions = {q.pk: q for q in Question.objects.filter(guide_id=interview.guide_id)}
    existing = {n.question_id: n for n in interview.notes.all()}
    saved = []
    for question_id, text in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        text = (text or "").strip()
        note = existing.get(question_id)
        if not text:
            if note is not None and not note.findings.exists():
                note.delete()
            continue
        if note is None:
            note = Note(interview=interview, question=question)
        note.text, note.position = text, question.position
        note.save()
        saved.append(note)
    if free_note.strip():
        note = Note.objects.create(
            interview=interview, question=None, position=10_000, text=free_note.strip()
        )
        saved.append(note)
    return saved


@transaction.atomic
def finding_create(
    *,
    interview: Interview,
    excerpt: str,
    code: Code | None = None,
    new_code: str = "",
    quadrant: str = "",
    note: Note | None = None,
    user: Any = None,
) -> Finding:
    """Codes an excerpt of the interview. `new_code` adds a code to the codebook (named in the
    current language) when no existing code is chosen."""
    excerpt = (excerpt or "").strip()
    if not excerpt:
        raise ValidationError({"excerpt": _("Copy the words you are coding into the excerpt.")})
    if len(excerpt) > MAX_EXCERPT:
        raise ValidationError({"excerpt": _("At most %(max)s characters.") % {"max": MAX_EXCERPT}})
    if quadrant and quadrant not in Quadrant.values:
        raise ValidationError({"quadrant": _("Choose a SWOT quadrant from the list.")})
    organisation = interview.organisation
    if code is None:
        name = new_code.strip()
        if not name:
            raise ValidationError({"code": _("Choose a code or name a new one.")})
        from zora.core.i18n import current_language

        field = f"name_{current_language()}"
        code = (
            Code.objects.filter(organisation=organisation)
            .filter(Q(name_bg__iexact=name) | Q(name_en__iexact=name))
            .first()
        ) or code_save(
            organisation=organisation,
            name_bg=name if field == "name_bg" else "",
            name_en=name if field == "name_en" else "",
        )
    elif code.organisation_id != organisation.pk:
        raise ValidationError({"code": _("Choose a code of this organisation's codebook.")})
    if note is not None and note.interview_id != interview.pk:
        raise ValidationError(_("The note belongs to another interview."))
    return Finding.objects.create(
        organisation=organisation,
        interview=interview,
        note=note,
        code=code,
        excerpt=excerpt,
        quadrant=quadrant,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def finding_delete(*, finding: Finding) -> None:
    finding.delete()


# --- Events ---------------------------------------------------------------------------------


def event_check(event: Event) -> None:
    if event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})
    if not event.title_bg and not event.title_en:
        raise ValidationError({"title_bg": _("Give the event a title in at least one language.")})
    campaign = event.campaign if event.campaign_id else None
    if campaign is not None and campaign.organisation_id != event.organisation_id:
        raise ValidationError({"campaign": _("Choose a campaign of this organisation.")})


@transaction.atomic
def event_save(*, event: Event) -> Event:
    """Saves an event built by a form (its organisation already set)."""
    event_check(event)
    event.save()
    return event


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str = "",
    email: str = "",
    affiliation: str = "",
    consent: bool = False,
    user: Any = None,
    by_editor: bool = False,
) -> Registration:
    """Registers someone for the event. The event row is locked while the places are counted,
    so two people can never take the last place. A full event puts people on its waiting list
    when it has one and refuses them otherwise."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not by_editor:
        if not event.registration_open:
            raise ValidationError(_("Registration for this event is closed."))
        if (event.ends_at or event.starts_at) < timezone.now():
            raise ValidationError(_("This event is over."))
    if user is not None and getattr(user, "is_authenticated", False):
        name = name.strip() or user.get_full_name() or user.email
        email = (email or user.email).strip()
        if (
            Registration.objects.filter(event=event, user=user)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            raise ValidationError(_("You are already registered for this event."))
    else:
        user = None
        if not by_editor and not consent:
            raise ValidationError(
                {"consent": _("Please agree to the processing of your data to register.")}
            )
    name, email = name.strip()[:200], email.strip().lower()
    if not name:
        raise ValidationError({"name": _("This field cannot be empty.")})
    if not email and not by_editor:
        raise ValidationError({"email": _("This field cannot be empty.")})
    previous = Registration.objects.filter(event=event, email=email).first() if email else None
    if previous is not None and previous.status != Registration.Status.CANCELLED:
        raise ValidationError({"email": _("This e-mail address is already registered.")})
    taken = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count()
    status = Registration.Status.REGISTERED
    if event.capacity is not None and taken >= event.capacity:
        if not event.waiting_list:
            raise ValidationError(_("Sorry, this event is full."))
        status = Registration.Status.WAITING
    registration = previous or Registration(event=event)
    registration.name, registration.email = name, email
    registration.affiliation = affiliation.strip()[:200]
    registration.user = user
    registration.status = status
    registration.consent_at = timezone.now() if (consent or user) else None
    registration.created_at = timezone.now()
    registration.save()
    if email and not by_editor:
        transaction.on_commit(lambda: _send_registration_confirmation(event, registration))
    return registration


def _send_registration_confirmation(event: Event, registration: Registration) -> None:
    """Tells the person (in the language of the page they registered on) that their place is
    kept, or that they are on the waiting list, with the date and where the event is."""
    title = localized(event, "title")
    when = date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
    if registration.status == Registration.Status.WAITING:
        opening = _("You are on the waiting list of “%(title)s”; we will write if a place frees.")
    else:
        opening = _("Your place at “%(title)s” is kept.")
    lines = [opening % {"title": title}, "", _("When: %(when)s") % {"when": when}]
    if event.place:
        lines.append(_("Where: %(place)s") % {"place": event.place})
    if event.online_url:
        lines.append(_("Online: %(url)s") % {"url": event.online_url})
    send_mail(
        _("Registration: %(title)s") % {"title": title},
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [registration.email],
        fail_silently=True,
    )


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """Cancels a registration (and the person's B2B meetings); the first person on the waiting
    list takes the place."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    was_registered = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.attended = False
    registration.save(update_fields=["status", "attended"])
    Meeting.objects.filter(Q(first=registration) | Q(second=registration)).delete()
    if was_registered:
        waiting = (
            Registration.objects.filter(event=event, status=Registration.Status.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if waiting is not None:
            waiting.status = Registration.Status.REGISTERED
            waiting.save(update_fields=["status"])
    return registration


@transaction.atomic
def attendance_save(*, event: Event, present: set[int]) -> int:
    """Marks who attended (ids of registrations); everyone else registered is marked absent."""
    registrations = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
    registrations.filter(pk__in=present).update(attended=True)
    registrations.exclude(pk__in=present).update(attended=False)
    return registrations.filter(attended=True).count()


MAX_MATERIAL_BYTES = 20 * 1024 * 1024


@transaction.atomic
def material_add(*, event: Event, title: str, file: Any = None, url: str = "") -> Material:
    title = title.strip()[:200]
    if not title:
        raise ValidationError({"title": _("This field cannot be empty.")})
    if bool(file) == bool(url.strip()):
        raise ValidationError(_("Upload a file or give a link (one of the two)."))
    if file and file.size > MAX_MATERIAL_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    material = Material(event=event, title=title, url=url.strip())
    if file:
        material.file.save(file.name, file, save=False)
    material.full_clean(exclude=["event"])
    material.save()
    return material


@transaction.atomic
def material_delete(*, material: Material) -> None:
    if material.file:
        material.file.delete(save=False)
    material.delete()


# --- B2B meeting slots ----------------------------------------------------------------------


@transaction.atomic
def slots_create(
    *, event: Event, starts_at: datetime, ends_at: datetime, minutes: int, tables: list[str]
) -> list[Slot]:
    """Creates slots of `minutes` from `starts_at` to `ends_at` at each table (existing slots at
    the same time and table are kept)."""
    if event.kind != EventKind.B2B:
        raise ValidationError(_("Meeting slots are only for B2B meeting days."))
    tables = [t.strip()[:40] for t in tables if t.strip()]
    if not tables:
        raise ValidationError({"tables": _("Name at least one table.")})
    if not 5 <= minutes <= 240:
        raise ValidationError({"minutes": _("A slot lasts between 5 and 240 minutes.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The slots must end after they start.")})
    count = int((ends_at - starts_at) / timedelta(minutes=minutes))
    if count * len(tables) > 2000:
        raise ValidationError(_("That would be more than 2,000 slots."))
    slots = [
        Slot(
            event=event,
            starts_at=starts_at + timedelta(minutes=minutes * i),
            ends_at=starts_at + timedelta(minutes=minutes * (i + 1)),
            table=table,
        )
        for i in range(count)
        for table in tables
    ]
    Slot.objects.bulk_create(slots, ignore_conflicts=True)
    return list(Slot.objects.filter(event=event))


@transaction.atomic
def slot_delete(*, slot: Slot) -> None:
    if hasattr(slot, "meeting"):
        raise ValidationError(_("This slot is booked; cancel the meeting first."))
    slot.delete()


def _time(value: datetime) -> str:
    from django.utils.formats import time_format

    return time_format(timezone.localtime(value), "H:i")


@transaction.atomic
def meeting_book(*, event: Event, slot: Slot, first: Registration, second: Registration) -> Meeting:
    """Books a bilateral meeting into a slot. Both participants' rows are locked (in id order,
    so two bookings cannot deadlock), then the slot's; a slot holds one meeting (a database
    constraint too) and a participant cannot be in two meetings at once."""
    if event.kind != EventKind.B2B:
        raise ValidationError(_("Meetings are only for B2B meeting days."))
    if first.pk == second.pk:
        raise ValidationError(_("A meeting needs two different participants."))
    ids = sorted([first.pk, second.pk])
    participants = {
        r.pk: r
        for r in Registration.objects.select_for_update()
        .filter(pk__in=ids, event=event)
        .order_by("pk")
    }
    if len(participants) != 2:
        raise ValidationError(_("Both participants must be registered for this event."))
    for registration in participants.values():
        if registration.status != Registration.Status.REGISTERED:
            raise ValidationError(
                _("%(name)s is not registered for this event.") % {"name": registration.name}
            )
    slot = Slot.objects.select_for_update().filter(pk=slot.pk, event=event).first()  # type: ignore[assignment]
    if slot is None:
        raise ValidationError(_("This slot does not belong to the event."))
    if Meeting.objects.filter(slot=slot).exists():
        raise ValidationError(_("This slot is already booked. Choose another one."))
    clash = (
        Meeting.objects.filter(
            Q(first_id__in=ids) | Q(second_id__in=ids),
            starts_at__lt=slot.ends_at,
            ends_at__gt=slot.starts_at,
        )
        .select_related("first", "second")
        .first()
    )
    if clash is not None:
        busy = participants.get(clash.first_id) or participants[clash.second_id]
        raise ValidationError(
            _("%(name)s already has a meeting at %(time)s.")
            % {"name": busy.name, "time": _time(clash.starts_at)}
        )
    try:
        with transaction.atomic():
            return Meeting.objects.create(
                event=event,
                slot=slot,
                first=participants[ids[0]],
                second=participants[ids[1]],
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
    except IntegrityError as error:
        raise ValidationError(_("This slot is already booked. Choose another one.")) from error


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> None:
    meeting.delete()
