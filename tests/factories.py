"""factory_boy factories shared by every app's tests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from children.models import Case, Child, FollowUp, IntakeReport, Screening, Support, WorkRecord
from dongnguyen.models import Agency, Ward
from households.models import Household, ResidentialGroup
from inspections.models import Business, Inspection, Violation
from outreach.models import OutreachSession, Training


def letters(n: int) -> str:
    """A sequence number spelled in letters (a, b, …, z, ba, bb…): people's names hold no
    digits (the models refuse them)."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if not n:
            return out.capitalize()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "An"
    last_name = "Nguyễn Văn"
    password = factory.django.Password("matkhau-Thu-2026")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialGroup
        django_get_or_create = ("ward", "code")

    ward = factory.LazyFunction(lambda: Ward.first())
    code = factory.Sequence(lambda n: f"TDP-{n + 50:02d}")
    name = factory.Sequence(lambda n: f"Tổ {n + 50}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    code = factory.Sequence(lambda n: f"HGD-{n:05d}")
    head_name = factory.Sequence(lambda n: f"Nguyễn Văn Chủ Hộ {letters(n)}")
    address = "Số 1, đường 277"
    group = factory.SubFactory(GroupFactory)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Bé {letters(n)}")
    sex = "female"
    birth_date = dt.date(2014, 5, 17)
    household = factory.SubFactory(HouseholdFactory)
    registered_on = dt.date(2025, 1, 1)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


class WorkRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkRecord

    child = factory.SubFactory(ChildFactory)
    job_code = "other_general"
    workplace_code = "normal"
    started_on = dt.date(2026, 2, 1)
    lawful = False


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeReport

    channel = "phone"
    description = "Phát hiện trẻ em làm việc tại xưởng gỗ."
    received_at = factory.LazyFunction(timezone.now)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    child = factory.SubFactory(ChildFactory)
    received_at = factory.LazyFunction(timezone.now)


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    child = factory.SubFactory(ChildFactory)
    outcome = "at_risk"


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    child = factory.SubFactory(ChildFactory)


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    child = factory.SubFactory(ChildFactory)
    kind = "scholarship"
    provider = factory.LazyFunction(lambda: agency("mttq"))


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"Xưởng gỗ mỹ nghệ Đồng Kỵ {n}")
    owner_name = "Trần Văn Chủ"
    address = "Đường 277, Đồng Kỵ"
    group = factory.SubFactory(GroupFactory)
    sector = "woodwork"


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    business = factory.SubFactory(BusinessFactory)
    kind = "periodic"
    date = dt.date(2026, 3, 10)
    status = "done"


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    inspection = factory.SubFactory(InspectionFactory)
    code = "banned_job"
    detected_on = dt.date(2026, 3, 10)


class OutreachSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutreachSession

    channel = "residents_meeting"
    topic = "Phòng, chống lao động trẻ em"
    date = dt.date(2026, 3, 1)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    title = "Tập huấn kỹ năng phát hiện lao động trẻ em"
    date = dt.date(2026, 4, 1)
