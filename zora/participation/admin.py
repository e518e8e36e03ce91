from django.contrib import admin

from zora.participation.models import (
    AnswerState,
    Block,
    Category,
    Comment,
    CommentVote,
    Consultation,
    Follow,
    ModerationAction,
    Proposal,
    Report,
    Support,
    Topic,
)


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "phase", "is_published", "created_at"]
    list_filter = ["phase", "is_published"]
    raw_id_fields = ["organisation"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "consultation",
        "supports_count",
        "comments_count",
        "reports_count",
        "hidden_at",
    ]
    list_filter = ["consultation"]
    search_fields = ["title", "body"]
    raw_id_fields = ["consultation", "author", "category", "topic", "answer_state", "answered_by"]
    show_full_result_count = False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "proposal", "author", "hidden_at", "reports_count"]
    raw_id_fields = ["proposal", "author", "parent"]
    show_full_result_count = False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "consultation", "size"]
    raw_id_fields = ["consultation"]


@admin.register(Category, AnswerState)
class ConsultationPartAdmin(admin.ModelAdmin):
    list_display = ["__str__", "consultation", "code"]
    raw_id_fields = ["consultation"]


@admin.register(Support, Follow)
class UserLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "proposal", "user"]
    raw_id_fields = ["proposal", "user"]
    show_full_result_count = False


@admin.register(CommentVote)
class CommentVoteAdmin(admin.ModelAdmin):
    list_display = ["comment", "user", "value"]
    raw_id_fields = ["comment", "user"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["reason", "proposal", "comment", "reporter", "created_at"]
    raw_id_fields = ["proposal", "comment", "reporter"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "reason", "created_at"]
    raw_id_fields = ["user", "organisation"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["action", "consultation", "moderator", "created_at", "note"]
    raw_id_fields = ["consultation", "moderator", "proposal", "comment", "user"]
