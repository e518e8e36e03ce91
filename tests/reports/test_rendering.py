"""Every kind × format × language renders from the demo data (loaded once for this module):
PDFs checked by their text (headings, numbers from the data, Cyrillic, page count), DOCX by its
Word structure (Heading styles, tables), HTML by its sections."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import translation
from docx import Document as WordDocument
from pypdf import PdfReader

from zora.assessments import demo as assessments_demo
from zora.assessments.models import Campaign
from zora.assessments.selectors import campaign_statistics, subject_results
from zora.indicators import demo as indicators_demo
from zora.indicators.models import Indicator, Region
from zora.indicators.selectors import compare
from zora.organisations import demo as organisations_demo
from zora.organisations.models import Organisation
from zora.reports.builders import benchmark
from zora.reports.kinds import KINDS
from zora.reports.rendering import generate
from zora.stakeholders import demo as stakeholders_demo
from zora.strategy import demo as strategy_demo
from zora.strategy.models import Strategy


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's organisations, assessments and statistics, in a transaction rolled back at
    the end of the module (every test runs in a savepoint inside it)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            list(organisations_demo.load())
            call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115
            list(assessments_demo.load())
            list(indicators_demo.load())
            list(stakeholders_demo.load())
            list(strategy_demo.load())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _cases():
    zagore_t0 = lambda: Campaign.objects.get(organisation__slug="zagore", stage="T0")  # noqa: E731
    return {
        "assessment-campaign": ("zagore", "assessment", lambda: {"campaign": zagore_t0().pk}),
        "assessment-subject": (
            "zagore",
            "assessment",
            lambda: {
                "subject": Campaign.objects.get(organisation__slug="zagore", stage="T1")
                .subjects.order_by("organisation__slug")
                .first()
                .pk
            },
        ),
        "benchmark": ("stara-zagora", "benchmark", lambda: {}),
        "strategy": (
            "stara-zagora",
            "strategy",
            lambda: {"strategy": Strategy.objects.get(organisation__slug="stara-zagora").pk},
        ),
        "progress": (
            "stara-zagora",
            "progress",
            lambda: {
                "strategy": Strategy.objects.get(organisation__slug="stara-zagora").pk,
                "period_from": "2024-01-01",
                "period_to": "2026-12-31",
            },
        ),
    }


PAGES = {
    "assessment-campaign": (7, 22),
    "assessment-subject": (6, 16),
    "benchmark": (8, 30),
    "strategy": (24, 45),
    "progress": (10, 35),
}
SECTIONS = {
    "assessment": ("summary", "methodology"),
    "benchmark": ("summary", "methodology"),
    "strategy": ("summary", "swot", "action_plan", "roadmap", "kpis", "governance"),
    "progress": ("summary", "changes", "kpis", "late", "budget"),
}


def _expected(case, organisation, kind, params, language):
    """Texts the report must contain: section headings in the language, figures from the data
    formatted the language's way, and Cyrillic names from the data."""
    clean = KINDS[kind].builder.check(organisation, params)
    with translation.override(language):
        texts = [str(KINDS[kind].section(key).title) for key in SECTIONS[kind]]
        if case == "assessment-campaign":
            campaign = Campaign.objects.get(pk=clean["campaign"])
            stats = campaign_statistics(campaign=campaign)
            texts += [floatformat(stats.overall.median, 1), "40"]
        elif case == "assessment-subject":
            subject = campaign = None
            campaign = Campaign.objects.get(pk=clean["campaign"])
            subject = campaign.subjects.get(pk=clean["subject"])
            result = subject_results(campaign=campaign, subjects=[subject])[0]
            texts += [floatformat(result.overall, 1), str(KINDS[kind].section("comparison").title)]
        elif case in ("strategy", "progress"):
            strategy = Strategy.objects.get(pk=clean["strategy"])
            kpi = strategy.kpis.order_by("position", "id").first()
            texts += [kpi.name, floatformat(kpi.target_value, "-2")]
            if case == "strategy":
                action = strategy.actions.order_by("position", "id").first()
                texts += [strategy.title, action.title, action.external_id]
        else:
            region = Region.objects.get(code="BG344")
            internet = compare(
                indicator=Indicator.objects.get(code="hh_internet_access"),
                region=region,
                peer_codes=benchmark.selectors.choose_peers(
                    benchmark.selectors.peer_groups_for(organisation=organisation, region=region),
                    clean["peers"],
                ).codes,
            )
            texts += [internet.indicator.name, str(internet.rank), "BG344"]
        # The organisation's name in the report's language: Cyrillic in Bulgarian.
        name = organisation.name
    if language == "bg":
        assert re.search("[А-Яа-я]", name)
    return clean, texts, name


def _flat(text):
    return re.sub(r"\s+", " ", text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["bg", "en"])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("case", list(_cases()))
def test_every_kind_format_and_language_renders(demo, case, fmt, language):
    slug, kind, make_params = _cases()[case]
    organisation = Organisation.objects.get(slug=slug)
    params, texts, name = _expected(case, organisation, kind, make_params(), language)
    output = generate(
        organisation=organisation, kind=kind, params=params, language=language, format=fmt
    )
    if fmt == "pdf":
        assert output.data.startswith(b"%PDF")
        pdf = PdfReader(io.BytesIO(output.data))
        low, high = PAGES[case]
        assert low <= len(pdf.pages) <= high, len(pdf.pages)
        text = _flat(" ".join(page.extract_text() for page in pdf.pages))
        # Page numbers in the footer and the contents with page numbers.
        with translation.override(language):
            from django.utils.translation import gettext as _

            assert f"{_('Page')} 2 {_('of')} {len(pdf.pages)}" in text
        assert pdf.outline, "headings become PDF bookmarks"
    elif fmt == "docx":
        doc = WordDocument(io.BytesIO(output.data))
        headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert headings and all(re.match(r"\d+\. ", h) for h in headings)
        assert any(p.style.name == "Title" for p in doc.paragraphs)
        cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        paragraphs = " ".join(p.text for p in doc.paragraphs)
        text = _flat(paragraphs + " " + cells)
        header_rows = [t for t in doc.tables if t.rows[0]._tr.find(".//{*}tblHeader") is not None]
        assert header_rows, "tables repeat their header row"
        assert doc.inline_shapes, "charts are embedded as pictures"
    else:
        html = output.data.decode()
        assert html.startswith("<!DOCTYPE html>") and f'lang="{language}"' in html
        assert "<svg" in html and 'role="img"' in html
        text = _flat(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&"))
    for expected in texts:
        assert _flat(expected) in text, expected
    assert name in text


@pytest.mark.django_db
def test_the_pdf_has_a_contents_page_with_page_numbers(demo):
    organisation = Organisation.objects.get(slug="zagore")
    campaign = Campaign.objects.get(organisation=organisation, stage="T0")
    output = generate(
        organisation=organisation,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="pdf",
    )
    pdf = PdfReader(io.BytesIO(output.data))
    contents = _flat(pdf.pages[1].extract_text())
    assert contents.startswith("Contents")
    # "1. Summary ....... 3": each entry ends with the page its section starts on.
    entries = re.findall(r"(\d+)\. ([^.]+?) \.+ ?(\d+)", contents)
    assert len(entries) >= 6
    for number, title, page in entries:
        assert title.strip() in _flat(pdf.pages[int(page) - 1].extract_text()), title
