"""Campaigns, the questionnaire by link, results, exports and their permissions."""

import csv
import io
import re

import pytest
from django.core import mail
from openpyxl import load_workbook

from tests.assessments.answers import maximal, minimal
from zora.assessments import services
from zora.assessments.models import Campaign, Framework, Response
from zora.assessments.selectors import framework_tree


@pytest.fixture
def sme(frameworks):
    return Framework.objects.get(code="edih-dma-sme")


@pytest.fixture
def campaign(world, sme):
    return services.campaign_create(
        organisation=world.alpha,
        user=world.alice,
        framework=sme,
        stage="T0",
        name_en="Alpha T0",
        new_subject_names=["Client One", "Client Two"],
    )


def submit(campaign, subject, answers):
    started = services.response_start(campaign=campaign, subject=subject)
    services.response_save(
        response=started.response, answers={"organisation_name": "Test", **answers}
    )
    assert services.response_submit(response=started.response) == []
    started.response.refresh_from_db()
    return started.response


@pytest.mark.django_db
def test_editor_creates_a_campaign_viewer_cannot(world, login, sme):
    data = {
        "framework": sme.pk,
        "stage": "T0",
        "mode": "named",
        "aggregation": "mean",
        "name_en": "Spring wave",
        "new_subjects": "Acme Ltd\nBeta Foods",
    }
    assert login(world.dave).post("/en/o/alpha/assess/new/", data).status_code == 403
    response = login(world.bob).post("/en/o/alpha/assess/new/", data)
    assert response.status_code == 302
    campaign = Campaign.objects.get(name_en="Spring wave")
    names = sorted(campaign.subjects.values_list("organisation__name_en", flat=True))
    assert names == ["Acme Ltd", "Beta Foods"]
    assert all(not s.organisation.is_public for s in campaign.subjects.all())


@pytest.mark.django_db
def test_bad_campaign_input_changes_nothing(world, login, sme):
    response = login(world.bob).post(
        "/en/o/alpha/assess/new/",
        {
            "framework": sme.pk,
            "stage": "",
            "mode": "named",
            "aggregation": "mean",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
            "name_en": "Kept",
        },
    )
    assert response.status_code == 400
    assert {"stage", "ends_on"} <= set(response.context["form"].errors)
    assert "Kept" in response.content.decode()
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_named_respondent_fills_the_questionnaire_without_an_account(
    world, login, campaign, client, django_capture_on_commit_callbacks
):
    subject = campaign.subjects.first()
    with django_capture_on_commit_callbacks(execute=True):
        page = login(world.bob).post(
            f"/en/o/alpha/assess/{campaign.pk}/",
            {"subject": subject.pk, "name": "Ivan", "email": "ivan@client.example"},
        )
    link = page.context["created"].url.split("://", 1)[1].split("/", 1)[1]
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body

    tree = framework_tree(campaign.framework)
    answers = maximal(tree.__class__ and tree)
    response = client.get("/" + link)
    assert response.status_code == 302
    answer_url = response["Location"]
    page = client.get(answer_url)
    assert (
        page.status_code == 200
        and '<progress id="progress" max="7" value="1"' in page.content.decode()
    )

    # Profile page, then one dimension per page.
    client.post(
        answer_url + "?page=0",
        {"organisation_name": "Client One", "size_band": "small", "action": "next"},
    )
    for number, dimension in enumerate(tree.dimensions, start=1):
        post = {"action": "next"}
        for q in dimension.questions():
            value = answers[q.code]
            if q.type == "checklist":
                post[q.code] = value
            elif q.type == "checkbox_matrix":
                for column, items in value.items():
                    post[f"{q.code}__{column}"] = items
            elif q.type in {"scale_matrix", "tristate_matrix"}:
                for item, v in value.items():
                    post[f"{q.code}__{item}"] = str(v)
        result = client.post(f"{answer_url}?page={number}", post)
        assert result.status_code == 302, result.content.decode()[:500]
    assert result["Location"].endswith("/review/")
    done = client.post(result["Location"])
    assert done.status_code == 302 and done["Location"].endswith("/result/")
    final = client.get(done["Location"])
    assert final.status_code == 200
    stored = Response.objects.get(campaign=campaign)
    assert stored.status == "submitted" and stored.overall == 100.0 and stored.level == "advanced"
    assert stored.size_band == "small"
    # The same invitation link now shows the result.
    assert client.get("/" + link)["Location"].endswith("/result/")


