"""seed_demo leaves notifications of every kind, and no message made from the demo ward's
data carries a name, an address or a tip's text."""

import pytest
from django.core import mail
from django.core.management import call_command

from children.models import Child, IntakeReport
from households.models import Caregiver, Household
from notifications.channels import render_email, render_text
from notifications.models import Delivery, Kind, Notification


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


def _secrets() -> set[str]:
    out = set()
    out.update(Child.objects.values_list("full_name", flat=True))
    out.update(Caregiver.objects.values_list("name", flat=True))
    out.update(Household.objects.values_list("head_name", flat=True))
    out.update(Household.objects.values_list("address", flat=True))
    for name, phone, text, place in IntakeReport.objects.values_list(
        "reporter_name", "reporter_phone", "description", "location"
    ):
        out.update([name, phone, text[:40], place])
    return {s.strip().lower() for s in out if s and len(s.strip()) >= 6}


def test_the_demo_has_every_kind_and_its_messages_name_no_one(demo):
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    assert Notification.objects.filter(read_at__isnull=False).exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()
    # Recorded by the seed, sent by the first pass (send_reminders prints them under make run).
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    call_command("send_reminders", verbosity=0)
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING, digest=False).exists()
    assert mail.outbox
    secrets = _secrets()
    assert len(secrets) > 50
    texts = [f"{m.subject}\n{m.body}" for m in mail.outbox]
    for n in Notification.objects.all():
        texts.append(render_text(n))
        texts.append("\n".join(render_email([n])))
    for text in texts:
        low = text.lower()
        leaked = [s for s in secrets if s in low]
        assert not leaked, (leaked, text)


def test_the_demo_notifications_reach_only_their_records_ward(demo):
    """Three demo wards: a record's reminder goes to its own ward's users (the province user
    gets counts only, about no record of any ward)."""
    from dongnguyen.models import Ward
    from notifications.reminders import _ward_path

    assert Ward.objects.count() >= 2
    checked = 0
    for n in Notification.objects.select_related("content_type", "recipient__profile"):
        model = n.content_type.model_class()
        path = _ward_path(model) if n.object_id.isdigit() else None
        if path is None:
            continue
        ward_id = model._base_manager.filter(pk=n.object_id).values_list(path, flat=True).first()
        assert n.recipient.profile.ward_id == ward_id, (n.kind, n.code, n.recipient.username)
        checked += 1
    assert checked > 10
