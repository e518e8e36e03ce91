"""Reads for indicators: series, peers and the comparison of a region with its peers.

Comparison rules (also in the README):
- The region's value is its latest observation with a value. An indicator published at NUTS 2
  at most (household and individual ICT surveys) is read from the region's NUTS-2 ancestor for
  a NUTS-3 region or a municipality; the result says so (`fallback_from`).
- Peers are compared in the same period as the region's value; peers without a value then are
  left out. The region counts among the peers.
- Rank: 1 is best (highest value, or lowest for "lower is better"); equal values share the best
  rank (1, 2, 2, 4).
- Percentile: the share of the other peers the region does better than, ties counting half:
  100 × (worse + ½ × equal) / (n − 1); none when the region has no other peer.
- Distance to the peer median: value − median (positive is above the median whatever the
  direction).
- Target gap: target − value; yearly pace needed: gap / (target year − year of the value).
- Trend: the values of the last 5 years and the compound annual growth rate between the first
  and the last of them (none when either is not positive).
- Freshness: the period of the value and the LAST UPDATE of the file it came from.
"""

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zora.indicators.models import ImportBatch, Indicator, PeerGroup, Region, Series
from zora.indicators.regions import EU27, EU_CODES, ancestor_at_level


def region_get(code: str) -> Region | None:
    return Region.objects.select_related("parent__parent__parent__parent").filter(code=code).first()


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def series(indicator: Indicator) -> QuerySet[Series]:
    """The indicator's series, one per region."""
    return Series.objects.filter(dataset=indicator.dataset, dims_key=indicator.dims_key)


Point = tuple[str, float, str, int | None]  # period, value, flags, import batch


def points(
    periods: list[str], values: list[Any], flags: list[str], batches: list[Any]
) -> list[Point]:
    """A series' observations that have a value, oldest period first."""
    return sorted(
        (p, v, f, b)
        for p, v, f, b in zip(periods, values, flags, batches, strict=True)
        if v is not None
    )


def value_at(periods: list[str], values: list[Any], period: str) -> float | None:
    try:
        return values[periods.index(period)]
    except ValueError:
        return None


# --- Peer groups ----------------------------------------------------------------------------


@dataclass
class Peers:
    key: str
    name: str
    codes: list[str]


def builtin_peer_groups(region: Region) -> list[Peers]:
    groups: list[Peers] = []
    level = region.level
    if level in (0, 1, 2, 3):
        same_country = list(
            Region.objects.filter(country=region.country, level=level).values_list(
                "code", flat=True
            )
        )
        groups.append(
            Peers(
                "country",
                _("NUTS %(level)s regions of the same country") % {"level": level},
                same_country,
            )
        )
        eu_level = list(
            Region.objects.filter(country__in=EU27, level=level).values_list("code", flat=True)
        )
        groups.append(
            Peers("eu", _("All NUTS %(level)s regions of the EU") % {"level": level}, eu_level)
        )
        if region.population:
            low, high = region.population * 0.5, region.population * 1.5
            similar = list(
                Region.objects.filter(
                    level=level, population__gte=low, population__lte=high
                ).values_list("code", flat=True)
            )
            groups.append(Peers("population", _("Regions of similar population (±50 %)"), similar))
        gdp = _similar_by_indicator(region, "gdp_per_capita_pps", 0.25)
        if gdp:
            groups.append(Peers("gdp", _("Regions of similar GDP per head (±25 %)"), gdp))
    elif level == Region.MUNICIPALITY_LEVEL:
        same = list(
            Region.objects.filter(level=level, parent=region.parent).values_list("code", flat=True)
        )
        groups.append(Peers("country", _("Municipalities of the same NUTS 3 region"), same))
    return groups


