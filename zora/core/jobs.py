"""Jobs with progress: one mechanism for every long piece of work.

    job = job_create(kind="import", organisation=org, user=user, params={...})
    job_enqueue(job)            # a django.tasks task runs JOB_FUNCTIONS[kind](job, progress)
    run_job_now(job, bar=True)  # the CLI runs the same function in the foreground

The work function reports `progress(fraction, message)`. Progress is written through the
"jobs" database alias — its own connection, outside the work's transaction — so a page that
polls the job (the htmx partial core/job.html, or a plain reload) sees it move while an import
holds one long transaction. On SQLite, which allows one writer at a time, progress inside a
transaction is kept until the transaction ends.
"""

import logging
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from zora.core.models import Job

# kind → dotted path of `def work(job: Job, progress: Progress) -> dict` (the job's result).
JOB_FUNCTIONS: dict[str, str] = {
    "indicators.import": "zora.indicators.services.run_import_job",
    "participation.topics": "zora.participation.similarity.run_topics_job",
    "stakeholders.import": "zora.stakeholders.services.run_import_job",
    "strategy.import_actions": "zora.strategy.services.run_import_job",
    "reports.generate": "zora.reports.services.run_report_job",
}
JOBS_DB = "jobs"
logger = logging.getLogger(__name__)


class Progress:
    def __init__(self, job: Job, *, bar: bool = False, every: float = 0.5) -> None:
        self.job, self.bar, self.every = job, bar, every
        self._last = 0.0

    def __call__(self, fraction: float, message: str = "") -> None:
        percent = max(0, min(100, int(fraction * 100)))
        if self.bar:
            filled = percent // 2
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (50 - filled)}] {percent:3d}% {message[:60]:60}"
            )
            sys.stderr.flush()
        now = time.monotonic()
        if now - self._last < self.every and percent < 100:
            return
        self._last = now
        _write(self.job.pk, progress_only=True, progress=percent, message=message[:300])


def _write(job_id: int, *, progress_only: bool = False, **fields: Any) -> None:
    """Status changes go through the default connection (they happen outside the work's
    transaction). Progress reported from inside a transaction goes through the "jobs" alias, a
    connection of its own, so other requests see it at once; SQLite allows one writer, so there
    it waits in the transaction like everything else."""
    default = connections[DEFAULT_DB_ALIAS]
    if progress_only and default.in_atomic_block and default.vendor != "sqlite":
        try:
            Job.objects.using(JOBS_DB).filter(pk=job_id).update(**fields)
        except Exception:  # progress is best-effort: it never fails the work itself
            logger.warning("job %s: progress not written", job_id, exc_info=True)
        return
    Job.objects.filter(pk=job_id).update(**fields)


def job_create(
    *,
    kind: str,
    organisation: Any = None,
    user: Any = None,
    params: dict | None = None,
    input_file: Any = None,
) -> Job:
    if kind not in JOB_FUNCTIONS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, organisation=organisation, user=user, params=params or {})
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=False)
    job.save()
    return job


@task()
def run_job_task(job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    run_job_now(job)


def job_enqueue(job: Job) -> None:
    """Queues the job. The database queue stores the task in the caller's transaction, so a
    worker sees it only once the job row is committed too (tests run it immediately)."""
    run_job_task.enqueue(job.pk)


def run_job_now(job: Job, *, bar: bool = False) -> Job:
    """Runs the job's work here and now (the task worker and the CLI both come here)."""
    work: Callable[[Job, Progress], dict] = import_string(JOB_FUNCTIONS[job.kind])
    _write(job.pk, status=Job.Status.RUNNING, started_at=timezone.now(), progress=0)
    try:
        result = work(job, Progress(job, bar=bar))
    except Exception as exc:  # the error is shown to the user, who can retry
        message = str(exc) or exc.__class__.__name__
        _write(
            job.pk,
            status=Job.Status.FAILED,
            error=message[:5000],
            finished_at=timezone.now(),
            message=message[:300],
        )
        if bar:
            sys.stderr.write("\n")
        job.refresh_from_db()
        if not isinstance(exc, JobError):
            traceback.print_exc()
        return job
    _write(
        job.pk,
        status=Job.Status.DONE,
        progress=100,
        result=result or {},
        finished_at=timezone.now(),
        result_url=(result or {}).get("url", ""),
    )
    if bar:
        sys.stderr.write("\n")
    job.refresh_from_db()
    return job


def job_retry(job: Job) -> Job:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.QUEUED,
        progress=0,
        error="",
        message="",
        started_at=None,
        finished_at=None,
    )
    job.refresh_from_db()
    job_enqueue(job)
    return job


class JobError(Exception):
    """A failure to show the user as it is (bad input, not a bug)."""
