"""Report generation speed (run by `make bench`).

Measures, for the demo data (`zora demo` — loaded if missing), the time to generate:
  (a) the full strategy document of Stara Zagora's demo strategy (40+ actions, 20 KPIs) as PDF
      — goal under 5 s — and as DOCX — goal under 3 s;
  (b) the progress report of that strategy (PDF), the assessment report of the Zagore hub's T0
      campaign (PDF, DOCX) and the benchmark report of Stara Zagora (PDF), for reference.
Each is timed from the database to the bytes (collecting the data, laying out, rendering),
best of BENCH_RUNS (default 3), in Bulgarian.

DATABASE_URL defaults to a SQLite file of its own (var/bench-reports.sqlite3).
"""

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-reports.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zora.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def main() -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from zora.assessments.models import Campaign
    from zora.organisations.models import Organisation
    from zora.reports.builders import benchmark
    from zora.reports.rendering import generate
    from zora.strategy.models import Strategy

    call_command("migrate", verbosity=0)
    if not Strategy.objects.filter(organisation__slug="stara-zagora").exists():
        print("loading the demo data (once)…", flush=True)
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    city = Organisation.objects.get(slug="stara-zagora")
    hub = Organisation.objects.get(slug="zagore")
    strategy = Strategy.objects.get(organisation=city)
    campaign = Campaign.objects.get(organisation=hub, stage="T0")
    cases = [
        ("strategy document PDF", city, "strategy", {"strategy": strategy.pk}, "pdf", 5.0),
        ("strategy document DOCX", city, "strategy", {"strategy": strategy.pk}, "docx", 3.0),
        (
            "progress report PDF",
            city,
            "progress",
            {"strategy": strategy.pk, "period_from": "2024-01-01", "period_to": "2026-12-31"},
            "pdf",
            None,
        ),
        (
            "assessment report (campaign) PDF",
            hub,
            "assessment",
            {"campaign": campaign.pk},
            "pdf",
            None,
        ),
        (
            "assessment report (campaign) DOCX",
            hub,
            "assessment",
            {"campaign": campaign.pk},
            "docx",
            None,
        ),
        ("benchmark report PDF", city, "benchmark", benchmark.check(city, {}), "pdf", None),
    ]
    generate(
        organisation=city, kind="benchmark", params=cases[-1][3], language="bg", format="pdf"
    )  # warm-up: imports, fonts
    load = os.getloadavg()[0]
    lines = []
    for label, organisation, kind, params, fmt, goal in cases:
        times, size, pages = [], 0, None
        for _ in range(RUNS):
            started = time.perf_counter()
            out = generate(
                organisation=organisation, kind=kind, params=params, language="bg", format=fmt
            )
            times.append(time.perf_counter() - started)
            size, pages = len(out.data), out.pages
        best = min(times)
        verdict = (
            ""
            if goal is None
            else (f" — goal < {goal:.0f} s: {'met' if best < goal else 'NOT met'}")
        )
        pages_text = f", {pages} pages" if pages else ""
        line = (
            f"- {label}: best {best:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}), "
            f"{size / 1024:.0f} KB{pages_text}{verdict}"
        )
        print(line, flush=True)
        lines.append(line)
    try:
        nproc = subprocess.run(
            ["nproc"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC — nproc {nproc} ({cpu()}), Python "
        f"{platform.python_version()}, load average at start {load:.1f}"
    )


if __name__ == "__main__":
    main()