def _similar_by_indicator(region: Region, code: str, tolerance: float) -> list[str]:
    """Regions of the same level whose latest value of the indicator is within ±tolerance of
    the region's (when that indicator has been imported)."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return []
    found = (
        series(indicator)
        .filter(region_code=region.code)
        .values_list("periods", "values", "flags", "batch_ids")
        .first()
    )
    own = points(*found) if found else []
    if not own or not own[-1][1]:
        return []
    period, value = own[-1][0], own[-1][1]
    low, high = value * (1 - tolerance), value * (1 + tolerance)
    codes = Region.objects.filter(level=region.level).values_list("code", flat=True)
    similar = []
    for code, periods, values in (
        series(indicator)
        .filter(region_code__in=codes)
        .values_list("region_code", "periods", "values")
    ):
        at = value_at(periods, values, period)
        if at is not None and low <= at <= high:
            similar.append(code)
    return similar


def peer_groups_for(*, organisation: Any, region: Region) -> list[Peers]:
    saved = []
    if organisation is not None:
        saved = [
            Peers(f"group-{g.pk}", g.name, list(g.region_codes))
            for g in PeerGroup.objects.filter(organisation=organisation)
        ]
    return saved + builtin_peer_groups(region)


def choose_peers(groups: list[Peers], key: str | None) -> Peers:
    return next((g for g in groups if g.key == key), groups[0] if groups else Peers("none", "", []))


def _levelled_peers(codes: list[str], level: int) -> list[str]:
    """Peers at the indicator's finest level: a peer below it is replaced by its ancestor."""
    if not codes:
        return []
    out: list[str] = []
    for region in Region.objects.filter(code__in=codes).select_related(
        "parent__parent__parent__parent"
    ):
        target = region if region.level <= level else ancestor_at_level(region, level)
        if target is not None and target.code not in out:
            out.append(target.code)
    return out


# --- The comparison -------------------------------------------------------------------------


@dataclass
class Ranked:
    code: str
    value: float
    rank: int


@dataclass
class Comparison:
    indicator: Indicator
    region: Region
    effective_region: Region | None
    fallback_from: Region | None
    period: str | None = None
    value: float | None = None
    flags: str = ""
    rank: int | None = None
    n: int = 0
    percentile: float | None = None
    peer_median: float | None = None
    distance_to_median: float | None = None
    national: float | None = None
    eu: float | None = None
    target_gap: float | None = None
    yearly_pace: float | None = None
    trend: list[tuple[str, float]] = field(default_factory=list)
    cagr: float | None = None
    last_update: str = ""
    ranking: list[Ranked] = field(default_factory=list)


