"""Engage pages in both languages, with no English UI text on Bulgarian pages."""

import pytest

from tests.core.test_i18n import assert_pages_in_both_languages
from zora.participation import services


@pytest.mark.django_db
def test_engage_pages_in_both_languages(world, login, client, consultation, proposals, citizens):
    services.comment_create(proposal=proposals[0], author=citizens[0], body="Съгласен съм.")
    services.report_content(reporter=citizens[1], reason="spam", proposal=proposals[1])
    moderator = login(world.bob)
    citizen = login(citizens[2])
    pages = [
        (client, "/{lang}/consultations/"),
        (client, f"/{{lang}}/consultations/{consultation.pk}/"),
        (client, f"/{{lang}}/consultations/{consultation.pk}/?sort=random&seed=3"),
        (client, f"/{{lang}}/proposals/{proposals[0].pk}/"),
        (citizen, f"/{{lang}}/proposals/{proposals[0].pk}/"),
        (login(proposals[2].author), f"/{{lang}}/proposals/{proposals[2].pk}/edit/"),
        (moderator, "/{lang}/o/alpha/engage/"),
        (moderator, f"/{{lang}}/o/alpha/engage/{consultation.pk}/moderation/"),
        (moderator, f"/{{lang}}/o/alpha/engage/{consultation.pk}/topics/"),
        (moderator, f"/{{lang}}/o/alpha/engage/{consultation.pk}/settings/"),
        (moderator, f"/{{lang}}/proposals/{proposals[1].pk}/"),
    ]
    assert_pages_in_both_languages(pages)
