"""Benchmark pages in both languages, with no English UI text on Bulgarian pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.test_i18n import assert_pages_in_both_languages
from tests.indicators.conftest import DATA, make_indicator
from zora.core.jobs import job_create
from zora.indicators.models import ImportBatch
from zora.indicators.services import import_file, peer_group_save


@pytest.mark.django_db
def test_benchmark_pages_in_both_languages(regions, world, login, client):
    import_file(
        data=(DATA / "isoc_r_iacc_h.csv").read_bytes(),
        file_name="isoc_r_iacc_h.csv",
        organisation=world.alpha,
    )
    make_indicator(
        code="hh_internet_access", dataset="ISOC_R_IACC_H", unit="PC_HH", target=(90, 2030)
    )
    world.alpha.region_code = "BG344"
    world.alpha.save()
    group = peer_group_save(organisation=world.alpha, name="Rivals", region_codes=["BG41", "EL52"])
    batch = ImportBatch.objects.get()
    mapping_job = job_create(
        kind="indicators.import",
        organisation=world.alpha,
        user=world.bob,
        input_file=SimpleUploadedFile("m.csv", b"a,b,c\nBG34,2020,1\n"),
        params={"format": "mapped", "file_name": "m.csv", "dataset": "X"},
    )
    member = login(world.bob)
    pages = [
        (client, "/{lang}/regions/"),
        (client, "/{lang}/regions/BG344/"),
        (client, "/{lang}/regions/BG344/indicators/hh_internet_access/"),
        (client, "/{lang}/indicators/"),
        (member, "/{lang}/o/alpha/benchmark/"),
        (member, f"/{{lang}}/o/alpha/benchmark/?peers=group-{group.pk}"),
        (member, "/{lang}/o/alpha/benchmark/peers/"),
        (member, "/{lang}/o/alpha/benchmark/imports/"),
        (member, f"/{{lang}}/o/alpha/benchmark/imports/{batch.pk}/"),
        (member, f"/{{lang}}/o/alpha/benchmark/imports/map/{mapping_job.pk}/"),
        (member, f"/{{lang}}/jobs/{mapping_job.pk}/"),
    ]
    assert_pages_in_both_languages(pages)
