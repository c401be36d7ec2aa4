from datetime import timedelta

from django.db import migrations


def dedupe(apps, schema_editor):
    """Before the constraint "one open work record per (child, business, job)": of the open
    records of the same work, the latest stays open; each earlier one ends the day before the
    next one started, so the time it covers is kept. One that started the same day as the next
    is the same report twice: its inspection findings move to the next and it is deleted."""
    WorkRecord = apps.get_model("children", "WorkRecord")
    MinorFound = apps.get_model("inspections", "MinorFound")
    open_records = WorkRecord.objects.filter(ended_on__isnull=True, business__isnull=False)
    previous = None
    for record in open_records.order_by("child_id", "business_id", "job_code", "started_on", "pk"):
        same = previous is not None and (
            (previous.child_id, previous.business_id, previous.job_code)
            == (record.child_id, record.business_id, record.job_code)
        )
        if same:
            if record.started_on > previous.started_on:
                previous.ended_on = record.started_on - timedelta(days=1)
                previous.save(update_fields=["ended_on"])
            else:
                MinorFound.objects.filter(work_record_id=previous.pk).update(
                    work_record_id=record.pk
                )
                if previous.notes and previous.notes not in record.notes:
                    record.notes = f"{record.notes}\n{previous.notes}".strip()
                    record.save(update_fields=["notes"])
                previous.delete()
        previous = record


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0007_perf_at_risk_index"),
        # MinorFound.work_record is a ForeignKey there: two findings may share one record.
        ("inspections", "0003_minor_found_work_record_fk"),
    ]

    operations = [migrations.RunPython(dedupe, migrations.RunPython.noop)]
