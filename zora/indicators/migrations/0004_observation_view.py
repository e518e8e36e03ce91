"""The observation table becomes a read-only view over `Series`: one row per list entry.

Observation.id = series id × 100,000 + the entry's position (from 1): positions never change."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL_VIEW = """
CREATE VIEW indicators_observation AS
SELECT s.id * 100000 + o.n AS id, s.id AS series_id, s.dataset, s.dims_key, s.region_code,
  s.dimensions, o.period, o.value::double precision AS value, o.flags, o.confidentiality,
  o.batch_id::bigint AS batch_id, s.updated_at
FROM indicators_series s
CROSS JOIN LATERAL ROWS FROM (
  json_array_elements_text(s.periods),
  json_array_elements_text(s.value_list),
  json_array_elements_text(s.flags),
  json_array_elements_text(s.confidentiality),
  json_array_elements_text(s.batch_ids)
) WITH ORDINALITY AS o(period, value, flags, confidentiality, batch_id, n)
"""
SQLITE_VIEW = """
CREATE VIEW indicators_observation AS
SELECT s.id * 100000 + p.key + 1 AS id, s.id AS series_id, s.dataset, s.dims_key,
  s.region_code, s.dimensions, p.value AS period,
  json_extract(s.value_list, '$[' || p.key || ']') AS value,
  json_extract(s.flags, '$[' || p.key || ']') AS flags,
  json_extract(s.confidentiality, '$[' || p.key || ']') AS confidentiality,
  json_extract(s.batch_ids, '$[' || p.key || ']') AS batch_id, s.updated_at
FROM indicators_series s, json_each(s.periods) p
"""


def create_view(apps, schema_editor):
    schema_editor.execute("DROP TABLE indicators_observation")
    vendor = schema_editor.connection.vendor
    schema_editor.execute(POSTGRESQL_VIEW if vendor == "postgresql" else SQLITE_VIEW)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_series")]

    operations = [
        migrations.RemoveField(model_name="observationrevision", name="observation"),
        migrations.AlterField(
            model_name="observationrevision",
            name="series",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="revisions", to="indicators.series"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create_view)],
            state_operations=[
                migrations.RemoveConstraint(model_name="observation", name="observation_unique"),
                migrations.RemoveIndex(model_name="observation", name="indicators__region__341a97_idx"),
                migrations.AlterModelOptions(name="observation", options={"managed": False}),
                migrations.AlterModelTable(name="observation", table="indicators_observation"),
                migrations.AlterField(
                    model_name="observation",
                    name="id",
                    field=models.BigIntegerField(primary_key=True, serialize=False),
                ),
                migrations.AddField(
                    model_name="observation",
                    name="series",
                    field=models.ForeignKey(default=0, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="indicators.series"),
                    preserve_default=False,
                ),
                migrations.AlterField(
                    model_name="observation",
                    name="batch",
                    field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="indicators.importbatch"),
                ),
            ],
        ),
    ]
