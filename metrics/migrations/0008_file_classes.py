"""File classes, ranking status and knowledge-island labels, per-function radon figures, the mined .mailmap blob."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0007_scan_cancel_progress'),
    ]

    operations = [
        migrations.AddField(
            model_name='blobanalysis',
            name='is_generated',
            field=models.BooleanField(default=False, help_text='Its first lines say it is generated.'),
        ),
        migrations.AddField(
            model_name='filescore',
            name='file_class',
            field=models.CharField(default='production', help_text='production, test, generated, vendored or migration.', max_length=12),
        ),
        migrations.AddField(
            model_name='filescore',
            name='island_label',
            field=models.CharField(blank=True, help_text='"single author ever" or "single author in the last N days".', max_length=64),
        ),
        migrations.AddField(
            model_name='filescore',
            name='rank_status',
            field=models.CharField(default='ranked', max_length=12),
        ),
        migrations.AddField(
            model_name='functionanalysis',
            name='h_bugs',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionanalysis',
            name='h_difficulty',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionanalysis',
            name='h_effort',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionanalysis',
            name='h_volume',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionanalysis',
            name='mi',
            field=models.FloatField(blank=True, help_text='Maintainability index of the function, 0-100.', null=True),
        ),
        migrations.AddField(
            model_name='functionanalysis',
            name='sloc',
            field=models.PositiveIntegerField(default=0, help_text="Source lines of code (radon's SLOC)."),
        ),
        migrations.AddField(
            model_name='functionscore',
            name='h_bugs',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionscore',
            name='h_difficulty',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionscore',
            name='h_effort',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionscore',
            name='h_volume',
            field=models.FloatField(default=0),
        ),
        migrations.AddField(
            model_name='functionscore',
            name='mi',
            field=models.FloatField(blank=True, help_text='Maintainability index of the function, 0-100.', null=True),
        ),
        migrations.AddField(
            model_name='functionscore',
            name='sloc',
            field=models.PositiveIntegerField(default=0, help_text="Source lines of code (radon's SLOC)."),
        ),
        migrations.AddField(
            model_name='repository',
            name='mailmap_blob',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='snapshotfile',
            name='file_class',
            field=models.CharField(default='production', help_text='production, test, generated, vendored or migration.', max_length=12),
        ),
    ]
