"""Progress rolls up sub-action → action → objective → priority → strategy by weights, for the
whole tree, after every change (hand-computed expected values)."""

import pytest

from zora.strategy import services
from zora.strategy.models import Action, Objective, Priority, Strategy


def _reload(*objs):
    for o in objs:
        o.refresh_from_db()


@pytest.mark.django_db
def test_it_rolls_up_a_four_level_tree_with_equal_weights(strategy, tree):
    services.action_save(strategy=strategy, action=tree["A1"], progress=40)
    services.action_save(strategy=strategy, action=tree["A2"], progress=80)
    services.action_save(strategy=strategy, action=tree["A3"], progress=30)
    services.action_save(strategy=strategy, action=tree["A4"], progress=90)
    _reload(strategy, tree["o11"], tree["o12"], tree["o21"], tree["p1"], tree["p2"])
    assert tree["o11"].progress == pytest.approx(60.0)  # (40 + 80) / 2
    assert tree["o12"].progress == pytest.approx(30.0)
    assert tree["p1"].progress == pytest.approx(45.0)  # (60 + 30) / 2
    assert tree["p2"].progress == pytest.approx(90.0)
    assert strategy.progress == pytest.approx(67.5)  # (45 + 90) / 2


@pytest.mark.django_db
def test_it_rolls_up_with_weights_and_sub_actions(strategy, tree):
    # A1 is made of two sub-actions weighted 3:1 → A1 = (3×100 + 1×20) / 4 = 80
    services.action_save(
        strategy=strategy,
        objective=tree["o11"],
        parent=tree["A1"],
        title_en="A1.a",
        weight=3,
        progress=100,
    )
    services.action_save(
        strategy=strategy,
        objective=tree["o11"],
        parent=tree["A1"],
        title_en="A1.b",
        weight=1,
        progress=20,
    )
    services.action_save(strategy=strategy, action=tree["A2"], progress=50, weight=2)
    services.action_save(strategy=strategy, action=tree["A3"], progress=10)
    services.action_save(strategy=strategy, action=tree["A4"], progress=40)
    services.objective_save(
        strategy=strategy,
        priority=tree["p1"],
        objective=tree["o12"],
        title_en="Start-ups",
        weight=0.5,
    )
    services.priority_save(strategy=strategy, priority=tree["p2"], title_en="Society", weight=3)
    _reload(strategy, tree["A1"], tree["o11"], tree["o12"], tree["p1"], tree["p2"])
    assert tree["A1"].progress == pytest.approx(80.0)
    # O1.1 = (1×80 + 2×50) / 3 = 60
    assert tree["o11"].progress == pytest.approx(60.0)
    # P1 = (1×60 + 0.5×10) / 1.5 = 43.333…
    assert tree["p1"].progress == pytest.approx(65 / 1.5)
    # strategy = (1×43.333 + 3×40) / 4 = 40.8333…
    assert strategy.progress == pytest.approx((65 / 1.5 + 120) / 4)


@pytest.mark.django_db
def test_changing_a_leaf_updates_every_ancestor(strategy, tree):
    sub = services.action_save(
        strategy=strategy,
        objective=tree["o11"],
        parent=tree["A1"],
        title_en="only part",
        progress=0,
    )
    before = {
        "A1": Action.objects.get(pk=tree["A1"].pk).progress,
        "o11": Objective.objects.get(pk=tree["o11"].pk).progress,
        "p1": Priority.objects.get(pk=tree["p1"].pk).progress,
        "s": Strategy.objects.get(pk=strategy.pk).progress,
    }
    assert before == {"A1": 0, "o11": 0, "p1": 0, "s": 0}
    services.action_save(strategy=strategy, action=sub, progress=100)
    assert Action.objects.get(pk=tree["A1"].pk).progress == pytest.approx(100)
    assert Objective.objects.get(pk=tree["o11"].pk).progress == pytest.approx(50)  # A1 100, A2 0
    assert Priority.objects.get(pk=tree["p1"].pk).progress == pytest.approx(25)  # O1.2 has 0
    assert Strategy.objects.get(pk=strategy.pk).progress == pytest.approx(12.5)  # P2 has 0


@pytest.mark.django_db
def test_zero_weights_count_equally_and_cancelled_actions_do_not_count(strategy, tree):
    from tests.strategy.conftest import status

    services.action_save(strategy=strategy, action=tree["A1"], progress=100, weight=0)
    services.action_save(strategy=strategy, action=tree["A2"], progress=0, weight=0)
    tree["o11"].refresh_from_db()
    assert tree["o11"].progress == pytest.approx(50)
    services.action_save(strategy=strategy, action=tree["A2"], status=status(strategy, "cancelled"))
    tree["o11"].refresh_from_db()
    assert tree["o11"].progress == pytest.approx(100)


@pytest.mark.django_db
def test_a_status_sets_its_default_progress_unless_one_is_given(strategy, tree):
    from tests.strategy.conftest import status

    done = services.action_save(
        strategy=strategy, action=tree["A1"], status=status(strategy, "completed")
    )
    assert done.progress == 100
    kept = services.action_save(
        strategy=strategy, action=tree["A2"], status=status(strategy, "planned"), progress=35
    )
    assert kept.progress == 35
    running = services.action_save(
        strategy=strategy, action=tree["A2"], status=status(strategy, "in_progress")
    )
    assert running.progress == 35  # "in progress" has no default: the progress stays


@pytest.mark.django_db
def test_deleting_a_node_recomputes_the_tree(strategy, tree):
    services.action_save(strategy=strategy, action=tree["A1"], progress=100)
    services.action_delete(action=tree["A2"])
    tree["o11"].refresh_from_db()
    assert tree["o11"].progress == 100
