"""The fast import path: a plain CSV file read column by column (pandas) and grouped into
series, stored one row per series and region (COPY on PostgreSQL). Same results as the
row-by-row path, errors included; anything it cannot vouch for goes the row-by-row way."""

import json

import pytest
from django.db import connection
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.indicators.conftest import DATA
from zora.indicators import services
from zora.indicators.importers.base import NotSimple, normalise_period
from zora.indicators.importers.detect import parse_any
from zora.indicators.models import ImportBatch, Observation, ObservationRevision, Series
from zora.indicators.services import ImportFailed, import_file

HEADER = "STRUCTURE,STRUCTURE_ID,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"


def sdmx(*rows: str) -> bytes:
    return (HEADER + "".join(f"dataflow,ESTAT:BULK_TEST(1.0),A,{row}\n" for row in rows)).encode()


def from_rows(data: bytes, known: set[str]) -> dict:
    """What the row reader gives, grouped as the table groups it (rows without a value or a
    flag, or of an unknown region, left out)."""
    out: dict = {}
    for r in parse_any(data).rows:
        if r.region in known and (r.value is not None or r.flags or r.confidentiality):
            out.setdefault((r.dimensions, r.region), []).append(
                (r.period, r.value, r.flags[:10], r.confidentiality[:2])
            )
    return {key: sorted(points) for key, points in out.items()}


def from_table(data: bytes, known: set[str]) -> dict:
    table = parse_any(data).table
    assert table is not None
    t = table(known, False)
    out = {}
    for dims, region, size, *lists in zip(
        t.dimensions,
        t.regions,
        t.sizes,
        t.periods,
        t.values,
        t.flags,
        t.confidentiality,
        strict=True,
    ):
        points = list(zip(*map(json.loads, lists), strict=True))
        assert len(points) == size
        out[(dims, region)] = points
    return out


@pytest.mark.parametrize("name", ["isoc_r_iacc_h.csv", "isoc_r_broad_h.csv"])
def test_the_table_agrees_with_the_row_reader_on_real_files(name):
    data = (DATA / name).read_bytes()
    every = {r.region for r in parse_any(data).rows}
    some = set(sorted(every)[::2])
    for known in (every, some):
        table = from_table(data, known)
        assert table == from_rows(data, known) and len(table) > 5
        assert all(points == sorted(points) for points in table.values())


def test_a_file_with_quoted_labels_is_read_row_by_row():
    table = parse_any((DATA / "sdg_09_40_patentes_europa.csv").read_bytes()).table
    assert table is not None
    with pytest.raises(NotSimple):
        table({"BG"}, False)


def test_the_table_agrees_on_crlf_periods_and_missing_cells():
    data = sdmx("PC_HH,BG34,2024Q1,7.5,b ,", "PC_HH,BG41,2024-M03,,p,C", "PC_HH,BG34,2023,1e3,,")
    data = data.replace(b"\n", b"\r\n")
    known = {"BG34", "BG41"}
    assert from_table(data, known) == from_rows(data, known)
    assert from_table(data, known) == {
        ((("freq", "A"), ("unit", "PC_HH")), "BG34"): [
            ("2023", 1000.0, "", ""),
            ("2024-Q1", 7.5, "b", ""),
        ],
        ((("freq", "A"), ("unit", "PC_HH")), "BG41"): [("2024-03", None, "p", "C")],
    }


@pytest.mark.parametrize(
    "data",
    [
        sdmx("PC_HH,BG34,2024,abc,,"),  # text in a value cell
        sdmx("PC_HH,BG34,2024,nan,,"),
        sdmx("PC_HH,BG34,2024,inf,,"),
        sdmx("PC_HH,,2024,1,,"),  # no region
        sdmx("PC_HH,BG34,,1,,"),  # no period
        sdmx("PC_HH,BG34,2024,1,,,extra"),  # a row wider than the header
        sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,1,,,"),  # the same, not first
        sdmx('PC_HH,BG34,2024,"7.5",,'),  # quoted cells
        sdmx("PC_HH,BG34,2024,1_0,,"),  # Python's float() would take it, the row reader not
        sdmx("PC_HH,BG34,2024,1"),  # a row narrower than the header
        sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG34,2024,2,,"),  # a repeated key
        sdmx("PC_HH,BG34,2024-2025-Q1,1,,"),  # a period too long to store
        b"STRUCTURE,STRUCTURE_ID,ACTION,freq,unit,geo,TIME_PERIOD,OBS_VALUE\n"
        b"dataflow,ESTAT:X(1.0),D,A,PC,BG34,2024,1\n",  # ACTION D
    ],
)
def test_the_table_leaves_what_it_cannot_vouch_for_to_the_row_reader(data):
    table = parse_any(data).table
    assert table is not None
    with pytest.raises(NotSimple):
        table({"BG34"}, False)


