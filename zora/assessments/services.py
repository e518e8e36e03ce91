"""Writes for assessments."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from zora.assessments import models
from zora.assessments.framework import (
    FrameworkError,
    FrameworkInvalid,
    framework_files,
    parse_framework_file,
)
from zora.assessments.selectors import framework_has_responses


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
