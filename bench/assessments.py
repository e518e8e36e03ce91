"""Assessment engine and results at scale (run by `make bench`, needs PostgreSQL).

Reports:
  (a) scoring throughput of the engine alone on 1,000,000 SME responses, against a bare numpy
      pass over the same answer matrix (the two matrix products and a mean per dimension);
      goal: engine ≤ 3× the bare pass;
  (b) time to compute the cohort statistics of a campaign of 1,000,000 stored responses from
      the database; goal: under 20 s;
  (c) time to render the results page of a campaign with 10,000 responses; goal: under 300 ms.

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/zora_bench (created if missing).
BENCH_RESPONSES overrides the 1,000,000.
"""

import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zora_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zora.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

N = int(os.environ.get("BENCH_RESPONSES", "1000000"))
PAGE_RESPONSES = 10_000


def ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    ensure_database()
    import django

    django.setup()
    import json
    import random

    import numpy as np
    from django.core.management import call_command
    from django.db import connection

    from tests.assessments.answers import maximal
    from zora.assessments import services
    from zora.assessments.demo import _answers
    from zora.assessments.engine import encode, score_matrix
    from zora.assessments.models import Framework, Response
    from zora.assessments.selectors import campaign_statistics, framework_compiled, framework_tree
    from zora.organisations.models import Membership, Organisation

    call_command("migrate", verbosity=0)
    call_command("load_frameworks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    framework = Framework.objects.get(code="edih-dma-sme")
    compiled = framework_compiled(framework)
    tree = framework_tree(framework)
    rng = random.Random(1)  # noqa: S311
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {connection.pg_version // 10000}"
    ]

    # (a) the engine alone vs a bare numpy pass over the same answer matrix.
    distinct = 10_000
    sets = [
        _answers(tree, rng.uniform(0.05, 0.95), rng, {"organisation_name": "x"})
        for _ in range(distinct)
    ]
    base = np.vstack([encode(compiled, a)[0] for a in sets])
    X = base[np.arange(N) % distinct]
    A, M = compiled.A, compiled.M
    to_dims = np.zeros((len(compiled.parts), len(compiled.dimension_indexes)))
    for k, index in enumerate(compiled.dimension_indexes):
        for c in compiled.nodes[index].contributions:
            to_dims[c.index, k] = 1.0
    to_dims /= to_dims.sum(axis=0)

    def bare() -> np.ndarray:
        parts = (X @ A) / (np.ones_like(X) @ M)
        return (parts @ to_dims).mean(axis=1) * 100

    def engine() -> np.ndarray:
        return score_matrix(compiled, X).overall

    for fn in (bare, engine):
        fn()  # warm up
    t_bare = min(_timed(bare) for _ in range(3))
    t_engine = min(_timed(engine) for _ in range(3))
    assert np.allclose(bare(), engine())
    lines.append(
        f"- (a) scoring {N:,} responses: engine {t_engine:.2f} s ({N / t_engine:,.0f} responses/s), "
        f"bare numpy {t_bare:.2f} s — ratio {t_engine / t_bare:.2f}× (goal ≤ 3×)"
    )

    # Store N responses (COPY), cycling the distinct answer sets with their real scores.
    hub, _ = Organisation.objects.get_or_create(
        slug="bench-hub", defaults={"kind": "digital_innovation_hub", "name_en": "Bench hub"}
    )
    _drop(hub)
    big = services.campaign_create(
        organisation=hub,
        user=None,
        framework=framework,
        stage="T0",
        new_subject_names=[f"Bench company {i}" for i in range(200)],
    )
    subjects = list(big.subjects.values_list("id", flat=True))
    scores = score_matrix(compiled, base)
    sectors = ["manufacturing", "ict", "agriculture", "trade", "tourism", "construction"]
    payload = []
    for i, answers in enumerate(sets):
        payload.append(
            (
                json.dumps(answers, ensure_ascii=False),
                float(scores.overall[i]),
                json.dumps([float(v) for v in scores.dimensions[i]]),
                json.dumps([None if np.isnan(v) else float(v) for v in base[i]]),
                compiled.framework.level_for(float(scores.overall[i])).code,
            )
        )
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY assessments_response (campaign_id, subject_id, framework_id, resume_token_hash, status, answers, "
            "page, revision, is_current, created_at, submitted_at, overall, level, scores, vector, sector, size_band, "
            "region_code) FROM STDIN"
        ) as copy,
    ):
        now = datetime.now(UTC)
        for i in range(N):
            answers, overall, dims, vector, level = payload[i % distinct]
            copy.write_row(
                (
                    big.pk,
                    subjects[i % len(subjects)],
                    framework.pk,
                    f"bench-{big.pk}-{i}",
                    "submitted",
                    answers,
                    0,
                    1,
                    True,
                    now,
                    now,
                    overall,
                    level,
                    dims,
                    vector,
                    sectors[i % 6],
                    ["micro", "small", "medium"][i % 3],
                    "BG344",
                )
            )
    lines.append(f"- stored {N:,} responses with COPY in {time.perf_counter() - started:.1f} s")

    # (b) cohort statistics from the database.
    t_stats = _timed(lambda: campaign_statistics(campaign=big))
    lines.append(
        f"- (b) cohort statistics of {N:,} responses from the database: {t_stats:.2f} s (goal < 20 s)"
    )

    # (c) the results page of a campaign with 10,000 responses.
    page_campaign = services.campaign_create(
        organisation=hub,
        user=None,
        framework=framework,
        stage="T1",
        subjects=list(Organisation.objects.filter(assessed_in__campaign=big)[:50]),
    )
    page_subjects = list(page_campaign.subjects.values_list("id", flat=True))
    Response.objects.bulk_create(
        [
            Response(
                campaign=page_campaign,
                subject_id=page_subjects[i % 50],
                framework=framework,
                status="submitted",
                resume_token_hash=f"page-{page_campaign.pk}-{i}",
                answers={},
                overall=payload[i % distinct][1],
                scores=json.loads(payload[i % distinct][2]),
                vector=json.loads(payload[i % distinct][3]),
                sector=sectors[i % 6],
                size_band="small",
                region_code="BG344",
            )
            for i in range(PAGE_RESPONSES)
        ],
        batch_size=2000,
    )
    from django.test import Client

    from zora.accounts.models import User

    user, _ = User.objects.get_or_create(email="bench@zora.invalid")
    Membership.objects.get_or_create(organisation=hub, user=user, defaults={"role": "viewer"})
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for url, label in [
        (f"/en/o/bench-hub/assess/{page_campaign.pk}/results/", "results page (statistics)"),
        (f"/en/o/bench-hub/assess/{page_campaign.pk}/", "campaign page (50 organisations)"),
    ]:
        assert client.get(url).status_code == 200
        t_page = min(_timed(lambda url=url: client.get(url)) for _ in range(5))
        lines.append(
            f"- (c) {label} of a campaign with {PAGE_RESPONSES:,} responses: {t_page * 1000:.0f} ms "
            f"(goal < 300 ms)"
        )
    _ = maximal
    _drop(hub)

    report = "\n".join(lines) + "\n"
    print(report)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
        results.write("\n### bench/assessments.py\n" + report)


def _drop(hub) -> None:  # type: ignore[no-untyped-def]
    """Removes the bench campaigns with plain SQL (the ORM's cascade would load every row)."""
    from django.db import connection

    from zora.assessments.models import Campaign

    ids = list(Campaign.objects.filter(organisation=hub).values_list("id", flat=True))
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM assessments_response WHERE campaign_id = ANY(%s)", [ids])
            cursor.execute("DELETE FROM assessments_respondent WHERE campaign_id = ANY(%s)", [ids])
    Campaign.objects.filter(organisation=hub).delete()


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
