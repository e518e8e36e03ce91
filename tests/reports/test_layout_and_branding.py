"""An organisation orders, leaves out and adds free-text sections, and sets its logo and
colours; the documents follow."""

import base64
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from zora.reports import services
from zora.reports.rendering import generate
from zora.reports.selectors import layout_entries

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _headings(world, campaign, language="en"):
    html = generate(
        organisation=world.alpha,
        kind="assessment",
        params={"campaign": campaign.pk},
        language=language,
        format="html",
    ).data.decode()
    return re.findall(r'<h2 id="section-[\w-]+-title">\d+\. ([^<]+)</h2>', html), html


@pytest.mark.django_db
def test_the_layout_editor_moves_and_leaves_out_sections(world, login, campaign):
    client = login(world.bob)
    headings, _html = _headings(world, campaign)
    assert headings[:2] == ["Summary", "Distribution of the scores"]
    # Up twice: past "Scores by dimension" (for one organisation only), then past the summary.
    for _ in range(2):
        response = client.post(
            "/en/o/alpha/report/layout/assessment/", {"action": "up:distribution"}
        )
        assert response.status_code == 302
    keys = [e.key for e in layout_entries(world.alpha, "assessment")]
    order = [k for k in keys if k != "methodology"] + ["methodology"]
    client.post(
        "/en/o/alpha/report/layout/assessment/",
        {"action": "save", "order": order, "include": [k for k in order if k != "subjects"]},
    )
    headings, html = _headings(world, campaign)
    assert headings[0] == "Distribution of the scores" and headings[1] == "Summary"
    assert "Results per organisation" not in headings and 'class="toc"' in html
    # A viewer sees the layout but cannot change it.
    assert login(world.dave).get("/en/o/alpha/report/layout/assessment/").status_code == 200
    assert (
        login(world.dave)
        .post("/en/o/alpha/report/layout/assessment/", {"action": "reset"})
        .status_code
        == 403
    )
    client.post("/en/o/alpha/report/layout/assessment/", {"action": "reset"})
    assert _headings(world, campaign)[0][0] == "Summary"


@pytest.mark.django_db
def test_a_free_text_section_in_both_languages(world, login, campaign):
    client = login(world.bob)
    response = client.post(
        "/en/o/alpha/report/layout/assessment/",
        {
            "action": "add",
            "title_bg": "Предговор",
            "title_en": "Foreword",
            "body_bg": "Уважаеми колеги,\n\nтова е нашият доклад.",
            "body_en": "Dear colleagues,\n\nthis is our report.",
        },
    )
    assert response.status_code == 302
    section = world.alpha.report_sections.get()
    client.post(
        "/en/o/alpha/report/layout/assessment/", {"action": f"up:{section.key}"}
    )  # one place up: before the methodology
    en, html_en = _headings(world, campaign, "en")
    bg, html_bg = _headings(world, campaign, "bg")
    assert en[-2] == "Foreword" and bg[-2] == "Предговор"
    assert "<p>this is our report.</p>" in html_en and "<p>това е нашият доклад.</p>" in html_bg
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.custom_section_save(
            organisation=world.alpha,
            kind="assessment",
            title_bg="",
            title_en="",
            body_bg="x",
            body_en="",
        )
    assert "Give the section a title in at least one language." in error.value.messages
    client.post(f"/en/o/alpha/report/sections/{section.pk}/", {"action": "delete"})
    assert "Foreword" not in _headings(world, campaign)[0]


@pytest.mark.django_db
def test_branding_logo_and_colours(world, login, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.bob)
    response = client.post(
        "/en/o/alpha/report/branding/",
        {
            "primary_colour": "#123456",
            "accent_colour": "#aa3300",
            "logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    _headings_, html = _headings(world, campaign)
    assert "background: #123456" in html and "#AA3300" in html
    assert 'class="cover-logo" src="data:image/png;base64,' in html
    css = client.get("/en/o/alpha/report/branding.css")
    assert css["Content-Type"].startswith("text/css") and "#123456" in css.content.decode()
    # Colours are validated: a hex code, and readable white text on the main colour.
    bad = client.post(
        "/en/o/alpha/report/branding/", {"primary_colour": "red", "accent_colour": "#AA3300"}
    )
    assert bad.status_code == 400
    pale = client.post(
        "/en/o/alpha/report/branding/", {"primary_colour": "#F0F0F0", "accent_colour": "#AA3300"}
    )
    assert pale.status_code == 400 and "hard to read" in pale.content.decode()
    assert (
        login(world.carol)
        .post(
            "/en/o/alpha/report/branding/",
            {"primary_colour": "#000000", "accent_colour": "#000000"},
        )
        .status_code
        == 403
    )
