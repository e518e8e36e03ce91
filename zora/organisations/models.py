"""Organisations are Zora's tenants; a Membership gives a user a role in one."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zora.core.i18n import localized


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    INVESTMENT_AGENCY = "investment_agency", _("Investment agency")
    DIGITAL_INNOVATION_HUB = "digital_innovation_hub", _("Digital innovation hub")
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    UNIVERSITY = "university", _("University")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    slug = models.SlugField(_("short name (in web addresses)"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="BG", help_text=_("Two-letter code, e.g. BG, GR.")
    )
    region_code = models.CharField(
        _("region code"),
        max_length=12,
        blank=True,
        help_text=_("NUTS 2021 code (e.g. BG344) or municipality code (e.g. SZR31)."),
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    is_public = models.BooleanField(
        _("public profile"),
        default=True,
        help_text=_("Anyone can see the organisation's profile page."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["kind", "slug"]),
            models.Index(fields=["is_public", "slug"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or self.slug

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def default_language(self) -> str:
        """Bulgarian for Bulgarian organisations, English for everyone else."""
        return "bg" if self.country.upper() == "BG" else "en"


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    ANALYST = "analyst", _("Analyst")
    VIEWER = "viewer", _("Viewer")


# Each role may do everything the roles after it may do.
ROLE_RANK = {Role.VIEWER: 1, Role.ANALYST: 2, Role.EDITOR: 3, Role.OWNER: 4}


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "user_id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user")
        ]
        indexes = [models.Index(fields=["user", "organisation"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation.slug} ({self.role})"


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(Lower("email"), name="invitation_email_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation.slug}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
