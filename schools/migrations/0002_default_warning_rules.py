from django.db import migrations

# The plan's defaults (issue 14); the ward changes the thresholds in the admin.
DEFAULTS = [
    ("unexcused_month", "Nghỉ không phép từ 3 ngày trở lên trong một tháng", {"min_days": 3}),
    ("rising_absences", "Số ngày nghỉ tăng liên tục 3 tháng", {"months": 3}),
    (
        "poor_household_absent",
        "Học sinh hộ nghèo, cận nghèo nghỉ từ 5 ngày trở lên trong một tháng",
        {"min_days": 5},
    ),
]


def add_rules(apps, schema_editor):
    WarningRule = apps.get_model("schools", "WarningRule")
    for code, name, parameters in DEFAULTS:
        WarningRule.objects.get_or_create(
            code=code, defaults={"name": name, "parameters": parameters}
        )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_schools_attendance_early_warning")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
