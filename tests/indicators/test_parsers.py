"""The pure file parsers of zora.indicators.importers, on real Eurostat / eGovernment files.

Expected values are copied cell by cell from the files in tests/data/ (see its README.md).
No database: these tests need no Django.
"""

import csv
import io
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from zora.indicators.importers import (
    ImportFormatError,
    Observation,
    detect,
    egov_xlsx,
    eurostat_csv,
    jsonstat,
    mapped,
    parse_any,
    sdmx_csv,
    tsv,
)
from zora.indicators.importers.base import normalise_period

DATA = Path(__file__).resolve().parent.parent / "data"
IACC = "isoc_r_iacc_h.csv"
BROAD = "isoc_r_broad_h.csv"
AREA = "reg_area3.tsv"
PATENTS = "sdg_09_40_patentes_europa.csv"
UNEMPLOYMENT = "une-rt-m-geo-de-lower-last3.json"
EGOV = "egov_benchmark_2023_machine_readable.xlsx"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def by_line(rows):
    out = {}
    for row in rows:
        assert row.line not in out, f"two observations on line {row.line}"
        out[row.line] = row
    return out


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_of(call) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as info:
        call()
    return info.value


HH = (("freq", "A"), ("unit", "PC_HH"))
HH_IACC = (("freq", "A"), ("unit", "PC_HH_IACC"))
KM2 = (("freq", "A"), ("landuse", "TOTAL"), ("unit", "KM2"))


# --- Eurostat data-browser CSV ------------------------------------------------------------------


@pytest.fixture(scope="module")
def iacc():
    parsed = eurostat_csv.parse(read(IACC))
    return parsed, list(parsed.rows)


@pytest.fixture(scope="module")
def broad():
    parsed = eurostat_csv.parse(read(BROAD))
    return parsed, list(parsed.rows)


def test_iacc_header_and_count(iacc):
    parsed, rows = iacc
    assert (parsed.format, parsed.dataset, parsed.last_update) == (
        "eurostat-csv",
        "ISOC_R_IACC_H",
        "25/06/26 23:00:00",
    )
    assert len(rows) == 5870
    assert [row.line for row in rows] == list(range(2, 5872))
    assert sum(row.flags == "u" for row in rows) == 87
    assert sum(row.flags == "b" for row in rows) == 65
    assert sum(row.value is None for row in rows) == 22
    assert len({row.region for row in rows}) == 391
    assert {row.confidentiality for row in rows} == {""}


@pytest.mark.parametrize(
    "line, region, period, value, flags",
    [
        (2, "AL", "2018", 83.64, ""),
        (51, "AT11", "2007", None, "u"),  # empty OBS_VALUE with flag u
        (644, "BG34", "2020", 77.24, ""),
        (645, "BG34", "2021", 81.73, ""),
        (646, "BG34", "2022", 84.92, ""),
        (649, "BG34", "2025", 91.57, ""),
        (685, "BG41", "2025", 95.94, ""),
        (705, "CH", "2017", 93.06, "b"),
        (2322, "FRC", "2025", 93.64, "u"),
        (3062, "IE06", "2021", 97.18, "b"),
        (5871, "XK", "2025", 99.35, ""),
    ],
)
def test_iacc_cells(iacc, line, region, period, value, flags):
    row = by_line(iacc[1])[line]
    assert row == Observation(line, "ISOC_R_IACC_H", region, period, value, flags, "", HH)


def test_broad_header_and_count(broad):
    parsed, rows = broad
    assert (parsed.dataset, parsed.last_update) == ("ISOC_R_BROAD_H", "16/06/24 23:00:00")
    assert len(rows) == 9000
    assert sum(row.flags == "b" for row in rows) == 172
    assert sum(row.flags == "u" for row in rows) == 151
    assert sum(row.flags == "bu" for row in rows) == 2
    empty = [row for row in rows if row.value is None]
    assert len(empty) == 116 and {row.flags for row in empty} == {"u"}
    assert {row.dimensions for row in rows} == {HH, HH_IACC}
    assert max(row.period for row in rows) == "2021"


