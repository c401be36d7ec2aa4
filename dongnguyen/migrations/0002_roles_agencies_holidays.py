from django.db import migrations

from dongnguyen.reference_data import AGENCIES, HOLIDAYS, ROLES


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Agency = apps.get_model("dongnguyen", "Agency")
    Holiday = apps.get_model("dongnguyen", "Holiday")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for code, name in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": name})
    for day, name in HOLIDAYS:
        Holiday.objects.get_or_create(date=day, defaults={"name": name})


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("dongnguyen", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, backwards)]
