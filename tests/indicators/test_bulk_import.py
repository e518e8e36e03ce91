"""The fast import path: CSV read column by column, COPY on PostgreSQL (straight into the
observation table for a dataset's first import, through a temporary table otherwise), and the
index rebuild of a big first load. Same results as the row-by-row path, errors included."""

import time

import pytest
from django.db import connection
from django.utils import translation

from tests.indicators.conftest import DATA
from zora.indicators import services
from zora.indicators.importers import base
from zora.indicators.importers.base import NotSimple
from zora.indicators.importers.detect import parse_any
from zora.indicators.models import ImportBatch, Observation, ObservationRevision
from zora.indicators.services import ImportFailed, import_file

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and index rebuilds are PostgreSQL's"
)
HEADER = "STRUCTURE,STRUCTURE_ID,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"


def sdmx(*rows: str) -> bytes:
    return (HEADER + "".join(f"dataflow,ESTAT:BULK_TEST(1.0),A,{row}\n" for row in rows)).encode()


def from_rows(data: bytes) -> list[tuple]:
    return [
        (r.line, r.region, r.period, repr(r.value) if r.value is not None else "", r.flags)
        + (r.confidentiality, r.dimensions)
        for r in parse_any(data).rows
    ]


def from_blocks(data: bytes) -> list[tuple]:
    blocks = parse_any(data).column_blocks
    assert blocks is not None
    out = []
    for b in blocks():
        columns = (b.region, b.period, b.value, b.flags, b.confidentiality, b.dimensions)
        out += [(b.first_line + i, *cells) for i, cells in enumerate(zip(*columns, strict=True))]
    return out


@pytest.mark.parametrize("name", ["isoc_r_iacc_h.csv", "isoc_r_broad_h.csv"])
def test_column_blocks_agree_with_the_row_reader_on_real_files(name, monkeypatch):
    monkeypatch.setattr(base, "BLOCK_ROWS", 1000)  # several blocks
    data = (DATA / name).read_bytes()
    assert from_blocks(data) == from_rows(data)


def test_a_file_with_quoted_labels_is_read_row_by_row():
    blocks = parse_any((DATA / "sdg_09_40_patentes_europa.csv").read_bytes()).column_blocks
    assert blocks is not None
    with pytest.raises(NotSimple):
        list(blocks())


def test_column_blocks_agree_on_crlf_periods_and_missing_cells():
    data = sdmx("PC_HH,BG34,2024Q1,7.5,b ,", "PC_HH,BG41,2024-M03,,p,C", "PC_HH,BG34,2023,1e3,,")
    data = data.replace(b"\n", b"\r\n")
    rows = from_rows(data)
    assert from_blocks(data) == rows
    assert [r[2:5] for r in rows] == [
        ("2024-Q1", "7.5", "b"),
        ("2024-03", "", "p"),
        ("2023", "1000.0", ""),
    ]


@pytest.mark.parametrize(
    "data",
    [
        sdmx('PC_HH,BG34,2024,"7.5",,'),  # quoted cells
        sdmx("PC_HH,BG34,2024,7.5,,", "", "PC_HH,BG41,2024,1,,"),  # a blank line inside
        sdmx("PC_HH,BG34,2024,abc,,"),  # text in a value cell
        sdmx("PC_HH,BG34,2024,nan,,"),
        sdmx("PC_HH,,2024,1,,"),  # no region
        sdmx("PC_HH,BG34,2024,1,,,extra"),  # a row wider than the header
    ],
)
def test_column_blocks_leave_what_they_cannot_vouch_for_to_the_row_reader(data):
    blocks = parse_any(data).column_blocks
    assert blocks is not None
    with pytest.raises(NotSimple):
        list(blocks())


