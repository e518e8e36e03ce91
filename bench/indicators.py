"""Indicator imports and the region scorecard at scale (run by `make bench`, needs PostgreSQL).

Reports:
  (a) importing a generated 1,000,000-observation SDMX-CSV 2.0 file into PostgreSQL:
      observations/s, and the ratio to pandas.read_csv parsing the same file alone
      (goal: the whole import within 4x of the bare parse);
  (b) the region scorecard page with 50 indicators x 300 peer regions x 20 years loaded
      (goal: under 300 ms).

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/zora_bench (created if missing).
"""

import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zora_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zora.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

N = int(os.environ.get("BENCH_OBSERVATIONS", "1000000"))
DATASET = "BENCH_SDMX"
YEARS = list(range(2005, 2025))


def main() -> None:
    from bench.assessments import ensure_database

    ensure_database()
    import django

    django.setup()
    import pandas as pd
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from zora.accounts.models import User
    from zora.indicators.models import ImportBatch, Indicator, Region
    from zora.indicators.regions import load_regions
    from zora.indicators.services import dims_key, import_file

    call_command("migrate", verbosity=0)
    if Region.objects.count() < 2000:
        load_regions()
    regions = list(
        Region.objects.filter(level=2)
        .exclude(code__endswith="Z")
        .order_by("code")
        .values_list("code", flat=True)
    )[:300]
    if "BG34" not in regions:
        regions[-1] = "BG34"
    series = -(-N // (len(regions) * len(YEARS)))
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {connection.pg_version // 10000}, pandas {pd.__version__}"
    ]

    _drop()
    path = Path(tempfile.gettempdir()) / "zora-bench-1m.sdmx.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            "STRUCTURE,STRUCTURE_ID,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
        )
        n = 0
        for s in range(series):
            for code in regions:
                for year in YEARS:
                    if n == N:
                        break
                    flag = "p" if (n % 97) == 0 else ""
                    out.write(
                        f"dataflow,ESTAT:{DATASET}(1.0),A,U{s:03d},{code},{year},{(n * 7919) % 1000 / 10},{flag},\n"
                    )
                    n += 1
    data = path.read_bytes()
    lines.append(
        f"- generated {n:,} observations ({len(data) / 1e6:.0f} MB SDMX-CSV 2.0): "
        f"{len(regions)} regions x {len(YEARS)} years x {series} series"
    )

    parse = min(_timed(lambda: pd.read_csv(path, keep_default_na=False)) for _ in range(3))
    started = time.perf_counter()
    report = import_file(data=data, file_name=path.name)
    total = time.perf_counter() - started
    assert report.batch.rows_created == n, report.summary
    lines.append(
        f"- (a) import into PostgreSQL: {total:.1f} s ({n / total:,.0f} observations/s); "
        f"pandas.read_csv alone {parse:.2f} s — ratio {total / parse:.1f}x (goal within 4x)"
    )
    again = _timed(lambda: import_file(data=data, file_name="again.csv"))
    lines.append(
        f"- re-importing the same file (recognised by its sha256, nothing stored): {again:.2f} s"
    )

    # (b) the scorecard: 50 indicators over the generated series, 300 peer regions, 20 years.
    Indicator.objects.filter(code__startswith="bench_").delete()
    Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"bench_{s:03d}",
                name_en=f"Bench {s}",
                name_bg=f"Бенч {s}",
                theme="economy",
                dataset=DATASET,
                filter={"unit": f"U{s:03d}"},
                dims_key=dims_key([("unit", f"U{s:03d}")]),
                finest_level=2,
                position=1000 + s,
            )
            for s in range(50)
        ]
    )
    from zora.indicators.services import peer_group_save
    from zora.organisations.models import Membership, Organisation

    org, _ = Organisation.objects.get_or_create(
        slug="bench-region", defaults={"kind": "region", "name_en": "Bench", "region_code": "BG34"}
    )
    group = peer_group_save(organisation=org, name="300 regions", region_codes=regions)
    user, _ = User.objects.get_or_create(email="bench@zora.invalid")
    Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": "viewer"})
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/en/o/bench-region/benchmark/?peers=group-{group.pk}"
    assert client.get(url).status_code == 200
    page = min(_timed(lambda: client.get(url)) for _ in range(5))
    count = Indicator.objects.count()
    lines.append(
        f"- (b) region scorecard, {count} indicators (50 over the generated data, the rest from the "
        f"catalogue) x {len(regions)} peer regions x 20 years: {page * 1000:.0f} ms (goal < 300 ms)"
    )

    Indicator.objects.filter(code__startswith="bench_").delete()
    _drop()
    ImportBatch.objects.filter(dataset=DATASET).delete()
    path.unlink()

    text = "\n".join(lines) + "\n"
    print(text)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
        results.write("\n### bench/indicators.py\n" + text)


def _drop() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM indicators_observationrevision WHERE observation_id IN "
            "(SELECT id FROM indicators_observation WHERE dataset = %s)",
            [DATASET],
        )
        cursor.execute("DELETE FROM indicators_observation WHERE dataset = %s", [DATASET])


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
