from django.contrib import admin

from zora.indicators.models import (
    ColumnMapping,
    ImportBatch,
    Indicator,
    Observation,
    ObservationRevision,
    PeerGroup,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_bg", "level", "country", "population"]
    list_filter = ["level", "country"]
    search_fields = ["code", "name", "name_bg"]
    raw_id_fields = ["parent"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "theme",
        "dataset",
        "dims_key",
        "finest_level",
        "target_value",
    ]
    list_filter = ["theme", "dataset"]
    search_fields = ["code", "name_en", "name_bg"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "dataset",
        "format",
        "status",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_skipped",
        "user",
        "created_at",
    ]
    list_filter = ["status", "format"]
    search_fields = ["file_name", "dataset", "sha256"]
    raw_id_fields = ["user", "organisation"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["dataset", "dims_key", "region_code", "period", "value", "flags"]
    list_filter = ["dataset"]
    search_fields = ["region_code", "dataset"]
    raw_id_fields = ["batch"]
    show_full_result_count = False


@admin.register(ObservationRevision)
class ObservationRevisionAdmin(admin.ModelAdmin):
    list_display = ["observation", "value", "flags", "replaced_at"]
    raw_id_fields = ["observation", "batch", "replaced_by"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    raw_id_fields = ["organisation"]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "dataset", "organisation"]
    raw_id_fields = ["organisation"]
