"""A consultation at Madrid scale under load (run by `make bench`, needs PostgreSQL and wrk).

With 10,000 proposals, 100,000 supports and 50,000 comments in PostgreSQL, served by gunicorn
with 2 workers on 127.0.0.1, wrk (C, event-driven: it takes little of the CPU it measures;
`scripts/system-deps --bench` installs it) drives 50 concurrent connections for 30 s at: the
consultation list (first page, page 200), a proposal page with 500 comments, and the support
endpoint (each request a different user and proposal). Reports requests/s and p50/p99 latency
per endpoint and the load average when each ran; goal: p99 under 150 ms, no errors, 200+
requests/s on lists. Also times topic clustering of the 10,000 proposals (goal < 30 s) and the
similar-proposal lookup (goal < 50 ms).

Environment: BENCH_SECONDS (30), BENCH_RUNS (1: runs of each scenario), BENCH_HTTP_ONLY=1
(skip embedding and clustering), BENCH_GUNICORN_THREADS (1: sync workers), BENCH_KEEP=1 (keep the data after the run), BENCH_RESULTS (the file the section is appended to, default
bench/RESULTS.md; "-" prints only), BENCH_PORT (8765).
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zora_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zora.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
RUNS = int(os.environ.get("BENCH_RUNS", "1"))
# Threads per gunicorn worker (1 = sync workers; more = gthread, which overlaps the waits for
# PostgreSQL's commits with other requests' work).
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "1"))
CONNECTIONS = 50
THREADS = 2
VENV_BIN = Path(sys.executable).parent

# wrk's Lua hooks: every POST a different (user token, proposal) pair; a JSON summary at the end.
WRK_SCRIPT = """
local tokens, proposals = {}, {}
local path = os.getenv("BENCH_PATH")
local threads = tonumber(os.getenv("BENCH_THREADS"))
if os.getenv("BENCH_TOKENS") then
  for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
