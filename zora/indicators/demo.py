"""Demo benchmark data (`zora demo`): the region registry, the catalogue, the real Eurostat and
eGovernment Benchmark files shipped in data/demo/, and a peer group for Stara Zagora.
Idempotent: an unchanged file is recognised and stores nothing new."""

import hashlib
from pathlib import Path

from zora.indicators.models import ImportBatch, Region
from zora.indicators.regions import load_regions
from zora.indicators.services import catalogue_load, import_file, peer_group_save
from zora.organisations.models import Organisation

DEMO = Path(__file__).resolve().parent / "data" / "demo"
FILES = [
    ("isoc_r_iacc_h.csv", None),
    ("isoc_r_broad_h.csv", None),
    ("reg_area3.tsv", "REG_AREA3"),
    ("sdg_09_40_patentes_europa.csv", None),
    ("une-rt-m-geo-de-lower-last3.json", "UNE_RT_M"),
    ("egov_benchmark_2023_machine_readable.xlsx", "EGOV_BENCHMARK"),
]


def load() -> list[str]:
    lines = []
    if Region.objects.count() < 2000:
        load_regions()
    lines.append(f"Benchmark: {Region.objects.count()} regions, {catalogue_load()} indicators.")
    for name, dataset in FILES:
        data = (DEMO / name).read_bytes()
        if ImportBatch.objects.filter(
            sha256=hashlib.sha256(data).hexdigest(), status="done"
        ).exists():
            continue
        report = import_file(data=data, file_name=name, dataset=dataset)
        lines.append(f"  {name}: {report.summary}")
    stara_zagora = Organisation.objects.filter(slug="stara-zagora").first()
    if stara_zagora is not None and not stara_zagora.peer_groups.exists():
        peer_group_save(
            organisation=stara_zagora,
            name="Югоизточна Европа / South-east Europe",
            region_codes=["BG34", "BG41", "BG42", "BG33", "EL51", "EL52", "RO22", "RO31"],
        )
    return lines