@pytest.mark.django_db
def test_nothing_typed_is_lost_and_errors_are_named(campaign, client):
    started = services.response_start(campaign=campaign, subject=campaign.subjects.first())
    url = f"/en/assess/r/{started.raw_token}/"
    response = client.post(
        url + "?page=2", {"q3": ["not-an-item"], "q4__" + "x": "1", "action": "next"}
    )
    assert response.status_code == 400
    started.response.refresh_from_db()
    assert started.response.answers["q3"] == ["not-an-item"]
    assert "not-an-item" in response.content.decode()


@pytest.mark.django_db
def test_submit_with_missing_answers_lists_them_and_scores_nothing(campaign, client):
    started = services.response_start(campaign=campaign, subject=campaign.subjects.first())
    response = client.post(f"/en/assess/r/{started.raw_token}/review/")
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("An answer is required.") >= 11
    started.response.refresh_from_db()
    assert started.response.status == "draft" and started.response.overall is None


@pytest.mark.django_db
def test_a_correction_is_a_new_revision(campaign, client):
    subject = campaign.subjects.first()
    tree = framework_tree(campaign.framework)
    first = submit(campaign, subject, minimal(tree))
    started = services.response_revise(response=first)
    services.response_save(response=started.response, answers=maximal(tree))
    assert services.response_submit(response=started.response) == []
    first.refresh_from_db()
    started.response.refresh_from_db()
    assert not first.is_current and first.overall == 0.0  # kept as it was
    assert (
        started.response.is_current
        and started.response.revision == 2
        and started.response.overall == 100.0
    )
    with pytest.raises(Exception, match="already"):
        services.response_save(response=first, answers={})


@pytest.mark.django_db
def test_respondent_sees_only_their_own_response(campaign, client):
    tree = framework_tree(campaign.framework)
    subject_a, subject_b = campaign.subjects.all()
    a = services.response_start(campaign=campaign, subject=subject_a)
    b = services.response_start(campaign=campaign, subject=subject_b)
    services.response_save(
        response=a.response, answers={**minimal(tree), "organisation_name": "Secret A"}
    )
    assert services.response_submit(response=a.response) == []
    page = client.get(f"/en/assess/r/{b.raw_token}/").content.decode()
    assert "Secret A" not in page and subject_a.organisation.name not in page
    assert client.get("/en/assess/r/not-a-token/").status_code == 404


@pytest.mark.django_db
def test_other_tenant_and_roles_on_campaign_pages(world, login, campaign):
    tree = framework_tree(campaign.framework)
    response = submit(campaign, campaign.subjects.first(), minimal(tree))
    subject_slug = campaign.subjects.first().organisation.slug
    urls = [
        f"/en/o/alpha/assess/{campaign.pk}/",
        f"/en/o/alpha/assess/{campaign.pk}/results/",
        f"/en/o/alpha/assess/responses/{response.pk}/",
        f"/en/o/alpha/assess/subjects/{subject_slug}/",
        f"/en/o/alpha/assess/{campaign.pk}/export/csv/",
    ]
    for url in urls:
        assert login(world.charlie).get(url).status_code == 404, url
        assert login(world.eve).get(url).status_code == 404, url
    # beta's owner cannot reach alpha's campaign through beta's URL either.
    assert login(world.charlie).get(f"/en/o/beta/assess/{campaign.pk}/").status_code == 404
    for url in urls[:4]:
        assert login(world.dave).get(url).status_code == 200, url
    assert login(world.dave).get(urls[4]).status_code == 403  # exports need the analyst role
    assert login(world.carol).get(urls[4]).status_code == 200
    assert (
        login(world.dave).post(urls[0], {"subject": campaign.subjects.first().pk}).status_code
        == 403
    )


