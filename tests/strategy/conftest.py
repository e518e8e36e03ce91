"""Fixtures for strategy tests: a strategy of alpha with a small tree."""

from datetime import date

import pytest
from django.core.cache import cache

from zora.strategy import services
from zora.strategy.models import ActionStatus


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Service-level messages are asserted in English (requests choose their own language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def make_strategy(organisation, **kwargs):
    values = {
        "title_bg": "Стратегия за цифрова трансформация",
        "title_en": "Digital transformation strategy",
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2030, 12, 31),
        "with_defaults": False,
    }
    values.update(kwargs)
    return services.strategy_create(organisation=organisation, **values)


def status(strategy, code):
    return ActionStatus.objects.get(strategy=strategy, code=code)


@pytest.fixture
def strategy(world):
    return make_strategy(world.alpha)


@pytest.fixture
def tree(strategy):
    """P1 (O1.1: A1, A2; O1.2: A3) and P2 (O2.1: A4)."""
    p1 = services.priority_save(
        strategy=strategy, code="P1", title_en="Business", title_bg="Бизнес"
    )
    p2 = services.priority_save(
        strategy=strategy, code="P2", title_en="Society", title_bg="Общество"
    )
    o11 = services.objective_save(
        strategy=strategy, priority=p1, code="O1.1", title_en="Digital SMEs"
    )
    o12 = services.objective_save(strategy=strategy, priority=p1, code="O1.2", title_en="Start-ups")
    o21 = services.objective_save(strategy=strategy, priority=p2, code="O2.1", title_en="Skills")
    actions = {}
    for ext, objective, title in [
        ("A1", o11, "Vouchers"),
        ("A2", o11, "Hub services"),
        ("A3", o12, "Incubator"),
        ("A4", o21, "Coding clubs"),
    ]:
        actions[ext] = services.action_save(
            strategy=strategy,
            objective=objective,
            external_id=ext,
            title_en=title,
            title_bg=title,
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
        )
    return {"p1": p1, "p2": p2, "o11": o11, "o12": o12, "o21": o21, **actions}
