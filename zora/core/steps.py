"""The vocabulary of a strategy that other apps share: its steps (events in `stakeholders` name
the step they serve; `strategy` tracks each step's progress) and the SWOT quadrants (a coded
interview finding suggests one; strategy's SWOT items sit in one), so that no capability app
has to import `strategy`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StrategyStep(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    ASSESSMENT = "assessment", _("Assessment")
    VISION = "vision", _("Vision and ambition")
    STRATEGY = "strategy", _("Strategy")
    ROADMAP = "roadmap", _("Roadmap")
    MONITORING = "monitoring", _("Monitoring")


class Quadrant(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    OPPORTUNITY = "opportunity", _("Opportunity")
    THREAT = "threat", _("Threat")
