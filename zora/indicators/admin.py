from django.contrib import admin
from django.http import HttpRequest

from zora.indicators.models import (
    ColumnMapping,
    ImportBatch,
    Indicator,
    Observation,
    ObservationRevision,
    PeerGroup,
    Region,
    Series,
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Official statistics change only through imports (which keep their provenance)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["dataset", "dims_key", "region_code", "period", "value", "flags"]
    search_fields = ["region_code", "dataset"]
    show_full_result_count = False


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["dataset", "dims_key", "region_code", "updated_at"]
    search_fields = ["region_code", "dataset"]
    show_full_result_count = False


@admin.register(ObservationRevision)
class ObservationRevisionAdmin(ReadOnlyAdmin):
    list_display = ["series", "period", "value", "flags", "replaced_at"]
    raw_id_fields = ["series", "batch", "replaced_by"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    raw_id_fields = ["organisation"]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "dataset", "organisation"]
    raw_id_fields = ["organisation"]
