from django.contrib import admin

from zora.core.models import Job


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
