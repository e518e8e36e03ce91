"""KPI status and action RAG on their boundary cases (rules in zora/strategy/rules.py)."""

from datetime import date

from zora.strategy.rules import action_rag, expected_value, kpi_status, rollup

BASE = (date(2024, 1, 1), 0.0)
TARGET = (date(2028, 1, 1), 100.0)  # 1461 days
MID = date(2026, 1, 1)  # 731 days in: expected ≈ 50.03
TODAY = date(2026, 6, 1)


def status(value, on=MID, direction="higher", target=TARGET, baseline=BASE, today=TODAY):
    return kpi_status(
        measurements=[(on, value)] if value is not None else [],
        baseline=baseline,
        target=target,
        direction=direction,
        today=today,
    ).status


def test_expected_value_is_the_straight_path():
    assert expected_value(baseline=BASE, target=TARGET, on=BASE[0]) == 0
    assert expected_value(baseline=BASE, target=TARGET, on=TARGET[0]) == 100
    assert expected_value(baseline=BASE, target=TARGET, on=date(2030, 1, 1)) == 100  # clamped


def test_exactly_on_the_path_is_on_track():
    on_path = expected_value(baseline=BASE, target=TARGET, on=MID)
    assert status(on_path) == "on_track"


def test_the_tolerances_are_inclusive():
    on_path = expected_value(baseline=BASE, target=TARGET, on=MID)
    assert status(on_path - 5) == "on_track"  # 5 % of the distance behind
    assert status(on_path - 5.01) == "at_risk"
    assert status(on_path - 20) == "at_risk"
    assert status(on_path - 20.01) == "off_track"


def test_no_measurement_or_no_target_is_no_data():
    assert status(None) == "no_data"
    assert status(50, target=None) == "no_data"


def test_target_date_passed_without_the_target_is_off_track():
    assert status(99, on=date(2027, 12, 1), today=date(2028, 1, 2)) == "off_track"
    assert status(100, on=date(2027, 12, 1), today=date(2028, 1, 2)) == "on_track"


def test_lower_is_better_kpis_are_judged_the_other_way():
    base, target = (date(2024, 1, 1), 100.0), (date(2028, 1, 1), 0.0)
    on_path = expected_value(baseline=base, target=target, on=MID)
    assert status(on_path, direction="lower", baseline=base, target=target) == "on_track"
    assert status(on_path + 10, direction="lower", baseline=base, target=target) == "at_risk"
    assert status(on_path - 30, direction="lower", baseline=base, target=target) == "on_track"


def test_without_baseline_the_first_measurement_is_the_baseline():
    judgement = kpi_status(
        measurements=[(date(2024, 1, 1), 10.0), (MID, 10.0)],
        baseline=None,
        target=TARGET,
        direction="higher",
        today=TODAY,
    )
    assert judgement.status == "off_track"


def rag(**kwargs):
    values = {
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2025, 12, 31),
        "progress": 50.0,
        "milestones": [],
        "today": date(2025, 7, 1),
    }
    values.update(kwargs)
    return action_rag(**values)


def test_rag_end_date():
    assert rag(today=date(2025, 12, 31), progress=90) == "green"  # the end day itself is not late
    assert rag(today=date(2026, 1, 1), progress=90) == "red"
    assert rag(today=date(2026, 1, 1), progress=100) == "green"


def test_rag_milestones():
    due = date(2025, 6, 1)
    assert rag(milestones=[(due, None)], today=date(2025, 6, 1)) == "green"  # due today
    assert rag(milestones=[(due, None)], today=date(2025, 6, 2)) == "amber"
    assert rag(milestones=[(due, None)], today=date(2025, 7, 1)) == "amber"  # 30 days over
    assert rag(milestones=[(due, None)], today=date(2025, 7, 2)) == "red"  # 31 days over
    assert rag(milestones=[(due, date(2025, 6, 20))], today=date(2025, 7, 2)) == "green"


def test_rag_progress_behind_time():
    # 2025-07-01 is 181 of 364 days in: 49.7 % of the time
    elapsed = 181 / 364 * 100
    assert rag(progress=elapsed - 20) == "green"
    assert rag(progress=elapsed - 20.5) == "amber"


def test_rag_grey_and_done():
    assert rag(starts_on=None, ends_on=None) == "grey"
    assert rag(cancelled=True) == "grey"
    assert rag(done=True, today=date(2027, 1, 1), progress=10) == "green"


def test_rollup_rule():
    assert rollup([]) is None
    assert rollup([(1, 10), (1, 30)]) == 20
    assert rollup([(3, 100), (1, 0)]) == 75
    assert rollup([(0, 100), (0, 0)]) == 50
    assert rollup([(0, 100), (1, 0)]) == 0