@pytest.mark.parametrize(
    "line, region, period, value, flags, dims",
    [
        (2, "AL", "2018", 82.79, "", HH),
        (39, "AT11", "2007", None, "u", HH),
        (506, "BG34", "2021", 81.73, "", HH),
        (534, "BG41", "2021", 86.23, "", HH),
        (550, "CH", "2017", 89.64, "b", HH),
        (4017, "SE32", "2019", 97.49, "bu", HH),
        (4497, "XK", "2020", 96.36, "", HH),
        (5002, "BG34", "2021", 100.0, "", HH_IACC),
        (5030, "BG41", "2021", 100.0, "", HH_IACC),
        (8521, "SE32", "2019", 97.49, "bu", HH_IACC),
        (9001, "XK", "2020", 99.91, "", HH_IACC),
    ],
)
def test_broad_cells(broad, line, region, period, value, flags, dims):
    row = by_line(broad[1])[line]
    assert row == Observation(line, "ISOC_R_BROAD_H", region, period, value, flags, "", dims)


def test_eurostat_csv_conf_status_crlf_and_missing_optional_columns():
    text = (
        "DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\r\n"
        "ESTAT:ISOC_R_IACC_H(1.0),25/06/26 23:00:00,A,PC_HH,BG344,2024,,,C\r\n"
        "ESTAT:ISOC_R_IACC_H(1.0),25/06/26 23:00:00,A,PC_HH,BG34,2024Q1,88.62,p,N\r\n"
    )
    rows = list(eurostat_csv.parse(text.encode("utf-8-sig")).rows)
    assert rows == [
        Observation(2, "ISOC_R_IACC_H", "BG344", "2024", None, "", "C", HH),
        Observation(3, "ISOC_R_IACC_H", "BG34", "2024-Q1", 88.62, "p", "N", HH),
    ]
    bare = "DATAFLOW,unit,geo,TIME_PERIOD,OBS_VALUE\nESTAT:X(1.0),PC,BG41,2024M03,1.5\n"
    parsed = eurostat_csv.parse(bare.encode())
    assert parsed.last_update is None
    assert list(parsed.rows) == [
        Observation(2, "X", "BG41", "2024-03", 1.5, "", "", (("unit", "PC"),))
    ]


def test_eurostat_csv_with_label_columns():
    text = (
        "DATAFLOW,LAST UPDATE,freq,Time frequency,geo,Geopolitical entity (reporting),"
        "TIME_PERIOD,Time,OBS_VALUE,Observation value,OBS_FLAG,Observation status\n"
        'ESTAT:X(1.0),01/01/25 23:00:00,A,Annual,TR,"Türkiye, Republic of",2024,,5,,p,provisional\n'
    )
    parsed = eurostat_csv.parse(text.encode())
    assert parsed.last_update == "01/01/25 23:00:00"
    assert detect(text.encode()) == "eurostat-csv"
    assert list(parsed.rows) == [Observation(2, "X", "TR", "2024", 5.0, "p", "", (("freq", "A"),))]


# --- SDMX-CSV 2.0 ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def patents():
    parsed = sdmx_csv.parse(read(PATENTS))
    return parsed, list(parsed.rows)


def dims(coop, unit):
    return (("coop_ptn", coop), ("freq", "A"), ("unit", unit))


def test_patents_header_and_count(patents):
    parsed, rows = patents
    assert (parsed.format, parsed.dataset, parsed.last_update) == ("sdmx-csv", "SDG_09_40", None)
    assert len(rows) == 2586
    flags = {f: sum(row.flags == f for row in rows) for f in ("p", "b", "e", "be", "ep", "bep")}
    assert flags == {"p": 168, "b": 40, "e": 20, "be": 18, "ep": 8, "bep": 4}
    assert len({row.region for row in rows}) == 38
    assert all(row.value is not None for row in rows)
    # the label columns are ignored: no "Time frequency" etc. among the dimensions
    assert {key for row in rows for key, _ in row.dimensions} == {"coop_ptn", "freq", "unit"}