def rank_values(values: dict[str, float], direction: str) -> dict[str, int]:
    """Competition ranking, 1 = best: equal values share the best rank (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=(direction != "lower"))
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {code: first[value] for code, value in values.items()}


def percentile_of(value: float, others: list[float], direction: str) -> float | None:
    if not others:
        return None
    if direction == "lower":
        worse = sum(1 for o in others if o > value)
    else:
        worse = sum(1 for o in others if o < value)
    equal = sum(1 for o in others if o == value)
    return 100.0 * (worse + 0.5 * equal) / len(others)


def _year(period: str) -> int | None:
    try:
        return int(period[:4])
    except ValueError:
        return None


def cagr(first: float, last: float, years: int) -> float | None:
    if years <= 0 or first <= 0 or last <= 0:
        return None
    return (last / first) ** (1 / years) - 1


def compare(*, indicator: Indicator, region: Region, peer_codes: list[str]) -> Comparison:
    return compare_many(indicators=[indicator], region=region, peer_codes=peer_codes)[0]


def scorecard(*, region: Region, peer_codes: list[str]) -> list[Comparison]:
    """Every indicator of the catalogue compared for the region, in a handful of queries."""
    rows = compare_many(indicators=list(indicator_list()), region=region, peer_codes=peer_codes)
    return [r for r in rows if r.value is not None] + [r for r in rows if r.value is None]


def compare_many(
    *, indicators: list[Indicator], region: Region, peer_codes: list[str]
) -> list[Comparison]:
    results: list[Comparison] = []
    for indicator in indicators:
        if region.level <= indicator.finest_level or region.level < 0:
            effective: Region | None = region
        else:
            effective = ancestor_at_level(region, indicator.finest_level)
        results.append(
            Comparison(
                indicator=indicator,
                region=region,
                effective_region=effective,
                fallback_from=region
                if effective is not None and effective.pk != region.pk
                else None,
            )
        )
    datasets = {i.dataset for i in indicators}
    effective_codes = {r.effective_region.code for r in results if r.effective_region is not None}
    own: dict[tuple[str, str, str], list[Point]] = {}
    for dataset, key, code, *lists in Series.objects.filter(
        dataset__in=datasets,
        dims_key__in={i.dims_key for i in indicators},
        region_code__in=effective_codes,
    ).values_list("dataset", "dims_key", "region_code", "periods", "values", "flags", "batch_ids"):
        own[(dataset, key, code)] = points(*lists)

    levels = {i.finest_level for i in indicators}
    peers_at = {level: _levelled_peers(peer_codes, level) for level in levels}
    batches: set[int] = set()
    for result in results:
        indicator, effective = result.indicator, result.effective_region
        if effective is None:
            continue
        rows = own.get((indicator.dataset, indicator.dims_key, effective.code), [])
        if not rows:
            continue
        last_period, value, flags, last_batch = rows[-1]
        result.period, result.value, result.flags = last_period, value, flags
        if last_batch:
            batches.add(last_batch)
        year = _year(last_period)
        result.trend = [
            (p, v) for p, v, _f, _b in rows if year is not None and (_year(p) or 0) > year - 5
        ]
        if len(result.trend) >= 2:
            span = (_year(result.trend[-1][0]) or 0) - (_year(result.trend[0][0]) or 0)
            result.cagr = cagr(result.trend[0][1], result.trend[-1][1], span)
        if indicator.target_value is not None:
            result.target_gap = indicator.target_value - value
            if indicator.target_year and year is not None and indicator.target_year > year:
                result.yearly_pace = result.target_gap / (indicator.target_year - year)

    everyone = set().union(*peers_at.values()) | effective_codes | set(EU_CODES)
    everyone |= {r.effective_region.country for r in results if r.effective_region is not None}
    at_period: dict[tuple[str, str, str], dict[str, float]] = {}
    wanted: dict[tuple[str, str], set[str]] = {}
    for result in results:
        if result.period is not None:
            wanted.setdefault((result.indicator.dataset, result.indicator.dims_key), set()).add(
                result.period
            )
    if wanted:
        for dataset, key, code, periods, values in Series.objects.filter(
            dataset__in=datasets,
            dims_key__in={key for _dataset, key in wanted},
            region_code__in=everyone,
        ).values_list("dataset", "dims_key", "region_code", "periods", "values"):
            for period in wanted.get((dataset, key), ()):
                found = value_at(periods, values, period)
                if found is not None:
                    at_period.setdefault((dataset, key, period), {})[code] = found
    updates = (
        dict(ImportBatch.objects.filter(pk__in=batches).values_list("pk", "last_update"))
        if batches
        else {}
    )

    for result in results:
        indicator, effective = result.indicator, result.effective_region
        if effective is None or result.value is None or result.period is None:
            continue
        values = at_period.get((indicator.dataset, indicator.dims_key, result.period), {})
        peers = list(peers_at[indicator.finest_level])
        if effective.code not in peers:
            peers.append(effective.code)
        result.national = values.get(effective.country)
        result.eu = next((values[c] for c in EU_CODES if c in values), None)
        peer_values = {code: values[code] for code in peers if code in values}
        ranks = rank_values(peer_values, indicator.direction)
        result.n = len(peer_values)
        result.rank = ranks.get(effective.code)
        result.percentile = percentile_of(
            result.value,
            [v for c, v in peer_values.items() if c != effective.code],
            indicator.direction,
        )
        result.peer_median = statistics.median(peer_values.values()) if peer_values else None
        result.distance_to_median = (
            None if result.peer_median is None else result.value - result.peer_median
        )
        result.ranking = sorted(
            (Ranked(c, v, ranks[c]) for c, v in peer_values.items()), key=lambda r: (r.rank, r.code)
        )
        own_rows = own.get((indicator.dataset, indicator.dims_key, effective.code), [])
        if own_rows and own_rows[-1][3]:
            result.last_update = updates.get(own_rows[-1][3], "") or ""
    return results


def peer_series(
    *, indicator: Indicator, codes: list[str], since: int | None = None
) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {c: [] for c in codes}
    for code, *lists in (
        series(indicator)
        .filter(region_code__in=codes)
        .values_list("region_code", "periods", "values", "flags", "batch_ids")
    ):
        out[code] = [
            (period, value)
            for period, value, _flags, _batch in points(*lists)
            if since is None or (_year(period) or 0) >= since
        ]
    return out


def theme_names() -> dict[str, str]:
    """The indicator themes' names in the current language (pages and reports)."""
    return {
        "connectivity": _("Connectivity"),
        "digital_skills": _("Digital skills"),
        "internet_use": _("Internet use"),
        "e_government": _("E-government"),
        "business_digitalisation": _("Business digitalisation"),
        "innovation": _("Innovation"),
        "economy": _("Economy"),
        "demography": _("Demography"),
        "territory": _("Territory"),
    }
