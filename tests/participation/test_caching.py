"""The anonymous page cache and the card cache are renewed by every write that changes what the
pages show, never show hidden content, and never hold one user's state."""

import pytest
from django.core.cache import cache

from zora.participation import services
from zora.participation.caching import CACHE_HEADER
from zora.participation.models import (
    Category,
    Comment,
    Consultation,
    PageVersion,
    Phase,
    Proposal,
)


def list_url(consultation, lang="en"):
    return f"/{lang}/consultations/{consultation.pk}/?sort=newest"


@pytest.fixture
def warm(client, consultation, proposals):
    """Both public pages cached for anonymous visitors."""
    for url in (list_url(consultation), f"/en/proposals/{proposals[0].pk}/"):
        assert client.get(url)[CACHE_HEADER] == "miss"
        assert client.get(url)[CACHE_HEADER] == "hit"
    return proposals


@pytest.mark.django_db
def test_anonymous_pages_are_cached_without_cookies(
    client, consultation, proposals, django_assert_max_num_queries
):
    url = list_url(consultation)
    first = client.get(url)
    assert first[CACHE_HEADER] == "miss" and not first.cookies
    with django_assert_max_num_queries(1):  # the consultation, for its version
        second = client.get(url)
    assert second[CACHE_HEADER] == "hit" and second.content == first.content
    assert not second.cookies and 'X-CSRFToken": ""' in second.content.decode()
    assert "Content-Security-Policy" in second.headers
    client.get(f"/en/proposals/{proposals[0].pk}/")
    with django_assert_max_num_queries(1):  # the proposal with its consultation
        proposal = client.get(f"/en/proposals/{proposals[0].pk}/")
    assert proposal[CACHE_HEADER] == "hit"


@pytest.mark.django_db
def test_the_key_holds_the_language_and_the_query(client, consultation, proposals):
    client.get(list_url(consultation))
    bulgarian = client.get(list_url(consultation, "bg"))
    assert bulgarian[CACHE_HEADER] == "miss" and "Идеи за Алфа" in bulgarian.content.decode()
    other = client.get(f"/en/consultations/{consultation.pk}/?sort=newest&q=Proposal+3")
    assert other[CACHE_HEADER] == "miss"
    assert "Proposal 3" in other.content.decode() and "Proposal 2" not in other.content.decode()
    same = client.get(f"/en/consultations/{consultation.pk}/?q=Proposal+3&sort=newest")
    assert same[CACHE_HEADER] == "hit"  # the same query in another order


def _create(c, proposals, citizens, world):
    c.phase = Phase.COLLECT
    c.save()
    services.proposal_create(consultation=c, author=citizens[7], title="Solar roofs", body="x")
    return "Solar roofs"


def _edit(c, proposals, citizens, world):
    p = proposals[0]
    services.proposal_edit(proposal=p, user=p.author, title="Renamed idea", body="b")
    return "Renamed idea"


def _support(c, proposals, citizens, world):
    services.support_add(proposal=proposals[0], user=citizens[30])
    return ("<strong>1</strong> supports", '<span class="stat">1</span> supports')


def _unsupport(c, proposals, citizens, world):
    Proposal.objects.filter(pk=proposals[0].pk).update(supports_count=5)
    services.support_remove(proposal=proposals[0], user=citizens[30])  # nothing to remove
    services.support_add(proposal=proposals[0], user=citizens[30])
    services.support_remove(proposal=proposals[0], user=citizens[30])
    return ("<strong>5</strong> supports", '<span class="stat">5</span> supports')


def _comment(c, proposals, citizens, world):
    services.comment_create(proposal=proposals[0], author=citizens[31], body="Great idea")
    return "Great idea"


def _answer(c, proposals, citizens, world):
    services.answer_proposal(
        proposal=proposals[0], moderator=world.bob, state=c.answer_states.get(), text_en="Yes"
    )
    return "Accepted"


def _category_in_admin(c, proposals, citizens, world):
    category = Category.objects.get(consultation=c)
    category.name_en = "Smart city"
    category.save()
    return "Smart city"