@pytest.mark.django_db
def test_open_anonymous_link(world, sme, client):
    campaign = services.campaign_create(
        organisation=world.alpha,
        user=world.alice,
        framework=sme,
        stage="2026",
        mode="open",
        anonymous=True,
    )
    url = f"/en/assess/open/{campaign.open_token}/"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302 and "/assess/r/" in response["Location"]
    assert Response.objects.get(campaign=campaign).respondent is None
    campaign.status = "closed"
    campaign.save()
    closed = client.get(url)
    assert closed.status_code == 400 and "closed" in closed.content.decode()


@pytest.mark.django_db
def test_exports(world, login, campaign):
    tree = framework_tree(campaign.framework)
    subject = campaign.subjects.first()
    submit(campaign, subject, {**maximal(tree), "organisation_name": "Клиент Едно"})
    client = login(world.carol)
    body = b"".join(
        client.get(f"/en/o/alpha/assess/{campaign.pk}/export/csv/").streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    head, row = rows[0], rows[1]
    assert len(rows) == 2
    assert row[head.index("profile.organisation_name")] == "Клиент Едно"
    assert row[head.index("q4." + tree.questions()[3].items[0].code)] == "5"
    assert float(row[head.index("overall")]) == 100.0
    assert float(row[head.index("score.green")]) == 100.0

    xlsx = client.get(f"/en/o/alpha/assess/{campaign.pk}/export/xlsx/")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == head

    edih = b"".join(
        client.get(f"/en/o/alpha/assess/{campaign.pk}/export/edih/").streaming_content
    ).decode("utf-8-sig")
    edih_rows = list(csv.reader(io.StringIO(edih)))
    assert edih_rows[0] == [
        "organisation",
        "organisation_name",
        "stage",
        "digital_strategy",
        "digital_readiness",
        "human_centric",
        "data_management",
        "automation_ai",
        "green",
        "overall",
    ]
    assert edih_rows[1][2] == "T0" and float(edih_rows[1][-1]) == 100.0
    assert len(edih_rows) == 2  # the subject without responses is left out


@pytest.mark.django_db
def test_several_respondents_are_combined_per_item_before_scoring(world, sme):
    from zora.assessments.selectors import subject_results

    tree = framework_tree(sme)
    for aggregation, expected in [("mean", 50.0), ("median", 50.0)]:
        campaign = services.campaign_create(
            organisation=world.alpha,
            user=world.alice,
            framework=sme,
            stage=aggregation,
            aggregation=aggregation,
        )
        subject = campaign.subjects.get()
        submit(campaign, subject, minimal(tree))
        submit(campaign, subject, maximal(tree))
        result = subject_results(campaign=campaign, subjects=[subject])[0]
        assert result.respondents == 2 and result.overall == pytest.approx(expected)
    # Median of three: the middle respondent decides.
    campaign = services.campaign_create(
        organisation=world.alpha,
        user=world.alice,
        framework=sme,
        stage="three",
        aggregation="median",
    )
    subject = campaign.subjects.get()
    for answers in (minimal(tree), minimal(tree), maximal(tree)):
        submit(campaign, subject, answers)
    assert subject_results(campaign=campaign, subjects=[subject])[0].overall == 0.0


@pytest.mark.django_db
def test_t0_t1_comparison_with_deltas(world, login, sme):
    tree = framework_tree(sme)
    t0 = services.campaign_create(
        organisation=world.alpha,
        user=world.alice,
        framework=sme,
        stage="T0",
        new_subject_names=["Moved Ltd"],
    )
    mover = t0.subjects.get().organisation
    submit(t0, t0.subjects.get(), minimal(tree))
    t1 = services.campaign_create(
        organisation=world.alpha, user=world.alice, framework=sme, stage="T1", subjects=[mover]
    )
    submit(t1, t1.subjects.get(), maximal(tree))
    from zora.assessments.selectors import subject_history

    stages = subject_history(organisation=world.alpha, subject_organisation=mover)
    assert [s.campaign.stage for s in stages] == ["T0", "T1"]
    assert stages[1].overall_delta == 100.0 and stages[1].level_changed
    page = login(world.dave).get(f"/en/o/alpha/assess/subjects/{mover.slug}/").content.decode()
    assert "+100.0" in page


@pytest.mark.django_db
def test_results_page_queries_do_not_grow_with_responses(
    world, login, campaign, django_assert_max_num_queries
):
    tree = framework_tree(campaign.framework)
    subject = campaign.subjects.first()
    submit(campaign, subject, maximal(tree))
    template = Response.objects.get(campaign=campaign)
    client = login(world.dave)
    url = f"/en/o/alpha/assess/{campaign.pk}/results/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)

    def clone(n):
        Response.objects.bulk_create(
            [
                Response(
                    campaign=campaign,
                    subject=subject,
                    framework=campaign.framework,
                    status="submitted",
                    resume_token_hash=f"bulk-{n}-{i}",
                    overall=template.overall,
                    scores=template.scores,
                    vector=template.vector,
                    sector=f"s{i % 3}",
                    size_band="small",
                )
                for i in range(n)
            ]
        )

    clone(300)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "301 submitted responses" in page.content.decode()
    detail = f"/en/o/alpha/assess/{campaign.pk}/"
    client.get(detail)
    with django_assert_max_num_queries(25) as detail_queries:
        client.get(detail)
    clone(200)
    with django_assert_max_num_queries(len(detail_queries.captured_queries)):
        client.get(detail)


@pytest.mark.django_db
def test_small_cohorts_are_hidden(world, campaign):
    from zora.assessments.selectors import campaign_statistics

    tree = framework_tree(campaign.framework)
    subject = campaign.subjects.first()
    for i in range(7):
        submit(
            campaign,
            subject,
            {**minimal(tree), "main_sector": "big" if i < 5 else "small", "size_band": "micro"},
        )
    cells = {c.group: c for c in campaign_statistics(campaign=campaign).cohorts["sector"]}
    assert not cells["big"].hidden and cells["big"].n == 5 and cells["big"].spreads[0].median == 0.0
    assert cells["small"].hidden and cells["small"].spreads == []


def test_answer_urls_are_not_guessable():
    assert re.fullmatch(r"[\w-]{20,}", services.secrets.token_urlsafe(24))


@pytest.mark.django_db
def test_responses_list_and_closing_a_campaign(
    world, login, campaign, client, django_assert_max_num_queries
):
    tree = framework_tree(campaign.framework)
    subject = campaign.subjects.first()
    for _ in range(3):
        submit(campaign, subject, minimal(tree))
    url = f"/en/o/alpha/assess/{campaign.pk}/responses/"
    viewer = login(world.dave)
    viewer.get(url)
    with django_assert_max_num_queries(15) as few:
        page = viewer.get(url)
    for _ in range(20):
        submit(campaign, subject, minimal(tree))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = viewer.get(url)
    assert page.status_code == 200 and page.content.decode().count("/assess/responses/") == 23
    assert login(world.charlie).get(url).status_code == 404

    status_url = f"/en/o/alpha/assess/{campaign.pk}/status/"
    assert viewer.post(status_url, {"status": "closed"}).status_code == 403
    assert login(world.bob).post(status_url, {"status": "closed"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    started_token = services.respondent_add(
        campaign=campaign, subject=subject, send=False
    ).raw_token
    closed = client.get(f"/en/assess/i/{started_token}/")
    assert closed.status_code == 400
