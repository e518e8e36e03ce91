from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from zora.core.jobs import job_create, run_job_now
from zora.core.models import Job
from zora.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import stakeholders from a CSV or XLSX file into an organisation's registry (the same "
        "job as the upload page: every row is checked first; nothing is imported on any error)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organisation", help="the organisation's slug")
        parser.add_argument("file", help="a .csv or .xlsx file")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        job = job_create(
            kind="stakeholders.import",
            organisation=organisation,
            input_file=ContentFile(path.read_bytes(), name=path.name),
            params={"file_name": path.name},
        )
        job = run_job_now(job, bar=True)
        if job.status != Job.Status.DONE:
            raise CommandError(job.error)
        self.stdout.write(
            f"Imported: {job.result['created']} new, {job.result['updated']} updated."
        )
