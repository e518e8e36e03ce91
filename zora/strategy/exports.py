"""Exports: actions as CSV/XLSX (the columns the importer reads) and the whole strategy as a
JSON template that another organisation can import (new ids, no personal data: no
responsible persons, no authors, no linked proposals, no measurements' notes)."""

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zora.strategy.importers import COLUMNS

FORMAT = "zora-strategy"
VERSION = 1


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def action_rows(*, strategy: Any) -> list[dict[str, str]]:
    from zora.strategy import selectors

    rows = []
    for a in selectors.action_list(organisation=strategy.organisation, strategy=strategy):
        rows.append(
            {
                "external_id": a.external_id,
                "objective": a.objective.code,
                "parent": a.parent.external_id if a.parent else "",
                "title_bg": a.title_bg,
                "title_en": a.title_en,
                "description_bg": a.description_bg,
                "description_en": a.description_en,
                "owner_organisation": a.owner_organisation.slug if a.owner_organisation else "",
                "owner": a.owner_organisation_name,
                "owner_person": a.owner_person,
                "partners": a.partners,
                "start": a.starts_on.isoformat() if a.starts_on else "",
                "end": a.ends_on.isoformat() if a.ends_on else "",
                "status": a.status.code if a.status else "",
                "progress": f"{a.progress:g}",
                "weight": f"{a.weight:g}",
                "budget": _amount(a.budget),
                "currency": a.currency,
                "funding": "; ".join(
                    f"{f.source.code}={_amount(f.amount)}" for f in a.funding.all()
                ),
                "depends_on": "; ".join(d.external_id for d in a.depends_on.all() if d.external_id),
            }
        )
    return rows