def test_a_strict_table_leaves_an_unknown_region_to_the_row_reader():
    table = parse_any(sdmx("PC_HH,BG34,2024,1,,", "PC_HH,XX99,2024,1,,")).table
    assert table is not None
    assert table({"BG34"}, False).skipped == {"unknown region code": 1}
    with pytest.raises(NotSimple):
        table({"BG34"}, True)


@pytest.mark.django_db
def test_an_error_the_table_leaves_is_named_by_line_and_stores_nothing(regions):
    rows = [f"U{i},BG34,{2000 + i},{i},," for i in range(7)]
    rows[5] = "U5,BG34,2005,1.2.3,,"  # line 7: header + 5 good rows before it
    with (
        translation.override("en"),
        pytest.raises(ImportFailed, match=r"line 7, field OBS_VALUE: expected a number"),
    ):
        import_file(data=sdmx(*rows), file_name="bad.csv")
    assert Series.objects.count() == 0 and Observation.objects.count() == 0
    assert not ImportBatch.objects.filter(status="done").exists()


@pytest.mark.django_db
def test_strict_import_names_the_line_of_an_unknown_region(regions):
    data = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,", "PC_HH,XX99,2024,3,,")
    with (
        translation.override("en"),
        pytest.raises(ImportFailed, match="line 4: unknown region code XX99"),
    ):
        import_file(data=data, file_name="x.csv", strict=True)
    assert Series.objects.count() == 0


@pytest.mark.django_db
def test_fast_path_counts_skipped_rows_and_keeps_flags(regions, monkeypatch):
    used = []
    store = services._store_table
    monkeypatch.setattr(services, "_store_table", lambda *a: used.append(a) or store(*a))
    data = sdmx(
        "PC_HH,BG34,2024,1.5,b,",
        "PC_HH,XX99,2024,3,,",  # unknown region
        "PC_HH,BG41,2024,,,",  # no value and no flag
        "PC_HH,BG41,2023,,c,C",  # no value, but flagged
        "PC_HH,EL52,2024,2,,",
        "PC_HH,BG34,2023,0.5,,",
    )
    batch = import_file(data=data, file_name="x.csv").batch
    assert used, "the first import of a plain file goes the fast way"
    assert (batch.rows_read, batch.rows_created, batch.rows_skipped) == (6, 4, 2)
    assert batch.skipped_reasons == {"unknown region code": 1, "no value and no flag": 1}
    stored = {
        (o.region_code, o.period): (o.value, o.flags, o.confidentiality, o.dimensions, o.batch)
        for o in Observation.objects.filter(dataset="BULK_TEST")
    }
    dims = {"freq": "A", "unit": "PC_HH"}
    assert stored == {
        ("BG34", "2023"): (0.5, "", "", dims, batch),
        ("BG34", "2024"): (1.5, "b", "", dims, batch),
        ("BG41", "2023"): (None, "c", "C", dims, batch),
        ("EL52", "2024"): (2.0, "", "", dims, batch),
    }
    assert Series.objects.count() == 3
    bg34 = Series.objects.get(region_code="BG34")
    assert (bg34.dims_key, bg34.periods, bg34.values) == (
        "unit=PC_HH",
        ["2023", "2024"],
        [0.5, 1.5],
    )


@pytest.mark.django_db
def test_a_repeated_key_in_a_first_import_keeps_the_later_line(regions):
    data = sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,", "PC_HH,BG34,2024,3,p,")
    batch = import_file(data=data, file_name="dup.csv").batch
    assert (batch.rows_read, batch.rows_created) == (3, 2)
    assert batch.skipped_reasons == {"duplicate row in the file": 1}
    latest = Observation.objects.get(region_code="BG34")
    assert (latest.value, latest.flags) == (3.0, "p")


@pytest.mark.django_db
def test_progress_is_reported(regions):
    seen = []
    data = sdmx(*(f"U{i},BG34,2024,{i},," for i in range(9)))
    with translation.override("en"):
        import_file(data=data, file_name="x.csv", progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _m in seen]
    assert len(seen) >= 3 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][1].startswith("9 rows read: 9 new")