@pytest.mark.parametrize(
    "line, region, period, value, flags, coop, unit",
    [
        (2, "AL", "2009", 1.0, "", "APPL", "NR"),
        (94, "BG", "2022", 46.0, "", "APPL", "NR"),
        (96, "BG", "2024", 53.0, "p", "APPL", "NR"),
        (749, "TR", "2004", 66.0, "", "APPL", "NR"),  # label "Türkiye"
        (825, "BE", "2011", 182.46, "b", "APPL", "P_MHAB"),
        (859, "BG", "2024", 8.23, "p", "APPL", "P_MHAB"),
        (942, "DE", "2023", 297.28, "ep", "APPL", "P_MHAB"),  # "estimated, provisional"
        (1037, "EU27_2020", "2013", 138.12, "be", "APPL", "P_MHAB"),
        (1040, "EU27_2020", "2016", 139.67, "e", "APPL", "P_MHAB"),
        (1045, "EU27_2020", "2021", 152.12, "bep", "APPL", "P_MHAB"),
        (1600, "BG", "2024", 77.0, "p", "INVT", "NR"),
        (2127, "BG", "2024", 11.95, "p", "INVT", "P_MHAB"),
        (2587, "TR", "2024", 6.93, "p", "INVT", "P_MHAB"),
    ],
)
def test_patents_cells(patents, line, region, period, value, flags, coop, unit):
    row = by_line(patents[1])[line]
    assert row == Observation(line, "SDG_09_40", region, period, value, flags, "", dims(coop, unit))


def test_patents_file_really_has_utf8_labels_and_quoted_commas():
    lines = read(PATENTS).decode("utf-8").splitlines()
    assert ",TR,Türkiye,2004,,66," in lines[748]
    assert lines[941].endswith(',297.28,,ep,"estimated, provisional",,')


def test_sdmx_csv_without_labels_with_action_and_labels_both():
    plain = (
        "STRUCTURE,STRUCTURE_ID,ACTION,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
        "dataflow,ESTAT:SDG_09_40(1.0),I,A,BG,2024,53,p,\n"
        "dataflow,ESTAT:SDG_09_40(1.0),I,A,BG41,2024,,,C\n"
    )
    assert list(sdmx_csv.parse(plain.encode()).rows) == [
        Observation(2, "SDG_09_40", "BG", "2024", 53.0, "p", "", (("freq", "A"),)),
        Observation(3, "SDG_09_40", "BG41", "2024", None, "", "C", (("freq", "A"),)),
    ]
    both = (
        "STRUCTURE,STRUCTURE_ID,freq: Time frequency,geo: Geopolitical entity,"
        "TIME_PERIOD: Time,OBS_VALUE: Observation value,OBS_FLAG: Observation status\n"
        'dataflow,ESTAT:SDG_09_40(1.0),A: Annual,"TR: Türkiye, Republic",2024,6.93,p: provisional\n'
    )
    assert list(sdmx_csv.parse(both.encode()).rows) == [
        Observation(2, "SDG_09_40", "TR", "2024", 6.93, "p", "", (("freq", "A"),))
    ]


# --- Eurostat TSV ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def area():
    parsed = tsv.parse(read(AREA), dataset="reg_area3")
    return parsed, list(parsed.rows)


def test_area_count(area):
    parsed, rows = area
    assert (parsed.format, parsed.dataset, parsed.last_update) == ("tsv", "REG_AREA3", None)
    # 2,330 data rows × 10 year columns, counted independently with awk -F'\t' (NF-1 per row)
    assert len(rows) == 23300
    assert len({row.line for row in rows}) == 2330
    assert sum(row.value is None for row in rows) == 4248
    flags = {f: sum(row.flags == f for row in rows) for f in ("m", "e", "p", "")}
    assert flags == {"m": 4161, "e": 114, "p": 39, "": 18986}
    assert sum(row.value is None and row.flags == "" for row in rows) == 87
    assert {row.dimensions for row in rows} == {KM2}
    assert {row.period for row in rows} == {str(year) for year in range(2017, 2027)}


@pytest.mark.parametrize(
    "line, period, region, value, flags",
    [
        (2, "2017", "AL", None, ""),  # ": "
        (2, "2021", "AL", 28791.0, "e"),
        (153, "2017", "BG34", 19801.0, ""),
        (153, "2026", "BG34", 19801.0, ""),
        (157, "2019", "BG344", 5150.0, ""),  # Stara Zagora
        (159, "2017", "BG41", 20300.0, ""),
        (159, "2018", "BG41", 20301.0, ""),
        (160, "2024", "BG411", 1342.0, ""),  # Sofia (capital)
        (760, "2020", "EL522", 3683.0, ""),  # Thessaloniki
        (884, "2017", "EU27_2020", 4225144.0, ""),
        (884, "2026", "EU27_2020", 4225104.0, ""),
        (896, "2017", "FI19A", None, "m"),  # ": m"
        (896, "2024", "FI19A", 7185.0, "p"),
    ],
)
def test_area_cells(area, line, period, region, value, flags):
    found = [row for row in area[1] if row.line == line and row.period == period]
    assert found == [Observation(line, "REG_AREA3", region, period, value, flags, "", KM2)]


