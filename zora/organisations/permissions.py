"""The one answer to "may this user do this action on this object?".

Predicates over our own `Membership.role`, combined with `rules`. Views and API endpoints call
`can(user, action, obj)`; `obj` is an Organisation or any object with an `organisation`
attribute. Roles are ranked: owner > editor > analyst > viewer.
"""

from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser

from zora.organisations.models import ROLE_RANK, Membership, Organisation, Role

_CACHE_ATTR = "_zora_roles"


def organisation_of(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def role_of(user: Any, organisation: Organisation | None) -> str | None:
    """The user's role in the organisation (None for non-members), cached on the user object
    for the rest of the request."""
    if organisation is None or user is None or not user.is_authenticated:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault(_CACHE_ATTR, {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(organisation_id=organisation.pk, user_id=user.pk)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organisation.pk]


def forget_roles(user: Any) -> None:
    user.__dict__.pop(_CACHE_ATTR, None)


def _role_at_least(minimum: Role) -> rules.Predicate:
    @rules.predicate(name=f"role_at_least_{minimum.value}")
    def predicate(user: Any, obj: Any) -> bool:
        role = role_of(user, organisation_of(obj))
        return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[minimum]

    return predicate


is_member = _role_at_least(Role.VIEWER)
is_analyst = _role_at_least(Role.ANALYST)
is_editor = _role_at_least(Role.EDITOR)
is_owner = _role_at_least(Role.OWNER)


@rules.predicate
def is_public_organisation(user: Any, obj: Any) -> bool:
    organisation = organisation_of(obj)
    return organisation is not None and organisation.is_public


@rules.predicate
def is_superuser(user: Any, obj: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


zora_rules = rules.RuleSet()
zora_rules.add_rule("organisation.view_profile", is_public_organisation | is_member | is_superuser)
zora_rules.add_rule("organisation.view", is_member | is_superuser)
zora_rules.add_rule("organisation.view_members", is_member | is_superuser)
zora_rules.add_rule("organisation.analyse", is_analyst | is_superuser)
zora_rules.add_rule("organisation.edit_content", is_editor | is_superuser)
zora_rules.add_rule("organisation.change", is_owner | is_superuser)
zora_rules.add_rule("organisation.manage_members", is_owner | is_superuser)

ACTIONS = frozenset(zora_rules.keys())


def can(user: Any, action: str, obj: Any) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    return zora_rules.test_rule(action, user or AnonymousUser(), obj)
