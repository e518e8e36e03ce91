from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zora.assessments.models import Campaign, Framework, Respondent, Response, Subject


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["code", "version", "subject", "title_en", "loaded_at"]
    readonly_fields = ["definition", "checksum"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organisation", "framework", "stage", "mode", "status", "created_at"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["campaign", "organisation"]
    raw_id_fields = ["campaign", "organisation"]


@admin.register(Respondent)
class RespondentAdmin(admin.ModelAdmin):
    list_display = ["campaign", "subject", "name", "email", "created_at"]
    raw_id_fields = ["campaign", "subject", "user"]
    readonly_fields = ["token_hash"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "campaign",
        "subject",
        "status",
        "revision",
        "is_current",
        "overall",
        "level",
        "submitted_at",
    ]
    list_filter = ["status", "is_current"]
    raw_id_fields = ["campaign", "subject", "framework", "respondent", "supersedes"]
    readonly_fields = ["resume_token_hash", "answers", "scores", "vector"]
    show_full_result_count = False
