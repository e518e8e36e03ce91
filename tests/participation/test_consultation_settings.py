"""Editors change a consultation's settings, its per-phase rights, places, categories and
answer states from the settings page; nothing is saved when anything is wrong."""

import pytest

from zora.participation import services
from zora.participation.models import AnswerState, Category, Consultation, Phase, Proposal


def url(consultation, org="alpha"):
    return f"/en/o/{org}/engage/{consultation.pk}/settings/"


def settings_post(consultation, **changes):
    """The settings form as the page submits it, unchanged, with `changes` applied."""
    data = {
        "title_bg": consultation.title_bg,
        "title_en": consultation.title_en,
        "description_bg": consultation.description_bg,
        "description_en": consultation.description_en,
        "phase": consultation.phase,
        "is_published": "on" if consultation.is_published else "",
        "support_threshold": consultation.support_threshold,
        "support_limit": consultation.support_limit,
        "edit_minutes": consultation.edit_minutes,
        "auto_hide_reports": consultation.auto_hide_reports,
        "locations": "\n".join(consultation.locations),
    }
    for phase in Phase:
        for action in ("create", "support", "comment"):
            data[f"perm-{phase.value}-{action}"] = consultation.access(action, phase.value)
    categories = list(consultation.categories.order_by("id"))
    data.update(
        {
            "categories-TOTAL_FORMS": len(categories) + 1,
            "categories-INITIAL_FORMS": len(categories),
            "categories-MIN_NUM_FORMS": 0,
            "categories-MAX_NUM_FORMS": 1000,
        }
    )
    for i, c in enumerate(categories):
        data.update(
            {
                f"categories-{i}-id": c.pk,
                f"categories-{i}-name_bg": c.name_bg,
                f"categories-{i}-name_en": c.name_en,
                f"categories-{i}-code": c.code,
            }
        )
    states = list(consultation.answer_states.all())
    data.update(
        {
            "states-TOTAL_FORMS": len(states) + 1,
            "states-INITIAL_FORMS": len(states),
            "states-MIN_NUM_FORMS": 0,
            "states-MAX_NUM_FORMS": 1000,
            f"states-{len(states)}-colour": "#e8eef5",
        }
    )
    for i, s in enumerate(states):
        data.update(
            {
                f"states-{i}-id": s.pk,
                f"states-{i}-label_bg": s.label_bg,
                f"states-{i}-label_en": s.label_en,
                f"states-{i}-code": s.code,
                f"states-{i}-colour": s.colour,
            }
        )
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.django_db
def test_the_page_shows_the_rights_as_a_table_with_labelled_cells(world, login, consultation):
    page = login(world.bob).get(url(consultation))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<th scope="row">Supporting proposals</th>' in html
    assert '<th scope="col">Support proposals</th>' in html
    assert 'for="id_perm-support-support"' in html
    assert "Support proposals — Supporting proposals" in html
    assert '<option value="verified" selected>' in html


