"""Reads for reports: the list of generated reports, an organisation's section layout and its
branding."""

import base64
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from zora.organisations.models import Organisation
from zora.reports.kinds import KINDS
from zora.reports.models import Branding, CustomSection, Layout, Report

LOGO_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def report_list(
    organisation: Organisation, *, kind: str = "", public_only: bool = False
) -> QuerySet[Report]:
    """The organisation's reports, newest first, with who asked and the job (for the status)."""
    qs = Report.objects.filter(organisation=organisation).select_related(
        "requested_by", "job", "organisation"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if public_only:
        qs = qs.filter(is_public=True, job__status="done")
    return qs.order_by("-created_at", "-id")


@dataclass
class Entry:
    key: str
    include: bool
    title: str
    custom: CustomSection | None = None
    help: str = ""


def layout_entries(organisation: Organisation, kind: str) -> list[Entry]:
    """The sections of a kind of report in the organisation's order: its saved layout first
    (unknown keys dropped), then any section it has not placed yet (new sections of the kind,
    new free-text sections), included."""
    spec = KINDS[kind]
    layout = Layout.objects.filter(organisation=organisation, kind=kind).first()
    customs = {c.key: c for c in CustomSection.objects.filter(organisation=organisation, kind=kind)}
    builtin = {s.key: s for s in spec.sections}
    entries: list[Entry] = []
    seen: set[str] = set()
    saved: list[dict[str, Any]] = layout.entries if layout else []
    for item in saved:
        key = str(item.get("key", ""))
        if key in seen:
            continue
        if key in builtin:
            entries.append(
                Entry(
                    key,
                    bool(item.get("include", True)),
                    str(builtin[key].title),
                    None,
                    str(builtin[key].help),
                )
            )
        elif key in customs:
            entries.append(
                Entry(key, bool(item.get("include", True)), customs[key].title, customs[key])
            )
        else:
            continue
        seen.add(key)
    for key, section in builtin.items():
        if key not in seen:
            entries.append(Entry(key, True, str(section.title), None, str(section.help)))
    for key, custom in customs.items():
        if key not in seen:
            entries.append(Entry(key, True, custom.title, custom))
    return entries


@dataclass
class Look:
    primary: str
    accent: str
    logo: str  # a data: URI, or ""


def branding_for(organisation: Organisation) -> Look:
    """The report colours and logo (the branding's logo, else the organisation's own)."""
    branding = Branding.objects.filter(organisation=organisation).first()
    primary = branding.primary_colour if branding else Branding.DEFAULT_PRIMARY
    accent = branding.accent_colour if branding else Branding.DEFAULT_ACCENT
    logo = ""
    for field in (branding.logo if branding else None, organisation.logo):
        if field:
            try:
                with field.open("rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            kind = next((t for magic, t in LOGO_TYPES.items() if data.startswith(magic)), None)
            if kind:
                logo = f"data:{kind};base64,{base64.b64encode(data).decode()}"
                break
    return Look(primary, accent, logo)
