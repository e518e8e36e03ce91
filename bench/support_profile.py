"""What one API support costs, in one process without load (needs PostgreSQL; `make bench`).

Builds a consultation in its support phase (BENCH_PROPOSALS proposals, BENCH_USERS users with
API tokens) in its own database, then sends BENCH_REQUESTS `POST /api/v1/proposals/{id}/supports`
through the WSGI handler as gunicorn's sync worker would (a WSGI environ per request, Django's
request_started/request_finished signals, the response iterated and closed), each a new
(user, proposal) pair. Reports per request: wall time, this process's CPU time, the PostgreSQL
backend's CPU time (read from /proc when the server runs on this machine) and the SQL statements
(not counting the connection's health check, a bare `SELECT 1` per request). The round with the
least CPU of BENCH_REPEATS is reported: the machine's other work only ever adds.

A warm-up first uses each token once (not measured), so the measured requests write no
`last_used_at`, as most requests of a busy token would not.

Environment: DATABASE_URL (postgres://postgres@127.0.0.1:5432/zora_support), BENCH_REQUESTS
(2000), BENCH_REPEATS (3), BENCH_USERS (2000), BENCH_PROPOSALS (500);
BENCH_ORM=1: the ORM path (as on SQLite) instead of the hand-written SQL, to compare;
BENCH_PROFILE=1: also print the cProfile of one more round (BENCH_PROFILE=cpu: timed by CPU, not
wall, time), sorted by BENCH_PROFILE_SORT (cumulative);
BENCH_DROP_MIDDLEWARE: middleware class names left out, comma-separated, to see what each costs;
BENCH_SHOW_SQL=1: print the statements of the first requests.
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zora_support")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zora.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
USERS = int(os.environ.get("BENCH_USERS", "2000"))
PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", "500"))


def _backend_cpu(pid: int | None) -> float:
    """User + system CPU seconds of the PostgreSQL backend serving us (0 if not readable)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    from bench.assessments import ensure_database

    ensure_database()
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection

    from zora.accounts.models import ApiToken, User
    from zora.accounts.services import hash_token
    from zora.organisations.models import Organisation
    from zora.participation.models import Consultation, Phase, Proposal, Support

    call_command("migrate", verbosity=0)
    org, _ = Organisation.objects.get_or_create(
        slug="support-profile", defaults={"kind": "municipality", "name_en": "Support profile"}
    )
    Consultation.objects.filter(organisation=org).delete()
    consultation = Consultation.objects.create(
        organisation=org,
        title_en="Support profile",
        phase=Phase.SUPPORT,
        permissions={"support": {"create": "nobody", "support": "account", "comment": "account"}},
    )
    users = list(User.objects.filter(email__endswith="@support.invalid").order_by("id"))
    if len(users) < USERS:
        User.objects.bulk_create(
            [
                User(email=f"s{i:05d}@support.invalid", password="!")
                for i in range(len(users), USERS)
            ]
        )
        users = list(User.objects.filter(email__endswith="@support.invalid").order_by("id"))
    users = users[:USERS]
    proposals = [
        p.pk
        for p in Proposal.objects.bulk_create(
            [
                Proposal(
                    consultation=consultation, author=users[i % USERS], title=f"P{i}", body="B"
                )
                for i in range(PROPOSALS)
            ]
        )
    ]
    ApiToken.objects.filter(user__email__endswith="@support.invalid").delete()
    raw = [f"zora_prof{i:06d}" for i in range(USERS)]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=users[i], name="profile", prefix=t[:12], token_hash=hash_token(t))
            for i, t in enumerate(raw)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE participation_support")
        cursor.execute("VACUUM ANALYZE accounts_apitoken")

    from django.conf import settings

    dropped = [m for m in os.environ.get("BENCH_DROP_MIDDLEWARE", "").split(",") if m]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m.rsplit(".", 1)[1] not in dropped]
    application = WSGIHandler()
    if os.environ.get("BENCH_ORM") == "1":
        from zora.core import rawsql

        rawsql.available = lambda database: False  # type: ignore[assignment]
    counter = {"n": 0}

    def post(n: int) -> int:
        token = raw[n % USERS]
        proposal = proposals[(n // USERS) % PROPOSALS]
        environ = {
            "REQUEST_METHOD": "POST",
            "SCRIPT_NAME": "",
            "PATH_INFO": f"/api/v1/proposals/{proposal}/supports",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8765",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_PORT": "40000",
            "HTTP_HOST": "127.0.0.1:8765",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "CONTENT_LENGTH": "0",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []
        result = application(environ, lambda s, h, e=None: status.append(s))
        for _chunk in result:
            pass
        result.close()  # type: ignore[attr-defined]
        return int(status[0].split()[0])

    def count_queries(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        counter["n"] += 1
        if os.environ.get("BENCH_SHOW_SQL") and counter["n"] <= 8:
            print(sql[:300])
        return execute(sql, params, many, context)

    next_n = 0
    # Warm-up: imports, the first connection, every token's last_used_at written once.
    for _ in range(max(USERS, 200)):
        assert post(next_n) == 201, "the warm-up support failed"
        next_n += 1
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]

    rounds = []
    for _ in range(REPEATS):
        counter["n"] = 0
        statuses: dict[int, int] = {}
        with connection.execute_wrapper(count_queries):
            wall, cpu, pg = time.perf_counter(), time.process_time(), _backend_cpu(backend)
            for _ in range(REQUESTS):
                code = post(next_n)
                statuses[code] = statuses.get(code, 0) + 1
                next_n += 1
            wall = time.perf_counter() - wall
            cpu = time.process_time() - cpu
            pg = _backend_cpu(backend) - pg
        assert statuses == {201: REQUESTS}, statuses
        rounds.append((cpu, wall, pg, counter["n"] / REQUESTS))
        print(
            f"round: {wall / REQUESTS * 1000:.2f} ms wall, {cpu / REQUESTS * 1000:.2f} ms CPU "
            f"(Django), {pg / REQUESTS * 1000:.2f} ms CPU (PostgreSQL backend), "
            f"{counter['n'] / REQUESTS:.2f} SQL statements per request",
            flush=True,
        )
    cpu, wall, pg, queries = min(rounds)
    load = os.getloadavg()[0]
    print(
        f"{'ORM path, ' if os.environ.get('BENCH_ORM') == '1' else ''}"
        f"best of {REPEATS} × {REQUESTS} supports: {wall / REQUESTS * 1000:.2f} ms wall, "
        f"{cpu / REQUESTS * 1000:.2f} ms Django CPU + {pg / REQUESTS * 1000:.2f} ms PostgreSQL CPU "
        f"per request, {queries:.2f} SQL statements (load average {load:.2f})"
    )
    supported = Support.objects.filter(consultation=consultation).count()
    counted = sum(
        Proposal.objects.filter(consultation=consultation).values_list("supports_count", flat=True)
    )
    assert supported == counted == next_n, (supported, counted, next_n)

    if os.environ.get("BENCH_PROFILE") in ("1", "cpu"):
        import cProfile
        import pstats

        cpu_clock = os.environ["BENCH_PROFILE"] == "cpu"
        profile = cProfile.Profile(time.process_time) if cpu_clock else cProfile.Profile()
        profile.enable()
        for _ in range(REQUESTS):
            post(next_n)
            next_n += 1
        profile.disable()
        pstats.Stats(profile).sort_stats(
            os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        ).print_stats(60)
    Consultation.objects.filter(organisation=org).delete()


if __name__ == "__main__":
    main()
