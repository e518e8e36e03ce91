"""Hand-written SQL for the few hot paths that skip the ORM's query compilation (the API token
lookup, the support endpoint): column names come from the models, rows become model instances
as the ORM would build them (`from_db`, with each field's `from_db_value`, e.g. JSON), and the
statements run as prepared statements (`cursor`).

Only for PostgreSQL, whose driver already returns Python values (datetimes, booleans, numbers);
the callers keep their ORM path for SQLite. Tests run both paths against each other."""

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Model


def available(database: str) -> bool:
    """Whether the hot paths use their hand-written SQL on this database (tests switch it off
    to run the ORM path on PostgreSQL too)."""
    return connections[database].vendor == "postgresql"


def cursor(database: str) -> CursorWrapper:
    """A Django cursor (its queries counted and logged as any other) that binds its parameters
    on the server, unlike the ORM's: psycopg then prepares a statement once it ran
    `prepare_threshold` times on the connection (settings.py, DB_PREPARED_STATEMENTS) and
    PostgreSQL no longer parses and plans it, most of its work for these small statements
    (0.15 ms of CPU each). Without a threshold it is an ordinary cursor."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection = connections[database]
    connection.close_if_health_check_failed()  # as connection.cursor() would, first
    connection.ensure_connection()
    driver = connection.connection
    default = driver.cursor_factory
    driver.cursor_factory = ServerBindingCursor
    try:
        return connection.cursor()
    finally:
        driver.cursor_factory = default


def columns(model: type[Model], alias: str, attnames: Iterable[str], database: str) -> str:
    """`alias."column", …` for the model's fields named by attribute (`consultation_id`)."""
    quote = connections[database].ops.quote_name
    column = {f.attname: f.column for f in model._meta.concrete_fields if f.column}
    return ", ".join(f"{alias}.{quote(column[name])}" for name in attnames)


def table(model: type[Model], database: str) -> str:
    return connections[database].ops.quote_name(model._meta.db_table)


def instance[M: Model](
    model: type[M], database: str, attnames: Sequence[str], values: Sequence[Any]
) -> M:
    """The instance the ORM would build from these columns (the other fields deferred)."""
    names, order, converters = _layout(model, tuple(attnames))
    ordered = [values[i] for i in order]  # from_db takes the values in the model's order
    if converters:
        connection = connections[database]
        for i, convert in converters:
            if ordered[i] is not None:
                ordered[i] = convert(ordered[i], None, connection)
    return model.from_db(database, names, ordered)


@functools.cache
def _layout(
    model: type[Model], attnames: tuple[str, ...]
) -> tuple[list[str], list[int], list[tuple[int, Callable[..., Any]]]]:
    """The columns in the model's field order, where each comes from, and the conversions."""
    fields = [f for f in model._meta.concrete_fields if f.attname in attnames]
    if len(fields) != len(set(attnames)):
        unknown = set(attnames) - {f.attname for f in fields}
        raise ValueError(f"Not {model.__name__}'s columns: {sorted(unknown)}")
    converters = [(i, f.from_db_value) for i, f in enumerate(fields) if hasattr(f, "from_db_value")]
    return [f.attname for f in fields], [attnames.index(f.attname) for f in fields], converters
