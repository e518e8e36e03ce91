"""Benchmark report: a region compared with its peers on every indicator of the catalogue, with
the same rules and numbers as the Benchmark pages (zora.indicators.selectors)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zora.core.charts import Bar, Line, bars, time_series
from zora.indicators import selectors
from zora.indicators.models import ImportBatch, Region
from zora.indicators.regions import EU_CODES
from zora.organisations.models import Organisation
from zora.reports.builders import Built, Progress
from zora.reports.figures import figure

HEADLINES = 6  # indicators drawn as ranking and time-series charts
STRENGTHS = 5


def _flag_names() -> dict[str, str]:
    return {
        "b": _("break in time series"),
        "c": _("confidential"),
        "d": _("definition differs"),
        "e": _("estimated"),
        "f": _("forecast"),
        "i": _("see metadata"),
        "m": _("missing"),
        "n": _("not significant"),
        "p": _("provisional"),
        "u": _("low reliability"),
    }


def check(organisation: Organisation, params: dict[str, Any]) -> dict[str, Any]:
    code = str(params.get("region") or organisation.region_code or "").strip().upper()
    if not code:
        raise ValidationError(
            {"region": _("Choose a region (your organisation has no region code).")}
        )
    region = selectors.region_get(code)
    if region is None:
        raise ValidationError({"region": _("Unknown region code %(code)s.") % {"code": code}})
    groups = selectors.peer_groups_for(organisation=organisation, region=region)
    key = str(params.get("peers") or "")
    if key and key not in {g.key for g in groups}:
        raise ValidationError({"peers": _("Unknown peer group %(key)s.") % {"key": key}})
    peers = selectors.choose_peers(groups, key or None)
    return {"region": region.code, "peers": peers.key}


def _region_and_peers(
    organisation: Organisation, params: dict[str, Any]
) -> tuple[Region, selectors.Peers]:
    region = selectors.region_get(params["region"])
    if region is None:
        raise ValidationError(_("Unknown region code %(code)s.") % {"code": params["region"]})
    groups = selectors.peer_groups_for(organisation=organisation, region=region)
    return region, selectors.choose_peers(groups, params.get("peers"))


def title(organisation: Organisation, params: dict[str, Any]) -> str:
    region = selectors.region_get(params["region"])
    name = f"{region.code} {region.display_name}" if region else params["region"]
    return _("Benchmark report: %(region)s") % {"region": name}


def describe(organisation: Organisation, params: dict[str, Any]) -> dict[str, str]:
    """What the parameters name (stored with the report, for lists)."""
    region = selectors.region_get(params.get("region", ""))
    if region is None:
        return {}
    groups = selectors.peer_groups_for(organisation=organisation, region=region)
    peers = selectors.choose_peers(groups, params.get("peers"))
    return {"region": f"{region.code} {region.display_name}", "peers": peers.name}


def _met(c: selectors.Comparison) -> bool | None:
    if c.target_gap is None:
        return None
    return c.target_gap >= 0 if c.indicator.direction == "lower" else c.target_gap <= 0


def _target_status(c: selectors.Comparison) -> tuple[str, str]:
    """(code, label): met / on track (the last years' yearly change reaches the pace needed) /
    off track / unknown."""
    met = _met(c)
    if met is None:
        return "none", "—"
    if met:
        return "met", _("target met")
    if c.yearly_pace is None or len(c.trend) < 2:
        return "unknown", _("not enough data")
    first, last = c.trend[0], c.trend[-1]
    years = (int(last[0][:4]) - int(first[0][:4])) or 1
    change = (last[1] - first[1]) / years
    on_track = (
        change <= c.yearly_pace if c.indicator.direction == "lower" else change >= c.yearly_pace
    )
    return ("on_track", _("on track")) if on_track else ("off_track", _("off track"))


def build(organisation: Organisation, params: dict[str, Any], progress: Progress) -> Built:
    region, peers = _region_and_peers(organisation, params)
    progress(0.1, _("Scorecard"))
    rows = selectors.scorecard(region=region, peer_codes=peers.codes)
    with_data = [c for c in rows if c.value is not None]
    themes = selectors.theme_names()
    codes = {r.code for c in with_data for r in c.ranking} | set(peers.codes)
    names = {
        r.code: r.display_name
        for r in Region.objects.filter(code__in=codes).only("code", "name", "name_bg")
    }

    ranked = [c for c in with_data if c.percentile is not None]
    ranked.sort(key=lambda c: c.percentile or 0, reverse=True)
    strengths = ranked[:STRENGTHS]
    weaknesses = list(reversed(ranked[-STRENGTHS:])) if len(ranked) > STRENGTHS else []
    targets = [c for c in with_data if c.indicator.target_value is not None]
    met = sum(1 for c in targets if _met(c))

    by_theme: dict[str, list[dict[str, Any]]] = {}
    for c in with_data:
        by_theme.setdefault(themes.get(c.indicator.theme, c.indicator.theme), []).append(
            {"c": c, "quartile": None if c.percentile is None else min(3, int(c.percentile // 25))}
        )

    progress(0.3, _("Rankings among the peers"))

    def main_first(c: selectors.Comparison) -> tuple[bool, int, str]:
        return (c.indicator.target_value is None, c.indicator.position, c.indicator.code)

    headline = sorted((c for c in with_data if c.n >= 3), key=main_first)[:HEADLINES]
    with_trend = sorted((c for c in with_data if len(c.trend) >= 2), key=main_first)[:HEADLINES]
    rankings = []
    for c in headline:
        effective_code = c.effective_region.code if c.effective_region else ""
        rankings.append(
            {
                "c": c,
                "chart": figure(
                    bars(
                        [
                            Bar(
                                f"{r.code} {names.get(r.code, '')}".strip(),
                                r.value,
                                r.code == effective_code,
                            )
                            for r in c.ranking
                        ],
                        title=_("%(indicator)s: ranking among the peers in %(period)s")
                        % {"indicator": c.indicator.name, "period": c.period},
                        unit=c.indicator.unit,
                        max_rows=30,
                    ),
                    _("%(indicator)s, %(period)s (%(unit)s). The region compared is highlighted.")
                    % {"indicator": c.indicator.name, "period": c.period, "unit": c.indicator.unit},
                ),
            }
        )

    progress(0.5, _("Time series"))
    trends = []
    for c in with_trend:
        effective = c.effective_region
        if effective is None or c.period is None:
            continue
        since = int(c.period[:4]) - 14
        codes_for = [effective.code, effective.country, *EU_CODES]
        series = selectors.peer_series(indicator=c.indicator, codes=codes_for, since=since)
        lines = [
            Line(
                f"{effective.code} {names.get(effective.code, effective.display_name)}",
                series.get(effective.code, []),
                emphasis=True,
            )
        ]
        if effective.country != effective.code and series.get(effective.country):
            lines.append(Line(effective.country, series[effective.country]))
        eu = next((series[e] for e in EU_CODES if series.get(e)), [])
        if eu:
            lines.append(Line("EU", eu))
        target = (
            (str(c.indicator.target_year), c.indicator.target_value)
            if c.indicator.target_value is not None and c.indicator.target_year
            else None
        )
        trends.append(
            {
                "c": c,
                "cagr": None if c.cagr is None else c.cagr * 100,
                "chart": figure(
                    time_series(
                        lines,
                        title=_("%(indicator)s over time") % {"indicator": c.indicator.name},
                        unit=c.indicator.unit,
                        target=target,
                        target_label=_("EU target %(year)s") % {"year": c.indicator.target_year}
                        if target
                        else "",
                    ),
                    _("%(indicator)s (%(unit)s): the region, its country and the EU.")
                    % {"indicator": c.indicator.name, "unit": c.indicator.unit},
                ),
            }
        )

    progress(0.7, _("Gaps to the targets"))
    target_rows = []
    for c in targets:
        code, label = _target_status(c)
        target_rows.append(
            {
                "c": c,
                "status": code,
                "status_label": label,
                "cagr": None if c.cagr is None else c.cagr * 100,
            }
        )

    progress(0.8, _("Data sources and flags"))
    datasets: dict[str, dict[str, Any]] = {}
    for c in with_data:
        entry = datasets.setdefault(
            c.indicator.dataset,
            {
                "dataset": c.indicator.dataset,
                "publisher": c.indicator.publisher,
                "url": c.indicator.url,
                "indicators": [],
                "last_update": "",
            },
        )
        entry["indicators"].append(c.indicator.name)
        entry["last_update"] = max(entry["last_update"], c.last_update or "")
    batches: dict[str, ImportBatch] = {}
    for batch in ImportBatch.objects.filter(dataset__in=list(datasets), status="done").order_by(
        "dataset", "-created_at"
    ):
        batches.setdefault(batch.dataset, batch)
    for key, entry in datasets.items():
        entry["batch"] = batches.get(key)
    flag_names = _flag_names()
    flagged = [
        {
            "c": c,
            "meaning": ", ".join(flag_names.get(f, f) for f in c.flags if f.strip()),
        }
        for c in with_data
        if c.flags.strip()
    ]
    fallbacks = [c for c in with_data if c.fallback_from is not None]
    peer_list = [{"code": code, "name": names.get(code, "")} for code in sorted(peers.codes)]
    progress(0.9, _("Methodology"))
    region_name = f"{region.code} {region.display_name}"
    return Built(
        title=_("Benchmark report: %(region)s") % {"region": region_name},
        subtitle=_("Compared with: %(peers)s") % {"peers": peers.name},
        facts=[
            (_("Region"), region_name),
            (_("Peers"), f"{peers.name} ({len(peers.codes)})"),
            (_("Indicators with data"), f"{len(with_data)} / {len(rows)}"),
        ],
        sections={
            "summary": {
                "region": region,
                "region_name": region_name,
                "peers": peers,
                "total": len(rows),
                "with_data": len(with_data),
                "strengths": strengths,
                "weaknesses": weaknesses,
                "targets": len(targets),
                "met": met,
                "top_quartile": sum(1 for c in ranked if (c.percentile or 0) >= 75),
                "bottom_quartile": sum(1 for c in ranked if (c.percentile or 0) < 25),
            },
            "scorecard": {
                "themes": list(by_theme.items()),
                "region": region,
                "missing": [c.indicator.name for c in rows if c.value is None],
            },
            "rankings": {"items": rankings} if rankings else None,
            "trends": {"items": trends} if trends else None,
            "targets": {"rows": target_rows} if target_rows else None,
            "sources": {
                "datasets": list(datasets.values()),
                "flagged": flagged,
                "fallbacks": fallbacks,
                "flag_names": sorted(flag_names.items()),
            },
            "methodology": {"peers": peers, "peer_list": peer_list, "region": region},
        },
    )
