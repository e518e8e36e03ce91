"""Spreadsheet import of actions: all-or-nothing with the row and column named; a good file
updates by external_id without duplicates; the export reads back in."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from zora.strategy import exports, services
from zora.strategy.models import Action, ActionFunding

HEADER = (
    "external_id,objective,title_en,title_bg,start,end,status,progress,budget,funding,depends_on\n"
)


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


@pytest.mark.django_db
def test_one_bad_row_changes_nothing_and_names_row_and_column(strategy, tree):
    before = list(Action.objects.order_by("pk").values_list("external_id", "title_en", "progress"))
    data = csv_bytes(
        "A1,O1.1,Vouchers renamed,,2025-01-01,2026-12-31,in_progress,50,1000,erdf=800,",
        "N1,O1.2,New action,,2025-02-01,31.12.2026,planned,,500,,A1",
        "N2,O1.2,Bad dates,,2025-02-01,someday,planned,,,,",
    )
    with pytest.raises(ValidationError) as caught:
        services.actions_import(strategy=strategy, data=data, file_name="actions.csv")
    assert caught.value.messages == ["Row 4, column “end”: write the date as YYYY-MM-DD."]
    after = list(Action.objects.order_by("pk").values_list("external_id", "title_en", "progress"))
    assert after == before
    assert not ActionFunding.objects.exists()


@pytest.mark.django_db
def test_unknown_codes_are_named(strategy, tree):
    data = csv_bytes("N1,O9,New,,,,someday-status,,,lottery=5,ZZ")
    with pytest.raises(ValidationError) as caught:
        services.actions_import(strategy=strategy, data=data, file_name="a.csv")
    text = " ".join(caught.value.messages)
    for column in ("objective", "status", "funding", "depends_on"):
        assert f"Row 2, column “{column}”" in text


@pytest.mark.django_db
def test_a_good_file_creates_and_updates_by_external_id(strategy, tree):
    data = csv_bytes(
        "A1,O1.1,Vouchers renamed,,2025-01-01,2026-12-31,in_progress,50,1000,erdf=800; municipal=200,",
        "N1,O1.2,New action,Ново действие,2025-02-01,31.12.2026,planned,,500,,A1",
    )
    counts = services.actions_import(strategy=strategy, data=data, file_name="actions.csv")
    assert counts == {"created": 1, "updated": 1}
    counts = services.actions_import(strategy=strategy, data=data, file_name="actions.csv")
    assert counts == {"created": 0, "updated": 2}
    assert Action.objects.filter(strategy=strategy).count() == 5
    a1 = Action.objects.get(external_id="A1")
    assert (a1.title_en, a1.progress, a1.status.code) == ("Vouchers renamed", 50, "in_progress")
    assert sorted((f.source.code, int(f.amount)) for f in a1.funding.all()) == [
        ("erdf", 800),
        ("municipal", 200),
    ]
    n1 = Action.objects.get(external_id="N1")
    assert [d.external_id for d in n1.depends_on.all()] == ["A1"]
    tree["o11"].refresh_from_db()
    assert tree["o11"].progress == 25  # A1 50, A2 0: recomputed after the import


@pytest.mark.django_db
def test_xlsx_round_trip(strategy, tree):
    services.action_save(strategy=strategy, action=tree["A2"], progress=20, budget="1500.50")
    data = exports.actions_xlsx(strategy=strategy)
    counts = services.actions_import(strategy=strategy, data=data, file_name="actions.xlsx")
    assert counts == {"created": 0, "updated": 4}
    assert Action.objects.get(external_id="A2").budget == pytest.approx(1500.5)
    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "objective", "title_en"])
    sheet.append(["X1", "O2.1", "From Excel"])
    buffer = io.BytesIO()
    book.save(buffer)
    services.actions_import(strategy=strategy, data=buffer.getvalue(), file_name="new.xlsx")
    assert Action.objects.get(external_id="X1").objective == tree["o21"]


@pytest.mark.django_db
def test_import_and_export_pages(world, login, strategy, tree):
    editor = login(world.bob)
    url = f"/en/o/alpha/plan/{strategy.pk}/actions/import/"
    bad = io.BytesIO(csv_bytes("N1,NOPE,x,,,,,,,,"))
    bad.name = "a.csv"
    response = editor.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Row 2, column “objective”" in response.content.decode()
    good = io.BytesIO(csv_bytes("N1,O1.1,Imported,,,,,,,,"))
    good.name = "a.csv"
    assert editor.post(url, {"file": good}).status_code == 302
    assert Action.objects.filter(external_id="N1").exists()
    assert login(world.dave).post(url, {"file": good}).status_code == 403
    csv_response = login(world.dave).get(f"/en/o/alpha/plan/{strategy.pk}/actions.csv")
    assert csv_response.status_code == 200
    assert b"N1,O1.1" in csv_response.content


@pytest.mark.django_db
def test_the_import_job_runs_the_same_import(world, strategy, tree):
    from django.core.files.base import ContentFile

    from zora.core.jobs import job_create, run_job_now

    job = job_create(
        kind="strategy.import_actions",
        organisation=world.alpha,
        user=world.bob,
        params={"strategy": strategy.pk, "file_name": "a.csv"},
        input_file=ContentFile(csv_bytes("J1,O1.1,By job,,,,,,,,"), name="a.csv"),
    )
    job = run_job_now(job)
    assert job.status == "done", job.error
    assert job.result["created"] == 1
