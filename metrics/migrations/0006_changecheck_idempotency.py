"""Change checks are idempotent: one per (repository, revision, reference) and per Idempotency-Key."""
from django.db import migrations, models
from django.db.models import Count, Min, Q


def drop_repeated_checks(apps, schema_editor):
    """Keep the first verdict of a change posted more than once (the one a replay now returns)."""
    ChangeCheck = apps.get_model("metrics", "ChangeCheck")
    repeated = (
        ChangeCheck.objects.exclude(revision="").values("repository", "revision", "reference")
        .annotate(n=Count("id"), first=Min("id")).filter(n__gt=1)
    )
    for group in repeated:
        ChangeCheck.objects.filter(
            repository=group["repository"], revision=group["revision"], reference=group["reference"],
        ).exclude(id=group["first"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("metrics", "0005_repositorymembership"),
    ]

    operations = [
        migrations.AddField(
            model_name="changecheck",
            name="idempotency_key",
            field=models.CharField(blank=True, help_text="The client's Idempotency-Key header, if it sent one.",
                                   max_length=255),
        ),
        migrations.AddField(
            model_name="changecheck",
            name="request_digest",
            field=models.CharField(blank=True, help_text="SHA-256 of the posted figures: a replay must post the same.",
                                   max_length=64),
        ),
        migrations.RunPython(drop_repeated_checks, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="changecheck",
            constraint=models.UniqueConstraint(condition=~Q(revision=""), fields=("repository", "revision", "reference"),
                                               name="change_check_one_per_revision"),
        ),
        migrations.AddConstraint(
            model_name="changecheck",
            constraint=models.UniqueConstraint(condition=~Q(idempotency_key=""), fields=("repository", "idempotency_key"),
                                               name="change_check_one_per_idempotency_key"),
        ),
    ]
