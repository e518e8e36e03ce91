"""The bg and en catalogues are complete and in step with the sources; pages render in both."""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.po import read_po

ZORA = Path(settings.BASE_DIR)
CATALOGUE = "locale/{lang}/LC_MESSAGES/django.po"


def msgids(path: Path) -> set[str]:
    return {e.msgid for e in read_po(path)}


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_catalogue_is_complete(lang):
    entries = read_po(ZORA / CATALOGUE.format(lang=lang))
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not (e.msgstr or all(e.msgstr_plural or [""]))]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_catalogues_match_the_sources(tmp_path):
    """Extract the strings from a copy of the sources: nothing new is missing from bg/en."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is not installed: run scripts/system-deps")
    copy = tmp_path / "zora"
    shutil.copytree(ZORA, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "bg",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zora.settings"},
    )
    extracted = msgids(copy / CATALOGUE.format(lang="bg"))
    for lang in ["bg", "en"]:
        committed = msgids(ZORA / CATALOGUE.format(lang=lang))
        missing = extracted - committed
        assert missing == set(), f"run `make messages` and translate: {sorted(missing)[:10]}"


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


PAGES = [
    "/{lang}/",
    "/{lang}/organisations/",
    "/{lang}/organisations/new/",
    "/{lang}/o/alpha/",
    "/{lang}/o/alpha/dashboard/",
    "/{lang}/o/alpha/members/",
    "/{lang}/o/alpha/settings/",
    "/{lang}/o/alpha/assess/",
    "/{lang}/o/alpha/benchmark/",
    "/{lang}/o/alpha/engage/",
    "/{lang}/o/alpha/plan/",
    "/{lang}/o/alpha/report/",
    "/{lang}/accounts/profile/",
    "/{lang}/accounts/tokens/",
    "/{lang}/accounts/password/change/",
    "/{lang}/accounts/email/",
    "/{lang}/no-such-page/",
]
ANONYMOUS_PAGES = [
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/password/reset/",
]


@pytest.mark.django_db
def test_every_page_renders_in_both_languages_without_english_leaking_into_bulgarian(
    world, login, client
):
    entries = read_po(ZORA / CATALOGUE.format(lang="bg"))
    # English phrases of our UI that must never show on a Bulgarian page.
    english = [
        e.msgid
        for e in entries
        if e.msgstr
        and e.msgstr != e.msgid
        and " " in e.msgid
        and "%" not in e.msgid
        and "{" not in e.msgid
        and len(e.msgid) < 80
    ]
    signed_in = login(world.alice)
    checks = [(signed_in, p) for p in PAGES] + [(client, p) for p in ANONYMOUS_PAGES]
    for http, template in checks:
        for lang in ["bg", "en"]:
            url = template.format(lang=lang)
            response = http.get(url)
            assert response.status_code in (200, 404), url
            page = response.content.decode()
            assert f'<html lang="{lang}">' in page, url
            if lang == "bg":
                text = _visible_text(page)
                leaked = [phrase for phrase in english if phrase in text]
                assert leaked == [], f"{url}: {leaked}"


@pytest.mark.django_db
def test_language_switch_keeps_the_page(world, login):
    page = login(world.alice).get("/bg/o/alpha/members/").content.decode()
    assert 'href="/en/o/alpha/members/"' in page
    assert 'hreflang="en"' in page


@pytest.mark.django_db
def test_unprefixed_organisation_url_uses_its_language(world, client):
    from tests.factories import OrganisationFactory

    OrganisationFactory(slug="thessaloniki", country="GR")
    assert client.get("/o/gamma/")["Location"] == "/bg/o/gamma/"
    assert client.get("/o/thessaloniki/")["Location"] == "/en/o/thessaloniki/"


@pytest.mark.django_db
def test_dates_follow_the_locale(world, login):
    from django.utils import formats, translation

    with translation.override("bg"):
        bg = formats.date_format(world.alpha.created_at, "DATE_FORMAT")
    with translation.override("en"):
        en = formats.date_format(world.alpha.created_at, "DATE_FORMAT")
    assert bg != en
    page = login(world.alice).get("/bg/o/alpha/").content.decode()
    assert bg in page


def english_phrases() -> list[str]:
    """Phrases of our English UI that must never show on a Bulgarian page."""
    return [
        e.msgid
        for e in read_po(ZORA / CATALOGUE.format(lang="bg"))
        if e.msgstr
        and e.msgstr != e.msgid
        and " " in e.msgid
        and "%" not in e.msgid
        and "{" not in e.msgid
        and len(e.msgid) < 80
    ]


def assert_pages_in_both_languages(pages) -> None:
    """Each (client, "/{lang}/…") renders in bg and en, with no English leaking into bg."""
    english = english_phrases()
    for http, template in pages:
        for lang in ("bg", "en"):
            url = template.format(lang=lang)
            response = http.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert f'<html lang="{lang}">' in page, url
            if lang == "bg":
                leaked = [phrase for phrase in english if phrase in _visible_text(page)]
                assert leaked == [], f"{url}: {leaked}"
