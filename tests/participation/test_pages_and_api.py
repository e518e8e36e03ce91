import pytest

from zora.participation import services
from zora.participation.models import Comment, Proposal, Support


def many_proposals(consultation, author, n, start=0):
    Proposal.objects.bulk_create(
        [
            Proposal(
                consultation=consultation,
                author=author,
                title=f"Bulk proposal {start + i}",
                body="Body",
            )
            for i in range(n)
        ]
    )


@pytest.mark.django_db
def test_list_queries_do_not_grow(
    client, consultation, proposals, citizens, django_assert_max_num_queries, login
):
    url = f"/en/consultations/{consultation.pk}/?sort=supported"
    signed_in = login(citizens[0])
    signed_in.get(url)
    with django_assert_max_num_queries(20) as few:
        signed_in.get(url)
    many_proposals(consultation, citizens[1], 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = signed_in.get(url + "&page=3")
    assert page.status_code == 200


@pytest.mark.django_db
def test_proposal_page_queries_do_not_grow_with_comments(
    proposals, citizens, django_assert_max_num_queries, login
):
    proposal = proposals[0]
    url = f"/en/proposals/{proposal.pk}/"
    client = login(citizens[59])  # signed in: rendered every time (anonymous: test_caching)
    services.comment_create(proposal=proposal, author=citizens[0], body="First")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    parents = Comment.objects.bulk_create(
        [Comment(proposal=proposal, author=citizens[i % 50], body=f"c{i}") for i in range(40)]
    )
    Comment.objects.bulk_create(
        [Comment(proposal=proposal, author=citizens[1], body="r", parent=p) for p in parents]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('class="comment"') >= 20


@pytest.mark.django_db
def test_sorting_filters_and_stable_random(client, consultation, proposals, citizens):
    services.support_add(proposal=proposals[4], user=citizens[0])
    page = client.get(f"/en/consultations/{consultation.pk}/?sort=supported").content.decode()
    assert page.index("Proposal 4") < page.index("Proposal 1")
    import re

    def order(seed):
        html = client.get(
            f"/en/consultations/{consultation.pk}/?sort=random&seed={seed}"
        ).content.decode()
        return re.findall(r"Proposal \d", html)

    assert order(5) == order(5) and sorted(order(5)) == sorted(order(6))
    found = client.get(f"/en/consultations/{consultation.pk}/?q=proposal+2").content.decode()
    assert "Proposal 2" in found and "Proposal 3" not in found


@pytest.mark.django_db
def test_submitting_a_proposal_with_honeypot_and_rate_limit(consultation, citizens, login):
    consultation.phase = "collect"
    consultation.save()
    client = login(citizens[0])
    url = f"/en/consultations/{consultation.pk}/new/"
    bot = client.post(
        url, {"title": "Cheap pills", "body": "Buy now", "website": "http://spam.example"}
    )
    assert bot.status_code == 400 and not Proposal.objects.filter(title="Cheap pills").exists()
    ok = client.post(url, {"title": "Free Wi-Fi in the park", "body": "In Ayazmoto park."})
    assert ok.status_code == 302
    statuses = [
        client.post(url, {"title": f"Idea number {i}", "body": "More"}).status_code
        for i in range(12)
    ]
    assert 429 in statuses
    kept = client.post(url, {"title": "", "body": "A body without a title"})
    assert kept.status_code in (400, 429)


@pytest.mark.django_db
def test_api(client, bearer, world, consultation, proposals, citizens):
    assert (
        client.get("/api/v1/organisations/alpha/consultations").status_code == 404
    )  # alpha is private
    listed = client.get(
        "/api/v1/organisations/alpha/consultations", headers=bearer(world.dave)
    ).json()
    assert listed[0]["id"] == consultation.pk and listed[0]["phase"] == "support"
    page = client.get(f"/api/v1/consultations/{consultation.pk}/proposals?page=1").json()
    assert page["count"] == 6 and {"id", "title", "state", "supports_count"} <= set(
        page["items"][0]
    )
    headers = bearer(citizens[30])
    created = client.post(f"/api/v1/proposals/{proposals[0].pk}/supports", headers=headers)
    assert created.status_code == 201 and created.json()["supports_count"] == 1
    assert (
        client.post(f"/api/v1/proposals/{proposals[0].pk}/supports", headers=headers).status_code
        == 409
    )
    assert (
        client.delete(f"/api/v1/proposals/{proposals[0].pk}/supports", headers=headers).json()[
            "supports_count"
        ]
        == 0
    )
    assert client.post(f"/api/v1/proposals/{proposals[0].pk}/supports").status_code == 401
    detail = client.get(f"/api/v1/proposals/{proposals[0].pk}").json()
    assert detail["title"] == "Proposal 0" and detail["category"] == "digital"
    new = client.post(
        f"/api/v1/consultations/{consultation.pk}/proposals",
        {"title": "Late idea", "body": "text"},
        content_type="application/json",
        headers=headers,
    )
    assert new.status_code == 403  # support phase: no new proposals
    consultation.phase = "collect"
    consultation.save()
    new = client.post(
        f"/api/v1/consultations/{consultation.pk}/proposals",
        {"title": "Good idea", "body": "text", "category": "digital"},
        content_type="application/json",
        headers=headers,
    )
    assert new.status_code == 201 and new.json()["category"] == "digital"
    comment = client.post(
        f"/api/v1/proposals/{proposals[0].pk}/comments",
        {"body": "Agreed"},
        content_type="application/json",
        headers=headers,
    )
    assert comment.status_code == 201
    assert client.get(f"/api/v1/proposals/{proposals[0].pk}/comments").json()["count"] == 1
    assert Support.objects.count() == 0


@pytest.mark.django_db
def test_author_edits_within_the_window(consultation, proposals, citizens, login):
    from datetime import timedelta

    from django.utils import timezone

    proposal = proposals[0]
    author = login(proposal.author)
    assert author.get(f"/en/proposals/{proposal.pk}/edit/").status_code == 200
    response = author.post(
        f"/en/proposals/{proposal.pk}/edit/", {"title": "Better title", "body": "Better body"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (
        proposal.title == "Better title" and proposal.edited_at is not None and proposal.embedding
    )
    assert (
        login(citizens[40])
        .post(f"/en/proposals/{proposal.pk}/edit/", {"title": "X", "body": "Y"})
        .status_code
        == 302
    )
    proposal.refresh_from_db()
    assert proposal.title == "Better title"  # only the author
    Proposal.objects.filter(pk=proposal.pk).update(created_at=timezone.now() - timedelta(hours=3))
    author.post(f"/en/proposals/{proposal.pk}/edit/", {"title": "Too late", "body": "Late"})
    proposal.refresh_from_db()
    assert proposal.title == "Better title"
