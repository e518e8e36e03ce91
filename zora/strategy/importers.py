"""Spreadsheet import of actions (CSV or XLSX), keyed by `external_id`.

Pipeline: `parse` (pure: header + rows with their spreadsheet row numbers) → `validate` (every
row; errors name the row and the column) → `load` (one transaction). Nothing is written when any
row fails. An action whose external_id exists is updated; the others are created.

Columns (the export writes the same; only external_id, objective and a title are required):
external_id, objective (its code), parent (external_id), title_bg, title_en, description_bg,
description_en, owner_organisation (slug of an organisation on Zora), owner (name of an
organisation not on Zora), owner_person, partners, start, end (YYYY-MM-DD or DD.MM.YYYY),
status (code), progress (0–100), weight, budget, currency, funding ("erdf=100000; municipal=5000"),
depends_on ("A1; A2").
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

COLUMNS = [
    "external_id",
    "objective",
    "parent",
    "title_bg",
    "title_en",
    "description_bg",
    "description_en",
    "owner_organisation",
    "owner",
    "owner_person",
    "partners",
    "start",
    "end",
    "status",
    "progress",
    "weight",
    "budget",
    "currency",
    "funding",
    "depends_on",
]
MAX_ROWS = 5000


@dataclass
class Parsed:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse(data: bytes, file_name: str) -> Parsed:
    """Header and rows of a CSV (UTF-8, comma or semicolon) or XLSX file (first sheet)."""
    out = Parsed()
    table: list[list[Any]]
    if file_name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable file
            out.errors.append(_("The file is not a readable XLSX workbook."))
            return out
        sheet = book.worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            out.errors.append(_("The file is not UTF-8 text. Save it as CSV UTF-8."))
            return out
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not table:
        out.errors.append(_("The file is empty."))
        return out
    header = [_cell(h).lower() for h in table[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        out.errors.append(
            _("Row 1: unknown columns %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    for required in ("external_id", "objective"):
        if required not in header:
            out.errors.append(
                _("Row 1: the column “%(column)s” is missing.") % {"column": required}
            )
    if "title_bg" not in header and "title_en" not in header:
        out.errors.append(_("Row 1: a column title_bg or title_en is needed."))
    if len(table) - 1 > MAX_ROWS:
        out.errors.append(_("At most %(n)s rows, please.") % {"n": MAX_ROWS})
    if out.errors:
        return out
    for number, raw in enumerate(table[1:], start=2):
        cells = [_cell(c) for c in raw]
        if not any(cells):
            continue
        row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        out.rows.append((number, row))
    return out


def _date(text: str) -> date | None:
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _number(text: str) -> Decimal | None:
    if not text:
        return None
    return Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))


@dataclass
class Planned:
    number: int
    external_id: str
    fields: dict[str, Any]
    funding: list[tuple[Any, Decimal]] | None
    parent: str
    depends_on: list[str] | None


def validate(*, strategy: Any, parsed: Parsed) -> tuple[list[Planned], list[str]]:
    from zora.organisations.models import Organisation
    from zora.strategy.models import Action, ActionStatus, FundingSource, Objective

    errors = list(parsed.errors)
    objectives = {o.code: o for o in Objective.objects.filter(strategy=strategy) if o.code}
    statuses = {s.code: s for s in ActionStatus.objects.filter(strategy=strategy)}
    sources = {s.code: s for s in FundingSource.objects.filter(organisation=strategy.organisation)}
    existing = dict(
        Action.objects.filter(strategy=strategy)
        .exclude(external_id="")
        .values_list("external_id", "objective__code")
    )
    slugs = {r.get("owner_organisation", "") for _n, r in parsed.rows} - {""}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    in_file = {r.get("external_id", "") for _n, r in parsed.rows}
    seen: set[str] = set()
    planned: list[Planned] = []

    def err(number: int, column: str, message: str) -> None:
        errors.append(
            _("Row %(row)s, column “%(column)s”: %(message)s")
            % {"row": number, "column": column, "message": message}
        )

    for number, row in parsed.rows:
        ext = row.get("external_id", "").strip()
        if not ext:
            err(number, "external_id", _("an external ID is required."))
            continue
        if len(ext) > 60:
            err(number, "external_id", _("at most 60 characters."))
        if ext in seen:
            err(number, "external_id", _("this external ID is in the file twice."))
        seen.add(ext)
        fields: dict[str, Any] = {"external_id": ext}
        code = row.get("objective", "").strip()
        if code:
            if code not in objectives:
                err(
                    number,
                    "objective",
                    _("no objective of this strategy has the code “%(code)s”.") % {"code": code},
                )
            else:
                fields["objective"] = objectives[code]
        elif ext not in existing:
            err(number, "objective", _("give the code of the objective."))
        for name in ("title_bg", "title_en", "description_bg", "description_en"):
            if name in row:
                fields[name] = row[name]
        if ext not in existing and not (row.get("title_bg") or row.get("title_en")):
            err(number, "title_bg", _("write a title in Bulgarian or English."))
        slug = row.get("owner_organisation", "")
        if "owner_organisation" in row:
            if slug and slug not in organisations:
                err(
                    number,
                    "owner_organisation",
                    _("no organisation “%(slug)s” on Zora.") % {"slug": slug},
                )
            fields["owner_organisation"] = organisations.get(slug)
        for column, name in (
            ("owner", "owner_organisation_name"),
            ("owner_person", "owner_person"),
            ("partners", "partners"),
        ):
            if column in row:
                fields[name] = row[column][: 500 if name == "partners" else 200]
        for column, name in (("start", "starts_on"), ("end", "ends_on")):
            if column in row:
                try:
                    fields[name] = _date(row[column])
                except ValueError:
                    err(number, column, _("write the date as YYYY-MM-DD."))
        if (
            fields.get("starts_on")
            and fields.get("ends_on")
            and fields["ends_on"] < fields["starts_on"]
        ):
            err(number, "end", _("the end is before the start."))
        status = row.get("status", "")
        if "status" in row:
            if status and status not in statuses:
                err(
                    number,
                    "status",
                    _("unknown status “%(code)s”; use one of: %(codes)s.")
                    % {"code": status, "codes": ", ".join(statuses)},
                )
            fields["status"] = statuses.get(status)
        for column in ("progress", "weight", "budget"):
            if row.get(column, "") == "":
                continue
            try:
                value = _number(row[column])
            except InvalidOperation:
                err(number, column, _("write a number."))
                continue
            assert value is not None
            if value < 0 or (column == "progress" and value > 100):
                err(number, column, _("the number is out of range."))
            fields[column] = float(value) if column != "budget" else value
        if row.get("currency"):
            if len(row["currency"]) != 3 or not row["currency"].isalpha():
                err(number, "currency", _("a three-letter code such as EUR or BGN."))
            fields["currency"] = row["currency"].upper()
        funding: list[tuple[Any, Decimal]] | None = None
        if "funding" in row:
            funding = []
            for part in [p.strip() for p in row["funding"].split(";") if p.strip()]:
                source_code, _sep, amount = part.partition("=")
                source = sources.get(source_code.strip())
                if source is None:
                    err(
                        number,
                        "funding",
                        _("unknown funding source “%(code)s”; use one of: %(codes)s.")
                        % {"code": source_code.strip(), "codes": ", ".join(sources)},
                    )
                    continue
                try:
                    funding.append((source, _number(amount.strip()) or Decimal(0)))
                except InvalidOperation:
                    err(number, "funding", _("write the amount after “=”, e.g. erdf=100000."))
        parent = row.get("parent", "").strip()
        if parent and parent not in in_file and parent not in existing:
            err(number, "parent", _("no action has the external ID “%(id)s”.") % {"id": parent})
        if parent == ext:
            err(number, "parent", _("an action cannot be part of itself."))
        depends: list[str] | None = None
        if "depends_on" in row:
            depends = [d.strip() for d in row["depends_on"].split(";") if d.strip()]
            for d in depends:
                if d not in in_file and d not in existing:
                    err(
                        number,
                        "depends_on",
                        _("no action has the external ID “%(id)s”.") % {"id": d},
                    )
        planned.append(Planned(number, ext, fields, funding, parent, depends))
    return planned, errors


def import_actions(*, strategy: Any, data: bytes, file_name: str) -> dict[str, int]:
    """Validates every row, then creates or updates the actions in one transaction. Raises
    ValidationError with every problem (row and column named) and writes nothing then."""
    parsed = parse(data, file_name)
    planned, errors = validate(strategy=strategy, parsed=parsed)
    if errors:
        raise ValidationError(errors)
    return _load(strategy, planned)


@transaction.atomic
def _load(strategy: Any, planned: list[Planned]) -> dict[str, int]:
    from zora.strategy import services
    from zora.strategy.models import Action

    by_ext = {
        a.external_id: a for a in Action.objects.filter(strategy=strategy).exclude(external_id="")
    }
    created = updated = 0
    for plan in planned:
        action = by_ext.get(plan.external_id)
        fields = dict(plan.fields)
        if action is not None and action.parent_id and "objective" in fields:
            fields.pop("objective")  # a sub-action follows its parent's objective
        try:
            saved = services.action_save(
                strategy=strategy, action=action, funding=plan.funding, recompute=False, **fields
            )
        except ValidationError as error:
            raise ValidationError(
                [
                    _("Row %(row)s: %(message)s") % {"row": plan.number, "message": m}
                    for m in error.messages
                ]
            ) from error
        if action is None:
            created += 1
        else:
            updated += 1
        by_ext[plan.external_id] = saved
    for plan in planned:
        action = by_ext[plan.external_id]
        if plan.parent:
            parent = by_ext[plan.parent]
            ancestor: Any = parent
            while ancestor is not None:
                if ancestor.pk == action.pk:
                    raise ValidationError(
                        [
                            _(
                                "Row %(row)s, column “parent”: the actions would be part of each other."
                            )
                            % {"row": plan.number}
                        ]
                    )
                ancestor = ancestor.parent
            Action.objects.filter(pk=action.pk).update(parent=parent, objective=parent.objective_id)
            action.parent = parent
        if plan.depends_on is not None:
            action.depends_on.set([by_ext[d] for d in plan.depends_on if d != plan.external_id])
    services.strategy_recompute(strategy)
    return {"created": created, "updated": updated}
