"""Observations move into `Series` rows (one per series and region, the values as lists).

This migration creates the table and copies existing observations into it; 0004 replaces the
observation table with a view over it."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import zora.indicators.models

FACTOR = 100_000


def copy_observations(apps, schema_editor):
    Observation = apps.get_model("indicators", "Observation")
    Series = apps.get_model("indicators", "Series")
    Revision = apps.get_model("indicators", "ObservationRevision")
    series: dict[tuple[str, str, str], object] = {}
    where: dict[int, tuple[tuple[str, str, str], str]] = {}
    for o in Observation.objects.order_by("dataset", "region_code", "dims_key", "period").iterator(
        chunk_size=5000
    ):
        key = (o.dataset, o.region_code, o.dims_key)
        found = series.get(key)
        if found is None:
            found = series[key] = Series(
                dataset=o.dataset,
                region_code=o.region_code,
                dims_key=o.dims_key,
                dimensions=o.dimensions,
                updated_at=o.updated_at,
            )
        found.periods.append(o.period)
        found.values.append(o.value)
        found.flags.append(o.flags)
        found.confidentiality.append(o.confidentiality)
        found.batch_ids.append(o.batch_id)
        found.updated_at = max(found.updated_at, o.updated_at)
        where[o.pk] = (key, o.period)
    Series.objects.bulk_create(series.values(), batch_size=2000)
    for revision in Revision.objects.all().iterator():
        key, period = where[revision.observation_id]
        revision.series_id, revision.period = series[key].pk, period
        revision.save(update_fields=["series", "period"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_observation_import_speed")]

    operations = [
        migrations.CreateModel(
            name="Series",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("dataset", models.CharField(max_length=40)),
                ("dims_key", models.CharField(help_text="Every dimension but geo, time and freq: 'unit=PC_HH'", max_length=300)),
                ("region_code", models.CharField(max_length=16)),
                ("dimensions", models.JSONField(default=dict)),
                ("periods", zora.indicators.models.JSONList(default=list)),
                ("values", zora.indicators.models.JSONList(db_column="value_list", default=list)),
                ("flags", zora.indicators.models.JSONList(default=list)),
                ("confidentiality", zora.indicators.models.JSONList(default=list)),
                ("batch_ids", zora.indicators.models.JSONList(default=list)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("dataset", "region_code", "dims_key"), name="series_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="observationrevision",
            name="series",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="revisions", to="indicators.series"),
        ),
        migrations.AddField(
            model_name="observationrevision",
            name="period",
            field=models.CharField(default="", max_length=10),
            preserve_default=False,
        ),
        migrations.RunPython(copy_observations, migrations.RunPython.noop),
    ]
