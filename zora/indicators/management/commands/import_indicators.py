import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zora.indicators.services import ImportFailed, import_file

FORMATS = ["auto", "eurostat-csv", "sdmx-csv", "tsv", "jsonstat", "egov-xlsx"]


class Command(BaseCommand):
    help = (
        "Import an official statistics file (format detected from its content) and print a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, default="auto")
        parser.add_argument(
            "--dataset", default=None, help="Dataset code when the file does not say (TSV, XLSX)."
        )
        parser.add_argument(
            "--strict", action="store_true", help="Reject the file if a region code is unknown."
        )

    def handle(
        self, *args: Any, file: str, format: str, dataset: str | None, strict: bool, **options: Any
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")

        def bar(fraction: float, message: str = "") -> None:
            percent = int(fraction * 100)
            sys.stderr.write(
                f"\r[{'#' * (percent // 2)}{'.' * (50 - percent // 2)}] {percent:3d}% "
            )
            sys.stderr.flush()

        try:
            report = import_file(
                data=path.read_bytes(),
                file_name=path.name,
                format=format,
                dataset=dataset,
                strict=strict,
                progress=bar,
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        finally:
            self.stderr.write("")
        batch = report.batch
        self.stdout.write(report.summary)
        self.stdout.write(
            f"dataset {batch.dataset}, format {batch.format}, last update {batch.last_update or '—'}, "
            f"sha256 {batch.sha256[:16]}…, import #{batch.pk}"
        )
        for reason, count in sorted(batch.skipped_reasons.items()):
            self.stdout.write(f"  skipped: {reason}: {count}")
