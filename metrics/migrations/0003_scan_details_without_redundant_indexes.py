"""Drop the single-column scan_id index of the per-scan detail tables.

Each table has a composite index or unique constraint that starts with scan_id, which serves every
lookup the single-column one did; keeping both only made every scan's inserts slower. The database
side drops the index in place (SQLite's AlterField would copy each table to change it).
"""
from django.db import migrations, models

TABLES = ("codeowner", "coupling", "fileauthor", "filescore", "functionscore", "snapshotfile")


def drop_scan_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for name in TABLES:
            model = apps.get_model("metrics", name)
            table = model._meta.db_table
            for index, details in connection.introspection.get_constraints(cursor, table).items():
                if details["index"] and not details["unique"] and not details["primary_key"] \
                        and details["columns"] == ["scan_id"]:
                    schema_editor.execute(schema_editor.sql_delete_index % {
                        "table": schema_editor.quote_name(table), "name": schema_editor.quote_name(index),
                    })


def create_scan_indexes(apps, schema_editor):
    for name in TABLES:
        model = apps.get_model("metrics", name)
        schema_editor.execute(schema_editor._create_index_sql(
            model, fields=[model._meta.get_field("scan")], name=f"metrics_{name}_scan_id_idx"
        ))


def field(related_name):
    return models.ForeignKey(
        db_index=False, on_delete=models.deletion.CASCADE, related_name=related_name, to="metrics.scan"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("metrics", "0002_repository_history_token"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_scan_indexes, create_scan_indexes)],
            state_operations=[
                migrations.AlterField(model_name="codeowner", name="scan", field=field("code_owners")),
                migrations.AlterField(model_name="coupling", name="scan", field=field("couplings")),
                migrations.AlterField(model_name="fileauthor", name="scan", field=field("file_authors")),
                migrations.AlterField(model_name="filescore", name="scan", field=field("file_scores")),
                migrations.AlterField(model_name="functionscore", name="scan", field=field("function_scores")),
                migrations.AlterField(model_name="snapshotfile", name="scan", field=field("files")),
            ],
        ),
    ]
