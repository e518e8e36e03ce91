"""Imports: provenance, idempotence, revisions, bad files change nothing, the job with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.indicators.conftest import DATA
from zora.core.jobs import job_create, job_enqueue
from zora.core.models import Job
from zora.indicators.models import ImportBatch, Observation, ObservationRevision
from zora.indicators.services import ImportFailed, import_file

IACC = (DATA / "isoc_r_iacc_h.csv").read_bytes()


def counts():
    return Observation.objects.count(), ObservationRevision.objects.count()


@pytest.mark.django_db
def test_real_file_with_provenance(regions, world):
    report = import_file(
        data=IACC, file_name="isoc_r_iacc_h.csv", user=world.alice, organisation=world.alpha
    )
    batch = report.batch
    assert (
        batch.status == "done"
        and batch.format == "eurostat-csv"
        and batch.dataset == "ISOC_R_IACC_H"
    )
    assert batch.last_update == "25/06/26 23:00:00" and len(batch.sha256) == 64
    assert batch.user == world.alice and batch.organisation == world.alpha
    assert batch.rows_read == 5870
    stored = Observation.objects.filter(dataset="ISOC_R_IACC_H")
    assert batch.rows_created == stored.count() and batch.rows_created > 0
    assert batch.rows_skipped == batch.skipped_reasons[
        "unknown region code"
    ] + batch.skipped_reasons.get("no value and no flag", 0)
    assert batch.rows_read == batch.rows_created + batch.rows_skipped
    assert set(stored.values_list("region_code", flat=True)) <= set(regions)
    bg34 = stored.get(region_code="BG34", period="2024")
    assert (
        bg34.dims_key == "unit=PC_HH"
        and bg34.dimensions == {"freq": "A", "unit": "PC_HH"}
        and bg34.batch == batch
    )


@pytest.mark.django_db
def test_reimporting_the_same_file_stores_nothing_new(regions):
    import_file(data=IACC, file_name="isoc_r_iacc_h.csv")
    before = counts()
    again = import_file(data=IACC, file_name="copy.csv")
    assert again.duplicate and again.batch.status == "duplicate"
    assert counts() == before
    assert ImportBatch.objects.filter(status="done").count() == 1


@pytest.mark.django_db
def test_a_newer_release_revises_values_and_keeps_history(regions):
    first = import_file(data=IACC, file_name="isoc_r_iacc_h.csv").batch
    old = Observation.objects.get(dataset="ISOC_R_IACC_H", region_code="BG34", period="2024")
    lines = IACC.decode("utf-8").splitlines()
    revised = []
    for line in lines:
        parts = line.split(",")
        if parts[4:6] == ["BG34", "2024"]:
            parts[6], parts[7] = "99.9", "p"
        parts[1] = "01/09/26 23:00:00" if parts[1] != "LAST UPDATE" else parts[1]
        revised.append(",".join(parts))
    report = import_file(data="\n".join(revised).encode(), file_name="isoc_r_iacc_h.csv")
    assert report.batch.rows_updated == 1 and report.batch.rows_created == 0
    assert report.batch.rows_unchanged == first.rows_created - 1
    new = Observation.objects.get(pk=old.pk)
    assert new.value == 99.9 and new.flags == "p" and new.batch == report.batch
    history = ObservationRevision.objects.get(series=new.series, period="2024")
    assert history.value == old.value and history.flags == old.flags
    assert history.current == (99.9, "p")
    assert history.batch == first and history.replaced_by == report.batch


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (
            b"DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_FLAG\nESTAT:X(1.0),1,A,PC,BG34,2024,\n",
            "bad-header.csv",
            "OBS_VALUE",
        ),
        (IACC.replace(b",BG34,2024,", b",BG34,2024,abc", 1), "text-value.csv", "line"),
        ((DATA / "une-rt-m-geo-de-lower-last3.json").read_bytes()[:300], "truncated.json", "JSON"),
        (b"", "empty.csv", ""),
    ],
)
def test_malformed_files_change_nothing(regions, content, name, expected):
    import_file(data=(DATA / "isoc_r_broad_h.csv").read_bytes(), file_name="isoc_r_broad_h.csv")
    before = counts()
    with pytest.raises(ImportFailed) as error:
        import_file(data=content, file_name=name)
    assert expected in str(error.value)
    assert counts() == before
    assert not ImportBatch.objects.filter(file_name=name, status="done").exists()


@pytest.mark.django_db
def test_text_in_a_value_cell_names_the_line(regions):
    broken = IACC.replace(b",BG34,2024,", b",BG34,2024,abc", 1)
    line = next(
        i for i, text in enumerate(broken.splitlines(), start=1) if b",BG34,2024,abc" in text
    )
    with pytest.raises(ImportFailed, match=f"line {line}"):
        import_file(data=broken, file_name="x.csv")
    assert Observation.objects.count() == 0


@pytest.mark.django_db
def test_strict_import_rejects_unknown_regions(regions):
    with pytest.raises(ImportFailed, match="unknown region code"):
        import_file(data=IACC, file_name="isoc_r_iacc_h.csv", strict=True)
    assert Observation.objects.count() == 0


@pytest.mark.django_db
def test_mapped_csv(regions):
    data = b"Region;Year;Share;Note\nBG34;2023;61,5;\nBG41;2023;80;p\nXX9;2023;1;\n"
    report = import_file(
        data=data,
        file_name="my.csv",
        format="mapped",
        dataset="my_survey",
        mapping={"region": "Region", "period": "Year", "value": "Share", "flags": "Note"},
    )
    assert report.batch.rows_created == 2 and report.batch.skipped_reasons == {
        "unknown region code": 1
    }
    assert Observation.objects.get(dataset="MY_SURVEY", region_code="BG41").flags == "p"


@pytest.mark.django_db
def test_import_job_reports_progress_and_result(regions, world):
    job = job_create(
        kind="indicators.import",
        organisation=world.alpha,
        user=world.bob,
        input_file=SimpleUploadedFile("isoc_r_iacc_h.csv", IACC),
        params={"format": "auto", "file_name": "isoc_r_iacc_h.csv"},
    )
    job_enqueue(job)  # the immediate backend runs it now
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100
    assert "rows read" in job.result["summary"] and job.result_url.endswith(
        f"/imports/{job.result['batch']}/"
    )


@pytest.mark.django_db
def test_failed_job_keeps_its_error_and_can_be_retried(regions, world, login):
    job = job_create(
        kind="indicators.import",
        organisation=world.alpha,
        user=world.bob,
        input_file=SimpleUploadedFile("bad.csv", b"nonsense"),
        params={"file_name": "bad.csv"},
    )
    job_enqueue(job)
    job.refresh_from_db()
    assert job.status == "failed" and "bad.csv" in job.error
    client = login(world.bob)
    page = client.get(f"/en/jobs/{job.pk}/")
    from django.utils.html import escape

    assert page.status_code == 200 and "Try again" in page.content.decode()
    assert escape(job.error) in page.content.decode()
    response = client.post(f"/en/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "failed"  # same file, same error, recorded again
    assert login(world.charlie).get(f"/en/jobs/{job.pk}/").status_code == 404
    partial = client.get(f"/en/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="job-status"') and "<html" not in partial
    assert Job.objects.count() == 1
