"""The indicators API, the public region pages and the members' Benchmark pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.indicators.conftest import DATA, make_indicator
from zora.indicators.models import ImportBatch, Observation, PeerGroup
from zora.indicators.services import import_file, observation_put


@pytest.fixture
def loaded(regions):
    import_file(data=(DATA / "isoc_r_iacc_h.csv").read_bytes(), file_name="isoc_r_iacc_h.csv")
    make_indicator(code="hh_internet_access", dataset="ISOC_R_IACC_H", unit="PC_HH")
    return regions


@pytest.mark.django_db
def test_observations_endpoint_shape(loaded, client):
    body = client.get("/api/v1/observations?dataset=ISOC_R_IACC_H&region=BG34&period=2024").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "dataset": "ISOC_R_IACC_H",
        "region": "BG34",
        "period": "2024",
        "value": item["value"],
        "flags": "",
        "dimensions": {"freq": "A", "unit": "PC_HH"},
    }
    assert isinstance(item["value"], float)
    by_dim = client.get("/api/v1/observations?dataset=ISOC_R_IACC_H&region=BG34&unit=PC_HH").json()
    assert by_dim["count"] > 10
    assert (
        client.get("/api/v1/observations?dataset=ISOC_R_IACC_H&region=BG34&unit=NOPE").json()[
            "count"
        ]
        == 0
    )
    assert client.get("/api/v1/observations?region=BG34").status_code == 422  # dataset is required


@pytest.mark.django_db
def test_a_missing_cell_with_a_flag_is_served_as_null(regions, client):
    observation_put(
        dataset="X",
        dims_key="unit=PC",
        region_code="BG34",
        period="2020",
        value=None,
        flags="u",
        dimensions={"unit": "PC"},
    )
    item = client.get("/api/v1/observations?dataset=X&region=BG34").json()["items"][0]
    assert item["value"] is None and item["flags"] == "u"


@pytest.mark.django_db
def test_regions_indicators_comparisons(loaded, client):
    regions = client.get("/api/v1/regions?country=BG&level=2").json()
    assert [r["code"] for r in regions["items"]] == ["BG33", "BG34", "BG41", "BG42"]
    assert client.get("/api/v1/regions/bg344").json()["parent"] == "BG34"
    assert client.get("/api/v1/regions/XX1").status_code == 404
    indicators = client.get("/api/v1/indicators").json()
    assert indicators[0]["code"] == "hh_internet_access" and indicators[0]["name"] == {
        "bg": "Интернет",
        "en": "Internet",
    }
    c = client.get(
        "/api/v1/comparisons?indicator=hh_internet_access&region=BG344&peers=country"
    ).json()
    assert c["read_from"] == "BG34" and c["fallback"] is True and c["period"] == "2025"
    assert c["rank"] is not None and c["n"] == len(c["ranking"]) >= 2
    custom = client.get(
        "/api/v1/comparisons?indicator=hh_internet_access&region=BG34&peers=BG41,EL52"
    ).json()
    assert {"BG34", "BG41"} <= {r["region"] for r in custom["ranking"]} <= {"BG34", "BG41", "EL52"}


@pytest.mark.django_db
def test_import_through_the_api(regions, world, client, bearer):
    upload = {
        "file": SimpleUploadedFile("isoc_r_broad_h.csv", (DATA / "isoc_r_broad_h.csv").read_bytes())
    }
    viewer = client.post("/api/v1/organisations/alpha/imports", upload, headers=bearer(world.dave))
    assert viewer.status_code == 403
    upload["file"].seek(0)
    outsider = client.post(
        "/api/v1/organisations/alpha/imports", upload, headers=bearer(world.charlie)
    )
    assert outsider.status_code == 404
    upload["file"].seek(0)
    response = client.post("/api/v1/organisations/alpha/imports", upload, headers=bearer(world.bob))
    assert response.status_code == 202
    job = response.json()
    status = client.get(f"/api/v1/jobs/{job['id']}", headers=bearer(world.dave)).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["result"]["batch"]
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=bearer(world.charlie)).status_code == 404
    assert ImportBatch.objects.get().organisation == world.alpha


@pytest.mark.django_db
def test_public_region_pages_and_exports(loaded, client):
    for lang in ("bg", "en"):
        page = client.get(f"/{lang}/regions/BG344/")
        assert page.status_code == 200 and f'<html lang="{lang}">' in page.content.decode()
    detail = client.get(
        "/en/regions/BG344/indicators/hh_internet_access/?peers=country"
    ).content.decode()
    assert "published down to NUTS 2 only" in detail and "<svg" in detail
    csv_text = client.get("/en/regions/BG344/?peers=country&format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("indicator,name,unit,region,period,value")
    assert "hh_internet_access" in csv_text
    xlsx = client.get("/en/regions/BG344/indicators/hh_internet_access/?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == [
        "region",
        "name",
        "period",
        "value",
        "rank",
    ]
    assert client.get("/en/regions/NOPE/").status_code == 404
    assert client.get("/en/regions/").status_code == 200
    assert client.get("/bg/indicators/").status_code == 200


@pytest.mark.django_db
def test_members_benchmark_pages_and_permissions(loaded, world, login):
    world.alpha.region_code = "BG344"
    world.alpha.save()
    assert login(world.dave).get("/en/o/alpha/benchmark/").status_code == 200
    assert login(world.charlie).get("/en/o/alpha/benchmark/").status_code == 404
    assert login(world.dave).get("/en/o/alpha/benchmark/imports/").status_code == 200
    upload = SimpleUploadedFile("isoc_r_broad_h.csv", (DATA / "isoc_r_broad_h.csv").read_bytes())
    assert (
        login(world.dave)
        .post("/en/o/alpha/benchmark/imports/", {"file": upload, "format": "auto"})
        .status_code
        == 403
    )
    upload.seek(0)
    response = login(world.bob).post(
        "/en/o/alpha/benchmark/imports/", {"file": upload, "format": "auto"}
    )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    batch = ImportBatch.objects.get(dataset="ISOC_R_BROAD_H")
    page = login(world.dave).get(f"/en/o/alpha/benchmark/imports/{batch.pk}/")
    assert page.status_code == 200 and batch.sha256 in page.content.decode()
    assert login(world.charlie).get(f"/en/o/alpha/benchmark/imports/{batch.pk}/").status_code == 404
    # Peer groups: editors save them, viewers see them, bad codes are named.
    bad = login(world.bob).post(
        "/en/o/alpha/benchmark/peers/", {"name": "Rivals", "region_codes": "BG41 XX99"}
    )
    assert bad.status_code == 400 and "XX99" in bad.content.decode()
    assert (
        login(world.bob)
        .post("/en/o/alpha/benchmark/peers/", {"name": "Rivals", "region_codes": "bg41, EL52"})
        .status_code
        == 302
    )
    group = PeerGroup.objects.get()
    assert group.region_codes == ["BG41", "EL52"]
    assert (
        login(world.dave)
        .post("/en/o/alpha/benchmark/peers/", {"name": "X", "region_codes": "BG41"})
        .status_code
        == 403
    )
    home = login(world.dave).get(f"/en/o/alpha/benchmark/?peers=group-{group.pk}").content.decode()
    assert "Rivals" in home
    # Another tenant's saved group is not offered on the public page.
    assert "Rivals" not in login(world.charlie).get("/en/regions/BG344/?org=alpha").content.decode()


@pytest.mark.django_db
def test_mapping_step(regions, world, login):
    client = login(world.bob)
    data = b"Region,Year,Share\nBG34,2023,61.5\nBG41,2023,80\n"
    response = client.post(
        "/en/o/alpha/benchmark/imports/",
        {"file": SimpleUploadedFile("mine.csv", data), "format": "mapped", "dataset": "my_data"},
    )
    assert response.status_code == 302 and "/imports/map/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "BG41" in page.content.decode()
    same = client.post(
        response["Location"],
        {"dataset": "MY_DATA", "region": "Region", "period": "Region", "value": "Share"},
    )
    assert same.status_code == 400  # three different columns are needed
    done = client.post(
        response["Location"],
        {
            "dataset": "MY_DATA",
            "region": "Region",
            "period": "Year",
            "value": "Share",
            "save_as": "My mapping",
        },
    )
    assert done.status_code == 302 and "/jobs/" in done["Location"]
    assert Observation.objects.filter(dataset="MY_DATA").count() == 2
    assert world.alpha.column_mappings.get().name == "My mapping"