def _settings(c, proposals, citizens, world):
    services.consultation_configure(
        consultation=c,
        values={"title_en": "Ideas for a better Alpha"},
        permissions=c.permissions,
    )
    return "Ideas for a better Alpha"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [_create, _edit, _support, _unsupport, _comment, _answer, _category_in_admin, _settings],
    ids=lambda f: f.__name__.strip("_"),
)
def test_writes_renew_the_cached_pages(client, world, consultation, warm, citizens, change):
    expected = change(consultation, warm, citizens, world)
    on_list = client.get(list_url(consultation))
    on_page = client.get(f"/en/proposals/{warm[0].pk}/")
    assert on_list[CACHE_HEADER] == "miss" and on_page[CACHE_HEADER] == "miss"
    page_text = on_page.content.decode()
    list_text = on_list.content.decode()
    if isinstance(expected, tuple):
        assert expected[0] in list_text and expected[1] in page_text
    elif change is _comment:
        assert expected in page_text
    elif change is _create:
        assert expected in list_text
    else:
        assert expected in list_text and expected in page_text


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["moderator", "reports", "withdrawn"])
def test_hidden_content_leaves_the_cached_pages_at_once(
    client, world, consultation, warm, citizens, how
):
    target = warm[0]
    if how == "moderator":
        services.moderate(
            consultation=consultation, moderator=world.bob, action="hide", proposal=target
        )
    elif how == "reports":
        for reporter in citizens[:3]:
            services.report_content(reporter=reporter, reason="spam", proposal=target)
    else:
        services.proposal_withdraw(proposal=target, user=target.author)
    assert "Proposal 0" not in client.get(list_url(consultation)).content.decode()
    page = client.get(f"/en/proposals/{target.pk}/")
    if how == "withdrawn":
        assert "withdrew" in page.content.decode()
    else:
        assert page.status_code == 404


@pytest.mark.django_db
def test_a_hidden_comment_leaves_the_cached_page(client, world, consultation, proposals, citizens):
    comment = services.comment_create(proposal=proposals[0], author=citizens[5], body="Buy pills")
    url = f"/en/proposals/{proposals[0].pk}/"
    client.get(url)
    assert "Buy pills" in client.get(url).content.decode()
    services.moderate(
        consultation=consultation, moderator=world.bob, action="hide", comment=comment
    )
    assert "Buy pills" not in client.get(url).content.decode()
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.django_db
def test_unpublishing_hides_the_cached_pages(client, consultation, warm):
    consultation.is_published = False
    consultation.save()
    assert client.get(list_url(consultation)).status_code == 404
    assert client.get(f"/en/proposals/{warm[0].pk}/").status_code == 404


@pytest.mark.django_db
def test_signed_in_users_see_their_own_state_and_it_is_never_cached(
    client, login, consultation, proposals, citizens
):
    services.support_add(proposal=proposals[2], user=citizens[40])
    supporter = login(citizens[40])
    mine = supporter.get(list_url(consultation))
    assert CACHE_HEADER not in mine and "you support it" in mine.content.decode()
    page = supporter.get(f"/en/proposals/{proposals[2].pk}/")
    assert CACHE_HEADER not in page and "Withdraw my support" in page.content.decode()
    # The cards the supporter's page cached hold no per-user bit.
    anonymous = client.get(list_url(consultation)).content.decode()
    assert "you support it" not in anonymous
    other = login(citizens[41]).get(list_url(consultation)).content.decode()
    assert "you support it" not in other
    assert (
        "Withdraw my support"
        not in client.get(f"/en/proposals/{proposals[2].pk}/").content.decode()
    )


@pytest.mark.django_db
def test_a_visitor_with_messages_or_a_session_is_not_served_from_the_cache(
    client, consultation, proposals
):
    url = list_url(consultation)
    client.get(url)
    client.cookies["messages"] = "something"
    assert CACHE_HEADER not in client.get(url)
    del client.cookies["messages"]
    client.cookies["sessionid"] = "abc"
    assert CACHE_HEADER not in client.get(url)


@pytest.mark.django_db
def test_every_save_of_the_consultation_renews_its_version(consultation):
    def version():
        return PageVersion.objects.get(consultation=consultation).number

    before = version()
    stale = Consultation.objects.get(pk=consultation.pk)
    for _ in range(3):
        services.phase_set(consultation=consultation, phase=Phase.COLLECT)
    stale.title_en = "Other"
    stale.save()
    assert version() == before + 4


@pytest.mark.django_db
def test_a_consultation_without_a_version_is_never_cached(client, consultation, proposals):
    PageVersion.objects.filter(consultation=consultation).delete()
    for _ in range(2):
        page = client.get(list_url(consultation))
        assert page.status_code == 200 and CACHE_HEADER not in page
        assert "Proposal 3" in page.content.decode()


@pytest.mark.django_db
def test_pages_work_without_a_cache(client, consultation, proposals, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(2):
        page = client.get(list_url(consultation))
        assert page.status_code == 200 and page[CACHE_HEADER] == "miss"
        assert "Proposal 5" in page.content.decode()
    cache.clear()
