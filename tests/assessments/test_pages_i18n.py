"""Every assessment page renders in both languages, with no English UI text on Bulgarian pages."""

import pytest

from tests.assessments.answers import minimal
from tests.core.test_i18n import assert_pages_in_both_languages
from zora.assessments import services
from zora.assessments.models import Framework
from zora.assessments.selectors import framework_tree


@pytest.mark.django_db
def test_assessment_pages_in_both_languages(frameworks, world, login, client):
    sme = Framework.objects.get(code="edih-dma-sme")
    campaign = services.campaign_create(
        organisation=world.alpha,
        user=world.alice,
        framework=sme,
        stage="T0",
        new_subject_names=["Клиент"],
    )
    subject = campaign.subjects.get()
    tree = framework_tree(sme)
    done = services.response_start(campaign=campaign, subject=subject)
    services.response_save(
        response=done.response, answers={**minimal(tree), "organisation_name": "Клиент"}
    )
    assert services.response_submit(response=done.response) == []
    draft = services.response_start(campaign=campaign, subject=subject)
    open_campaign = services.campaign_create(
        organisation=world.alpha,
        user=world.alice,
        framework=sme,
        stage="open",
        mode="open",
        anonymous=True,
        new_subject_names=["A", "B"],
    )
    member = login(world.alice)
    pages = [
        (member, "/{lang}/o/alpha/assess/"),
        (member, "/{lang}/o/alpha/assess/new/"),
        (member, f"/{{lang}}/o/alpha/assess/{campaign.pk}/"),
        (member, f"/{{lang}}/o/alpha/assess/{campaign.pk}/results/"),
        (member, f"/{{lang}}/o/alpha/assess/{campaign.pk}/responses/"),
        (member, f"/{{lang}}/o/alpha/assess/responses/{done.response.pk}/"),
        (member, f"/{{lang}}/o/alpha/assess/subjects/{subject.organisation.slug}/"),
        (client, f"/{{lang}}/assess/r/{draft.raw_token}/"),
        (client, f"/{{lang}}/assess/r/{draft.raw_token}/?page=3"),
        (client, f"/{{lang}}/assess/r/{draft.raw_token}/review/"),
        (client, f"/{{lang}}/assess/r/{done.raw_token}/result/"),
        (client, f"/{{lang}}/assess/open/{open_campaign.open_token}/"),
    ]
    assert_pages_in_both_languages(pages)
