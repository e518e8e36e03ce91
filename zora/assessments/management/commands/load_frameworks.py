from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zora.assessments.framework import FrameworkInvalid
from zora.assessments.services import frameworks_load


class Command(BaseCommand):
    help = (
        "Validate and load framework files (default: every file shipped in "
        "zora/assessments/frameworks/). Any error rejects the load whole."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", help="Framework YAML files (default: the shipped ones)."
        )

    def handle(self, *args: Any, files: list[str], **options: Any) -> None:
        paths = [Path(f) for f in files] or None
        for path in paths or []:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            report = frameworks_load(paths=paths)
        except FrameworkInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was loaded.") from exc
        for label in report.created:
            self.stdout.write(f"created   {label}")
        for label in report.updated:
            self.stdout.write(f"updated   {label}")
        for label in report.unchanged:
            self.stdout.write(f"unchanged {label}")
