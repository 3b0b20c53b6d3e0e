"""FileScore.sloc (source lines) beside loc (physical lines); scores stored before take their analysis' SLOC."""
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_sloc(apps, schema_editor):
    """Earlier scans read the same source lines as new ones: the SLOC of the blob analysis each score points at."""
    FileScore = apps.get_model("metrics", "FileScore")
    BlobAnalysis = apps.get_model("metrics", "BlobAnalysis")
    sloc = BlobAnalysis.objects.filter(pk=OuterRef("analysis_id")).values("sloc")[:1]
    FileScore.objects.filter(analysis__isnull=False).update(sloc=Subquery(sloc))


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0011_scan_after_step_and_file_blame'),
    ]

    operations = [
        migrations.AddField(
            model_name='filescore',
            name='sloc',
            field=models.PositiveIntegerField(default=0, help_text="Source lines (radon's SLOC)."),
        ),
        migrations.AlterField(
            model_name='filescore',
            name='lint_density',
            field=models.FloatField(default=0, help_text='Violations per 100 physical lines.'),
        ),
        migrations.AlterField(
            model_name='filescore',
            name='loc',
            field=models.PositiveIntegerField(default=0, help_text="Physical lines (radon's LOC)."),
        ),
        migrations.RunPython(fill_sloc, migrations.RunPython.noop),
    ]