@pytest.mark.django_db
def test_an_error_after_the_first_blocks_names_its_line_and_stores_nothing(regions, monkeypatch):
    monkeypatch.setattr(base, "BLOCK_ROWS", 2)
    rows = [f"U{i},BG34,{2000 + i},{i},," for i in range(7)]
    rows[5] = "U5,BG34,2005,1.2.3,,"  # line 7: header + 5 good rows before it
    with (
        translation.override("en"),
        pytest.raises(ImportFailed, match=r"line 7, field OBS_VALUE: expected a number"),
    ):
        import_file(data=sdmx(*rows), file_name="bad.csv")
    assert Observation.objects.count() == 0
    assert not ImportBatch.objects.filter(status="done").exists()


@pytest.mark.django_db
def test_strict_import_names_the_line_of_an_unknown_region(regions, monkeypatch):
    monkeypatch.setattr(base, "BLOCK_ROWS", 2)
    data = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,", "PC_HH,XX99,2024,3,,")
    with (
        translation.override("en"),
        pytest.raises(ImportFailed, match="line 4: unknown region code XX99"),
    ):
        import_file(data=data, file_name="x.csv", strict=True)
    assert Observation.objects.count() == 0


@pytest.mark.django_db
def test_fast_path_counts_skipped_rows_and_keeps_flags(regions, monkeypatch):
    monkeypatch.setattr(base, "BLOCK_ROWS", 2)
    data = sdmx(
        "PC_HH,BG34,2024,1.5,b,",
        "PC_HH,XX99,2024,3,,",  # unknown region
        "PC_HH,BG41,2024,,,",  # no value and no flag
        "PC_HH,BG41,2023,,c,C",  # no value, but flagged
        "PC_HH,EL52,2024,2,,",
    )
    batch = import_file(data=data, file_name="x.csv").batch
    assert (batch.rows_read, batch.rows_created, batch.rows_skipped) == (5, 3, 2)
    assert batch.skipped_reasons == {"unknown region code": 1, "no value and no flag": 1}
    stored = {
        (o.region_code, o.period): (o.value, o.flags, o.confidentiality, o.dimensions)
        for o in Observation.objects.filter(dataset="BULK_TEST")
    }
    assert stored == {
        ("BG34", "2024"): (1.5, "b", "", {"freq": "A", "unit": "PC_HH"}),
        ("BG41", "2023"): (None, "c", "C", {"freq": "A", "unit": "PC_HH"}),
        ("EL52", "2024"): (2.0, "", "", {"freq": "A", "unit": "PC_HH"}),
    }


@pytest.mark.django_db
def test_a_repeated_key_in_a_first_import_keeps_the_later_line(regions):
    # On PostgreSQL the straight COPY meets the unique key and the file goes the general way.
    data = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,", "PC_HH,BG34,2024,3,p,")
    batch = import_file(data=data, file_name="dup.csv").batch
    assert (batch.rows_read, batch.rows_created) == (3, 2)
    assert batch.skipped_reasons == {"duplicate row in the file": 1}
    latest = Observation.objects.get(region_code="BG34")
    assert (latest.value, latest.flags) == (3.0, "p")


@postgres_only
@pytest.mark.django_db
def test_progress_is_reported_while_copying(regions, monkeypatch):
    monkeypatch.setattr(base, "BLOCK_ROWS", 2)
    seen = []
    data = sdmx(*(f"U{i},BG34,2024,{i},," for i in range(9)))
    with translation.override("en"):
        import_file(data=data, file_name="x.csv", progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _m in seen]
    assert len(seen) >= 5 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][1].startswith("9 rows read: 9 new")


def indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'indicators_observation'")
        return {row[0] for row in cursor.fetchall()}


