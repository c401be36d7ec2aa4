"""Migration operations that give an existing table a `ward` column: every row made before
wards existed belongs to the first ward (the one the single-ward settings describe)."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.translation import gettext_lazy as _

import dongnguyen.models


def _fill(app_label: str, model_name: str):
    def fill(apps, schema_editor):
        Ward = apps.get_model("dongnguyen", "Ward")
        Model = apps.get_model(app_label, model_name)
        if Model.objects.filter(ward__isnull=True).exists():
            ward = Ward.objects.order_by("pk").first() or Ward.objects.create(
                **dongnguyen.models.first_ward_values()
            )
            Model.objects.filter(ward__isnull=True).update(ward=ward)

    return fill


def add_ward(app_label: str, model_name: str, related_name: str = "+") -> list:
    """AddField (nullable) → fill with the first ward → AlterField (required, default first)."""

    def field(**extra):
        return models.ForeignKey(
            on_delete=django.db.models.deletion.PROTECT,
            related_name=related_name,
            to="dongnguyen.ward",
            verbose_name=_("phường, xã"),
            **extra,
        )

    return [
        migrations.AddField(model_name=model_name.lower(), name="ward", field=field(null=True)),
        migrations.RunPython(_fill(app_label, model_name), migrations.RunPython.noop),
        migrations.AlterField(
            model_name=model_name.lower(),
            name="ward",
            field=field(default=dongnguyen.models.default_ward_id),
        ),
    ]
