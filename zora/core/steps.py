"""The steps of a digital-transformation strategy, shared by the apps that link to them
(events in `stakeholders` name the step they serve; `strategy` tracks each step's progress)
so that no capability app has to import `strategy`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StrategyStep(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    ASSESSMENT = "assessment", _("Assessment")
    VISION = "vision", _("Vision and ambition")
    STRATEGY = "strategy", _("Strategy")
    ROADMAP = "roadmap", _("Roadmap")
    MONITORING = "monitoring", _("Monitoring")
