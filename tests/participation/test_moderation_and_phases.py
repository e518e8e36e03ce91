import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress

from tests.factories import UserFactory
from zora.participation import services
from zora.participation.models import Block, ModerationAction, Phase, Proposal


@pytest.mark.django_db
def test_the_third_report_hides_and_nothing_is_deleted(
    world, login, client, bearer, consultation, proposals, citizens
):
    target = proposals[0]
    for reporter in citizens[:2]:
        services.report_content(reporter=reporter, reason="spam", proposal=target)
    target.refresh_from_db()
    assert target.hidden_at is None
    with pytest.raises(services.ValidationError, match="already reported"):
        services.report_content(reporter=citizens[0], reason="again", proposal=target)
    services.report_content(reporter=citizens[2], reason="advertising", proposal=target)
    target.refresh_from_db()
    assert target.hidden_at is not None and target.reports_count == 3
    assert ModerationAction.objects.filter(action="auto_hide", proposal=target).exists()
    # Gone from the list, the API and the open data, but stored and seen by moderators.
    page = client.get(f"/en/consultations/{consultation.pk}/").content.decode()
    assert "Proposal 0" not in page and "Proposal 1" in page
    assert client.get(f"/en/proposals/{target.pk}/").status_code == 404
    api = client.get(f"/api/v1/consultations/{consultation.pk}/proposals").json()
    assert target.pk not in [p["id"] for p in api["items"]] and api["count"] == 5
    assert client.get(f"/api/v1/proposals/{target.pk}").status_code == 404
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/en/consultations/{consultation.pk}/open-data.zip").content)
    )
    data = json.loads(archive.read("proposals.json"))
    assert target.pk not in [p["id"] for p in data["proposals"]] and len(data["proposals"]) == 5
    assert Proposal.objects.filter(pk=target.pk).exists()
    moderator = login(world.bob)
    assert moderator.get(f"/en/proposals/{target.pk}/").status_code == 200
    queue = moderator.get(f"/en/o/alpha/engage/{consultation.pk}/moderation/").content.decode()
    assert "Proposal 0" in queue
    moderator.post(
        f"/en/o/alpha/engage/{consultation.pk}/moderation/",
        {"proposal": target.pk, "action": "unhide"},
    )
    target.refresh_from_db()
    assert target.hidden_at is None
    moderator.post(
        f"/en/o/alpha/engage/{consultation.pk}/moderation/",
        {"proposal": target.pk, "action": "block"},
    )
    assert Block.objects.filter(user=target.author, organisation=world.alpha).exists()
    with pytest.raises(services.NotAllowed, match="blocked"):
        services.support_add(proposal=proposals[1], user=target.author)


@pytest.mark.django_db
def test_open_data_has_no_personal_data(client, consultation, proposals):
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/en/consultations/{consultation.pk}/open-data.zip").content)
    )
    text = (
        archive.read("proposals.csv").decode("utf-8-sig") + archive.read("proposals.json").decode()
    )
    assert "Proposal 3" in text and "@example.org" not in text and "citizen" not in text.lower()


@pytest.mark.django_db
def test_phases_decide_who_may_do_what(world, consultation, citizens):
    citizen = citizens[0]
    consultation.phase = Phase.COLLECT
    consultation.save()
    proposal = services.proposal_create(
        consultation=consultation, author=citizen, title="A new park", body="Trees."
    )
    with pytest.raises(services.NotAllowed, match="supported"):
        services.support_add(proposal=proposal, user=citizens[1])
    unverified = UserFactory(email="fresh@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    with pytest.raises(services.NotAllowed, match="Confirm your e-mail"):
        services.proposal_create(consultation=consultation, author=unverified, title="x", body="y")
    services.comment_create(
        proposal=proposal, author=unverified, body="Nice"
    )  # an account is enough
    consultation.phase = Phase.SUPPORT
    consultation.save()
    with pytest.raises(services.NotAllowed, match="not accepted"):
        services.proposal_create(
            consultation=consultation, author=citizen, title="Late", body="Too late"
        )
    consultation.phase = Phase.CLOSED
    consultation.save()
    with pytest.raises(services.NotAllowed, match="closed"):
        services.comment_create(proposal=proposal, author=citizen, body="Closed?")


@pytest.mark.django_db
def test_tenant_isolation_and_roles(world, login, client, consultation, proposals):
    urls = [
        f"/en/o/alpha/engage/{consultation.pk}/moderation/",
        f"/en/o/alpha/engage/{consultation.pk}/topics/",
    ]
    for url in urls:
        assert login(world.charlie).get(url).status_code == 404
        assert login(world.dave).get(url).status_code == 403
        assert login(world.bob).get(url).status_code == 200
    assert (
        login(world.charlie).get(f"/en/o/beta/engage/{consultation.pk}/moderation/").status_code
        == 404
    )
    consultation.is_published = False
    consultation.save()
    assert client.get(f"/en/consultations/{consultation.pk}/").status_code == 404
    assert login(world.charlie).get(f"/en/proposals/{proposals[0].pk}/").status_code == 404
    assert login(world.dave).get(f"/en/consultations/{consultation.pk}/").status_code == 200
    assert client.get(f"/api/v1/consultations/{consultation.pk}/proposals").status_code == 404
    assert client.get("/api/v1/organisations/alpha/consultations").status_code == 404


@pytest.mark.django_db
def test_official_answer_notifies_author_and_supporters(
    world, login, consultation, proposals, citizens, django_capture_on_commit_callbacks
):
    from django.core import mail

    proposal = proposals[0]
    services.support_add(proposal=proposal, user=citizens[20])
    citizens[21].notifications = "daily"
    citizens[21].save()
    services.support_add(proposal=proposal, user=citizens[21])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.bob).post(
            f"/en/proposals/{proposal.pk}/answer/",
            {
                "state": consultation.answer_states.get().pk,
                "text_en": "We will do it in 2026.",
                "cost": "45000",
            },
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (
        proposal.answer_state.code == "accepted" and proposal.answer_en == "We will do it in 2026."
    )
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(
        [citizens[0].email, citizens[20].email]
    )  # the daily one waits for the digest
    from zora.core.notifications import send_digests

    assert send_digests() == 1 and mail.outbox[-1].to == [citizens[21].email]
    assert login(world.dave).post(f"/en/proposals/{proposal.pk}/answer/", {}).status_code == 403
