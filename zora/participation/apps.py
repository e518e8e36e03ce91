from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "zora.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from zora.participation import signals

        signals.connect()
