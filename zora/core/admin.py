from django.contrib import admin

from zora.core.models import Job, Notification


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "status",
        "progress",
        "organisation",
        "user",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    raw_id_fields = ["organisation", "user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "created_at", "sent_at"]
    raw_id_fields = ["user"]
