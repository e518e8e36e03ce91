"""SWOT drafting proposes the expected items from fixture evidence (assessment, indicators,
interviews, proposals), each with its evidence, and nothing reaches the board without a person
accepting it; drafting again does not duplicate."""

from datetime import date

import pytest
from django.core.management import call_command

from tests.assessments.answers import maximal_answer, minimal_answer
from tests.strategy.conftest import make_strategy
from zora.indicators.models import Indicator, PeerGroup, Region
from zora.indicators.services import dims_key, observation_put
from zora.participation.models import Consultation, Proposal, Topic
from zora.strategy import selectors, services
from zora.strategy.models import SwotItem


def _regions():
    bg = Region.objects.create(code="BG", level=0, name="Bulgaria", country="BG")
    bg34 = Region.objects.create(code="BG34", level=2, name="Yugoiztochen", country="BG", parent=bg)
    Region.objects.create(code="BG344", level=3, name="Stara Zagora", country="BG", parent=bg34)
    bg41 = Region.objects.create(code="BG41", level=2, name="Yugozapaden", country="BG", parent=bg)
    Region.objects.create(code="BG411", level=3, name="Sofia", country="BG", parent=bg41)
    Region.objects.create(code="EL522", level=3, name="Thessaloniki", country="EL")


def _indicator(code, direction, target, values):
    filter = {"unit": code}
    indicator = Indicator.objects.create(
        code=code,
        name_bg=f"{code} bg",
        name_en=f"{code} en",
        unit_en="%",
        direction=direction,
        theme="test",
        dataset="TEST_DS",
        filter=filter,
        dims_key=dims_key(filter.items()),
        finest_level=3,
        target_value=target[0] if target else None,
        target_year=target[1] if target else None,
    )
    for region, value in values.items():
        observation_put(
            dataset="TEST_DS",
            dims_key=indicator.dims_key,
            region_code=region,
            period="2024",
            value=value,
        )
    return indicator


@pytest.fixture
def evidence(world, citizens_for_drafting):
    alpha = world.alpha
    alpha.region_code = "BG344"
    alpha.save()
    _regions()
    PeerGroup.objects.create(
        organisation=alpha, name="Peers", region_codes=["BG344", "BG411", "EL522"]
    )
    # worse than the median (70) and far (33 %) from its target → weakness + threat
    _indicator("broadband", "higher", (90, 2030), {"BG344": 60, "BG411": 80, "EL522": 70})
    # lower is better: 10 against a median of 15 → strength; no target
    _indicator("offline", "lower", None, {"BG344": 10, "BG411": 20, "EL522": 15})
    # better than the median (72) and within 10 % of its target → strength + opportunity
    _indicator("egov", "higher", (80, 2030), {"BG344": 75, "BG411": 70, "EL522": 72})
    # Citizen proposals: a topic of 6 proposals and a proposal with 25 supports
    consultation = Consultation.objects.create(organisation=alpha, title_en="Ideas")
    topic = Topic.objects.create(consultation=consultation, name="free wi-fi in parks", size=6)
    Topic.objects.create(consultation=consultation, name="small topic", size=2)
    for i in range(6):
        Proposal.objects.create(
            consultation=consultation,
            author=citizens_for_drafting[i],
            title=f"Wi-Fi {i}",
            body="…",
            topic=topic,
            supports_count=25 if i == 0 else 1,
        )
    # Interviews: a code found 3 times, suggested as a weakness
    from zora.stakeholders.models import Code, Finding, Interview, Stakeholder

    code = Code.objects.create(
        organisation=alpha, name_en="Skills gap", name_bg="Недостиг на умения"
    )
    person = Stakeholder.objects.create(organisation=alpha, name="Someone", type="business")
    interview = Interview.objects.create(
        organisation=alpha, stakeholder=person, held_on=date(2025, 3, 1)
    )
    for n in range(3):
        Finding.objects.create(
            organisation=alpha,
            interview=interview,
            code=code,
            excerpt=f"We cannot hire ({n})",
            quadrant="weakness",
        )
    # An assessment: four dimensions at 0, four at 100 → median 50
    call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from zora.assessments import services as assessments
    from zora.assessments.models import Framework
    from zora.assessments.selectors import framework_tree

    framework = Framework.objects.get(code="city-digital-maturity")
    tree = framework_tree(framework)
    campaign = assessments.campaign_create(
        organisation=alpha,
        user=world.alice,
        framework=framework,
        stage="2025",
        name_en="City 2025",
        subjects=[alpha],
    )
    answers = {}
    for i, dimension in enumerate(tree.dimensions):
        for q in dimension.questions():
            if q.is_scored:
                answers[q.code] = minimal_answer(q) if i < 4 else maximal_answer(q)
    started = assessments.response_start(campaign=campaign, subject=campaign.subjects.get())
    assessments.response_save(response=started.response, answers=answers)
    assert assessments.response_submit(response=started.response) == []
    return {"tree": tree, "campaign": campaign, "code": code}