@pytest.mark.django_db
def test_an_editor_closes_supports_in_the_support_phase(
    world, login, consultation, proposals, citizens
):
    response = login(world.bob).post(
        url(consultation), settings_post(consultation, **{"perm-support-support": "nobody"})
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.permissions["support"]["support"] == "nobody"
    assert consultation.permissions["collect"]["create"] == "verified"  # the rest unchanged
    with pytest.raises(services.NotAllowed, match="cannot be supported"):
        services.support_add(proposal=proposals[0], user=citizens[10])
    api = login(citizens[10]).post(f"/api/v1/proposals/{proposals[0].pk}/supports")
    assert api.status_code == 403


@pytest.mark.django_db
def test_an_editor_opens_supports_to_members_only(world, login, consultation, proposals, citizens):
    response = login(world.bob).post(
        url(consultation), settings_post(consultation, **{"perm-support-support": "members"})
    )
    assert response.status_code == 302
    consultation.refresh_from_db()  # the proposals' consultation
    with pytest.raises(services.NotAllowed, match="Only members"):
        services.support_add(proposal=proposals[0], user=citizens[10])
    services.support_add(proposal=proposals[0], user=world.dave)  # a viewer is a member


@pytest.mark.django_db
def test_settings_categories_places_and_states_are_saved_together(
    world, login, consultation, proposals
):
    digital = consultation.categories.get()
    accepted = consultation.answer_states.get()
    data = settings_post(
        consultation,
        support_threshold=150,
        support_limit=5,
        auto_hide_reports=4,
        locations="Център\nЖелезник\n\nЦентър",
        **{
            "categories-0-name_en": "Digital services",
            "categories-1-name_bg": "Зелен град",
            "categories-1-name_en": "Green city",
            "states-1-label_bg": "Отхвърлена",
            "states-1-label_en": "Rejected",
            "states-1-colour": "#ffdddd",
        },
    )
    assert login(world.bob).post(url(consultation), data).status_code == 302
    consultation.refresh_from_db()
    assert (consultation.support_threshold, consultation.support_limit) == (150, 5)
    assert consultation.auto_hide_reports == 4
    assert consultation.locations == ["Център", "Железник"]
    digital.refresh_from_db()
    assert digital.name_en == "Digital services" and digital.code == "digital"
    assert (
        Category.objects.get(consultation=consultation, code="green-city").name_bg == "Зелен град"
    )
    assert AnswerState.objects.get(consultation=consultation, code="rejected").colour == "#ffdddd"
    # The places become the choices of the proposal form, checked by the service too.
    consultation.phase = Phase.COLLECT
    consultation.save()
    with pytest.raises(services.ValidationError, match="places"):
        services.proposal_create(
            consultation=consultation, author=world.bob, title="A park", body="x", location="Мars"
        )
    # Deleting a category keeps its proposals; a state that answers use cannot be deleted.
    services.answer_proposal(
        proposal=proposals[0], moderator=world.bob, state=accepted, text_en="Yes"
    )
    data = settings_post(consultation, **{"categories-0-DELETE": "on", "states-0-DELETE": "on"})
    response = login(world.bob).post(url(consultation), data)
    assert response.status_code == 400 and "cannot be deleted" in response.content.decode()
    assert consultation.categories.count() == 2  # nothing was saved
    data.pop("states-0-DELETE")
    assert login(world.bob).post(url(consultation), data).status_code == 302
    assert not Category.objects.filter(pk=digital.pk).exists()
    assert Proposal.objects.filter(pk=proposals[0].pk, category=None).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"perm-support-support": "everyone"},  # not a choice
        {"perm-collect-create": ""},  # a cell left empty
        {"title_bg": "", "title_en": ""},
        {"auto_hide_reports": "0"},
        {"support_limit": "-1"},
        {"categories-1-name_en": "Digital", "categories-1-code": "digital"},  # a code twice
        {"categories-1-name_en": "Bad", "categories-1-code": "not a slug"},
        {"states-1-label_en": "Odd", "states-1-colour": "red"},
    ],
)
def test_bad_input_changes_nothing(world, login, consultation, changes):
    before = Consultation.objects.values().get(pk=consultation.pk)
    categories = list(Category.objects.values())
    data = settings_post(consultation, support_threshold=99, **changes)
    response = login(world.bob).post(url(consultation), data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert Consultation.objects.values().get(pk=consultation.pk) == before
    assert list(Category.objects.values()) == categories


@pytest.mark.django_db
def test_a_service_error_after_the_settings_rolls_everything_back(world, consultation):
    with pytest.raises(services.ValidationError):
        services.consultation_configure(
            consultation=consultation,
            values={"support_threshold": 77},
            permissions=consultation.permissions,
            categories=[{"id": None, "name_en": "Twice", "code": "digital"}],
        )
    consultation.refresh_from_db()
    assert consultation.support_threshold == 0


@pytest.mark.django_db
def test_viewers_and_other_tenants_cannot_change_the_settings(world, login, client, consultation):
    data = settings_post(consultation, **{"perm-support-support": "nobody"})
    assert login(world.dave).get(url(consultation)).status_code == 403
    assert login(world.dave).post(url(consultation), data).status_code == 403
    assert login(world.carol).post(url(consultation), data).status_code == 403
    assert login(world.charlie).post(url(consultation), data).status_code == 404
    assert login(world.charlie).post(url(consultation, "beta"), data).status_code == 404
    assert client.post(url(consultation), data).status_code == 302  # to the log-in page
    consultation.refresh_from_db()
    assert consultation.permissions["support"]["support"] == "verified"


@pytest.mark.django_db
def test_a_new_consultation_leads_to_its_settings(world, login):
    response = login(world.bob).post(
        "/en/o/alpha/engage/",
        {
            "title_en": "Budget 2027",
            "phase": "collect",
            "is_published": "on",
            "support_threshold": 0,
            "support_limit": 0,
            "edit_minutes": 60,
            "auto_hide_reports": 3,
        },
    )
    created = Consultation.objects.get(title_en="Budget 2027")
    assert response.status_code == 302 and response.url == url(created)
    assert created.access("create") == "verified"