def test_area_file_is_crlf_and_bg411_is_line_160():
    lines = read(AREA).split(b"\r\n")
    assert lines[159].startswith(b"A,TOTAL,KM2,BG411\t1342 \t")


def test_tsv_quarters_months_and_old_time_header():
    text = "unit,geo\\time\t2024Q1 \t2024M02\nPC,BG34\t7.8 b\t:m\n"
    assert list(tsv.parse(text.encode()).rows) == [
        Observation(2, "", "BG34", "2024-Q1", 7.8, "b", "", (("unit", "PC"),)),
        Observation(2, "", "BG34", "2024-02", None, "m", "", (("unit", "PC"),)),
    ]


# --- JSON-stat 2.0 -----------------------------------------------------------------------------

UNE_DIMS = (("age", "TOTAL"), ("freq", "M"), ("s_adj", "SA"), ("sex", "T"), ("unit", "PC_ACT"))


def test_jsonstat_real_file():
    parsed = jsonstat.parse(read(UNEMPLOYMENT))
    assert (parsed.format, parsed.dataset, parsed.last_update) == (
        "jsonstat",
        "UNE_RT_M",
        "2026-09-22T11:00:00+0200",
    )
    # size gives 3 cells; the third (2026-08) has no value and no status: not emitted
    assert list(parsed.rows) == [
        Observation(1, "UNE_RT_M", "DE", "2026-06", 4.0, "", "", UNE_DIMS),
        Observation(2, "UNE_RT_M", "DE", "2026-07", 4.0, "", "", UNE_DIMS),
    ]


def test_jsonstat_status_lists_and_row_major_order():
    doc = json.loads(read(UNEMPLOYMENT))
    doc["status"] = {"0": "e", "2": "p"}
    rows = list(jsonstat.parse(json.dumps(doc).encode()).rows)
    assert [(r.line, r.period, r.value, r.flags) for r in rows] == [
        (1, "2026-06", 4.0, "e"),
        (2, "2026-07", 4.0, ""),
        (3, "2026-08", None, "p"),
    ]
    doc = {
        "class": "dataset",
        "label": "demo",
        "id": ["geo", "time"],
        "size": [2, 2],
        "dimension": {
            "geo": {"category": {"index": ["BG34", "BG41"]}},
            "time": {"category": {"index": {"2024": 1, "2023": 0}}},
        },
        "value": [1, None, 3, 4.5],
    }
    rows = list(jsonstat.parse(json.dumps(doc).encode(), dataset="demo_x").rows)
    assert [(r.line, r.dataset, r.region, r.period, r.value) for r in rows] == [
        (1, "DEMO", "BG34", "2023", 1.0),
        (3, "DEMO", "BG41", "2023", 3.0),
        (4, "DEMO", "BG41", "2024", 4.5),
    ]


# --- eGovernment Benchmark XLSX ----------------------------------------------------------------


@pytest.fixture(scope="module")
def egov():
    parsed = egov_xlsx.parse(read(EGOV))
    return parsed, list(parsed.rows)


def egov_dims(brkdown, variable=""):
    return (("brkdown", brkdown), ("unit", "eGov_score"), ("variable", variable))


def test_egov_count_and_countries(egov):
    parsed, rows = egov
    assert (parsed.format, parsed.dataset) == ("egov-xlsx", "EGOV_BENCHMARK")
    assert len(rows) == 35158
    assert [row.line for row in rows] == list(range(2, 35160))
    regions = {row.region for row in rows}
    assert len(regions) == 38  # 36 countries + "EU" + "EUplus", 2-letter codes as in the file
    assert {"BG", "EL", "UK", "TR", "EU", "EUplus"} <= regions
    assert sum(row.value is None for row in rows) == 555  # Value "."
    assert sum(dict(row.dimensions)["variable"] == "" for row in rows) == 23910
    assert {row.period for row in rows} == {str(year) for year in range(2012, 2023)}


