from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zora.strategy import services
from zora.strategy.models import Strategy


class Command(BaseCommand):
    help = (
        "Propose SWOT items for a strategy from the evidence (assessments, indicators, "
        "interviews, proposals). The proposals wait on the SWOT page to be accepted or discarded."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--strategy", type=int, required=True, help="the strategy's id")

    def handle(self, *args: Any, **options: Any) -> None:
        strategy = (
            Strategy.objects.select_related("organisation").filter(pk=options["strategy"]).first()
        )
        if strategy is None:
            raise CommandError(f"No strategy {options['strategy']}.")
        created = services.swot_draft(strategy=strategy)
        for item in created:
            self.stdout.write(f"  [{item.quadrant}] {item.text_en or item.text_bg}")
        self.stdout.write(f"{len(created)} new proposals for “{strategy.title}”.")
