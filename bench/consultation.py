"""A consultation at Madrid scale under load (run by `make bench`, needs PostgreSQL).

With 10,000 proposals, 100,000 supports and 50,000 comments in PostgreSQL, served by gunicorn
with 2 workers on 127.0.0.1, locust (headless, loopback only, bounded to 30 s per scenario)
drives 50 concurrent clients at: the consultation list (first page, page 200), a proposal page
with 500 comments, and the support endpoint (each request a different user). Reports
requests/s and p50/p99 latency; goal: p99 under 150 ms, no errors, 200+ requests/s on lists.
Also times topic clustering of the 10,000 proposals (goal < 30 s) and the similar-proposal
lookup (goal < 50 ms).
"""

import csv
import os
import platform
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
USERS = 50
VENV_BIN = Path(sys.executable).parent

LOCUSTFILE = """
import itertools, os
from locust import FastHttpUser, task, constant

TOKENS = open(os.environ["BENCH_TOKENS"]).read().split()
PROPOSALS = os.environ.get("BENCH_PROPOSALS", "").split()
PATH = os.environ["BENCH_PATH"]
counter = itertools.count()


class Client(FastHttpUser):
    wait_time = constant(0)

    @task
    def hit(self):
        if PATH.startswith("POST "):
            n = next(counter)  # every request a different (user, proposal) pair
            token = TOKENS[n % len(TOKENS)]
            proposal = PROPOSALS[(n // len(TOKENS)) % len(PROPOSALS)]
            self.client.post(PATH[5:].format(proposal), headers={"Authorization": "Bearer " + token}, name="support")
        else:
            self.client.get(PATH, name="page")
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
                proposal_id=proposals[(i * 7) % 10_000],
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

    # Clustering and the similar-proposal lookup.
    from zora.participation.clustering import METHOD
    from zora.participation.services import topics_rebuild
    from zora.participation.similarity import similar_proposals, vectors_for

    # Proposals are embedded when they are written; the bench embeds its bulk-created ones first.
    rows = list(
        Proposal.objects.filter(consultation=consultation).only("id", "title", "body", "embedding")
    )
    embedding = _timed(lambda: vectors_for(rows))
    lines.append(
        f"- embedding the 10,000 bench proposals (done one by one at submission in real use): "
        f"{embedding:.0f} s, {embedding / 10:.1f} ms per proposal"
    )
    clustering = _timed(lambda: topics_rebuild(consultation=consultation))
    similar_proposals(consultation=consultation, text="warm-up")
    lookup = min(
        _timed(lambda: similar_proposals(consultation=consultation, text="безплатен Wi-Fi в парка"))
        for _ in range(20)
    )
    lines.append(
        f"- topics of 10,000 proposals ({METHOD}): {clustering:.1f} s (goal < 30 s); similar-proposal "
        f"lookup: {lookup * 1000:.1f} ms (goal < 50 ms)"
    )

    workdir = Path(tempfile.mkdtemp())
    (workdir / "locustfile.py").write_text(LOCUSTFILE)
    (workdir / "tokens.txt").write_text("\n".join(raw))
    env = {
        **os.environ,
        "ZORA_ENV": "development",
        "DEBUG": "false",
        "BENCH_PROPOSALS": " ".join(str(p) for p in proposals[5000:5200]),
    }
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, loopback only)
        [
            str(VENV_BIN / "gunicorn"),
            "zora.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(4)
        scenarios = [
            ("consultation list, page 1", f"/en/consultations/{consultation.pk}/?sort=supported"),
            ("consultation list, page 200", f"/en/consultations/{consultation.pk}/?page=200"),
            ("proposal page, 500 comments", f"/en/proposals/{heavy}/"),
            ("support endpoint (API)", "POST /api/v1/proposals/{}/supports"),
        ]
        for label, path in scenarios:
            stats = _locust(workdir, path, env)
            lines.append(
                f"- {label}: {stats['rps']:.0f} requests/s, p50 {stats['p50']:.0f} ms, p99 {stats['p99']:.0f} ms, "
                f"{stats['failures']} failures of {stats['requests']:,}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    Consultation.objects.filter(organisation=org).delete()
    text = "\n".join(lines) + "\n"
    print(text)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
        results.write("\n### bench/consultation.py\n" + text)


def _locust(workdir: Path, path: str, env: dict) -> dict:
    prefix = workdir / "stats"
    subprocess.run(  # noqa: S603 (locust against our own loopback server, bounded in time)
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(workdir / "locustfile.py"),
            "--headless",
            "-u",
            str(USERS),
            "-r",
            "50",
            "-t",
            f"{SECONDS}s",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            str(prefix),
            "--only-summary",
        ],
        env={
            **env,
            "BENCH_TOKENS": str(workdir / "tokens.txt"),
            "BENCH_PATH": path,
            "BENCH_PROPOSALS": env.get("BENCH_PROPOSALS", ""),
        },
        check=False,
        capture_output=True,
        timeout=SECONDS + 60,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p99": float(row["99%"]),
        "failures": int(row["Failure Count"]),
        "requests": int(row["Request Count"]),
    }


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
