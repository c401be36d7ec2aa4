from django.db import migrations, models


class Migration(migrations.Migration):
    """A partial index on the few children at risk: the home page counts the managed list
    (at risk, or in a special group) without scanning every child."""

    dependencies = [("children", "0006_cases_files")]

    operations = [
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                fields=["birth_date"], condition=models.Q(at_risk=True), name="child_at_risk_idx"
            ),
        ),
    ]
