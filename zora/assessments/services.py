"""Writes for assessments."""

import hashlib
import math
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from zora.assessments import models
from zora.assessments.engine import AnswerProblem, encode, score_matrix
from zora.assessments.framework import (
    FrameworkError,
    FrameworkInvalid,
    framework_files,
    parse_framework_file,
)
from zora.assessments.selectors import framework_compiled, framework_has_responses
from zora.organisations.models import Organisation, OrganisationKind


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@transaction.atomic
def frameworks_load(*, paths: list[Path] | None = None) -> LoadReport:
    """Validates every file first; loads them only when all are valid (else FrameworkInvalid,
    nothing changes). A version that has responses cannot change."""
    paths = framework_files() if paths is None else paths
    errors: list[FrameworkError] = []
    parsed = []
    for path in paths:
        try:
            parsed.append((path, parse_framework_file(path)))
        except FrameworkInvalid as exc:
            errors.extend(exc.errors)
    report = LoadReport()
    for path, tree in parsed:
        label = f"{tree.code} v{tree.version}"
        existing = models.Framework.objects.filter(code=tree.code, version=tree.version).first()
        if existing is not None and existing.checksum == tree.checksum:
            report.unchanged.append(label)
            continue
        if existing is not None and framework_has_responses(existing):
            errors.append(
                FrameworkError(
                    path.name,
                    None,
                    f"{label} has responses and cannot change; add a file with version "
                    f"{tree.version + 1} instead",
                )
            )
            continue
        fields = {
            "subject": tree.subject,
            "title_bg": tree.title.bg,
            "title_en": tree.title.en,
            "description_bg": tree.description.bg if tree.description else "",
            "description_en": tree.description.en if tree.description else "",
            "definition": tree.definition,
            "checksum": tree.checksum,
        }
        if existing is None:
            models.Framework.objects.create(code=tree.code, version=tree.version, **fields)
            report.created.append(label)
        else:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            report.updated.append(label)
    if errors:
        raise FrameworkInvalid(errors)  # rolls the transaction back: nothing is loaded
    return report


# --- Campaigns, respondents and responses ---------------------------------------------------


# Profile fields that feed the cohort statistics (the first one a framework has is used).
SECTOR_FIELDS = ("main_sector", "main_function", "stakeholder_group")
SIZE_FIELDS = ("size_band",)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def campaign_create(
    *,
    organisation: Organisation,
    user: Any,
    framework: models.Framework,
    stage: str,
    name_bg: str = "",
    name_en: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    mode: str = models.Campaign.Mode.NAMED,
    anonymous: bool = False,
    aggregation: str = models.Campaign.Aggregation.MEAN,
    subjects: list[Organisation] | None = None,
    new_subject_names: list[str] | None = None,
) -> models.Campaign:
    """A campaign of `organisation` assessing `subjects` (existing organisations) and new
    private organisations created from `new_subject_names` (e.g. a hub's new customers)."""
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    campaign = models.Campaign.objects.create(
        organisation=organisation,
        framework=framework,
        stage=stage.strip(),
        name_bg=name_bg,
        name_en=name_en,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        anonymous=anonymous and mode == models.Campaign.Mode.OPEN,
        aggregation=aggregation,
        open_token=secrets.token_urlsafe(16) if mode == models.Campaign.Mode.OPEN else None,
        created_by=user,
    )
    kind = {
        "company": OrganisationKind.COMPANY,
        "public_body": OrganisationKind.PUBLIC_BODY,
        "city": OrganisationKind.MUNICIPALITY,
    }.get(framework.subject, OrganisationKind.OTHER)
    chosen = list(subjects or [])
    for name in new_subject_names or []:
        name = name.strip()
        if name:
            chosen.append(
                Organisation.objects.create(
                    slug=_unique_slug(name),
                    kind=kind,
                    name_bg=name,
                    name_en=name,
                    country=organisation.country,
                    region_code=organisation.region_code,
                    is_public=False,
                )
            )
    if not chosen:
        chosen = [organisation]
    models.Subject.objects.bulk_create(
        [models.Subject(campaign=campaign, organisation=o) for o in dict.fromkeys(chosen)]
    )
    return campaign


def campaign_set_status(*, campaign: models.Campaign, status: str) -> models.Campaign:
    if status not in models.Campaign.Status.values:
        raise ValidationError(_("Unknown status."))
    campaign.status = status
    campaign.save(update_fields=["status"])
    return campaign


@dataclass(frozen=True)
class CreatedRespondent:
    respondent: models.Respondent
    raw_token: str
    url: str


@transaction.atomic
def respondent_add(
    *,
    campaign: models.Campaign,
    subject: models.Subject,
    name: str = "",
    email: str = "",
    send: bool = True,
) -> CreatedRespondent:
    if subject.campaign_id != campaign.pk:
        raise ValidationError(_("This organisation is not assessed in this campaign."))
    raw = secrets.token_urlsafe(24)
    respondent = models.Respondent.objects.create(
        campaign=campaign,
        subject=subject,
        name=name.strip(),
        email=email.strip().lower(),
        token_hash=_hash(raw),
    )
    language = subject.organisation.default_language
    with translation.override(language):
        url = settings.SITE_URL + reverse("assessment_invitation", args=[raw])
        if send and respondent.email:
            subject_line = _("Digital maturity assessment: %(campaign)s") % {
                "campaign": campaign.name
            }
            body = _(
                "%(organisation)s invites you to answer a digital maturity assessment for "
                "%(subject)s.\n\nOpen the questionnaire here (you can save and come back later):\n"
                "%(url)s\n"
            ) % {
                "organisation": campaign.organisation.name,
                "subject": subject.organisation.name,
                "url": url,
            }
            transaction.on_commit(
                lambda: send_mail(
                    subject_line, body, settings.DEFAULT_FROM_EMAIL, [respondent.email]
                )
            )
    return CreatedRespondent(respondent=respondent, raw_token=raw, url=url)


