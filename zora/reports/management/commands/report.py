import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from zora.core.jobs import run_job_now
from zora.organisations.models import Organisation
from zora.reports.kinds import KINDS
from zora.reports.services import report_request


class Command(BaseCommand):
    help = (
        "Generate a report (the same job as the Reports page, with a progress bar) and write it "
        "to a file. The report is also listed on the organisation's Reports page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("--org", required=True, help="The organisation's short name (slug).")
        parser.add_argument("--campaign", type=int, help="Assessment: a campaign id.")
        parser.add_argument("--subject", type=int, help="Assessment: one assessed organisation.")
        parser.add_argument(
            "--region", help="Benchmark: a region code (default: the organisation's)."
        )
        parser.add_argument("--peers", help="Benchmark: a peer group key (country, eu, group-N …).")
        parser.add_argument("--strategy", type=int, help="Strategy and progress: a strategy id.")
        parser.add_argument("--from", dest="period_from", help="Progress: first day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="period_to", help="Progress: last day, YYYY-MM-DD.")
        parser.add_argument("--lang", choices=["bg", "en"], default="bg")
        parser.add_argument("--format", choices=["pdf", "docx", "html"], default="pdf")
        parser.add_argument("--out", required=True, help="The file to write ('-' for stdout).")

    def handle(
        self, *args: Any, kind: str, org: str, lang: str, format: str, out: str, **options: Any
    ) -> None:
        with translation.override(lang):  # errors in the language asked for
            self._handle(kind=kind, org=org, lang=lang, format=format, out=out, **options)

    def _handle(
        self, *, kind: str, org: str, lang: str, format: str, out: str, **options: Any
    ) -> None:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"No organisation {org!r}.")
        params = {
            k: options[k]
            for k in (
                "campaign",
                "subject",
                "region",
                "peers",
                "strategy",
                "period_from",
                "period_to",
            )
            if options.get(k) not in (None, "")
        }
        try:
            report = report_request(
                organisation=organisation,
                user=None,
                kind=kind,
                params=params,
                language=lang,
                format=format,
                enqueue=False,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        assert report.job is not None
        job = run_job_now(report.job, bar=True)
        if job.status != job.Status.DONE:
            raise CommandError(job.error or "The report failed.")
        report.refresh_from_db()
        with report.file.open("rb") as source:
            if out == "-":
                shutil.copyfileobj(source, sys.stdout.buffer)
                return
            with Path(out).open("wb") as target:
                shutil.copyfileobj(source, target)
        pages = f", {report.pages} pages" if report.pages else ""
        self.stderr.write(
            f"{report.title}: {out} ({report.size} bytes{pages}; report #{report.pk})"
        )
