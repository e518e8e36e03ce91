"""Import of CSV and XLSX: every row is validated first; one bad row and nothing is imported;
the errors name the row and the column; an export re-imports without duplicates."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from zora.core.jobs import run_job_now
from zora.core.models import Job
from zora.stakeholders import importers, services
from zora.stakeholders.models import Stakeholder

HEADER = "external_id,kind,name,type,sector,organisation,email,consent_on,tags\n"
GOOD = (
    HEADER
    + "S-1,person,Мария Иванова,business,ИКТ,Софтуер ООД,maria@example.bg,2025-03-01,ИКТ; съвет\n"
    + "S-2,organisation,Университет Алфа,education,Висше образование,,,,\n"
    + "S-3,,Читалище Искра,ngo,Култура,,iskra@example.bg,01.02.2025,\n"
)


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_good_csv_file_imports_every_row(world):
    result = services.stakeholder_import(
        organisation=world.alpha, data=_csv(GOOD), file_name="a.csv"
    )
    assert result == {"created": 3, "updated": 0}
    maria = Stakeholder.objects.get(organisation=world.alpha, external_id="S-1")
    assert maria.type == "business" and maria.affiliation == "Софтуер ООД"
    assert maria.consent_on.isoformat() == "2025-03-01"
    assert sorted(t.name for t in maria.tags.all()) == ["ИКТ", "съвет"]
    assert Stakeholder.objects.get(external_id="S-3").consent_on.isoformat() == "2025-02-01"


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_row_and_column(world):
    bad = GOOD + "S-4,person,Петър,spaceship,,,not-an-email,2025-13-45,\n"
    with translation.override("en"), pytest.raises(importers.ImportFailed) as failed:
        services.stakeholder_import(organisation=world.alpha, data=_csv(bad), file_name="a.csv")
    messages = failed.value.messages
    assert Stakeholder.objects.filter(organisation=world.alpha).count() == 0
    assert any(m.startswith("Row 5, column “type”: Unknown type “spaceship”") for m in messages)
    assert "Row 5, column “email”: Enter a valid e-mail address." in messages
    assert "Row 5, column “consent_on”: Enter a date as YYYY-MM-DD or DD.MM.YYYY." in messages


@pytest.mark.django_db
def test_a_missing_required_value_and_duplicates_in_the_file_are_errors(world):
    text = HEADER + "S-1,,,business,,,a@example.bg,,\nS-1,,Друг,business,,,a@example.bg,,\n"
    with translation.override("en"):
        parsed = importers.parse(_csv(text), "x.csv")
        errors = [str(e) for e in parsed.errors]
    assert "Row 2, column “name”: This field is required." in errors
    assert "Row 3, column “external_id”: The same external ID is already in row 2." in errors
    assert "Row 3, column “email”: The same e-mail address is already in row 2." in errors


@pytest.mark.django_db
def test_an_xlsx_file_with_a_bad_row_imports_nothing(world):
    rows = [
        ["name", "type", "email", "consent_on"],
        ["Фирма А", "Business", "a@example.bg", None],
        ["", "business", "b@example.bg", None],
    ]
    with translation.override("en"), pytest.raises(importers.ImportFailed) as failed:
        services.stakeholder_import(organisation=world.alpha, data=_xlsx(rows), file_name="x.xlsx")
    assert failed.value.messages == ["Row 3, column “name”: This field is required."]
    assert not Stakeholder.objects.exists()
    rows[2][0] = "Фирма Б"
    result = services.stakeholder_import(
        organisation=world.alpha, data=_xlsx(rows), file_name="x.xlsx"
    )
    assert result["created"] == 2
    # Types are accepted by their label too.
    assert Stakeholder.objects.get(name="Фирма А").type == "business"


@pytest.mark.django_db
def test_export_round_trips_without_duplicates(world, login, registry):
    client = login(world.bob)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/bg/o/alpha/engage/stakeholders/export.{fmt}")
        assert response.status_code == 200
        before = Stakeholder.objects.filter(organisation=world.alpha).count()
        result = services.stakeholder_import(
            organisation=world.alpha, data=response.content, file_name=f"export.{fmt}"
        )
        assert result == {"created": 0, "updated": before}
        assert Stakeholder.objects.filter(organisation=world.alpha).count() == before
    ivanka = Stakeholder.objects.get(pk=registry["ivanka"].pk)
    assert ivanka.email == "ivanka.zografova@example.bg"
    assert [t.name for t in ivanka.tags.all()] == ["pilot"]
    # The stakeholder without consent kept the contacts the export left out.
    assert Stakeholder.objects.get(pk=registry["telco"].pk).phone == "+359 2 111 222"


@pytest.mark.django_db
def test_export_columns_are_the_import_columns(world, login, registry):
    response = login(world.bob).get("/bg/o/alpha/engage/stakeholders/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == list(importers.COLUMNS)


@pytest.mark.django_db
def test_the_upload_page_lists_the_errors_and_imports_nothing(world, login):
    client = login(world.bob)
    bad = GOOD + "S-4,person,,business,,,,,\n"
    with translation.override("en"):
        response = client.post(
            "/en/o/alpha/engage/stakeholders/import/",
            {"file": SimpleUploadedFile("s.csv", _csv(bad), content_type="text/csv")},
        )
    assert response.status_code == 400
    assert "Row 5, column “name”: This field is required." in response.content.decode()
    assert not Stakeholder.objects.exists()
    response = client.post(
        "/en/o/alpha/engage/stakeholders/import/",
        {"file": SimpleUploadedFile("s.csv", _csv(GOOD), content_type="text/csv")},
    )
    assert response.status_code == 302
    assert Stakeholder.objects.filter(organisation=world.alpha).count() == 3


@pytest.mark.django_db
def test_a_large_file_is_imported_by_a_job_with_progress(world, login, settings):
    rows = "".join(
        f"L-{i},,Участник {i},citizen,,,,,\n" for i in range(services.DIRECT_IMPORT_ROWS + 5)
    )
    response = login(world.bob).post(
        "/en/o/alpha/engage/stakeholders/import/",
        {"file": SimpleUploadedFile("big.csv", _csv(HEADER + rows), content_type="text/csv")},
    )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.get(kind="stakeholders.import")
    if job.status != Job.Status.DONE:  # the test task backend may defer it
        job = run_job_now(job)
    assert job.status == Job.Status.DONE, job.error
    assert job.result["created"] == services.DIRECT_IMPORT_ROWS + 5
    assert not job.input_file  # the uploaded personal data is not kept


@pytest.mark.django_db
def test_viewers_cannot_import(world, login):
    response = login(world.dave).post(
        "/en/o/alpha/engage/stakeholders/import/",
        {"file": SimpleUploadedFile("s.csv", _csv(GOOD), content_type="text/csv")},
    )
    assert response.status_code == 403
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_the_cli_imports_a_file_and_reports_errors(world, tmp_path, settings):
    from django.core.management import CommandError, call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(GOOD))
    out = io.StringIO()
    call_command("import_stakeholders", "alpha", str(good), stdout=out)
    assert "Imported: 3 new, 0 updated." in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(HEADER + "X,,,business,,,,,\n"))
    with translation.override("en"), pytest.raises(CommandError, match="Row 2, column “name”"):
        call_command("import_stakeholders", "alpha", str(bad), stdout=out)
    assert Stakeholder.objects.filter(organisation=world.alpha).count() == 3
