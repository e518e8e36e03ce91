from typing import Any

from django.core.management.base import BaseCommand

from zora.core.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Send the daily e-mail digest to every user who chose it (run once a day, e.g. from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_digests()} digests sent")