def respondent_by_token(*, raw_token: str) -> models.Respondent | None:
    return (
        models.Respondent.objects.select_related(
            "campaign__framework", "campaign__organisation", "subject__organisation"
        )
        .filter(token_hash=_hash(raw_token))
        .first()
    )


def check_campaign_open(campaign: models.Campaign) -> None:
    today = timezone.localdate()
    if campaign.status != models.Campaign.Status.OPEN:
        raise ValidationError(_("This assessment is closed."), code="closed")
    if campaign.starts_on and today < campaign.starts_on:
        raise ValidationError(
            _("This assessment opens on %(date)s.") % {"date": campaign.starts_on}, code="not_yet"
        )
    if campaign.ends_on and today > campaign.ends_on:
        raise ValidationError(
            _("This assessment closed on %(date)s.") % {"date": campaign.ends_on}, code="closed"
        )


@dataclass(frozen=True)
class StartedResponse:
    response: models.Response
    raw_token: str


def respondent_response_token(raw_respondent_token: str, revision: int) -> str:
    """A named respondent's responses are reached through their own invitation link: the
    response token is derived from it, so the link always finds the latest revision."""
    return f"{raw_respondent_token}.{revision}"


def response_start(
    *,
    campaign: models.Campaign,
    subject: models.Subject,
    respondent: models.Respondent | None = None,
    raw_token: str | None = None,
) -> StartedResponse:
    """A new draft response (its resume token is returned once)."""
    check_campaign_open(campaign)
    raw = raw_token or secrets.token_urlsafe(24)
    response = models.Response.objects.create(
        campaign=campaign,
        subject=subject,
        framework=campaign.framework,
        respondent=respondent,
        resume_token_hash=_hash(raw),
    )
    return StartedResponse(response=response, raw_token=raw)


def response_by_token(*, raw_token: str) -> models.Response | None:
    return (
        models.Response.objects.select_related(
            "campaign__organisation", "campaign__framework", "subject__organisation", "framework"
        )
        .filter(resume_token_hash=_hash(raw_token))
        .first()
    )


def response_save(
    *, response: models.Response, answers: dict[str, Any], page: int | None = None
) -> list[AnswerProblem]:
    """Merges `answers` into a draft and saves it, problems or not (nothing typed is lost);
    returns the problems of the given answers."""
    if response.status != models.Response.Status.DRAFT:
        raise ValidationError(
            _("This response was already submitted and cannot change."), code="submitted"
        )
    response.answers = {**response.answers, **answers}
    if page is not None:
        response.page = page
    response.save(update_fields=["answers", "page"])
    compiled = framework_compiled(response.framework)
    _vector, problems = encode(compiled, response.answers, require_all=False)
    return [p for p in problems if p.question in answers]


def _profile_value(answers: dict[str, Any], fields: tuple[str, ...]) -> str:
    for name in fields:
        value = answers.get(name)
        if isinstance(value, str) and value:
            return value[:64]
    return ""


@transaction.atomic
def response_submit(*, response: models.Response) -> list[AnswerProblem]:
    """Scores and freezes a draft. Returns the problems instead when any answer is missing or
    wrong (and changes nothing)."""
    response = models.Response.objects.select_for_update().get(pk=response.pk)
    if response.status != models.Response.Status.DRAFT:
        raise ValidationError(_("This response was already submitted."), code="submitted")
    compiled = framework_compiled(response.framework)
    vector, problems = encode(compiled, response.answers, require_all=True)
    missing_profile = [
        AnswerProblem(p.code, _("An answer is required."))
        for p in compiled.framework.profile
        if p.required and not response.answers.get(p.code)
    ]
    problems = missing_profile + problems
    if problems:
        return problems
    scores = score_matrix(compiled, vector)
    overall = float(scores.overall[0])
    level = compiled.framework.level_for(overall)
    response.overall = None if math.isnan(overall) else overall
    response.level = level.code if level else ""
    response.scores = [None if math.isnan(v) else float(v) for v in scores.dimensions[0]]
    response.vector = [None if math.isnan(v) else float(v) for v in vector]
    response.sector = _profile_value(response.answers, SECTOR_FIELDS)
    response.size_band = _profile_value(response.answers, SIZE_FIELDS)
    response.region_code = response.subject.organisation.region_code
    response.status = models.Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.is_current = True
    response.save()
    if response.supersedes_id:
        models.Response.objects.filter(pk=response.supersedes_id).update(is_current=False)
    return []


@transaction.atomic
def response_revise(*, response: models.Response, raw_token: str | None = None) -> StartedResponse:
    """A correction: a new draft revision with the same answers; submitting it supersedes the
    original, which stays stored."""
    if response.status != models.Response.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted response can be corrected."))
    if hasattr(response, "superseded_by"):
        raise ValidationError(
            _("This response was already corrected; correct the newest revision.")
        )
    check_campaign_open(response.campaign)
    raw = raw_token or secrets.token_urlsafe(24)
    revision = models.Response.objects.create(
        campaign=response.campaign,
        subject=response.subject,
        framework=response.framework,
        respondent=response.respondent,
        resume_token_hash=_hash(raw),
        answers=response.answers,
        revision=response.revision + 1,
        supersedes=response,
        is_current=False,
    )
    return StartedResponse(response=revision, raw_token=raw)
