from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent). Refuses to run in production."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("zora demo refuses to run with ZORA_ENV=production.")
        from django.core.management import call_command

        from zora.assessments import demo as assessments_demo
        from zora.indicators import demo as indicators_demo
        from zora.organisations import demo as organisations_demo
        from zora.participation import demo as participation_demo
        from zora.reports import demo as reports_demo
        from zora.stakeholders import demo as stakeholders_demo
        from zora.strategy import demo as strategy_demo

        for line in organisations_demo.load():
            self.stdout.write(line)
        call_command("load_frameworks", stdout=self.stdout)
        for line in assessments_demo.load():
            self.stdout.write(line)
        for line in indicators_demo.load():
            self.stdout.write(line)
        for line in participation_demo.load():
            self.stdout.write(line)
        for line in stakeholders_demo.load():
            self.stdout.write(line)
        for line in strategy_demo.load():
            self.stdout.write(line)
        for line in reports_demo.load():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
