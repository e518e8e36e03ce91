"""Writes for reports: request a report (a job makes the file), publish it, and the
organisation's layout, free-text sections and branding.

Who may do what (checked by the views and the API): any member lists and downloads the
organisation's reports; analysts and above request reports and see live previews; editors and
above publish or delete reports and change the layout and branding.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zora.core.jobs import Progress, job_create, job_enqueue
from zora.core.models import Job
from zora.organisations.models import Organisation
from zora.reports import selectors
from zora.reports.kinds import KINDS
from zora.reports.models import Branding, CustomSection, Format, Language, Layout, Report

MAX_LOGO = 1024 * 1024


def check_request(
    *, organisation: Organisation, kind: str, params: dict[str, Any], language: str, format: str
) -> dict[str, Any]:
    """The validated, normalised parameters of a report request."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = _("Unknown kind of report %(kind)s.") % {"kind": kind}
    if language not in Language.values:
        errors["language"] = _("Choose Bulgarian (bg) or English (en).")
    if format not in Format.values:
        errors["format"] = _("Choose PDF, DOCX or HTML.")
    if errors:
        raise ValidationError(errors)
    spec = KINDS[kind]
    given = {k: v for k, v in params.items() if k in spec.params and v not in (None, "")}
    return dict(spec.builder.check(organisation, given))


@transaction.atomic
def report_request(
    *,
    organisation: Organisation,
    user: Any,
    kind: str,
    params: dict[str, Any],
    language: str,
    format: str,
    enqueue: bool = True,
) -> Report:
    """Records the request and queues the job that makes the file (the job page shows its
    progress). Raises ValidationError for unknown parameters or missing data."""
    clean = check_request(
        organisation=organisation, kind=kind, params=params, language=language, format=format
    )
    with translation.override(language):
        title = KINDS[kind].builder.title(organisation, clean)
        names = KINDS[kind].builder.describe(organisation, clean)
    job = job_create(
        kind="reports.generate",
        organisation=organisation,
        user=user if getattr(user, "is_authenticated", False) else None,
        params={"kind": kind, "format": format, "language": language},
    )
    report = Report.objects.create(
        organisation=organisation,
        kind=kind,
        params=clean,
        param_names=names,
        language=language,
        format=format,
        title=title[:300],
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        job=job,
    )
    if enqueue:
        job_enqueue(job)
        report.refresh_from_db()
    return report