@pytest.mark.parametrize(
    "line, region, period, value, brkdown, variable",
    [
        (2, "AT", "2012", 88.0, "e_gov_EVENTS_5", ""),
        (5, "AT", "2012", 90.0, "e_gov_EVENTS_5", ""),  # same key as line 2: the file repeats it
        (153, "BG", "2012", None, "e_gov_EVENTS_7", ""),  # "."
        (157, "BG", "2012", None, "e_gov_EVENTS_8", ""),
        (1762, "UK", "2012", 78.0, "e_gov_EVENTS_5", ""),
        (12439, "EU", "2016", 85.46428571428571, "e_gov_EVENTS_5", ""),
        (25147, "EUplus", "2020", 77.89778338960738, "e_gov_EVENTS_5", "e_gov_0_score"),
        (27769, "BG", "2021", 85.08561507936507, "e_gov_EVENTS_1", "e_gov_0_score"),
        (31989, "BG", "2022", 54.19537037037037, "EGOV_LIFE_EVENTS", "e_gov_3a_KE_EID"),
        (34994, "BG", "2022", 62.579240546527245, "EGOV_LIFE_EVENTS", "e_gov_0_score"),
        (35029, "EL", "2022", 60.35108680818006, "EGOV_LIFE_EVENTS", "e_gov_0_score"),
        (35039, "EU", "2022", 72.89563107930358, "EGOV_LIFE_EVENTS", "e_gov_0_score"),
        (35154, "TR", "2022", 81.37268858783494, "EGOV_LIFE_EVENTS", "e_gov_0_score"),
        (35159, "EUplus", "2022", 70.09894086572974, "EGOV_LIFE_EVENTS", "e_gov_0_score"),
    ],
)
def test_egov_cells(egov, line, region, period, value, brkdown, variable):
    row = egov[1][line - 2]
    assert row == Observation(
        line, "EGOV_BENCHMARK", region, period, value, "", "", egov_dims(brkdown, variable)
    )


def test_egov_names_are_mapped_and_dataset_can_be_given():
    data = xlsx(
        [
            ["year", "Country", "variable", "brkdown", "unit", "Value"],
            [2022, "Bulgaria", "e_gov_0_score", "EGOV_LIFE_EVENTS", "eGov_score", 62.5],
            [2022, "Greece", None, "EGOV_LIFE_EVENTS", "eGov_score", "."],
        ]
    )
    parsed = egov_xlsx.parse(data, dataset="egov_2023")
    rows = list(parsed.rows)
    assert parsed.dataset == "EGOV_2023"
    assert [(r.region, r.value) for r in rows] == [("BG", 62.5), ("EL", None)]


# --- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected, count",
    [
        (IACC, "eurostat-csv", 5870),
        (BROAD, "eurostat-csv", 9000),
        (AREA, "tsv", 23300),
        (PATENTS, "sdmx-csv", 2586),
        (UNEMPLOYMENT, "jsonstat", 2),
        (EGOV, "egov-xlsx", 35158),
    ],
)
def test_detect_real_files(name, expected, count):
    data = read(name)
    assert detect(data, name) == expected
    assert detect(data) == expected  # the content decides, not the extension
    assert detect(data, "misleading.txt") == expected
    parsed = parse_any(data, filename=name, dataset="fallback")
    assert parsed.format == expected
    assert sum(1 for _ in parsed.rows) == count


def test_detect_mapped_xlsx_and_unknown():
    assert detect(xlsx([["Region", "Year", "Value"], ["BG34", 2024, 1]])) == "mapped"
    error = error_of(lambda: detect(b"geo;year;value\nBG34;2024;1\n", "x.csv"))
    assert "unknown format" in str(error) and error.line == 1
    assert "JSON-stat" in str(error_of(lambda: detect(b'{"a": 1}')))


# --- malformed files -------------------------------------------------------------------------


def test_csv_missing_obs_value():
    data = read(IACC).replace(b",OBS_VALUE,", b",OBS_VAL,", 1)
    error = error_of(lambda: eurostat_csv.parse(data))
    assert (error.line, error.field) == (1, "OBS_VALUE")
    assert str(error).startswith("line 1, field OBS_VALUE: missing column OBS_VALUE: expected")


def test_csv_wrong_first_header():
    error = error_of(lambda: eurostat_csv.parse(b"geo,TIME_PERIOD,OBS_VALUE\nBG,2024,1\n"))
    assert str(error) == "line 1, field geo: expected DATAFLOW as the first column, found 'geo'"
    error = error_of(lambda: sdmx_csv.parse(read(IACC)))
    assert "expected STRUCTURE as the first column" in str(error)