end
for p in string.gmatch(os.getenv("BENCH_PROPOSALS") or "", "%S+") do proposals[#proposals + 1] = p end
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
function init(args) n = tid + offset end
function request()
  if string.sub(path, 1, 5) ~= "POST " then return wrk.format("GET", path) end
  local token = tokens[(n % #tokens) + 1]
  local proposal = proposals[(math.floor(n / #tokens) % #proposals) + 1]
  n = n + threads
  return wrk.format("POST", string.gsub(string.sub(path, 6), "{}", proposal),
                    {["Authorization"] = "Bearer " .. token}, "")
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "status": %d, "socket": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def main() -> None:
    from bench.assessments import ensure_database

    ensure_database()
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from zora.accounts.models import ApiToken, User
    from zora.accounts.services import hash_token
    from zora.organisations.models import Organisation
    from zora.participation.models import Comment, Consultation, Phase, Proposal, Support

    call_command("migrate", verbosity=0)
    org, _ = Organisation.objects.get_or_create(
        slug="bench-city", defaults={"kind": "municipality", "name_en": "Bench city"}
    )
    Consultation.objects.filter(organisation=org).delete()
    consultation = Consultation.objects.create(
        organisation=org,
        title_en="Bench consultation",
        phase=Phase.SUPPORT,
        permissions={"support": {"create": "nobody", "support": "account", "comment": "account"}},
    )
    users = list(User.objects.filter(email__endswith="@bench.invalid").order_by("id"))
    if len(users) < 12000:
        password = make_password("bench")
        User.objects.bulk_create(
            [
                User(email=f"b{i:05d}@bench.invalid", password=password)
                for i in range(len(users), 12000)
            ],
            batch_size=2000,
        )
        users = list(User.objects.filter(email__endswith="@bench.invalid").order_by("id"))
    themes = [
        "Wi-Fi в парка",
        "нови велоалеи",
        "онлайн услуги",
        "стартиращи фирми",
        "дигитални умения",
        "отворени данни",
        "соларни панели",
        "умно паркиране",
        "агро дронове",
        "coding club",
    ]
    started = time.perf_counter()
    Proposal.objects.bulk_create(
        [
            Proposal(
                consultation=consultation,
                author=users[i % 5000],
                title=f"Предложение {i}: {themes[i % 10]}",
                body=f"Подробно описание {i} за {themes[i % 10]} в квартал {i % 37}.",
            )
            for i in range(10_000)
        ],
        batch_size=2000,
    )
    proposals = list(
        Proposal.objects.filter(consultation=consultation)
        .order_by("id")
        .values_list("id", flat=True)
    )
    Support.objects.bulk_create(
        [
            Support(
                # user u supports proposals 7u, 7u+1, … 7u+9: 100,000 distinct pairs
                proposal_id=proposals[(i * 7 + i // 10_000) % 10_000],
                user=users[i % 10_000],
                consultation=consultation,
            )
            for i in range(100_000)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    heavy = proposals[0]
    Comment.objects.bulk_create(
        [
            Comment(
                proposal_id=heavy if i < 500 else proposals[i % 10_000],
                author=users[i % 5000],
                body=f"Коментар {i}",
            )
            for i in range(50_000)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE participation_proposal p SET supports_count = s.n FROM (SELECT proposal_id, count(*) n FROM "
            "participation_support GROUP BY proposal_id) s WHERE s.proposal_id = p.id AND p.consultation_id = %s",
            [consultation.pk],
        )
        cursor.execute(
            "UPDATE participation_proposal p SET comments_count = c.n FROM (SELECT proposal_id, count(*) n FROM "
            "participation_comment GROUP BY proposal_id) c WHERE c.proposal_id = p.id AND p.consultation_id = %s",
            [consultation.pk],
        )
    setup = time.perf_counter() - started
    # Tokens for the support scenario: users 10,000–11,999 have supported nothing yet.
    ApiToken.objects.filter(user__email__endswith="@bench.invalid").delete()
    raw = [f"zora_bench{i:06d}" for i in range(2000)]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=users[10_000 + i], name="bench", prefix=t[:12], token_hash=hash_token(t))
            for i, t in enumerate(raw)
        ]
    )
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {connection.pg_version // 10000}",
        f"- data: 10,000 proposals, {Support.objects.filter(consultation=consultation).count():,} supports, "
        f"50,000 comments (500 on one proposal), built in {setup:.0f} s",
    ]

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE participation_proposal")  # as autovacuum would, later
        cursor.execute("VACUUM ANALYZE participation_comment")
        cursor.execute("VACUUM ANALYZE participation_support")
    if os.environ.get("BENCH_HTTP_ONLY") != "1":
        lines += _topics(consultation)
    else:
        lines.append("- embedding and topics: not measured in this run (BENCH_HTTP_ONLY=1)")

    workdir = Path(tempfile.mkdtemp())
    (workdir / "bench.lua").write_text(WRK_SCRIPT)
    (workdir / "tokens.txt").write_text("\n".join(raw))
    env = {
        **os.environ,
        "ZORA_ENV": "development",
        "DEBUG": "false",
        "BENCH_PROPOSALS": " ".join(str(p) for p in proposals[5000:5200]),
        "BENCH_TOKENS": str(workdir / "tokens.txt"),
        "BENCH_THREADS": str(THREADS),
    }
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, loopback only)
        [
            str(VENV_BIN / "gunicorn"),
            "zora.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            str(GUNICORN_THREADS),
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    lines.append(
        f"- load: wrk {THREADS} threads, {CONNECTIONS} connections, {SECONDS} s per run; gunicorn 2 "
        + (
            "sync workers"
            if GUNICORN_THREADS == 1
            else f"gthread workers × {GUNICORN_THREADS} threads"
        )
        + f"; cache: {cache}"
    )
    try:
        time.sleep(4)
        scenarios = [
            ("consultation list, page 1", f"/en/consultations/{consultation.pk}/?sort=supported"),
            ("consultation list, page 200", f"/en/consultations/{consultation.pk}/?page=200"),
            ("proposal page, 500 comments", f"/en/proposals/{heavy}/"),
            ("support endpoint (API)", "POST /api/v1/proposals/{}/supports"),
        ]
        # Warm both workers up (imports, templates, catalogues, first cache fill): not measured.
        for path in [p for _, p in scenarios[:3]] + [f"/api/v1/proposals/{heavy}"]:
            _wrk(workdir, path, env, seconds=3)
        offset = 0  # each run's supports are new (user, proposal) pairs
        for label, path in scenarios:
            for run in range(RUNS):
                load = os.getloadavg()[0]
                stats = _wrk(workdir, path, {**env, "BENCH_OFFSET": str(offset)})
                if path.startswith("POST "):
                    offset += THREADS * (stats["requests"] + 1)
                errors = stats["status"] + stats["socket"]
                lines.append(
                    f"- {label}{f' (run {run + 1})' if RUNS > 1 else ''}: "
                    f"{stats['requests'] / stats['seconds']:,.0f} requests/s, p50 {stats['p50']:.1f} ms, "
                    f"p99 {stats['p99']:.1f} ms, {errors} errors of {stats['requests']:,} "
                    f"(load average {load:.2f} before)"
                )
                print(lines[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if os.environ.get("BENCH_KEEP") != "1":
        Consultation.objects.filter(organisation=org).delete()
    text = "\n".join(lines) + "\n"
    print(text)
    target = os.environ.get("BENCH_RESULTS", str(ROOT / "bench" / "RESULTS.md"))
    if target != "-":
        with open(target, "a", encoding="utf-8") as results:
            results.write("\n### bench/consultation.py\n" + text)


def _topics(consultation) -> list[str]:  # type: ignore[no-untyped-def]
    """Clustering and the similar-proposal lookup."""
    from zora.participation.clustering import METHOD
    from zora.participation.models import Proposal
    from zora.participation.services import topics_rebuild
    from zora.participation.similarity import similar_proposals, vectors_for

    # Proposals are embedded when they are written; the bench embeds its bulk-created ones first.
    rows = list(
        Proposal.objects.filter(consultation=consultation).only("id", "title", "body", "embedding")
    )
    embedding = _timed(lambda: vectors_for(rows))
    clustering = _timed(lambda: topics_rebuild(consultation=consultation))
    similar_proposals(consultation=consultation, text="warm-up")
    lookup = min(
        _timed(lambda: similar_proposals(consultation=consultation, text="безплатен Wi-Fi в парка"))
        for _ in range(20)
    )
    return [
        f"- embedding the 10,000 bench proposals (done one by one at submission in real use): "
        f"{embedding:.0f} s, {embedding / 10:.1f} ms per proposal",
        f"- topics of 10,000 proposals ({METHOD}): {clustering:.1f} s (goal < 30 s); similar-proposal "
        f"lookup: {lookup * 1000:.1f} ms (goal < 50 ms)",
    ]


def _wrk(workdir: Path, path: str, env: dict, seconds: int = SECONDS) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: run scripts/system-deps --bench (Debian package wrk)")
    target = f"http://127.0.0.1:{PORT}" + ("/" if path.startswith("POST ") else path)
    done = subprocess.run(  # noqa: S603 (wrk against our own loopback server, bounded in time)
        [
            wrk,
            "-t",
            str(THREADS),
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(workdir / "bench.lua"),
            target,
        ],
        env={**env, "BENCH_PATH": path},
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    return json.loads(line[6:])


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
