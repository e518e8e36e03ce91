"""Public consultations: proposals, supports, comments, official answers, moderation, topics."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zora.core.i18n import localized


class Phase(models.TextChoices):
    COLLECT = "collect", _("Collecting proposals")
    SUPPORT = "support", _("Supporting proposals")
    ANSWERS = "answers", _("Official answers")
    CLOSED = "closed", _("Closed")


class Access(models.TextChoices):
    NOBODY = "nobody", _("Nobody")
    ACCOUNT = "account", _("Anyone with an account")
    VERIFIED = "verified", _("Anyone with a verified e-mail")
    MEMBERS = "members", _("Members of the organisation")


ACTIONS = ("create", "support", "comment")
ACTION_LABELS = {
    "create": _("Send proposals"),
    "support": _("Support proposals"),
    "comment": _("Comment on proposals"),
}

DEFAULT_PERMISSIONS: dict[str, dict[str, str]] = {
    Phase.COLLECT: {"create": Access.VERIFIED, "support": Access.NOBODY, "comment": Access.ACCOUNT},
    Phase.SUPPORT: {"create": Access.NOBODY, "support": Access.VERIFIED, "comment": Access.ACCOUNT},
    Phase.ANSWERS: {"create": Access.NOBODY, "support": Access.NOBODY, "comment": Access.ACCOUNT},
    Phase.CLOSED: {"create": Access.NOBODY, "support": Access.NOBODY, "comment": Access.NOBODY},
}


def default_permissions() -> dict[str, dict[str, str]]:
    return {
        str(phase): {k: str(v) for k, v in rules.items()}
        for phase, rules in DEFAULT_PERMISSIONS.items()
    }


class Consultation(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="consultations"
    )
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.COLLECT
    )
    is_published = models.BooleanField(_("published"), default=True)
    permissions = models.JSONField(default=default_permissions)
    support_threshold = models.PositiveIntegerField(
        _("support threshold"),
        default=0,
        help_text=_("Supports a proposal needs to be considered; 0 for none."),
    )
    support_limit = models.PositiveIntegerField(
        _("supports per person"),
        default=0,
        help_text=_("How many proposals one person may support; 0 for no limit."),
    )
    edit_minutes = models.PositiveIntegerField(_("edit window (minutes)"), default=60)
    auto_hide_reports = models.PositiveIntegerField(
        _("reports that hide content"),
        default=3,
        help_text=_("Content is hidden until a moderator looks at it."),
    )
    locations = models.JSONField(
        _("places"),
        default=list,
        blank=True,
        help_text=_("Districts or places a proposal may be about; empty for free text."),
    )
    random_seed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new consultation gets its page version; a changed one renews its cached pages."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            PageVersion.objects.get_or_create(consultation=self)
        else:
            PageVersion.objects.filter(consultation=self).update(number=F("number") + 1)

    @property
    def content_version(self) -> int | None:
        """The version of the public pages (None when the consultation has none: no caching)."""
        try:
            return self.page_version.number
        except PageVersion.DoesNotExist:
            return None

    @property
    def title(self) -> str:
        return localized(self, "title") or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self, "description")

    def access(self, action: str, phase: str | None = None) -> str:
        return ((self.permissions or {}).get(phase or self.phase) or {}).get(action, Access.NOBODY)


class PageVersion(models.Model):
    """The version of a consultation's public pages, incremented (SQL increment) by every write
    that changes what they show; the versioned cache keys of the pages and of the proposal cards
    include it (see participation.caching). A narrow row of its own, so that the many updates
    (one per support) stay cheap heap-only updates and never bloat the consultation's row."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, primary_key=True, related_name="page_version"
    )
    number = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.consultation_id} v{self.number}"


class Category(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="categories"
    )
    code = models.SlugField(max_length=60)
    name_bg = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class AnswerState(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="answer_states"
    )
    code = models.SlugField(max_length=60)
    label_bg = models.CharField(max_length=100)
    label_en = models.CharField(max_length=100)
    colour = models.CharField(max_length=7, default="#e8eef5")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "code"], name="answer_state_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


class Topic(models.Model):
    """A group of proposals with the same meaning, found by clustering (moderators may rename
    and merge topics)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("name"), max_length=200)
    keywords = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "name"]

    def __str__(self) -> str:
        return self.name


PUBLIC = models.Q(hidden_at__isnull=True, withdrawn_at__isnull=True)


class Proposal(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"))
    language = models.CharField(max_length=2, default="bg")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    image = models.ImageField(_("image"), upload_to="proposals/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=200, blank=True)
    supports_count = models.PositiveIntegerField(default=0)
    comments_count = models.PositiveIntegerField(default=0)
    reports_count = models.PositiveIntegerField(default=0)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    # The text's embedding (float16 bytes, see participation.clustering), stored so that topics
    # and similarity never embed the same proposal twice.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    answer_state = models.ForeignKey(
        AnswerState, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_bg = models.TextField(blank=True)
    answer_en = models.TextField(blank=True)
    answer_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        # The public lists (visible, not withdrawn) in each of their orderings, ties broken by id:
        # a page is an index range scan and the count an index-only scan.
        indexes = [
            models.Index(
                fields=["consultation", "-created_at", "-id"],
                condition=PUBLIC,
                name="proposal_public_newest",
            ),
            models.Index(
                fields=["consultation", "-supports_count", "-id"],
                condition=PUBLIC,
                name="proposal_public_supported",
            ),
            models.Index(
                fields=["consultation", "-comments_count", "-id"],
                condition=PUBLIC,
                name="proposal_public_commented",
            ),
            models.Index(fields=["consultation", "category"]),
            models.Index(fields=["consultation", "topic"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None

    @property
    def answer(self) -> str:
        return localized(self, "answer")


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="support_once")]
        indexes = [models.Index(fields=["consultation", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=200, blank=True)
    reports_count = models.PositiveIntegerField(default=0)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["proposal", "parent", "created_at"])]

    def __str__(self) -> str:
        return self.body[:40]


class CommentVote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()  # +1 agree, -1 disagree

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.value:+d}"


class Follow(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.proposal_id}"


class Report(models.Model):
    """A report of a proposal or a comment."""

    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reporter"], name="report_proposal_once"),
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_comment_once"),
        ]

    def __str__(self) -> str:
        return self.reason[:40]


class Block(models.Model):
    """A user blocked from an organisation's consultations by a moderator."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="block_once")]

    def __str__(self) -> str:
        return f"{self.user_id} blocked"


class ModerationAction(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="moderation_log"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(
        max_length=20
    )  # hide, unhide, block, auto_hide, answer, merge_topics, rename_topic
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.action
