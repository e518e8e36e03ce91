import pytest
from django.urls import reverse

from zora.organisations.models import Membership, Organisation


@pytest.mark.django_db
def test_owner_changes_a_role(world, login):
    membership = Membership.objects.get(organisation=world.alpha, user=world.dave)
    response = login(world.alice).post(
        reverse("membership_update", args=["alpha", membership.pk]), {"role": "analyst"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "analyst"


@pytest.mark.django_db
def test_the_last_owner_cannot_leave_or_be_demoted(world, login):
    membership = Membership.objects.get(organisation=world.alpha, user=world.alice)
    client = login(world.alice)
    url = reverse("membership_update", args=["alpha", membership.pk])
    response = client.post(url, {"role": "viewer"}, follow=True)
    assert (
        "at least one owner" in response.content.decode()
        or "поне един" in response.content.decode()
    )
    response = client.post(url, {"action": "remove"})
    membership.refresh_from_db()
    assert membership.role == "owner"


@pytest.mark.django_db
def test_owner_removes_a_member(world, login):
    membership = Membership.objects.get(organisation=world.alpha, user=world.bob)
    login(world.alice).post(
        reverse("membership_update", args=["alpha", membership.pk]), {"action": "remove"}
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_members_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    from tests.factories import MembershipFactory

    client = login(world.alice)
    url = reverse("organisation_members", args=["alpha"])
    client.get(url)
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    MembershipFactory.create_batch(40, organisation=world.alpha)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_user_creates_an_organisation_and_owns_it(world, login):
    response = login(world.eve).post(
        reverse("organisation_create"),
        {"name_bg": "Община Казанлък", "kind": "municipality", "slug": "kazanlak", "country": "bg"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="kazanlak")
    assert organisation.country == "BG"
    assert Membership.objects.get(organisation=organisation, user=world.eve).role == "owner"


@pytest.mark.django_db
def test_create_rejects_bad_input_and_keeps_what_was_typed(world, login):
    response = login(world.eve).post(
        reverse("organisation_create"),
        {
            "name_bg": "",
            "name_en": "",
            "kind": "municipality",
            "slug": "alpha",
            "country": "Bulgaria",
            "description_en": "My long description",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "slug" in errors and "country" in errors and "__all__" in errors
    assert "My long description" in response.content.decode()
    assert Organisation.objects.count() == 3


@pytest.mark.django_db
def test_owner_edits_settings(world, login):
    response = login(world.alice).post(
        reverse("organisation_settings", args=["alpha"]),
        {
            "name_bg": "Алфа",
            "name_en": "Alpha",
            "kind": "region",
            "slug": "alpha",
            "country": "BG",
            "region_code": "bg344",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    world.alpha.refresh_from_db()
    assert (
        world.alpha.kind == "region"
        and world.alpha.region_code == "BG344"
        and world.alpha.is_public
    )
    assert world.alpha.history.count() >= 2  # the change is recorded
