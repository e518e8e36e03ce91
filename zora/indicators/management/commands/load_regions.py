from typing import Any

from django.core.management.base import BaseCommand

from zora.indicators.regions import load_regions


class Command(BaseCommand):
    help = (
        "Load the region registry (NUTS 2021 levels 0–3, Bulgaria's municipalities, EU aggregates)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for label, count in sorted(load_regions().items()):
            self.stdout.write(f"{label:22} {count}")
