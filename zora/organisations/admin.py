from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zora.organisations.models import Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name_bg", "name_en", "kind", "country", "region_code", "is_public"]
    list_filter = ["kind", "country", "is_public"]
    search_fields = ["slug", "name_bg", "name_en"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["organisation__slug", "user__email"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["organisation", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "organisation__slug"]
    readonly_fields = ["token_hash"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    list_select_related = ["organisation"]
