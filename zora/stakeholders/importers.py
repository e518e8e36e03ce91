"""Stakeholder files (CSV and XLSX) in and out, in one set of columns.

`parse(data, file_name)` is pure: it reads the file and validates every row, returning the
clean rows and the errors, each naming the row (as a spreadsheet shows it: the header is row 1)
and the column. Nothing is written here; services.stakeholder_import loads the rows in one
transaction only when there is no error.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import override

from zora.stakeholders.models import StakeholderKind, StakeholderType

COLUMNS = (
    "external_id",
    "kind",
    "name",
    "type",
    "sector",
    "organisation",
    "position",
    "email",
    "phone",
    "address",
    "website",
    "consent_on",
    "consent_purpose",
    "tags",
    "notes",
)
REQUIRED = ("name", "type")
CONTACT_COLUMNS = ("email", "phone", "address", "website")
MAX_ROWS = 20_000
LIMITS = {
    "external_id": 60,
    "name": 200,
    "sector": 120,
    "organisation": 200,
    "position": 200,
    "phone": 40,
    "address": 300,
    "consent_purpose": 300,
}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ImportFailed(ValidationError):
    """The file was refused; `errors` name the row and column of every problem."""

    def __init__(self, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__([str(e) for e in errors[:200]])


def _choices(enum: Any) -> dict[str, str]:
    """Value, English and Bulgarian labels (lower case) → value."""
    table: dict[str, str] = {}
    for value, label in enum.choices:
        table[value.lower()] = value
        for language in ("en", "bg"):
            with override(language):
                table[str(label).lower()] = value
    return table


def _read_rows(data: bytes, file_name: str) -> list[list[Any]]:
    if file_name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # a corrupt or non-XLSX file
            raise ImportFailed([RowError(1, "", _("This is not a readable XLSX file."))]) from error
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as error:
            raise ImportFailed(
                [RowError(1, "", _("The file is not UTF-8 or Windows-1251 text."))]
            ) from error
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


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


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")


def _date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def split_tags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for part in re.split(r"[;,]", text or ""):
        tag = part.strip()[:60]
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    return list(seen.values())


def parse(data: bytes, file_name: str = "") -> Parsed:
    """Reads and validates every row; never writes."""
    try:
        table = _read_rows(data, file_name)
    except ImportFailed as failed:
        return Parsed(errors=failed.row_errors)
    parsed = Parsed()
    table = [row for row in table if any(_cell(c) for c in row)] if table else []
    if not table:
        parsed.errors.append(RowError(1, "", _("The file is empty.")))
        return parsed
    header = [_cell(c).lower().replace(" ", "_") for c in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        parsed.errors.append(
            RowError(
                1,
                "",
                _("Missing columns: %(columns)s. Expected: %(expected)s.")
                % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)},
            )
        )
        return parsed
    if len(table) - 1 > MAX_ROWS:
        parsed.errors.append(
            RowError(1, "", _("At most %(max)s rows at a time.") % {"max": MAX_ROWS})
        )
        return parsed
    index = {name: header.index(name) for name in COLUMNS if name in header}
    types, kinds = _choices(StakeholderType), _choices(StakeholderKind)
    url = URLValidator()
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for number, raw in enumerate(table[1:], start=2):
        values = {name: _cell(raw[i]) if i < len(raw) else "" for name, i in index.items()}
        row: dict[str, Any] = {"row": number}

        def error(column: str, message: str, number: int = number) -> None:
            parsed.errors.append(RowError(number, column, message))

        for name in COLUMNS:
            value = values.get(name, "")
            limit = LIMITS.get(name)
            if limit and len(value) > limit:
                error(
                    name,
                    _("At most %(max)s characters (this has %(length)s).")
                    % {"max": limit, "length": len(value)},
                )
            row[name] = value
        if not row["name"]:
            error("name", _("This field is required."))
        type_value = types.get(row["type"].lower())
        if not row["type"]:
            error("type", _("This field is required."))
        elif type_value is None:
            error(
                "type",
                _("Unknown type “%(value)s”; use one of: %(choices)s.")
                % {"value": row["type"], "choices": ", ".join(StakeholderType.values)},
            )
        row["type"] = type_value or ""
        if row["kind"]:
            kind_value = kinds.get(row["kind"].lower())
            if kind_value is None:
                error(
                    "kind",
                    _("Unknown kind “%(value)s”; use person or organisation.")
                    % {"value": row["kind"]},
                )
            row["kind"] = kind_value or ""
        else:
            row["kind"] = StakeholderKind.PERSON
        if row["email"]:
            row["email"] = row["email"].lower()
            try:
                validate_email(row["email"])
            except ValidationError:
                error("email", _("Enter a valid e-mail address."))
            else:
                if row["email"] in seen_emails:
                    error(
                        "email",
                        _("The same e-mail address is already in row %(row)s.")
                        % {"row": seen_emails[row["email"]]},
                    )
                seen_emails.setdefault(row["email"], number)
        if row["website"]:
            try:
                url(row["website"])
            except ValidationError:
                error("website", _("Enter a valid web address (https://…)."))
        if row["external_id"]:
            if row["external_id"] in seen_ids:
                error(
                    "external_id",
                    _("The same external ID is already in row %(row)s.")
                    % {"row": seen_ids[row["external_id"]]},
                )
            seen_ids.setdefault(row["external_id"], number)
        consent = None
        if row["consent_on"]:
            consent = _date(row["consent_on"])
            if consent is None:
                error("consent_on", _("Enter a date as YYYY-MM-DD or DD.MM.YYYY."))
        row["consent_on"] = consent
        row["tags"] = split_tags(row["tags"])
        parsed.rows.append(row)
    return parsed


# --- Export ---------------------------------------------------------------------------------


def export_rows(stakeholders: Any, *, contacts: bool) -> list[list[Any]]:
    """One row per stakeholder in COLUMNS order. Contact columns are empty unless `contacts`
    and the stakeholder has consent. A stakeholder with no external ID gets `zora-<id>`, which
    the import recognises, so a re-imported export creates no duplicates."""
    out: list[list[Any]] = [list(COLUMNS)]
    for s in stakeholders:
        show = contacts and s.has_consent
        out.append(
            [
                s.external_id or f"zora-{s.pk}",
                s.kind,
                s.name,
                s.type,
                s.sector,
                s.affiliation,
                s.position,
                s.email if show else "",
                s.phone if show else "",
                s.address if show else "",
                s.website if show else "",
                s.consent_on.isoformat() if s.consent_on else "",
                s.consent_purpose,
                "; ".join(t.name for t in s.tags.all()),
                s.notes if contacts else "",
            ]
        )
    return out


def to_csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[Any]], *, title: str = "Stakeholders") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