def run_report_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The `reports.generate` job: renders the report and stores its file. A retry renders it
    again from the current data."""
    from zora.core.jobs import JobError
    from zora.reports.rendering import generate

    report = Report.objects.select_related("organisation").filter(job=job).first()
    if report is None:
        raise JobError(_("The report of this job was deleted."))
    try:
        with translation.override(report.language):
            # The data may have changed since the request (a campaign deleted …).
            params = KINDS[report.kind].builder.check(report.organisation, report.params)
        output = generate(
            organisation=report.organisation,
            kind=report.kind,
            params=params,
            language=report.language,
            format=report.format,
            progress=progress,
        )
    except ValidationError as error:
        raise JobError("; ".join(error.messages)) from error
    if report.file:
        report.file.delete(save=False)
    report.file.save(f"report.{report.format}", ContentFile(output.data), save=False)
    report.size = len(output.data)
    report.pages = output.pages
    report.title = output.title[:300]
    report.save(update_fields=["file", "size", "pages", "title"])
    progress(1.0, _("The file is saved."))
    url = reverse("report_detail", args=[report.organisation.slug, report.pk])
    with translation.override(report.language):
        summary = _("“%(title)s” is ready.") % {"title": report.title}
    return {"url": url, "summary": summary, "report": report.pk}


def report_set_public(*, report: Report, is_public: bool) -> Report:
    if is_public and not report.is_ready:
        raise ValidationError(_("Only a report that has been generated can be published."))
    report.is_public = is_public
    report.save(update_fields=["is_public"])
    return report


@transaction.atomic
def report_delete(*, report: Report) -> None:
    if report.file:
        report.file.delete(save=False)
    job = report.job
    report.delete()
    if job is not None:
        job.delete()


# --- Layout ---------------------------------------------------------------------------------


def _save_layout(organisation: Organisation, kind: str, entries: list[dict[str, Any]]) -> Layout:
    layout, _created = Layout.objects.get_or_create(organisation=organisation, kind=kind)
    layout.entries = entries
    layout.updated_at = timezone.now()
    layout.save(update_fields=["entries", "updated_at"])
    return layout


@transaction.atomic
def layout_save(
    *, organisation: Organisation, kind: str, order: list[str], included: set[str]
) -> Layout:
    """Stores the order of the sections and which are included. `order` must name every
    section of the kind (built-in and free-text) once."""
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind of report %(kind)s.") % {"kind": kind})
    known = [e.key for e in selectors.layout_entries(organisation, kind)]
    if sorted(order) != sorted(known):
        raise ValidationError(_("The list of sections has changed; reload the page and try again."))
    return _save_layout(
        organisation, kind, [{"key": key, "include": key in included} for key in order]
    )


@transaction.atomic
def layout_move(*, organisation: Organisation, kind: str, key: str, direction: str) -> Layout:
    """Moves one section up or down by one place."""
    entries = selectors.layout_entries(organisation, kind)
    keys = [e.key for e in entries]
    if key not in keys or direction not in ("up", "down"):
        raise ValidationError(_("Unknown section."))
    i = keys.index(key)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(entries):
        entries[i], entries[j] = entries[j], entries[i]
    return _save_layout(organisation, kind, [{"key": e.key, "include": e.include} for e in entries])


@transaction.atomic
def layout_reset(*, organisation: Organisation, kind: str) -> None:
    Layout.objects.filter(organisation=organisation, kind=kind).delete()


@transaction.atomic
def custom_section_save(
    *,
    organisation: Organisation,
    kind: str,
    title_bg: str,
    title_en: str,
    body_bg: str,
    body_en: str,
    section: CustomSection | None = None,
) -> CustomSection:
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind of report %(kind)s.") % {"kind": kind})
    if not (title_bg.strip() or title_en.strip()):
        raise ValidationError({"title_bg": _("Give the section a title in at least one language.")})
    if not (body_bg.strip() or body_en.strip()):
        raise ValidationError({"body_bg": _("Write the section's text in at least one language.")})
    section = section or CustomSection(organisation=organisation, kind=kind)
    section.title_bg, section.title_en = title_bg.strip()[:200], title_en.strip()[:200]
    section.body_bg, section.body_en = body_bg.strip(), body_en.strip()
    section.save()
    return section


@transaction.atomic
def custom_section_delete(*, section: CustomSection) -> None:
    layout = Layout.objects.filter(organisation=section.organisation, kind=section.kind).first()
    if layout is not None:
        layout.entries = [e for e in layout.entries if e.get("key") != section.key]
        layout.save(update_fields=["entries"])
    section.delete()


# --- Branding -------------------------------------------------------------------------------


def contrast_with_white(hex_colour: str) -> float:
    """WCAG contrast ratio of white text on the colour (headers and the cover use it)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return 1.05 / (luminance + 0.05)


@transaction.atomic
def branding_save(
    *,
    organisation: Organisation,
    primary_colour: str,
    accent_colour: str,
    logo: Any = None,
    remove_logo: bool = False,
) -> Branding:
    branding, _created = Branding.objects.get_or_create(organisation=organisation)
    branding.primary_colour = primary_colour.strip().upper()
    branding.accent_colour = accent_colour.strip().upper()
    if logo is not None:
        if logo.size > MAX_LOGO:
            raise ValidationError({"logo": _("The logo is larger than 1 MB.")})
        head = logo.read(4)
        logo.seek(0)
        if not any(head.startswith(magic) for magic in selectors.LOGO_TYPES):
            raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")})
    branding.full_clean(exclude=["logo", "organisation"])
    if contrast_with_white(branding.primary_colour) < 4.5:
        raise ValidationError(
            {
                "primary_colour": _(
                    "White text on the main colour would be hard to read: choose a darker colour "
                    "(contrast at least 4.5:1)."
                )
            }
        )
    if remove_logo and branding.logo:
        branding.logo.delete(save=False)
    if logo is not None:
        if branding.logo:
            branding.logo.delete(save=False)
        branding.logo.save(logo.name, logo, save=False)
    branding.updated_at = timezone.now()
    branding.save()
    return branding
