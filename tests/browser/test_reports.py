"""Request the strategy document as a PDF, watch the job's progress bar, download the file."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from zora.organisations import demo as organisations_demo
from zora.strategy import demo as strategy_demo
from zora.strategy.models import Strategy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_a_strategy_pdf_watch_progress_and_download(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    list(organisations_demo.load())
    list(strategy_demo.load())
    strategy = Strategy.objects.get(organisation__slug="stara-zagora")

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("owner@stara-zagora.demo")
    page.get_by_label("Password").fill("zora-demo")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/en/")

    page.goto("/en/o/stara-zagora/report/")
    page.get_by_role("link", name="Strategy document").click()
    page.wait_for_url("**/report/new/strategy/")
    page.locator("#id_strategy").select_option(str(strategy.pk))
    page.locator("#id_language").select_option("bg")
    page.locator("#id_format").select_option("pdf")
    page.get_by_role("button", name="Generate").click()

    page.wait_for_url("**/jobs/**")
    progress = page.locator("progress")
    assert progress.get_attribute("max") == "100"
    page.get_by_text("Done").first.wait_for()
    assert progress.get_attribute("value") == "100"
    page.get_by_role("link", name="See the result").click()
    page.wait_for_url("**/report/*/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(pdf.pages) > 10
    cover = "".join(pdf.pages[0].extract_text().split())
    assert "".join(strategy.title_bg.split()) in cover
