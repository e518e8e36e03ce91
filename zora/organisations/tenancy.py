"""The one way views and API endpoints fetch tenant-owned objects.

A user who is not a member of an organisation gets 404 for its private objects (never 403:
that would confirm the object exists); a member whose role is too low gets 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from zora.organisations.models import Organisation
from zora.organisations.permissions import can, role_of


def organisation_for_user_or_404(user: Any, slug: str, action: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if can(user, action, organisation):
        return organisation
    if role_of(user, organisation) is not None:
        raise PermissionDenied
    raise Http404


def get_for_org_or_404[M: Model](
    model: type[M] | QuerySet[M], organisation: Organisation, **lookup: Any
) -> M:
    """`model` (or queryset) row of this organisation matching `lookup`, or 404."""
    return get_object_or_404(model, organisation=organisation, **lookup)
