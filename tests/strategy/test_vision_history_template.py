"""Vision versions open for comments through the consultation machinery; proposal authors are
notified; history records who changed what; a strategy exported as JSON becomes a template in
another organisation without personal data."""

import json
from datetime import date

import pytest
from django.utils import translation

from tests.factories import UserFactory
from tests.strategy.conftest import status
from zora.core.models import Notification
from zora.participation import services as participation
from zora.participation.models import Consultation, Proposal
from zora.strategy import exports, selectors, services
from zora.strategy.models import Action, Strategy


@pytest.mark.django_db
def test_vision_versions_and_comments(world, login, strategy):
    first = services.vision_save(
        strategy=strategy, vision_en="Smart", vision_bg="Умен", user=world.bob
    )
    second = services.vision_save(
        strategy=strategy, vision_en="Smarter", user=world.bob, note="sharper"
    )
    assert (first.version, second.version) == (1, 2)
    assert selectors.vision_current(organisation=world.alpha, strategy=strategy) == second
    response = login(world.bob).post(
        f"/en/o/alpha/plan/{strategy.pk}/vision/", {"what": "open", "version": second.pk}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    proposal = Proposal.objects.get(pk=second.proposal_id)
    assert proposal.consultation.organisation == world.alpha
    assert "Smarter" in proposal.body
    assert response["Location"].endswith(f"/proposals/{proposal.pk}/")
    citizen = UserFactory()
    comment = participation.comment_create(
        proposal=proposal, author=citizen, body="Add the villages."
    )
    assert comment.pk
    with pytest.raises(participation.NotAllowed):
        participation.proposal_create(
            consultation=proposal.consultation, author=citizen, title="x", body="y"
        )
    assert services.vision_open_for_comments(vision=second, user=world.bob) == proposal.pk  # once
    assert Consultation.objects.count() == 1


@pytest.mark.django_db
def test_proposal_authors_are_told_when_linked_and_when_the_status_changes(world, strategy, tree):
    author = UserFactory(email="author@example.org", notifications="immediate")
    consultation = Consultation.objects.create(organisation=world.alpha, title_en="Ideas")
    proposal = Proposal.objects.create(
        consultation=consultation, author=author, title="Wi-Fi", body="…"
    )
    services.proposal_link(action=tree["A1"], proposal=proposal)
    assert Notification.objects.filter(user=author).count() == 1
    services.proposal_link(action=tree["A1"], proposal=proposal)  # already linked: no new message
    assert Notification.objects.filter(user=author).count() == 1
    services.action_save(
        strategy=strategy, action=tree["A1"], status=status(strategy, "in_progress")
    )
    services.action_save(strategy=strategy, action=tree["A1"], progress=30)  # no status change
    notes = list(Notification.objects.filter(user=author).order_by("id"))
    assert len(notes) == 2
    other = Consultation.objects.create(organisation=world.beta, title_en="Theirs")
    foreign = Proposal.objects.create(consultation=other, author=author, title="x", body="y")
    with pytest.raises(Exception, match="your own consultations"):
        services.proposal_link(action=tree["A1"], proposal=foreign)


@pytest.mark.django_db
def test_history_says_who_changed_what(world, login, strategy, tree):
    from simple_history.utils import update_change_reason  # noqa: F401

    action = tree["A1"]
    action._history_user = world.bob  # as the middleware does for a request
    services.action_save(strategy=strategy, action=action, title_en="Vouchers for SMEs")
    changes = selectors.changes_between(
        organisation=world.alpha, strategy=strategy, start=date(2000, 1, 1)
    )
    change = next(c for c in changes if c.kind == "~" and c.title == "Vouchers for SMEs")
    assert change.who == world.bob.display_name
    assert ("title (English)", "Vouchers", "Vouchers for SMEs") in change.fields
    assert (
        selectors.changes_between(organisation=world.alpha, strategy=strategy, end=date(2000, 1, 1))
        == []
    )
    page = login(world.dave).get(f"/en/o/alpha/plan/{strategy.pk}/history/").content.decode()
    assert "Vouchers for SMEs" in page


@pytest.mark.django_db
def test_json_template_into_another_organisation(world, login, strategy, tree):
    action = tree["A1"]
    services.action_save(
        strategy=strategy, action=action, owner_person="Maria Ivanova", budget="1000"
    )
    services.milestone_save(action=action, title_en="Start", due_on=date(2025, 3, 1))
    services.kpi_save(
        strategy=strategy,
        objective=tree["o11"],
        name_en="SMEs",
        target_value=10,
        target_on=date(2027, 1, 1),
    )
    item = services.swot_item_save(strategy=strategy, quadrant="threat", text_en="Brain drain")
    services.evidence_add(item=item, kind="url", label="Study", url="https://example.org")
    consultation = Consultation.objects.create(organisation=world.alpha, title_en="Ideas")
    author = UserFactory(email="private.person@example.org")
    services.proposal_link(
        action=action,
        proposal=Proposal.objects.create(
            consultation=consultation, author=author, title="t", body="b"
        ),
    )
    data = exports.strategy_to_json(strategy=strategy)
    text = json.dumps(data, ensure_ascii=False)
    assert "Maria Ivanova" not in text and "private.person" not in text
    copy = services.strategy_import_template(organisation=world.beta, data=json.loads(text))
    assert copy.organisation == world.beta and copy.status == "draft" and copy.pk != strategy.pk
    assert copy.actions.count() == 4 and copy.milestones.count() == 1 and copy.kpis.count() == 1
    assert set(copy.actions.values_list("pk", flat=True)).isdisjoint(
        set(Action.objects.filter(strategy=strategy).values_list("pk", flat=True))
    )
    assert copy.swot_items.get().evidence.get().url == "https://example.org"
    response = login(world.dave).get(f"/en/o/alpha/plan/{strategy.pk}/export.json")
    assert response.json()["format"] == "zora-strategy"
    with pytest.raises(Exception, match="not a Zora strategy template"):
        services.strategy_import_template(organisation=world.beta, data={"format": "other"})
    assert Strategy.objects.filter(organisation=world.beta).count() == 1


@pytest.mark.django_db
def test_kpi_bound_to_an_indicator_reads_new_observations(world, strategy, tree):
    from zora.indicators.models import Indicator
    from zora.indicators.services import observation_put

    indicator = Indicator.objects.create(
        code="bb", name_en="Broadband", name_bg="ШД", theme="t", dataset="DS", dims_key="unit=PC"
    )
    kpi = services.kpi_save(
        strategy=strategy,
        objective=tree["o11"],
        name_en="Broadband",
        indicator=indicator,
        region_code="BG34",
        baseline_value=50,
        baseline_on=date(2023, 12, 31),
        target_value=90,
        target_on=date(2029, 12, 31),
    )
    view = selectors.kpi_list(organisation=world.alpha, strategy=strategy)[0]
    assert view.status == "no_data"
    observation_put(dataset="DS", dims_key="unit=PC", region_code="BG34", period="2025", value=70)
    view = selectors.kpi_list(organisation=world.alpha, strategy=strategy)[0]
    assert view.kpi == kpi and view.points == [(date(2025, 12, 31), 70)]
    assert view.status == "on_track"


@pytest.mark.django_db
def test_history_keeps_links_prerequisites_and_linked_proposals(world, strategy, tree):
    a1, a2 = tree["A1"], tree["A2"]
    a1.depends_on.add(a2)
    consultation = Consultation.objects.create(organisation=world.alpha, title_en="Ideas")
    proposal = Proposal.objects.create(
        consultation=consultation, author=world.eve, title="Wi-Fi", body="…"
    )
    services.proposal_link(action=a1, proposal=proposal)
    with translation.override("en"):
        changes = selectors.changes_between(organisation=world.alpha, strategy=strategy)
    prerequisite = next(
        c
        for c in changes
        if c.kind == "~" and any(f[0] == "prerequisite actions" for f in c.fields)
    )
    field = next(f for f in prerequisite.fields if f[0] == "prerequisite actions")
    assert field[1:] == ("—", f"#{a2.pk}")
    link = next(c for c in changes if c.title.startswith(f"Proposal #{proposal.pk}"))
    assert link.kind == "+"
