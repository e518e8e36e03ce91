"""With 10,000 proposals and 500 comments on one, the list (first and 200th page) and the
proposal page need a small, fixed number of queries, signed in or not, cached or not."""

import pytest
from django.core.cache import cache

from zora.participation.caching import CACHE_HEADER
from zora.participation.models import Comment, Proposal, Support

LIST_QUERIES = 11  # signed in: session, user, memberships, consultation, count, page, …
PAGE_QUERIES = 13


@pytest.fixture
def big(consultation, citizens):
    category = consultation.categories.get()
    Proposal.objects.bulk_create(
        [
            Proposal(
                consultation=consultation,
                author=citizens[i % 50],
                title=f"Idea {i}",
                body="Body",
                category=category if i % 2 else None,
                supports_count=i % 97,
            )
            for i in range(10_000)
        ],
        batch_size=2000,
    )
    heavy = Proposal.objects.filter(consultation=consultation).order_by("id").first()
    threads = Comment.objects.bulk_create(
        [Comment(proposal=heavy, author=citizens[i % 50], body=f"Comment {i}") for i in range(400)]
    )
    Comment.objects.bulk_create(
        [Comment(proposal=heavy, author=citizens[1], body="Reply", parent=t) for t in threads[:100]]
    )
    Support.objects.create(proposal=heavy, user=citizens[0], consultation=consultation)
    cache.clear()
    return heavy


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?sort=supported", "?page=200", "?sort=random&seed=4&page=3"])
def test_list_pages(
    client, login, consultation, big, citizens, django_assert_max_num_queries, query
):
    url = f"/en/consultations/{consultation.pk}/{query}"
    user = login(citizens[0])
    with django_assert_max_num_queries(LIST_QUERIES):
        signed_in = user.get(url)
    assert signed_in.status_code == 200 and signed_in.content.decode().count("proposal-card") == 20
    with django_assert_max_num_queries(LIST_QUERIES):
        anonymous = client.get(url)
    assert (
        anonymous[CACHE_HEADER] == "miss"
        and "Page 200 of 500"
        in client.get(f"/en/consultations/{consultation.pk}/?page=200").content.decode()
    )
    with django_assert_max_num_queries(1):
        assert client.get(url)[CACHE_HEADER] == "hit"


@pytest.mark.django_db
def test_proposal_page_with_500_comments(
    client, login, consultation, big, citizens, django_assert_max_num_queries
):
    url = f"/en/proposals/{big.pk}/"
    user = login(citizens[0])
    with django_assert_max_num_queries(PAGE_QUERIES):
        signed_in = user.get(url)
    html = signed_in.content.decode()
    assert "Withdraw my support" in html and "Page 1 of 20" in html
    with django_assert_max_num_queries(PAGE_QUERIES):
        last = client.get(url + "?page=20")
    assert last[CACHE_HEADER] == "miss" and "Comment 399" in last.content.decode()
    with django_assert_max_num_queries(1):
        assert client.get(url + "?page=20")[CACHE_HEADER] == "hit"
