"""Reads for assessments."""

from django.db.models import QuerySet

from zora.assessments import models
from zora.assessments.engine import Compiled, compile_framework
from zora.assessments.framework import Framework as FrameworkTree
from zora.assessments.framework import build_framework

_compiled_cache: dict[tuple[int, str], Compiled] = {}


def framework_list() -> QuerySet[models.Framework]:
    return models.Framework.objects.all().order_by("code", "-version")


def framework_get(*, code: str, version: int | None = None) -> models.Framework | None:
    qs = models.Framework.objects.filter(code=code)
    if version is not None:
        qs = qs.filter(version=version)
    return qs.order_by("-version").first()


def framework_tree(framework: models.Framework) -> FrameworkTree:
    return framework_compiled(framework).framework


def framework_compiled(framework: models.Framework) -> Compiled:
    """The compiled engine for a stored framework version (cached per process)."""
    key = (framework.pk, framework.checksum)
    if key not in _compiled_cache:
        _compiled_cache[key] = compile_framework(
            build_framework(framework.definition, framework.checksum)
        )
    return _compiled_cache[key]


def framework_has_responses(framework: models.Framework) -> bool:
    return models.Response.objects.filter(framework=framework).exists()
