from django.db import migrations

from children.reference_data import SPECIAL_GROUPS


def forwards(apps, schema_editor):
    SpecialGroup = apps.get_model("children", "SpecialGroup")
    for order, (code, name) in enumerate(SPECIAL_GROUPS, start=1):
        SpecialGroup.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("children", "0003_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
