"""A ward where every event of issue 13 is due at NOW, with secrets (names, addresses, tip
text) that must never leave the app."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from children.models import Case, CaseEvent, CasePlanAction, Referral
from dongnguyen.models import Agency
from tests.factories import (
    CaseFactory,
    ChildFactory,
    FollowUpFactory,
    HouseholdFactory,
    IntakeFactory,
    ViolationFactory,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Wednesday 10 June 2026, 09:00: the half-year report is due on 20 June.
NOW = datetime(2026, 6, 10, 9, 0, tzinfo=TZ)

SECRETS = [
    "Hoàng Bí Mật",  # child
    "Lý Thị Người Nuôi",  # caregiver
    "Trịnh Văn Chủ Hộ Kín",  # head of household
    "Ngõ 99 Phố Giấu Tên",  # address
    "Tạ Văn Người Báo",  # reporter
    "0912345678",  # reporter's phone
    "cháu bị bắt làm đêm ở xưởng sơn",  # tip text
]


class RecordingBackend:
    """An SMS/Zalo backend for tests: keeps what it would send."""

    sent: list[tuple[str, str, str]] = []

    def __init__(self, channel):
        self.channel = channel

    def send(self, phone, text):
        RecordingBackend.sent.append((self.channel, phone, text))


@pytest.fixture
def staff(leader, officer, health, police, mass_org):
    for user in (leader, officer, health, police, mass_org):
        user.email = f"{user.username}@dongnguyen.example"
        user.save(update_fields=["email"])
    return {"leader": leader, "officer": officer, "health": health, "police": police}


@pytest.fixture
def every_kind(staff):
    officer = staff["officer"]
    household = HouseholdFactory(head_name=SECRETS[2], address=SECRETS[3])
    household.caregivers.create(name=SECRETS[1], relation="Mẹ", phone="0987000111")
    child = ChildFactory(full_name=SECRETS[0], household=household)
    intake = IntakeFactory(
        child=child,
        reporter_name=SECRETS[4],
        reporter_phone=SECRETS[5],
        description=SECRETS[6],
        location=SECRETS[3],
        received_at=NOW - timedelta(minutes=5),
    )
    CaseFactory(child=child, intake=intake, emergency=True, received_at=intake.received_at)
    CaseFactory(child=child, received_at=NOW - timedelta(hours=13), summary=SECRETS[6])
    CaseFactory(child=child, status=Case.Status.ASSESSED, received_at=NOW - timedelta(days=9))
    CaseFactory(
        child=child,
        status=Case.Status.PLAN_DRAFTED,
        received_at=NOW - timedelta(days=9),
        plan_drafted_at=NOW - timedelta(days=3),
    )
    referred = CaseFactory(child=child, status=Case.Status.IN_PROGRESS, assigned_to=officer)
    Referral.objects.create(
        child=child,
        case=referred,
        agency=Agency.objects.get(code="yte"),
        needs=SECRETS[6],
        referred_on=NOW.date() - timedelta(days=10),
    )
    CasePlanAction.objects.create(
        case=referred,
        action=SECRETS[6],
        agency=Agency.objects.get(code="hoiphunu"),
        due_on=NOW.date() + timedelta(days=1),
    )
    monitored = CaseFactory(
        child=child, status=Case.Status.MONITORING, received_at=NOW - timedelta(days=90)
    )
    CaseEvent.objects.create(
        case=monitored, to_status=Case.Status.MONITORING, at=NOW - timedelta(days=60)
    )
    FollowUpFactory(
        child=child, case=monitored, date=NOW.date() - timedelta(days=40), notes=SECRETS[6]
    )
    ViolationFactory(detected_on=date(2026, 5, 1), child=child, description=SECRETS[6])
    from coordination.models import Meeting, MeetingAction

    meeting = Meeting.objects.create(kind="adhoc", date=NOW.date(), chair="Chủ tịch UBND")
    MeetingAction.objects.create(
        meeting=meeting,
        what="Rà soát lại các cơ sở mộc",
        assignee=officer,
        due_on=NOW.date() + timedelta(days=1),
    )
    from coordination.models import AgencyInput, InputKind

    AgencyInput.objects.create(
        period="2026-H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        kind=InputKind.HEALTH,
        agency=Agency.objects.get(code="yte"),
        due_on=NOW.date() + timedelta(days=3),
        requested_by=officer,
    )
    return child