@pytest.fixture
def citizens_for_drafting(db):
    from tests.factories import UserFactory

    return [UserFactory() for _ in range(6)]


@pytest.mark.django_db
def test_drafting_proposes_the_expected_items_with_their_evidence(world, evidence):
    strategy = make_strategy(world.alpha, region_code="BG344")
    created = services.swot_draft(strategy=strategy)
    by_key = {item.draft_key: item for item in created}
    expected = {
        "indicator:broadband:BG344": "weakness",
        "target:broadband:BG344": "threat",
        "indicator:offline:BG344": "strength",
        "indicator:egov:BG344": "strength",
        "target:egov:BG344": "opportunity",
        f"topic:{Topic.objects.get(name='free wi-fi in parks').pk}": "opportunity",
        f"proposal:{Proposal.objects.get(title='Wi-Fi 0').pk}": "opportunity",
        f"code:{evidence['code'].pk}": "weakness",
    }
    for key, quadrant in expected.items():
        assert by_key[key].quadrant == quadrant, key
    dimensions = evidence["tree"].dimensions
    campaign = evidence["campaign"]
    for i, dimension in enumerate(dimensions):
        item = by_key[f"assessment:{campaign.pk}:{dimension.code}"]
        assert item.quadrant == ("weakness" if i < 4 else "strength")
    assert "small topic" not in " ".join(i.text_en for i in created)
    assert len(created) == len(expected) + len(dimensions)

    broadband = by_key["indicator:broadband:BG344"]
    link = broadband.evidence.get()
    assert (link.kind, link.target, link.value, link.observed) == (
        "indicator_comparison",
        "broadband@BG344",
        60,
        "2024",
    )
    assert "median 70" in link.detail
    assert broadband.text_en.startswith("broadband en: worse than the peer median")
    assert broadband.text_bg.startswith("broadband bg:")
    interview = by_key[f"code:{evidence['code'].pk}"]
    kinds = sorted(e.kind for e in interview.evidence.all())
    assert kinds == ["finding", "finding", "finding", "finding_code"]
    infra = by_key[f"assessment:{campaign.pk}:{dimensions[0].code}"]
    assert infra.evidence.get().kind == "assessment_dimension"
    assert infra.rule == "assessment.lowest_level"


@pytest.mark.django_db
def test_nothing_is_on_the_board_until_accepted_and_redrafting_does_not_duplicate(world, evidence):
    strategy = make_strategy(world.alpha, region_code="BG344")
    created = services.swot_draft(strategy=strategy)
    assert created
    board = selectors.swot_board(organisation=world.alpha, strategy=strategy)
    assert all(items == [] for items in board.values())
    assert all(i.state == SwotItem.State.PROPOSED for i in created)

    accepted = services.swot_item_accept(
        item=created[0], text_en="Edited by a person", quadrant="threat"
    )
    services.swot_item_discard(item=created[1])
    board = selectors.swot_board(organisation=world.alpha, strategy=strategy)
    assert [i.pk for i in board["threat"]] == [accepted.pk]
    assert board["threat"][0].text_en == "Edited by a person"
    assert sum(len(v) for v in board.values()) == 1

    assert services.swot_draft(strategy=strategy) == []
    assert SwotItem.objects.filter(strategy=strategy).count() == len(created)


@pytest.mark.django_db
def test_the_draft_button_needs_an_editor(world, login, evidence):
    strategy = make_strategy(world.alpha, region_code="BG344")
    url = f"/en/o/alpha/plan/{strategy.pk}/swot/"
    assert login(world.dave).post(url, {"what": "draft"}).status_code == 403
    assert SwotItem.objects.count() == 0
    response = login(world.bob).post(url, {"what": "draft"})
    assert response.status_code == 302
    assert SwotItem.objects.filter(state="proposed").count() > 0
    page = login(world.dave).get(url).content.decode()
    assert "worse than the peer median" not in page  # proposals are not on the board


@pytest.mark.django_db
def test_the_command_drafts(world, evidence, capsys):
    strategy = make_strategy(world.alpha, region_code="BG344")
    call_command("draft_swot", "--strategy", str(strategy.pk))
    assert "proposals" in capsys.readouterr().out
    assert SwotItem.objects.filter(strategy=strategy, state="proposed").exists()
