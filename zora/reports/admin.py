from django.contrib import admin

from zora.reports.models import Branding, CustomSection, Layout, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["id", "organisation", "kind", "language", "format", "created_at", "is_public"]
    list_filter = ["kind", "format", "language", "is_public"]
    search_fields = ["title", "organisation__slug"]
    raw_id_fields = ["organisation", "requested_by", "job"]


@admin.register(Layout)
class LayoutAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "updated_at"]
    raw_id_fields = ["organisation"]


@admin.register(CustomSection)
class CustomSectionAdmin(admin.ModelAdmin):
    list_display = ["id", "organisation", "kind", "title_bg", "title_en"]
    raw_id_fields = ["organisation"]


@admin.register(Branding)
class BrandingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "primary_colour", "accent_colour"]
    raw_id_fields = ["organisation"]
