"""Rows not reached through a residential group carry their ward (DESIGN "Province and wards")."""

from django.db import migrations

from dongnguyen.ward_migrations import add_ward


class Migration(migrations.Migration):
    dependencies = [
        ("dongnguyen", "0006_ward"),
        ("outreach", "0006_version_verbose_name"),
    ]

    operations = [
        *add_ward("outreach", "OutreachSession"),
        *add_ward("outreach", "Training"),
    ]
