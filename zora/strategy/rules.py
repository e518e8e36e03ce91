"""The documented rules of the strategy app, as pure functions (also in the README).

Progress roll-up
    A node's progress is the weighted mean of its children's progress:
    Σ(weight × progress) / Σ weight. Children of weight 0 do not count; when no child has a
    positive weight, every child counts equally. A node without children keeps its own
    progress (an action) or has 0 % (a priority or objective with nothing under it yet).
    Cancelled actions do not count.

KPI status (on track / at risk / off track / no data)
    The expected value on date d follows the straight line from the baseline (value, date) to
    the target (value, date). The latest measurement is compared with the expected value on its
    date; the shortfall (in the KPI's direction) is divided by |target − baseline|:
    - no measurement, or no target: no data;
    - the target is reached (value at or beyond it): on track;
    - the target date has passed and the target is not reached: off track;
    - shortfall ≤ 5 % of the distance: on track (exactly on the path is on track);
    - shortfall ≤ 20 %: at risk;
    - more: off track.
    Without a baseline, the first measurement is the baseline.

Action red / amber / green
    - green: done (progress 100 % or a status that counts as done);
    - red: the end date has passed (end < today), or a milestone is more than 30 days overdue;
    - amber: a milestone is overdue (due < today, not done), or the progress is more than 20
      points behind the time elapsed between start and end;
    - grey: no end date and no milestones (nothing to judge by); cancelled actions are grey;
    - green otherwise.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

ON_TRACK_TOLERANCE = 0.05
AT_RISK_TOLERANCE = 0.20
MILESTONE_RED_DAYS = 30
BEHIND_AMBER_POINTS = 20.0


def rollup(children: Iterable[tuple[float | None, float]]) -> float | None:
    """Weighted mean of (weight, progress) pairs; None when there are none."""
    pairs = [(w or 0.0, p or 0.0) for w, p in children]
    if not pairs:
        return None
    positive = [(w, p) for w, p in pairs if w > 0]
    if not positive:
        return sum(p for _w, p in pairs) / len(pairs)
    total = sum(w for w, _p in positive)
    return sum(w * p for w, p in positive) / total


def expected_value(*, baseline: tuple[date, float], target: tuple[date, float], on: date) -> float:
    """The value the straight path from baseline to target reaches on `on` (clamped)."""
    (b_day, b_value), (t_day, t_value) = baseline, target
    span = (t_day - b_day).days
    if span <= 0:
        return t_value
    share = min(1.0, max(0.0, (on - b_day).days / span))
    return b_value + (t_value - b_value) * share


@dataclass(frozen=True)
class KpiJudgement:
    status: str  # on_track | at_risk | off_track | no_data
    latest: tuple[date, float] | None = None
    expected: float | None = None
    shortfall: float | None = None  # share of the baseline–target distance (negative: ahead)


def kpi_status(
    *,
    measurements: list[tuple[date, float]],
    baseline: tuple[date, float] | None,
    target: tuple[date, float] | None,
    direction: str = "higher",
    today: date,
) -> KpiJudgement:
    points = sorted(measurements)
    if not points or target is None:
        return KpiJudgement("no_data", points[-1] if points else None)
    latest = points[-1]
    base = baseline or points[0]
    sign = -1.0 if direction == "lower" else 1.0
    reached = sign * (latest[1] - target[1]) >= 0
    expected = expected_value(baseline=base, target=target, on=latest[0])
    distance = abs(target[1] - base[1]) or abs(target[1]) or 1.0
    shortfall = sign * (expected - latest[1]) / distance
    if reached:
        return KpiJudgement("on_track", latest, expected, shortfall)
    if today > target[0]:
        return KpiJudgement("off_track", latest, expected, shortfall)
    if shortfall <= ON_TRACK_TOLERANCE + 1e-9:
        status = "on_track"
    elif shortfall <= AT_RISK_TOLERANCE + 1e-9:
        status = "at_risk"
    else:
        status = "off_track"
    return KpiJudgement(status, latest, expected, shortfall)


def action_rag(
    *,
    starts_on: date | None,
    ends_on: date | None,
    progress: float,
    milestones: Iterable[tuple[date, date | None]],
    today: date,
    done: bool = False,
    cancelled: bool = False,
) -> str:
    """green | amber | red | grey, by the rule in the module docstring."""
    if cancelled:
        return "grey"
    if done or progress >= 100:
        return "green"
    stones = list(milestones)
    overdue = [due for due, done_on in stones if done_on is None and due < today]
    if ends_on is not None and ends_on < today:
        return "red"
    if any((today - due).days > MILESTONE_RED_DAYS for due in overdue):
        return "red"
    if overdue:
        return "amber"
    if ends_on is None and not stones:
        return "grey"
    if starts_on is not None and ends_on is not None and ends_on > starts_on:
        elapsed = min(1.0, max(0.0, (today - starts_on).days / (ends_on - starts_on).days))
        if elapsed * 100 - progress > BEHIND_AMBER_POINTS + 1e-9:
            return "amber"
    return "green"
