"""Campaign exports: every response (CSV, XLSX) and the EDIH reporting layout (CSV)."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from zora.assessments import selectors
from zora.assessments.framework import Framework as Tree
from zora.assessments.models import Campaign

KINDS = ("csv", "xlsx", "edih")
CHUNK = 2000


def _answer_columns(tree: Tree) -> list[tuple[str, str, str | None]]:
    """(column name, question code, sub-key) for every answer cell."""
    columns: list[tuple[str, str, str | None]] = []
    for q in tree.questions():
        if q.type == "checkbox_matrix":
            columns += [(f"{q.code}.{c.code}", q.code, c.code) for c in q.columns]
        elif q.type in {"scale_matrix", "tristate_matrix"}:
            columns += [(f"{q.code}.{i.code}", q.code, i.code) for i in q.items]
        else:
            columns.append((q.code, q.code, None))
    return columns


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def header(tree: Tree, campaign: Campaign) -> list[str]:
    head = ["response_id", "revision", "organisation", "organisation_name", "stage", "submitted_at"]
    if not campaign.anonymous:
        head += ["respondent_name", "respondent_email"]
    head += [f"profile.{p.code}" for p in tree.profile]
    head += [name for name, _q, _k in _answer_columns(tree)]
    head += ["overall", "level"] + [f"score.{d.code}" for d in tree.dimensions]
    return head


def rows(campaign: Campaign) -> Iterator[list[Any]]:
    tree = selectors.framework_tree(campaign.framework)
    columns = _answer_columns(tree)
    yield header(tree, campaign)
    qs = (
        selectors.submitted_responses(campaign=campaign)
        .select_related("subject__organisation", "respondent")
        .order_by("id")
    )
    for r in qs.iterator(chunk_size=CHUNK):
        answers = r.answers
        row: list[Any] = [
            r.pk,
            r.revision,
            r.subject.organisation.slug,
            r.subject.organisation.name,
            campaign.stage,
            r.submitted_at.isoformat() if r.submitted_at else "",
        ]
        if not campaign.anonymous:
            row += [
                r.respondent.name if r.respondent else "",
                r.respondent.email if r.respondent else "",
            ]
        row += [_cell(answers.get(p.code)) for p in tree.profile]
        for _name, code, key in columns:
            value = answers.get(code)
            if key is not None and isinstance(value, dict):
                value = value.get(key)
            elif key is not None:
                value = value if value == "na" else None
            row.append(_cell(value))
        row += [r.overall, r.level] + list(r.scores)
        yield row


def edih_rows(campaign: Campaign) -> Iterator[list[Any]]:
    """One row per assessed organisation: organisation, stage, dimension scores, overall."""
    tree = selectors.framework_tree(campaign.framework)
    yield (
        ["organisation", "organisation_name", "stage"]
        + [d.code for d in tree.dimensions]
        + ["overall"]
    )
    subjects = campaign.subjects.select_related("organisation").order_by("organisation__slug")
    batch: list[Any] = []
    for subject in subjects.iterator(chunk_size=CHUNK):
        batch.append(subject)
        if len(batch) == 500:
            yield from _edih_batch(campaign, batch)
            batch = []
    yield from _edih_batch(campaign, batch)


def _edih_batch(campaign: Campaign, subjects: list[Any]) -> Iterator[list[Any]]:
    for result in selectors.subject_results(campaign=campaign, subjects=subjects):
        if result.respondents:
            org = result.subject.organisation
            yield (
                [org.slug, org.name, campaign.stage]
                + [_round(v) for v in result.dimensions]
                + [_round(result.overall)]
            )


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(source: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read UTF-8 (Cyrillic) correctly
    for row in source:
        yield writer.writerow(row)


def response(campaign: Campaign, kind: str) -> HttpResponse | StreamingHttpResponse:
    name = f"{campaign.framework.code}-{campaign.stage}-{campaign.pk}".replace(" ", "_")
    if kind == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("responses")
        for row in rows(campaign):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        out = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        out["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return out
    source = edih_rows(campaign) if kind == "edih" else rows(campaign)
    stream = StreamingHttpResponse(_csv_stream(source), content_type="text/csv; charset=utf-8")
    suffix = "-edih" if kind == "edih" else ""
    stream["Content-Disposition"] = f'attachment; filename="{name}{suffix}.csv"'
    return stream