def test_csv_text_in_value_cell():
    data = read(IACC).replace(b"BG34,2021,81.73", b"BG34,2021,8l.73")
    parsed = eurostat_csv.parse(data)  # the header is fine
    with pytest.raises(ImportFormatError) as info:
        for _ in parsed.rows:
            pass
    assert str(info.value) == "line 645, field OBS_VALUE: expected a number, found '8l.73'"
    assert (info.value.line, info.value.field) == (645, "OBS_VALUE")


def test_csv_short_row_and_bad_utf8():
    data = read(BROAD).replace(b"BG41,2021,86.23,,", b"BG41,2021,86.23")
    error = error_of(lambda: list(eurostat_csv.parse(data).rows))
    assert str(error) == "line 534: expected 9 columns, found 7"
    data = read(PATENTS).replace("Türkiye".encode(), b"T\xfcrkiye", 1)
    error = error_of(lambda: list(sdmx_csv.parse(data).rows))
    assert error.line == 749 and "expected UTF-8" in str(error)


def test_sdmx_delete_action_is_refused():
    text = "STRUCTURE,STRUCTURE_ID,ACTION,geo,TIME_PERIOD,OBS_VALUE\ndataflow,X,D,BG,2024,\n"
    error = error_of(lambda: list(sdmx_csv.parse(text.encode()).rows))
    assert (error.line, error.field) == (2, "ACTION")


