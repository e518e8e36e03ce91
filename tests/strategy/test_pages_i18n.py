"""Strategy pages in both languages, and their query counts do not grow with the data."""

from datetime import date

import pytest

from tests.core.test_i18n import assert_pages_in_both_languages
from tests.strategy.conftest import make_strategy
from zora.strategy import services


def _fill(strategy, tree, n=10):
    for i in range(n):
        action = services.action_save(
            strategy=strategy,
            objective=tree["o11"],
            title_en=f"Extra {i}",
            starts_on=date(2025, 1, 1),
            ends_on=date(2026, 1, 1),
            budget="1000",
        )
        services.milestone_save(action=action, title_en=f"M{i}", due_on=date(2025, 6, 1))
        services.kpi_save(
            strategy=strategy,
            action=action,
            name_en=f"KPI {i}",
            baseline_value=0,
            baseline_on=date(2025, 1, 1),
            target_value=10,
            target_on=date(2027, 1, 1),
        )
        item = services.swot_item_save(strategy=strategy, quadrant="strength", text_en=f"S{i}")
        services.evidence_add(item=item, kind="url", label="doc", url="https://example.org")


@pytest.mark.django_db
def test_strategy_pages_in_both_languages(world, login, client):
    strategy = make_strategy(world.gamma)
    services.priority_save(strategy=strategy, title_en="P", title_bg="П")
    p = strategy.priorities.get()
    o = services.objective_save(strategy=strategy, priority=p, title_en="O", title_bg="Ц")
    tree = {"o11": o}
    _fill(strategy, tree, n=2)
    action = strategy.actions.first()
    kpi = strategy.kpis.first()
    item = strategy.swot_items.first()
    services.vision_save(strategy=strategy, vision_en="A vision", vision_bg="Визия")
    services.strategy_update(strategy=strategy, status="adopted")
    from tests.factories import MembershipFactory

    MembershipFactory(organisation=world.gamma, user=world.bob, role="editor")
    editor = login(world.bob)
    base = f"/{{lang}}/o/gamma/plan/{strategy.pk}"
    assert_pages_in_both_languages(
        [
            (editor, "/{lang}/o/gamma/plan/"),
            (editor, "/{lang}/o/gamma/plan/funding-sources/"),
            (editor, f"{base}/"),
            (editor, f"{base}/edit/"),
            (editor, f"{base}/priority/{p.pk}/edit/"),
            (editor, f"{base}/statuses/"),
            (editor, f"{base}/swot/"),
            (editor, f"{base}/swot/{item.pk}/"),
            (editor, f"{base}/vision/"),
            (editor, f"{base}/actions/new/"),
            (editor, f"{base}/actions/{action.pk}/"),
            (editor, f"{base}/actions/import/"),
            (editor, f"{base}/kpis/"),
            (editor, f"{base}/kpis/new/"),
            (editor, f"{base}/kpis/{kpi.pk}/"),
            (
                editor,
                f"{base}/roadmap/?priority={p.pk}&status=planned&start=2025-01-01&end=2027-01-01",
            ),
            (editor, f"{base}/history/"),
            (client, "/{lang}/strategies/"),
            (client, f"/{{lang}}/strategies/{strategy.pk}/"),
            (client, f"/{{lang}}/strategies/{strategy.pk}/?priority={p.pk}&status=planned"),
        ]
    )


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_the_data(
    world, login, client, strategy, tree, django_assert_max_num_queries
):
    services.strategy_update(strategy=strategy, status="adopted")
    world.alpha.is_public = True
    world.alpha.save()
    viewer = login(world.dave)
    pages = [
        (viewer, f"/en/o/alpha/plan/{strategy.pk}/"),
        (viewer, f"/en/o/alpha/plan/{strategy.pk}/roadmap/"),
        (viewer, f"/en/o/alpha/plan/{strategy.pk}/swot/"),
        (viewer, f"/en/o/alpha/plan/{strategy.pk}/kpis/"),
        (client, f"/en/strategies/{strategy.pk}/"),
    ]
    counts = {}
    for http, url in pages:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert http.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    _fill(strategy, tree, n=15)
    for http, url in pages:
        with django_assert_max_num_queries(counts[url] + 2):
            assert http.get(url).status_code == 200