def actions_csv(*, strategy: Any) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(action_rows(strategy=strategy))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def actions_xlsx(*, strategy: Any) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "actions"
    sheet.append(COLUMNS)
    for row in action_rows(strategy=strategy):
        sheet.append([row[c] for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- JSON template ----------------------------------------------------------------------------


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def strategy_to_json(*, strategy: Any) -> dict[str, Any]:
    from zora.strategy.models import (
        Action,
        ActionStatus,
        EvidenceLink,
        Kpi,
        Milestone,
        Objective,
        Priority,
        SwotItem,
        VisionStatement,
    )

    actions = list(
        Action.objects.filter(strategy=strategy)
        .select_related("status", "owner_organisation")
        .prefetch_related("funding__source", "depends_on")
        .order_by("position", "id")
    )
    milestones: dict[int, list[dict[str, Any]]] = {}
    for m in Milestone.objects.filter(strategy=strategy):
        milestones.setdefault(m.action_id, []).append(
            {
                "title_bg": m.title_bg,
                "title_en": m.title_en,
                "due_on": _d(m.due_on),
                "done_on": _d(m.done_on),
            }
        )
    kpis: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for k in (
        Kpi.objects.filter(strategy=strategy)
        .select_related("indicator")
        .prefetch_related("measurements")
    ):
        key = ("objective", k.objective_id) if k.objective_id else ("action", k.action_id or 0)
        kpis.setdefault(key, []).append(
            {
                "name_bg": k.name_bg,
                "name_en": k.name_en,
                "unit": k.unit,
                "direction": k.direction,
                "baseline_value": k.baseline_value,
                "baseline_on": _d(k.baseline_on),
                "target_value": k.target_value,
                "target_on": _d(k.target_on),
                "indicator": k.indicator.code if k.indicator else None,
                "region_code": k.region_code,
                "measurements": [
                    {"value": m.value, "measured_on": _d(m.measured_on), "source": m.source}
                    for m in k.measurements.all()
                ],
            }
        )
    refs = {a.pk: f"a{i}" for i, a in enumerate(actions, start=1)}

    def action_json(a: Any) -> dict[str, Any]:
        return {
            "ref": refs[a.pk],
            "external_id": a.external_id,
            "parent": refs.get(a.parent_id) if a.parent_id else None,
            "title_bg": a.title_bg,
            "title_en": a.title_en,
            "description_bg": a.description_bg,
            "description_en": a.description_en,
            "owner_organisation": a.owner.strip() if a.owner else "",
            "partners": a.partners,
            "starts_on": _d(a.starts_on),
            "ends_on": _d(a.ends_on),
            "status": a.status.code if a.status else None,
            "progress": a.progress,
            "weight": a.weight,
            "budget": _amount(a.budget) or None,
            "currency": a.currency,
            "funding": [
                {
                    "source": f.source.code,
                    "name_bg": f.source.name_bg,
                    "name_en": f.source.name_en,
                    "is_eu": f.source.is_eu,
                    "amount": _amount(f.amount),
                }
                for f in a.funding.all()
            ],
            "depends_on": [refs[d.pk] for d in a.depends_on.all() if d.pk in refs],
            "milestones": milestones.get(a.pk, []),
            "kpis": kpis.get(("action", a.pk), []),
        }

    by_objective: dict[int, list[Any]] = {}
    for a in actions:
        by_objective.setdefault(a.objective_id, []).append(a)
    objectives: dict[int, list[dict[str, Any]]] = {}
    for o in Objective.objects.filter(strategy=strategy):
        objectives.setdefault(o.priority_id, []).append(
            {
                "code": o.code,
                "title_bg": o.title_bg,
                "title_en": o.title_en,
                "description_bg": o.description_bg,
                "description_en": o.description_en,
                "weight": o.weight,
                "kpis": kpis.get(("objective", o.pk), []),
                "actions": [action_json(a) for a in by_objective.get(o.pk, [])],
            }
        )
    vision = VisionStatement.objects.filter(strategy=strategy).first()
    evidence: dict[int, list[dict[str, Any]]] = {}
    for e in EvidenceLink.objects.filter(item__strategy=strategy):
        evidence.setdefault(e.item_id, []).append(
            {
                "kind": e.kind,
                "target": e.target,
                "label": e.label,
                "value": e.value,
                "unit": e.unit,
                "detail": e.detail,
                "observed": e.observed,
                "url": e.url,
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "strategy": {
            "title_bg": strategy.title_bg,
            "title_en": strategy.title_en,
            "summary_bg": strategy.summary_bg,
            "summary_en": strategy.summary_en,
            "starts_on": _d(strategy.starts_on),
            "ends_on": _d(strategy.ends_on),
            "region_code": strategy.region_code,
            "steps": strategy.steps,
        },
        "statuses": [
            {
                "code": s.code,
                "name_bg": s.name_bg,
                "name_en": s.name_en,
                "progress": s.progress,
                "is_done": s.is_done,
                "is_cancelled": s.is_cancelled,
            }
            for s in ActionStatus.objects.filter(strategy=strategy)
        ],
        "vision": {
            "vision_bg": vision.vision_bg,
            "vision_en": vision.vision_en,
            "ambition_bg": vision.ambition_bg,
            "ambition_en": vision.ambition_en,
        }
        if vision
        else None,
        "swot": [
            {
                "quadrant": i.quadrant,
                "text_bg": i.text_bg,
                "text_en": i.text_en,
                "weight": i.weight,
                "evidence": evidence.get(i.pk, []),
            }
            for i in SwotItem.objects.filter(
                strategy=strategy, state=SwotItem.State.ACCEPTED
            ).order_by("quadrant", "position", "id")
        ],
        "priorities": [
            {
                "code": p.code,
                "title_bg": p.title_bg,
                "title_en": p.title_en,
                "description_bg": p.description_bg,
                "description_en": p.description_en,
                "weight": p.weight,
                "objectives": objectives.get(p.pk, []),
            }
            for p in Priority.objects.filter(strategy=strategy)
        ],
    }


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def strategy_from_json(*, organisation: Any, data: dict[str, Any]) -> Any:
    """A new draft strategy of `organisation` from an exported template (new ids)."""
    from zora.indicators.models import Indicator
    from zora.strategy import services
    from zora.strategy.models import (
        Action,
        ActionFunding,
        ActionStatus,
        EvidenceLink,
        Kpi,
        Measurement,
        Milestone,
        Objective,
        Priority,
        SwotItem,
    )

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(_("This is not a Zora strategy template."))
    try:
        info = data["strategy"]
        strategy = services.strategy_create(
            organisation=organisation,
            title_bg=info.get("title_bg", ""),
            title_en=info.get("title_en", ""),
            summary_bg=info.get("summary_bg", ""),
            summary_en=info.get("summary_en", ""),
            starts_on=_date(info["starts_on"]),  # type: ignore[arg-type]
            ends_on=_date(info["ends_on"]),  # type: ignore[arg-type]
            region_code=organisation.region_code or info.get("region_code", ""),
            with_defaults=False,
        )
        strategy.steps = info.get("steps") or {}
        strategy.save(update_fields=["steps"])
        ActionStatus.objects.filter(strategy=strategy).delete()
        statuses = {
            s["code"]: ActionStatus.objects.create(
                strategy=strategy,
                code=s["code"],
                name_bg=s.get("name_bg", ""),
                name_en=s.get("name_en", ""),
                progress=s.get("progress"),
                is_done=bool(s.get("is_done")),
                is_cancelled=bool(s.get("is_cancelled")),
                position=i,
            )
            for i, s in enumerate(data.get("statuses") or [])
        }
        sources = {s.code: s for s in services.funding_sources_ensure(organisation=organisation)}
        if data.get("vision"):
            services.vision_save(strategy=strategy, **data["vision"])
        for position, s in enumerate(data.get("swot") or [], start=1):
            item = SwotItem.objects.create(
                strategy=strategy,
                quadrant=s["quadrant"],
                text_bg=s.get("text_bg", ""),
                text_en=s.get("text_en", ""),
                weight=int(s.get("weight") or 3),
                position=position,
            )
            EvidenceLink.objects.bulk_create(
                [
                    EvidenceLink(
                        item=item,
                        **{
                            k: e.get(k) or ("" if k != "value" else None)
                            for k in (
                                "kind",
                                "target",
                                "label",
                                "value",
                                "unit",
                                "detail",
                                "observed",
                                "url",
                            )
                        },
                    )
                    for e in s.get("evidence") or []
                ]
            )
        indicators = {i.code: i for i in Indicator.objects.all()}
        refs: dict[str, Action] = {}
        pending: list[tuple[Action, dict[str, Any]]] = []

        def add_kpis(rows: list[dict[str, Any]], **owner: Any) -> None:
            for k in rows:
                kpi = Kpi.objects.create(
                    strategy=strategy,
                    name_bg=k.get("name_bg", ""),
                    name_en=k.get("name_en", ""),
                    unit=k.get("unit", ""),
                    direction=k.get("direction", "higher"),
                    baseline_value=k.get("baseline_value"),
                    baseline_on=_date(k.get("baseline_on")),
                    target_value=k.get("target_value"),
                    target_on=_date(k.get("target_on")),
                    indicator=indicators.get(k.get("indicator") or ""),
                    region_code=organisation.region_code if k.get("indicator") else "",
                    **owner,
                )
                Measurement.objects.bulk_create(
                    [
                        Measurement(
                            kpi=kpi,
                            value=m["value"],
                            measured_on=date.fromisoformat(m["measured_on"]),
                            source=m.get("source", ""),
                        )
                        for m in k.get("measurements") or []
                    ]
                )

        for p_pos, p in enumerate(data.get("priorities") or []):
            priority = Priority.objects.create(
                strategy=strategy,
                code=p.get("code", ""),
                title_bg=p.get("title_bg", ""),
                title_en=p.get("title_en", ""),
                description_bg=p.get("description_bg", ""),
                description_en=p.get("description_en", ""),
                weight=float(p.get("weight", 1)),
                position=p_pos,
            )
            for o_pos, o in enumerate(p.get("objectives") or []):
                objective = Objective.objects.create(
                    strategy=strategy,
                    priority=priority,
                    code=o.get("code", ""),
                    title_bg=o.get("title_bg", ""),
                    title_en=o.get("title_en", ""),
                    description_bg=o.get("description_bg", ""),
                    description_en=o.get("description_en", ""),
                    weight=float(o.get("weight", 1)),
                    position=o_pos,
                )
                add_kpis(o.get("kpis") or [], objective=objective)
                for a_pos, a in enumerate(o.get("actions") or []):
                    action = Action.objects.create(
                        strategy=strategy,
                        objective=objective,
                        external_id=a.get("external_id", ""),
                        title_bg=a.get("title_bg", ""),
                        title_en=a.get("title_en", ""),
                        description_bg=a.get("description_bg", ""),
                        description_en=a.get("description_en", ""),
                        owner_organisation_name=a.get("owner_organisation", ""),
                        partners=a.get("partners", ""),
                        starts_on=_date(a.get("starts_on")),
                        ends_on=_date(a.get("ends_on")),
                        status=statuses.get(a.get("status") or ""),
                        progress=float(a.get("progress") or 0),
                        weight=float(a.get("weight", 1)),
                        budget=Decimal(a["budget"]) if a.get("budget") else None,
                        currency=a.get("currency") or "EUR",
                        position=a_pos,
                    )
                    refs[a["ref"]] = action
                    pending.append((action, a))
                    for f in a.get("funding") or []:
                        source = sources.get(f["source"])
                        if source is None:
                            source = services.funding_source_save(
                                organisation=organisation,
                                code=f["source"],
                                name_bg=f.get("name_bg", ""),
                                name_en=f.get("name_en", "") or f["source"],
                                is_eu=bool(f.get("is_eu")),
                            )
                            sources[source.code] = source
                        ActionFunding.objects.create(
                            action=action, source=source, amount=Decimal(f["amount"] or 0)
                        )
                    Milestone.objects.bulk_create(
                        [
                            Milestone(
                                strategy=strategy,
                                action=action,
                                title_bg=m.get("title_bg", ""),
                                title_en=m.get("title_en", ""),
                                due_on=date.fromisoformat(m["due_on"]),
                                done_on=_date(m.get("done_on")),
                            )
                            for m in a.get("milestones") or []
                        ]
                    )
                    add_kpis(a.get("kpis") or [], action=action)
        for action, a in pending:
            if a.get("parent") and a["parent"] in refs:
                Action.objects.filter(pk=action.pk).update(parent=refs[a["parent"]])
            deps = [refs[d] for d in a.get("depends_on") or [] if d in refs]
            if deps:
                action.depends_on.set(deps)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise ValidationError(
            _("The template is incomplete or damaged: %(error)s") % {"error": error}
        ) from error
    services.strategy_recompute(strategy)
    return strategy