@pytest.mark.django_db
def test_a_newer_release_is_merged_and_keeps_revised_values_in_history(regions):
    first = import_file(data=sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,"), file_name="a")
    assert first.batch.rows_created == 2
    assert import_file(
        data=sdmx("PC_HH,BG34,2024,1,,", "PC_HH,BG41,2024,2,,"), file_name="b"
    ).duplicate
    release = sdmx(
        "PC_HH,BG34,2024,1,,",
        "PC_HH,BG41,2024,2.5,p,",
        "PC_HH,EL52,2024,4,,",
        "PC_HH,BG41,2025,3,,",
    )
    batch = import_file(data=release, file_name="c").batch
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (2, 1, 1)
    revised = Observation.objects.get(region_code="BG41", period="2024")
    assert (revised.value, revised.flags, revised.batch) == (2.5, "p", batch)
    history = ObservationRevision.objects.get()
    assert (history.series_id, history.period) == (revised.series_id, "2024")
    assert (history.value, history.flags, history.current) == (2.0, "", (2.5, "p"))
    assert (history.batch, history.replaced_by) == (first.batch, batch)
    assert Observation.objects.get(region_code="BG34").batch == first.batch
    # A new period is appended: the positions (and ids) of the older ones stay.
    bg41 = Series.objects.get(region_code="BG41")
    assert bg41.periods == ["2024", "2025"] and revised.id == bg41.pk * 100_000 + 1


@pytest.mark.django_db
def test_a_period_or_dimensions_too_long_to_store_are_named(regions):
    with (
        translation.override("en"),
        pytest.raises(ImportFailed, match="line 2, field TIME_PERIOD: expected a period"),
    ):
        import_file(data=sdmx("PC_HH,BG34,2024-2025-Q1,1,,"), file_name="x.csv")
    assert Series.objects.count() == 0
    long_unit = sdmx("PC_HH,BG34,2024,1,,", f"{'U' * 300},BG34,2024,1,,")
    with translation.override("en"), pytest.raises(ImportFailed, match="x.csv line 3: the dim"):
        import_file(data=long_unit, file_name="x.csv")
    assert Series.objects.count() == 0


@pytest.mark.django_db
def test_the_observation_view_reads_like_a_table(regions):
    import_file(data=sdmx("PC_HH,BG34,2024,1.5,b,", "PC_HH,BG34,2023,,c,C"), file_name="v.csv")
    rows = list(
        Observation.objects.filter(dataset="BULK_TEST", dimensions__unit="PC_HH")
        .order_by("period")
        .values_list("region_code", "period", "value", "flags", "confidentiality")
    )
    assert rows == [("BG34", "2023", None, "c", "C"), ("BG34", "2024", 1.5, "b", "")]
    assert Observation.objects.filter(value__gt=1).count() == 1
    assert Observation.objects.filter(period="2023", value__isnull=True).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_dataset_take_turns(regions):
    import threading

    from django.db import connections

    results = {}

    def run(name, data):
        try:
            results[name] = import_file(data=data, file_name=name).batch
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=run,
            args=(f"{i}.csv", sdmx(f"PC_HH,BG34,2024,{i},,", f"PC_HH,BG41,{2020 + i},1,,")),
        )
        for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and Series.objects.filter(region_code="BG34").count() == 1
    bg41 = Series.objects.get(region_code="BG41")
    assert sorted(bg41.periods) == ["2020", "2021", "2022", "2023"]
    assert sum(b.rows_created for b in results.values()) == 5
    assert sum(b.rows_updated for b in results.values()) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("fast", [True, False])
def test_backslashes_tabs_and_quotes_survive_storage(regions, fast):
    unit, flag = "A\\B", "b\\"
    rows = [f"{unit},BG34,2024,1.5,{flag},", "PC,BG41,2024,2,,"]
    data = sdmx(*rows)
    if not fast:  # a quoted cell with a tab sends the file the row-by-row way
        data = data.replace(b"PC,BG41", b'"P\tC",BG41')
    import_file(data=data, file_name="odd.csv")
    found = {
        (o.region_code, o.dims_key, o.flags, o.value, o.dimensions["unit"])
        for o in Observation.objects.all()
    }
    second = "P\tC" if not fast else "PC"
    assert found == {
        ("BG34", f"unit={unit}", flag, 1.5, unit),
        ("BG41", f"unit={second}", "", 2.0, second),
    }


_UNITS = st.sampled_from(["PC_HH", "PC_IND", "A\\B"])
_REGIONS = st.sampled_from(["BG34", "BG41", "EL52", "XX99"])
_PERIODS = st.sampled_from(["2019", "2020", "2021", "2022", "2023Q1", "2023-Q2", "2024M03"])
_VALUES = st.one_of(
    st.none(),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(repr),
    st.integers(-1000, 1000).map(str),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            _UNITS,
            _REGIONS,
            _PERIODS,
            _VALUES,
            st.sampled_from(["", "p", " b", "e ", "bu"]),
            st.sampled_from(["", "C"]),
        ),
        min_size=1,
        max_size=40,
        unique_by=lambda r: (r[0], r[1], r[2]),
    )
)
def test_the_table_agrees_with_the_row_reader_on_any_plain_file(rows):
    data = sdmx(*(f"{u},{g},{p},{v or ''},{f},{c}" for u, g, p, v, f, c in rows))
    known = {"BG34", "BG41", "EL52"}
    table = parse_any(data).table
    assert table is not None
    expected = from_rows(data, known)
    try:
        got = from_table(data, known)
    except NotSimple:  # only when the periods normalise to the same one ("2023Q1", "2023-Q1")
        keys = [(u, g, normalise_period(p)) for u, g, p, *_ in rows]
        assert len(set(keys)) < len(keys)
        return
    assert got == expected
    made = table(known, False)
    assert made.rows_read == len(rows) and made.stored + sum(made.skipped.values()) == len(rows)
