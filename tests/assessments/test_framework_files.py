"""Framework files: a file with an error is rejected whole, naming the file and the line."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zora.assessments.framework import FRAMEWORKS_DIR, FrameworkInvalid, parse_framework
from zora.assessments.models import Framework, Response
from zora.assessments.services import frameworks_load

TINY = Path(__file__).parent / "data" / "tiny-v1.yaml"


def broken(replace: str, by: str) -> str:
    text = TINY.read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by, 1)


def errors_of(text: str) -> list[str]:
    with pytest.raises(FrameworkInvalid) as info:
        parse_framework(text, "tiny-v1.yaml")
    return [str(e) for e in info.value.errors]


def test_schema_error_names_file_line_and_problem():
    errors = errors_of(broken("type: scale_matrix", "type: slider"))
    assert len(errors) >= 1
    assert errors[0].startswith("tiny-v1.yaml:41:")  # the line of `type: slider`
    assert "slider" in errors[0]


def test_missing_translation_is_an_error():
    errors = errors_of(broken('title: {bg: "Скала", en: "Scale"}', 'title: {en: "Scale"}'))
    assert any("'bg' is a required property" in e for e in errors)


def test_rules_beyond_the_schema():
    assert any("used twice" in e for e in errors_of(broken("code: grid", "code: list")))
    assert any("ascending" in e for e in errors_of(broken("max: 50", "max: 100")))
    assert any(
        "unknown level" in e for e in errors_of(broken("      low: {bg", "      middle: {bg"))
    )
    assert any("min must be below max" in e for e in errors_of(broken("min: 10", "min: 70")))


def test_not_yaml_is_reported_with_its_line():
    errors = errors_of("code: x\nversion: [1\n")
    assert "not valid YAML" in errors[0] and ":3" in errors[0]


@pytest.mark.django_db
def test_a_broken_file_loads_nothing(tmp_path):
    good = tmp_path / "tiny-v1.yaml"
    shutil.copy(TINY, good)
    bad = tmp_path / "tiny-v2.yaml"
    bad.write_text(
        broken("version: 1", "version: 2").replace("type: yesno", "type: maybe"), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_frameworks", str(good), str(bad))
    assert Framework.objects.count() == 0
    call_command("load_frameworks", str(good))
    assert Framework.objects.get().code == "tiny"


@pytest.mark.django_db
def test_loading_twice_changes_nothing(frameworks):
    count = Framework.objects.count()
    report = frameworks_load()
    assert report.created == [] and report.updated == [] and len(report.unchanged) == count
    assert count == len(list(FRAMEWORKS_DIR.glob("*.yaml")))


@pytest.mark.django_db
def test_a_version_with_responses_is_immutable(tmp_path, world):
    path = tmp_path / "tiny-v1.yaml"
    shutil.copy(TINY, path)
    frameworks_load(paths=[path])
    framework = Framework.objects.get(code="tiny")
    from zora.assessments.models import Campaign, Subject

    campaign = Campaign.objects.create(organisation=world.alpha, framework=framework, stage="T0")
    subject = Subject.objects.create(campaign=campaign, organisation=world.alpha)
    Response.objects.create(
        campaign=campaign, subject=subject, framework=framework, resume_token_hash="x"
    )
    path.write_text(
        broken('en: "Tiny framework"', 'en: "Tiny framework, edited"'), encoding="utf-8"
    )
    with pytest.raises(FrameworkInvalid, match="cannot change"):
        frameworks_load(paths=[path])
    framework.refresh_from_db()
    assert framework.title_en == "Tiny framework"


def test_file_name_must_match_code_and_version(tmp_path):
    from zora.assessments.framework import parse_framework_file

    path = tmp_path / "other-name.yaml"
    shutil.copy(TINY, path)
    with pytest.raises(FrameworkInvalid, match="must be named tiny-v1.yaml"):
        parse_framework_file(path)
