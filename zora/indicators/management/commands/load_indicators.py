from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zora.indicators.services import CATALOGUE, catalogue_load


class Command(BaseCommand):
    help = (
        "Load the indicator catalogue (default: the shipped zora/indicators/data/catalogue.yaml)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(CATALOGUE))

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            count = catalogue_load(Path(file))
        except (ValidationError, KeyError, OSError) as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write(f"{count} indicators loaded")
