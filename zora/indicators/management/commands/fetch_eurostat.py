import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zora.indicators.services import ImportFailed, import_file


class Command(BaseCommand):
    help = (
        "Download a dataset from Eurostat's public API (EUROSTAT_API_URL) as SDMX-CSV and import it. "
        "Needs a machine that is online; nothing else in Zora downloads data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", help="Dataset code, e.g. isoc_r_iacc_h")
        parser.add_argument(
            "--filter",
            default="",
            help="SDMX key filter, e.g. 'A.PC_HH.BG+BG34' (dimension order of the dataset).",
        )
        parser.add_argument("--since", default="", help="First period, e.g. 2015")
        parser.add_argument("--timeout", type=int, default=60)

    def handle(
        self, *args: Any, dataset: str, filter: str, since: str, timeout: int, **options: Any
    ) -> None:
        code = dataset.strip().lower()
        if not code.replace("_", "").isalnum():
            raise CommandError(f"{dataset!r} is not a dataset code")
        base = settings.EUROSTAT_API_URL.rstrip("/")
        query = {"format": "SDMX-CSV", "compressed": "false"}
        if since:
            query["startPeriod"] = since
        url = f"{base}/{urllib.parse.quote(code)}/{urllib.parse.quote(filter or 'all', safe='.+')}?{urllib.parse.urlencode(query)}"
        if not url.startswith(("http://", "https://")):
            raise CommandError("EUROSTAT_API_URL must be an http(s) URL")
        self.stdout.write(f"Downloading {url}")
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (http(s) checked above)
                data = response.read()
        except OSError as error:
            raise CommandError(f"Could not download {url}: {error}") from error
        try:
            report = import_file(data=data, file_name=f"{code}.csv", dataset=code.upper())
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary)