@postgres_only
@pytest.mark.django_db
def test_a_big_first_load_rebuilds_the_indexes_it_dropped(regions, monkeypatch):
    monkeypatch.setattr(services, "BULK_LOAD_MIN_ROWS", 2)
    rebuilt = []
    drop = services._drop_indexes_for_bulk_load

    def spy(cursor, lines):
        rebuilt.extend(drop(cursor, lines))
        assert indexes() == {i for i in before if "_pkey" in i}  # only the primary key left
        return rebuilt

    monkeypatch.setattr(services, "_drop_indexes_for_bulk_load", spy)
    before = indexes()
    assert any("observation_unique" in index for index in before)
    batch = import_file(data=(DATA / "isoc_r_iacc_h.csv").read_bytes(), file_name="a.csv").batch
    assert len(rebuilt) == len(before) - 1 and indexes() == before
    assert batch.rows_created == Observation.objects.count() > 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conname = 'observation_unique' "
            "AND conrelid = 'indicators_observation'::regclass"
        )
        assert cursor.fetchone()[0] == 1


@postgres_only
@pytest.mark.django_db
def test_a_big_first_load_with_a_repeated_key_falls_back_and_keeps_the_indexes(
    regions, monkeypatch
):
    monkeypatch.setattr(services, "BULK_LOAD_MIN_ROWS", 2)
    before = indexes()
    data = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,", "PC_HH,BG34,2024,3,,")
    batch = import_file(data=data, file_name="dup.csv").batch
    assert indexes() == before
    assert batch.rows_created == 2 and batch.skipped_reasons == {"duplicate row in the file": 1}


@postgres_only
@pytest.mark.django_db
def test_a_failing_big_first_load_changes_nothing(regions, monkeypatch):
    monkeypatch.setattr(services, "BULK_LOAD_MIN_ROWS", 2)
    before = indexes()
    data = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,", "PC_HH,BG42,2024,x,,")
    with translation.override("en"), pytest.raises(ImportFailed, match="line 4"):
        import_file(data=data, file_name="bad.csv")
    assert indexes() == before and Observation.objects.count() == 0


@postgres_only
@pytest.mark.django_db
def test_copy_path_is_idempotent_and_keeps_revised_values_in_history(regions):
    first = import_file(data=sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,"), file_name="a")
    assert first.batch.rows_created == 2
    assert import_file(
        data=sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,"), file_name="b"
    ).duplicate
    release = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2.5,p,", "PC_HH,EL52,2024,4,,")
    batch = import_file(data=release, file_name="c").batch
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (1, 1, 1)
    revised = Observation.objects.get(region_code="BG41")
    assert (revised.value, revised.flags, revised.batch) == (2.5, "p", batch)
    history = ObservationRevision.objects.get()
    assert (history.observation, history.value, history.flags) == (revised, 2.0, "")
    assert (history.batch, history.replaced_by) == (first.batch, batch)
    assert Observation.objects.get(region_code="BG34").batch == first.batch


@postgres_only
@pytest.mark.django_db
def test_a_period_too_long_for_the_table_is_named(regions):
    with (
        translation.override("en"),
        pytest.raises(ImportFailed, match="line 2, field TIME_PERIOD: expected a period"),
    ):
        import_file(data=sdmx("PC_HH,BG34,2024-2025-Q1,1,,"), file_name="x.csv")
    assert Observation.objects.count() == 0
    long_unit = sdmx("PC_HH,BG34,2024,1,,", f"{'U' * 300},BG34,2024,1,,")
    with translation.override("en"), pytest.raises(ImportFailed, match="x.csv line 3: the dim"):
        import_file(data=long_unit, file_name="x.csv")
    assert Observation.objects.count() == 0


@postgres_only
@pytest.mark.django_db
def test_a_big_first_load_keeps_the_indexes_when_someone_is_reading(regions, monkeypatch):
    import psycopg

    monkeypatch.setattr(services, "BULK_LOAD_MIN_ROWS", 2)
    before = indexes()
    settings = connection.settings_dict
    reader = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    try:  # an open transaction that read the table holds a lock the drop would wait for
        reader.execute("SELECT count(*) FROM indicators_observation").fetchone()
        data = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,")
        started = time.monotonic()
        batch = import_file(data=data, file_name="x.csv").batch
        waited = time.monotonic() - started
    finally:
        reader.close()
    assert batch.rows_created == 2 and indexes() == before
    assert 2 <= waited < 10  # it waited for the lock (lock_timeout 2 s), then went on
