"""Writes for accounts: API tokens and profile changes."""

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import router, transaction
from django.utils import timezone

from zora.accounts.models import ApiToken, User
from zora.core import rawsql

TOKEN_PREFIX = "zora_"
_LAST_USED_RESOLUTION_SECONDS = 60
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    raw: str  # shown once, never stored


@transaction.atomic
def api_token_create(*, user: User, name: str) -> CreatedToken:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "API", prefix=raw[:12], token_hash=hash_token(raw)
    )
    return CreatedToken(token=token, raw=raw)


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user owning this token, or None. Records when the token was last used (at
    most once a minute per token). On PostgreSQL one statement does both (see
    `_authenticate_postgresql`); elsewhere the ORM reads, then writes when the time is stale."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    stale = now - timedelta(seconds=_LAST_USED_RESOLUTION_SECONDS)
    database = router.db_for_write(ApiToken)
    if rawsql.available(database):
        return _authenticate_postgresql(database, hash_token(raw), now, stale)
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at < stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@functools.cache
def _token_sql(database: str) -> str:
    user_columns = rawsql.columns(User, "u", _USER_FIELDS, database)
    tokens = rawsql.table(ApiToken, database)
    return (
        f"WITH found AS (SELECT t.id AS token_id_, {user_columns} FROM {tokens} t "  # noqa: S608 (names from the models, values bound)
        f"JOIN {rawsql.table(User, database)} u ON u.id = t.user_id "
        "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active), "
        f"used AS (UPDATE {tokens} SET last_used_at = %s WHERE id IN (SELECT token_id_ FROM found) "
        "AND (last_used_at IS NULL OR last_used_at < %s)) "
        f"SELECT {rawsql.columns(User, 'found', _USER_FIELDS, database)} FROM found"
    )


def _authenticate_postgresql(
    database: str, token_hash: str, now: datetime, stale: datetime
) -> User | None:
    """The token lookup of every API request in one round trip, without the ORM's query
    compilation: the user's row, and `last_used_at` written in the same statement when it is
    older than a minute (a statement that updates no row costs no commit flush)."""
    with rawsql.cursor(database) as cursor:
        cursor.execute(_token_sql(database), [token_hash, now, stale])
        row = cursor.fetchone()
    return None if row is None else rawsql.instance(User, database, _USER_FIELDS, row)


def user_update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    preferred_language: str,
    notifications: str = "immediate",
) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = preferred_language
    user.notifications = notifications
    user.save(update_fields=["first_name", "last_name", "preferred_language", "notifications"])
    return user
