"""Rank, percentile, median, target gap and trend, on values worked out by hand."""

import pytest

from tests.indicators.conftest import make_indicator
from zora.indicators.selectors import compare, percentile_of, rank_values, scorecard
from zora.indicators.services import observation_put

PEERS = ["BG33", "BG41", "BG42", "EL52", "RO22"]


def observe(code, period, value, flags="", dataset="TEST_DS", **dims):
    dims = dims or {"unit": "PC_HH"}
    key = "|".join(f"{k}={v}" for k, v in sorted(dims.items()))
    observation_put(
        dataset=dataset,
        dims_key=key,
        region_code=code,
        period=period,
        value=value,
        flags=flags,
        dimensions={"freq": "A", **dims},
    )


@pytest.fixture
def data(regions):
    for code, value in {
        "BG34": 60,
        "BG33": 70,
        "BG41": 80,
        "BG42": 70,
        "EL52": 50,
        "BG": 65,
        "EU27_2020": 75,
    }.items():
        observe(code, "2024", value)
    observe("RO22", "2024", None, flags="c")  # confidential: no value
    for year, value in {2019: 30, 2020: 40, 2021: 45, 2022: 50, 2023: 55}.items():
        observe("BG34", str(year), value)
    observe("BG41", "2023", 10)  # another period: must not count
    return regions


def test_rank_ties_share_the_best_rank():
    assert rank_values({"a": 80, "b": 70, "c": 70, "d": 60}, "higher") == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
    }
    assert rank_values({"a": 80, "b": 70, "c": 70, "d": 60}, "lower") == {
        "d": 1,
        "b": 2,
        "c": 2,
        "a": 4,
    }


def test_percentile_counts_ties_half():
    assert percentile_of(60, [70, 80, 70, 50], "higher") == 25.0
    assert percentile_of(70, [70, 80, 60], "higher") == pytest.approx(100 * 1.5 / 3)
    assert percentile_of(60, [70, 80, 70, 50], "lower") == 75.0
    assert percentile_of(60, [], "higher") is None


@pytest.mark.django_db
def test_comparison_of_a_nuts3_region_reads_its_nuts2_parent(data):
    indicator = make_indicator(target=(80, 2030))
    c = compare(indicator=indicator, region=data["BG344"], peer_codes=PEERS)
    assert c.effective_region.code == "BG34" and c.fallback_from.code == "BG344"
    assert (c.period, c.value) == ("2024", 60)
    assert c.n == 5  # RO22 has no value in 2024
    assert c.rank == 4
    assert c.percentile == 25.0
    assert c.peer_median == 70 and c.distance_to_median == -10
    assert c.national == 65 and c.eu == 75
    assert c.target_gap == 20 and c.yearly_pace == pytest.approx(20 / 6)
    assert [p for p, _v in c.trend] == ["2020", "2021", "2022", "2023", "2024"]
    assert c.cagr == pytest.approx((60 / 40) ** (1 / 4) - 1)
    assert [(r.code, r.rank) for r in c.ranking] == [
        ("BG41", 1),
        ("BG33", 2),
        ("BG42", 2),
        ("BG34", 4),
        ("EL52", 5),
    ]


@pytest.mark.django_db
def test_lower_is_better(data):
    indicator = make_indicator(direction="lower")
    c = compare(indicator=indicator, region=data["BG34"], peer_codes=PEERS)
    assert c.rank == 2 and c.percentile == 75.0


@pytest.mark.django_db
def test_a_municipality_and_missing_data(data):
    indicator = make_indicator()
    c = compare(indicator=indicator, region=data["SZR31"], peer_codes=PEERS)
    assert c.effective_region.code == "BG34" and c.value == 60
    nothing = compare(
        indicator=make_indicator(code="other", dataset="NONE"),
        region=data["BG34"],
        peer_codes=PEERS,
    )
    assert nothing.value is None and nothing.rank is None and nothing.n == 0


@pytest.mark.django_db
def test_peers_below_the_indicators_level_count_as_their_parent(data):
    indicator = make_indicator()
    c = compare(indicator=indicator, region=data["BG34"], peer_codes=["BG411", "EL522"])
    assert sorted(r.code for r in c.ranking) == ["BG34", "BG41", "EL52"]


@pytest.mark.django_db
def test_target_passed_gives_a_negative_gap(data):
    indicator = make_indicator(target=(50, 2030))
    c = compare(indicator=indicator, region=data["BG34"], peer_codes=PEERS)
    assert c.target_gap == -10


@pytest.mark.django_db
def test_scorecard_takes_a_handful_of_queries_whatever_the_size(
    data, django_assert_max_num_queries
):
    for i in range(30):
        make_indicator(code=f"ind{i}", unit=f"U{i}")
        observe("BG34", "2024", i, unit=f"U{i}")
        observe("BG41", "2024", 2 * i, unit=f"U{i}")
    with django_assert_max_num_queries(8):
        rows = scorecard(region=data["BG344"], peer_codes=PEERS)
    assert len(rows) == 30 and rows[0].value is not None


@pytest.mark.django_db
def test_builtin_peer_groups(data):
    from zora.indicators.selectors import builtin_peer_groups

    groups = {g.key: g.codes for g in builtin_peer_groups(data["BG34"])}
    assert sorted(groups["country"]) == ["BG33", "BG34", "BG41", "BG42"]
    assert "EL52" in groups["eu"] and "RO22" in groups["eu"]
    assert "gdp" not in groups  # no GDP per head imported yet
    make_indicator(code="gdp_per_capita_pps", dataset="GDP", unit="PPS")
    for code, value in {"BG34": 100, "BG41": 120, "BG33": 130, "EL52": 80}.items():
        observe(code, "2023", value, dataset="GDP", unit="PPS")
    groups = {g.key: g.codes for g in builtin_peer_groups(data["BG34"])}
    assert sorted(groups["gdp"]) == ["BG34", "BG41", "EL52"]  # within ±25 % of 100
    by_population = {g.key: g.codes for g in builtin_peer_groups(data["BG344"])}["population"]
    assert sorted(by_population) == ["BG344", "EL522"]  # 300,000 and 280,000; Sofia is too large