def test_truncated_json():
    data = read(UNEMPLOYMENT)
    error = error_of(lambda: jsonstat.parse(data[: len(data) // 2]))
    assert error.line == 56
    assert str(error).startswith("line 56: expected a complete JSON-stat document")
    assert detect(data[: len(data) // 2]) == "jsonstat"
    assert error_of(lambda: parse_any(data[: len(data) // 2])).line == 56


def test_json_that_is_not_jsonstat():
    error = error_of(lambda: jsonstat.parse(b'{"class": "dataset", "value": []}'))
    assert "expected 'id'" in str(error) and error.field == "id"
    doc = json.loads(read(UNEMPLOYMENT))
    doc["value"] = {"0": 4.0, "1": "n/a"}
    error = error_of(lambda: list(jsonstat.parse(json.dumps(doc).encode()).rows))
    assert str(error) == "line 2, field value: expected a number, found 'n/a'"


def test_tsv_text_in_a_cell():
    data = read(AREA).replace(b"BG344\t5150 \t5150 \t5150 ", b"BG344\t5150 \t5150 \t5l50 ")
    parsed = tsv.parse(data, dataset="REG_AREA3")
    error = error_of(lambda: list(parsed.rows))
    assert str(error) == "line 157, field 2019: expected a number, found '5l50'"
    error = error_of(lambda: list(tsv.parse(b"geo\\TIME_PERIOD\t2024 \nBG\t7 b!\n").rows))
    assert (error.line, error.field) == (2, "2024") and "expected flag letters" in str(error)


def test_tsv_bad_header_and_wrong_cell_count():
    error = error_of(lambda: tsv.parse(b"freq,geo\t2024\nA,BG\t1\n"))
    assert error.line == 1 and "TIME_PERIOD" in str(error)
    error = error_of(lambda: tsv.parse(b"freq,unit\\TIME_PERIOD\t2024\nA,PC\t1\n"))
    assert error.field == "geo"
    bad = read(AREA).replace(b"BG344\t5150 \t", b"BG344\t", 1)
    error = error_of(lambda: list(tsv.parse(bad).rows))
    assert str(error) == "line 157: expected 10 period cells, found 9"


def test_xlsx_with_wrong_columns():
    data = xlsx([["year", "Country", "Value"], [2022, "BG", 62.5]])
    error = error_of(lambda: egov_xlsx.parse(data))
    assert error.line == 1 and error.field == "variable"
    assert "expected columns year, Country, variable, brkdown, unit, Value" in str(error)
    error = error_of(lambda: egov_xlsx.parse(b"PK\x03\x04 not really a zip"))
    assert "expected an XLSX workbook" in str(error)
    data = xlsx(
        [
            ["year", "Country", "variable", "brkdown", "unit", "Value"],
            [2022, "BG", None, "EGOV_LIFE_EVENTS", "eGov_score", "high"],
        ]
    )
    assert str(error_of(lambda: list(egov_xlsx.parse(data).rows))) == (
        "line 2, field Value: expected a number, found 'high'"
    )


@pytest.mark.parametrize(
    "parse",
    [
        eurostat_csv.parse,
        sdmx_csv.parse,
        tsv.parse,
        jsonstat.parse,
        egov_xlsx.parse,
        lambda data: mapped.parse(data, mapping={"region": "a", "period": "b", "value": "c"}),
        detect,
        parse_any,
    ],
)
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n"])
def test_empty_file(parse, data):
    assert "empty file" in str(error_of(lambda: parse(data)))


def test_error_message_parts_and_pickling():
    assert str(ImportFormatError("boom")) == "boom"
    assert str(ImportFormatError("boom", field="geo")) == "field geo: boom"
    error = pickle.loads(pickle.dumps(ImportFormatError("boom", line=3, field="x")))
    assert (str(error), error.line, error.field) == ("line 3, field x: boom", 3, "x")


def test_normalise_period():
    cases = {
        "2024": "2024",
        "2024Q1": "2024-Q1",
        "2024-Q1": "2024-Q1",
        "2024M01": "2024-01",
        "2024-M1": "2024-01",
        "2024-01": "2024-01",
        "2024W05": "2024-W05",
        "2024S2": "2024-S2",
        " 2017 ": "2017",
    }
    assert {raw: normalise_period(raw) for raw in cases} == cases


# --- the same data written as TSV and as SDMX-CSV ----------------------------------------------

GEOS = ["BG", "BG34", "BG344", "BG41", "EU27_2020", "EL522", "TR"]
YEARS = ["2017", "2018", "2024", "2025"]
QUARTERS = ["2024Q1", "2024Q2", "2024-Q3"]
FLAGS = ["", "b", "e", "p", "u", "bu", "ep", "m"]
values = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**9), 10**9).map(float),
)


@st.composite
def tables(draw):
    geos = draw(st.lists(st.sampled_from(GEOS), min_size=1, max_size=5, unique=True))
    periods = draw(st.sampled_from([YEARS, QUARTERS]))
    periods = draw(st.lists(st.sampled_from(periods), min_size=1, max_size=4, unique=True))
    cells = {
        (geo, period): (draw(values), draw(st.sampled_from(FLAGS)))
        for geo in geos
        for period in periods
    }
    return geos, periods, cells, draw(st.booleans())


def as_tsv(geos, periods, cells) -> bytes:
    lines = ["freq,unit,geo\\TIME_PERIOD\t" + "\t".join(f"{p} " for p in periods)]
    for geo in geos:
        rendered = []
        for period in periods:
            value, flag = cells[geo, period]
            rendered.append(f": {flag}" if value is None else f"{value!r} {flag}")
        lines.append(f"A,PC_HH,{geo}\t" + "\t".join(rendered))
    return ("\r\n".join(lines) + "\r\n").encode()


def as_sdmx_csv(geos, periods, cells, labels: bool) -> bytes:
    """Eurostat's "with labels" layout (a label column after each code column), or no labels."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    if labels:
        out.writerow(
            ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "freq", "Time frequency"]
            + ["unit", "Unit of measure", "geo", "Geopolitical entity (reporting)"]
            + ["TIME_PERIOD", "Time", "OBS_VALUE", "Observation value", "OBS_FLAG"]
            + ["Observation status (Flag) V2 structure", "CONF_STATUS", "Confidentiality"]
        )
    else:
        out.writerow(
            ["STRUCTURE", "STRUCTURE_ID", "ACTION", "freq", "unit", "geo"]
            + ["TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
        )
    for geo in geos:
        for period in periods:
            value, flag = cells[geo, period]
            text = "" if value is None else repr(value)
            if labels:
                out.writerow(
                    ["dataflow", "ESTAT:ISOC_R_IACC_H(1.0)", "Households, internet", "A"]
                    + ["Annual", "PC_HH", "% of households", geo, "Türkiye, or not", period]
                    + ["", text, "", flag, "estimated, provisional", "", ""]
                )
            else:
                out.writerow(
                    ["dataflow", "ESTAT:ISOC_R_IACC_H(1.0)", "I", "A", "PC_HH", geo]
                    + [period, text, flag]
                )
    return buffer.getvalue().encode()


@settings(database=None, deadline=None, max_examples=150)
@given(tables())
def test_tsv_and_sdmx_csv_agree(table):
    geos, periods, cells, labels = table
    from_tsv = list(tsv.parse(as_tsv(geos, periods, cells), dataset="ISOC_R_IACC_H").rows)
    from_sdmx = list(sdmx_csv.parse(as_sdmx_csv(geos, periods, cells, labels)).rows)

    def key(rows):
        return {(r.region, r.period, r.value, r.flags) for r in rows}

    assert len(from_tsv) == len(from_sdmx) == len(cells)
    assert key(from_tsv) == key(from_sdmx)
    assert {(r.dataset, r.dimensions) for r in from_tsv + from_sdmx} == {("ISOC_R_IACC_H", HH)}
    expected = {
        (geo, normalise_period(period), value, flag)
        for (geo, period), (value, flag) in cells.items()
    }
    assert key(from_tsv) == expected


# --- any table through a column mapping --------------------------------------------------------

SEMICOLON_CSV = (
    "\ufeffgeo;year;sex;value;flag\r\n"
    "BG34;2024;F;12,5;p\r\n"
    "BG41;2024Q1;M;7;\r\n"
    "\r\n"
    "BG344;2023;T;:;\r\n"
    '"EL522";2022;T;"1 234,5";e\r\n'
).encode()
MAPPING = {
    "region": "geo",
    "period": "year",
    "value": "value",
    "flags": "flag",
    "dimensions": "sex",
}


def test_mapped_semicolon_csv():
    parsed = mapped.parse(SEMICOLON_CSV, dataset="demo", mapping=MAPPING, filename="x.csv")
    assert (parsed.format, parsed.dataset) == ("mapped", "DEMO")
    assert list(parsed.rows) == [
        Observation(2, "DEMO", "BG34", "2024", 12.5, "p", "", (("sex", "F"),)),
        Observation(3, "DEMO", "BG41", "2024-Q1", 7.0, "", "", (("sex", "M"),)),
        Observation(5, "DEMO", "BG344", "2023", None, "", "", (("sex", "T"),)),
        Observation(6, "DEMO", "EL522", "2022", 1234.5, "e", "", (("sex", "T"),)),
    ]
    assert mapped.preview(SEMICOLON_CSV, "x.csv", rows=2) == (
        ["geo", "year", "sex", "value", "flag"],
        [["BG34", "2024", "F", "12,5", "p"], ["BG41", "2024Q1", "M", "7", ""]],
    )


def test_mapped_tab_csv_and_errors():
    data = b"Region\tYear\tValue\nBG34\t2024\tabc\n"
    mapping = {"region": "region", "period": "YEAR", "value": "Value"}  # case-insensitive
    error = error_of(lambda: list(mapped.parse(data, mapping=mapping).rows))
    assert str(error) == "line 2, field Value: expected a number, found 'abc'"
    error = error_of(lambda: mapped.parse(data, mapping={**mapping, "value": "OBS"}))
    assert (error.line, error.field) == (1, "OBS") and "mapped to value" in str(error)
    error = error_of(lambda: mapped.parse(data, mapping={"region": "Region", "period": "Year"}))
    assert error.field == "value"
    error = error_of(lambda: mapped.parse(data, mapping={**mapping, "colour": "Region"}))
    assert "unknown mapping keys ['colour']" in str(error)


def test_mapped_xlsx():
    data = xlsx(
        [
            ["Region", "Year", "Indicator", "Value", "Note"],
            ["BG34", 2024, "DESI", 61.25, None],
            ["BG41", 2023.0, "DESI", "3,5", "est."],
            [None, None, None, None, None],
            ["BG344", "2022", "DESI", None, None],
        ]
    )
    mapping = {"region": "Region", "period": "Year", "value": "Value", "dimensions": "Indicator"}
    assert detect(data, "regions.xlsx") == "mapped"
    parsed = parse_any(data, dataset="desi", filename="regions.xlsx", mapping=mapping)
    assert list(parsed.rows) == [
        Observation(2, "DESI", "BG34", "2024", 61.25, "", "", (("indicator", "DESI"),)),
        Observation(3, "DESI", "BG41", "2023", 3.5, "", "", (("indicator", "DESI"),)),
        Observation(5, "DESI", "BG344", "2022", None, "", "", (("indicator", "DESI"),)),
    ]
    header, rows = mapped.preview(data, "regions.xlsx")
    assert header == ["Region", "Year", "Indicator", "Value", "Note"]
    assert rows == [
        ["BG34", "2024", "DESI", "61.25", ""],
        ["BG41", "2023", "DESI", "3,5", "est."],
        ["BG344", "2022", "DESI", "", ""],
    ]
    assert "column mapping" in str(error_of(lambda: parse_any(data)))
