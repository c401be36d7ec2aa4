"""The access-control matrix: every URL of the project × every role × (in scope, out of scope).

URL patterns are enumerated from the resolver; a URL with no entry in MATRIX (or EXEMPT, with a
reason) fails the test, so every new page must declare who may use it.

For each entry: roles in `allow` may use it on an object inside their scope (not 403/404, not
sent to login); every other signed-in role gets 403 or 404; anonymous users are sent to the
login page unless the entry is `public`. If the URL takes an object, the same is checked on an
object outside a collaborator's group and not referred to anyone: collaborators, the health
station and mass organisations get 404 there (no leak), the others as on the in-scope object.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .factories import (
    BusinessFactory,
    CaseFactory,
    ChildFactory,
    HouseholdFactory,
    InspectionFactory,
    IntakeFactory,
    OutreachSessionFactory,
    TrainingFactory,
    ViolationFactory,
    WorkRecordFactory,
)

ALL = frozenset(
    {"leadership", "case_officer", "health", "police", "finance", "collaborator", "mass_org"}
)
STAFF = frozenset({"leadership", "case_officer"})
# Roles whose view of children is limited to some of them (their group, what is referred to
# them, what is linked to a police matter): the out-of-scope object is a 404 for them.
SCOPED = frozenset({"collaborator", "health", "mass_org", "police"})
REGISTER = frozenset({"case_officer", "collaborator"})
CHILD_READERS = ALL - {"finance"}
GROUP_ONLY = frozenset({"collaborator"})
OFFICER = frozenset({"case_officer"})
INSPECTORS = frozenset({"case_officer", "police"})
INSPECTION_READERS = STAFF | {"police", "health"}
BUSINESS_READERS = INSPECTION_READERS | {"collaborator"}
SESSION_WRITERS = frozenset({"case_officer", "collaborator", "mass_org", "health", "police"})
SESSION_READERS = SESSION_WRITERS | {"leadership", "police"}
# The health station reads every child with a case (DESIGN.md); the others are scoped.
NOT_ALL_CASES = frozenset({"collaborator", "mass_org", "police"})


@dataclass(frozen=True)
class Rule:
    allow: frozenset
    kwargs: Callable[[dict], dict] | None = None  # in-scope object → URL kwargs
    outside: Callable[[dict], dict] | None = None  # the same kind of object, out of scope
    method: str = "get"
    public: bool = False
    data: Callable[[dict, str | None], dict] | None = None  # POST body / GET query (world, role)
    # Roles whose scope excludes the out-of-scope object (404 there).
    scoped: frozenset = frozenset({"collaborator", "health", "mass_org", "police"})


def obj(key):
    return lambda world: {"pk": world[key].pk}


MATRIX: dict[str, Rule] = {
    "home": Rule(ALL),
    # The user guide (issue 18): every signed-in role reads every guide.
    "help": Rule(ALL),
    "help_page": Rule(ALL, kwargs=lambda world: {"slug": "chung"}),
    "help_image": Rule(ALL, kwargs=lambda world: {"name": "lanh-dao-trang-chu.png"}),
    "password_change": Rule(ALL),
    "password_change_done": Rule(ALL),
    # Who looked at which child: those answerable for the register (issue 11 point 4).
    "access_log": Rule(STAFF),
    "households:list": Rule(STAFF | {"collaborator"}),
    "households:detail": Rule(STAFF | {"collaborator"}, obj("household_a"), obj("household_b")),
    "households:create": Rule(REGISTER),
    "households:edit": Rule(REGISTER, obj("household_a"), obj("household_b")),
    "households:caregiver_add": Rule(REGISTER, obj("household_a"), obj("household_b")),
    "households:caregiver_edit": Rule(REGISTER, obj("caregiver_a"), obj("caregiver_b")),
    "households:caregiver_remove": Rule(
        REGISTER, obj("caregiver_a"), obj("caregiver_b"), method="post"
    ),
    "children:list": Rule(CHILD_READERS),
    # Child B works unlawfully: in the health station's scope (children in labour get a
    # health check, issue 14), so it is no out-of-scope object for health here.
    "children:detail": Rule(
        CHILD_READERS, obj("child_a"), obj("child_b"), scoped=SCOPED - {"health"}
    ),
    # The child's page's panels read on demand: its change history (not for mass
    # organisations, who see no more than they need to help) and who looked at it (those
    # answerable for the register).
    "children:history": Rule(
        CHILD_READERS - {"mass_org"}, obj("child_a"), obj("child_b"), scoped=SCOPED - {"health"}
    ),
    "children:viewers": Rule(STAFF, obj("child_a"), obj("child_b")),
    "children:create": Rule(REGISTER),
    "children:edit": Rule(REGISTER, obj("child_a"), obj("child_b")),
    "children:risk": Rule(REGISTER, obj("child_a"), obj("child_b")),
    "children:merge": Rule(frozenset({"case_officer"}), obj("child_a"), obj("child_b")),
    "children:screening": Rule(REGISTER),
    "children:screening_record": Rule(REGISTER, obj("child_a"), obj("child_b"), method="post"),
    "children:workrecord_add": Rule(REGISTER, obj("child_a"), obj("child_b")),
    "children:workrecord_detail": Rule(
        CHILD_READERS - {"mass_org"}, obj("work_a"), obj("work_b"), scoped=SCOPED - {"health"}
    ),
    "children:workrecord_edit": Rule(REGISTER, obj("work_a"), obj("work_b")),
    "children:workrecord_open_case": Rule(
        frozenset({"case_officer"}), obj("work_a"), obj("work_b"), method="post"
    ),
    # Intake and cases
    "children:public_tip": Rule(ALL, public=True),
    "children:public_tip_status": Rule(ALL, public=True),
    "children:intake_list": Rule(STAFF | {"police", "collaborator", "health", "mass_org"}),
    "children:intake_create": Rule(STAFF | {"police", "collaborator", "health", "mass_org"}),
    # The police read every tip (they verify them); collaborators their group's.
    "children:intake_detail": Rule(
        STAFF | {"police", "collaborator"},
        obj("intake_a"),
        obj("intake_b"),
        scoped=frozenset({"collaborator"}),
    ),
    # Those who take and verify tips correct them; the police may edit every tip they read.
    "children:intake_edit": Rule(
        frozenset({"case_officer", "police"}),
        obj("intake_a"),
        obj("intake_b"),
        scoped=frozenset({"collaborator"}),
    ),
    "children:intake_triage": Rule(
        frozenset({"case_officer"}), obj("intake_a"), obj("intake_b"), method="post"
    ),
    "children:case_list": Rule(STAFF | {"health", "mass_org"}),
    "children:case_open": Rule(
        frozenset({"case_officer"}), method="post", data=lambda w, role: {"child": w["child_a"].pk}
    ),
    "children:case_detail": Rule(
        STAFF | {"health", "mass_org"}, obj("case_a"), obj("case_c"), scoped=NOT_ALL_CASES
    ),
    "children:case_assess": Rule(
        frozenset({"case_officer"}), obj("case_a"), obj("case_c"), scoped=NOT_ALL_CASES
    ),
    "children:case_plan": Rule(
        frozenset({"case_officer"}), obj("case_a"), obj("case_c"), scoped=NOT_ALL_CASES
    ),
    "children:case_close": Rule(
        frozenset({"case_officer"}), obj("case_a"), obj("case_c"), scoped=NOT_ALL_CASES
    ),
    "children:case_step": Rule(
        STAFF, obj("case_a"), obj("case_c"), scoped=NOT_ALL_CASES, method="post"
    ),
    "children:referral_create": Rule(
        frozenset({"case_officer"}),
        obj("case_a"),
        obj("case_c"),
        scoped=NOT_ALL_CASES,
        method="post",
    ),
    "children:followup_create": Rule(
        frozenset({"case_officer"}), obj("case_a"), obj("case_c"), scoped=NOT_ALL_CASES
    ),
    "children:case_sheet": Rule(
        STAFF | {"health"}, obj("case_a"), obj("case_c"), scoped=NOT_ALL_CASES
    ),
    "children:referral_close": Rule(
        frozenset({"case_officer", "health"}), obj("referral_a"), obj("referral_c"), method="post"
    ),
    "children:support_create": Rule(
        frozenset({"case_officer", "health", "mass_org"}),
        # Officers record support on a case; the others on what was referred to their agency.
        data=lambda w, role: (
            {"referral": w["referral_hoiphunu"].pk}
            if role == "mass_org"
            else {"referral": w["referral_yte"].pk}
        ),
    ),
    "children:plan_action_done": Rule(
        frozenset({"case_officer", "health"}), obj("action_a"), obj("action_c"), method="post"
    ),
    "children:tasks": Rule(STAFF | {"health", "mass_org"}),
    "children:attachment_upload": Rule(
        frozenset({"case_officer"}), method="post", data=lambda w, role: {"case": w["case_a"].pk}
    ),
    "children:attachment_download": Rule(
        STAFF | {"health"}, obj("attachment_a"), obj("attachment_c"), scoped=NOT_ALL_CASES
    ),
    # Businesses, inspections, violations, commitments (inspections/DECISIONS.md)
    "inspections:business_list": Rule(BUSINESS_READERS),
    "inspections:business_create": Rule(INSPECTORS),
    "inspections:business_detail": Rule(
        BUSINESS_READERS, obj("business_a"), obj("business_b"), scoped=GROUP_ONLY
    ),
    "inspections:business_edit": Rule(
        INSPECTORS, obj("business_a"), obj("business_b"), scoped=GROUP_ONLY
    ),
    "inspections:business_commitment": Rule(
        INSPECTORS, obj("business_a"), obj("business_b"), scoped=GROUP_ONLY
    ),
    "inspections:commitment_list": Rule(INSPECTORS | {"leadership", "collaborator", "health"}),
    "inspections:household_commitment": Rule(INSPECTORS | {"collaborator"}),
    "inspections:household_search": Rule(INSPECTORS | {"collaborator"}),
    "inspections:commitment_pdf": Rule(
        INSPECTORS | {"leadership", "collaborator", "health"},
        obj("commitment_a"),
        obj("commitment_b"),
        scoped=GROUP_ONLY,
    ),
    "inspections:inspection_list": Rule(INSPECTION_READERS),
    "inspections:inspection_plan": Rule(INSPECTORS),
    "inspections:inspection_detail": Rule(
        INSPECTION_READERS, obj("inspection_a"), obj("inspection_b"), scoped=frozenset()
    ),
    "inspections:inspection_record": Rule(
        INSPECTORS, obj("inspection_a"), obj("inspection_b"), scoped=frozenset()
    ),
    "inspections:inspection_cancel": Rule(
        INSPECTORS, obj("inspection_a"), obj("inspection_b"), scoped=frozenset(), method="post"
    ),
    "inspections:minor_add": Rule(
        INSPECTORS, obj("inspection_a"), obj("inspection_b"), scoped=frozenset()
    ),
    "inspections:child_search": Rule(
        INSPECTORS, obj("inspection_a"), obj("inspection_b"), scoped=frozenset()
    ),
    "inspections:violation_add": Rule(
        INSPECTORS, obj("inspection_a"), obj("inspection_b"), scoped=frozenset()
    ),
    "inspections:violation_list": Rule(INSPECTION_READERS),
    "inspections:violation_edit": Rule(
        INSPECTORS, obj("violation_a"), obj("violation_b"), scoped=frozenset()
    ),
    # Awareness sessions and training
    "outreach:session_list": Rule(SESSION_READERS),
    "outreach:session_create": Rule(SESSION_WRITERS),
    "outreach:session_detail": Rule(
        SESSION_READERS, obj("session_a"), obj("session_b"), scoped=GROUP_ONLY
    ),
    "outreach:session_edit": Rule(
        SESSION_WRITERS, obj("session_a"), obj("session_b"), scoped=GROUP_ONLY
    ),
    "outreach:household_picker": Rule(SESSION_WRITERS),
    "outreach:caregiver_picker": Rule(SESSION_WRITERS),
    "outreach:business_picker": Rule(SESSION_WRITERS),
    "outreach:coverage": Rule(STAFF | {"collaborator"}),
    "outreach:coverage_group": Rule(
        STAFF | {"collaborator"}, obj("group_a"), obj("group_b"), scoped=GROUP_ONLY
    ),
    "outreach:training_list": Rule(STAFF),
    "outreach:training_create": Rule(frozenset({"case_officer"})),
    "outreach:training_detail": Rule(STAFF, obj("training_a")),
    "outreach:training_edit": Rule(frozenset({"case_officer"}), obj("training_a")),
    "outreach:untrained": Rule(STAFF),
    # Imports (case officers) and exports (what each role may see)
    "imports:list": Rule(OFFICER),
    "imports:upload": Rule(OFFICER, method="post"),
    "imports:detail": Rule(OFFICER, obj("import_job"), scoped=frozenset()),
    "imports:progress": Rule(OFFICER, obj("import_job"), scoped=frozenset()),
    "imports:confirm": Rule(OFFICER, obj("import_job"), scoped=frozenset(), method="post"),
    "imports:retry": Rule(OFFICER, obj("import_job"), scoped=frozenset(), method="post"),
    "imports:template": Rule(OFFICER, lambda w: {"kind": "children"}),
    "imports:export_households": Rule(STAFF | {"collaborator"}),
    "imports:export_children": Rule(STAFF | {"collaborator"}),
    "imports:export_businesses": Rule(BUSINESS_READERS),
    "imports:export_aggregates": Rule(ALL),
    # KPIs, dashboards and periodic reports
    "reports:dashboard": Rule(STAFF | {"collaborator"}),
    "reports:recompute": Rule(STAFF, method="post"),
    "reports:recompute_status": Rule(STAFF),
    "reports:drill": Rule(STAFF | {"collaborator"}, lambda w: {"code": "K3", "part": "missing"}),
    "reports:finance": Rule(STAFF | {"finance"}),
    "reports:report_list": Rule(STAFF),
    "reports:report_create": Rule(STAFF),
    "reports:report_detail": Rule(STAFF, obj("report"), scoped=frozenset()),
    "reports:report_status": Rule(STAFF, obj("report"), scoped=frozenset()),
    "reports:report_regenerate": Rule(STAFF, obj("report"), scoped=frozenset(), method="post"),
    "reports:report_edit_text": Rule(STAFF, obj("report"), scoped=frozenset(), method="post"),
    "reports:report_finalize": Rule(
        frozenset({"leadership"}), obj("report"), scoped=frozenset(), method="post"
    ),
    "reports:report_archive": Rule(
        frozenset({"leadership"}), obj("report"), scoped=frozenset(), method="post"
    ),
    "reports:report_download": Rule(STAFF, obj("report"), scoped=frozenset()),
    "reports:report_excel": Rule(STAFF, obj("report"), scoped=frozenset()),
    # Notification centre (each user's own) and the calendar
    "notifications:list": Rule(ALL),
    "notifications:bell": Rule(ALL),
    "notifications:read_all": Rule(ALL, method="post"),
    "notifications:preferences": Rule(ALL),
    "notifications:calendar": Rule(INSPECTION_READERS),
    "notifications:feed_issue": Rule(INSPECTION_READERS, method="post"),
    "notifications:feed_revoke": Rule(INSPECTION_READERS, method="post"),
    # The province's pages (issue 12.3–12.4): none of the ward roles; the province user's own
    # access is checked by test_the_province_user_opens_its_pages below.
    "reports:province_dashboard": Rule(frozenset()),
    "reports:province_kpi": Rule(frozenset(), lambda w: {"code": "K3"}),
    "reports:province_report_list": Rule(frozenset()),
    "reports:province_report_create": Rule(frozenset(), method="post"),
    "reports:province_report_detail": Rule(frozenset(), obj("report"), scoped=frozenset()),
    "reports:province_report_regenerate": Rule(
        frozenset(), obj("report"), scoped=frozenset(), method="post"
    ),
    "reports:province_report_finalize": Rule(
        frozenset(), obj("report"), scoped=frozenset(), method="post"
    ),
    "reports:province_report_download": Rule(frozenset(), obj("report"), scoped=frozenset()),
    # Transfers between wards (issue 12.5): the officers of the two wards only.
    "children:transfer_list": Rule(OFFICER),
    "children:transfer_send": Rule(OFFICER, obj("child_a"), obj("child_b")),
    "children:transfer_detail": Rule(OFFICER, lambda w: {"pk": _transfer(w).pk}),
    "children:transfer_decide": Rule(OFFICER, lambda w: {"pk": _transfer(w).pk}, method="post"),
    # The offline app for door-to-door work, and the officer's list of what came in offline
    "offline_app": Rule(REGISTER),
    "offline_token": Rule(REGISTER),
    "offline_due": Rule(REGISTER),
    "offline_changes": Rule(STAFF),
    # Two-factor sign-in: each user's own enrolment page; turning it off needs a code (without
    # a device the post goes back to the page).
    "two_factor": Rule(ALL),
    "two_factor_disable": Rule(ALL, method="post"),
    # Personal API tokens: everyone's own (another's token is a 404, api/tests/test_web.py)
    "api_tokens:list": Rule(ALL),
    "api_tokens:revoke": Rule(ALL, method="post", data=lambda w, role: {"token": _own_token(role)}),
    # Schools and early warning (issue 14); the school role itself: schools/tests.
    "schools:list": Rule(STAFF),
    "schools:enrol": Rule(OFFICER),
    "schools:class_attendance": Rule(
        STAFF, lambda w: {"pk": w["school"].pk, "class_name": w["enrolment_a"].class_name}
    ),
    "schools:warnings": Rule(STAFF),
    # A month of attendance from Excel, and the class list to fill in (the school role:
    # imports/tests/test_school_attendance.py)
    "imports:school_attendance": Rule(OFFICER),
    "imports:school_attendance_template": Rule(
        OFFICER, data=lambda w, role: {"school": w["school"].pk}
    ),
    "schools:warning_contact": Rule(OFFICER, obj("warning_a")),
    # The yearly screening of households and businesses (issue 14.7)
    "households:screening": Rule(REGISTER),
    "households:screen": Rule(
        REGISTER,
        obj("household_a"),
        obj("household_b"),
        method="post",
        data=lambda w, role: {"at_risk": "0"},
    ),
    "inspections:business_screening": Rule(REGISTER),
    "inspections:business_screen": Rule(
        REGISTER,
        obj("business_a"),
        obj("business_b"),
        method="post",
        data=lambda w, role: {"at_risk": "0"},
        scoped=GROUP_ONLY,
    ),
    "outreach:material_list": Rule(SESSION_READERS),
    "outreach:material_create": Rule(SESSION_WRITERS),
    "children:healthcheck_add": Rule(
        OFFICER | {"health"}, obj("child_a"), obj("child_b"), scoped=SCOPED - {"health"}
    ),
}


def _transfer(world):
    """A transfer of child A from the first ward to a neighbour, sent by its officer."""
    if "transfer" not in world:
        from children.models import Transfer
        from dongnguyen.models import Ward

        to_ward, _ = Ward.objects.get_or_create(
            code="09400", defaults={"name": "Phường Tam Sơn", "province_name": "Bắc Ninh"}
        )
        child = world["child_a"]
        world["transfer"] = Transfer.objects.create(
            child=child,
            from_ward_id=child.household.group.ward_id,
            to_ward=to_ward,
            from_household=child.household,
            child_label=str(child),
        )
    return world["transfer"]


def _own_token(role):
    """A token of the persona of `role` (the first user of that role), to revoke."""
    from django.contrib.auth import get_user_model

    from api.models import ApiToken

    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    user = users.filter(profile__role=role).first() if role else users.first()
    return ApiToken.issue(user=user, name="matrix", days=1)[0].pk if user else ""


# Issue 15: coordination, funding and social mobilization. Their objects are made on first use
# by `_mgmt` (a POST's fresh world gets fresh ones).
MEETING_READERS = STAFF | {"health", "police", "mass_org"}
DONATION_READERS = STAFF | {"finance", "mass_org"}
DONATION_WRITERS = OFFICER | {"mass_org"}
FINANCE_ONLY = frozenset({"finance"})
INPUT_READERS = STAFF | {"health", "police", "collaborator"}


def _mgmt(key):
    def kwargs(world):
        if "mgmt" not in world:
            world["mgmt"] = _make_mgmt(world)
        return {"pk": world["mgmt"][key].pk}

    return kwargs


def _make_mgmt(world):
    from django.core.files.base import ContentFile

    from coordination.models import Meeting, MeetingAction
    from funding.models import BudgetEstimate, Donation, Donor

    meeting = Meeting.objects.create(
        kind="periodic",
        date=date(2026, 1, 5),
        chair="Ông Trần Văn Nam",
        signed_minutes=ContentFile(b"%PDF-1.4 test", name="bb.pdf"),
    )
    action = MeetingAction.objects.create(
        meeting=meeting, what="Rà soát", agency_id=_agency_id("yte"), due_on=date(2026, 1, 20)
    )
    estimate, _created = BudgetEstimate.objects.get_or_create(
        year=2026, activity="awareness", source="state_budget", defaults={"amount_vnd": 1}
    )
    donor = Donor.objects.create(name="Quỹ Khuyến học", kind="organisation")
    donation = Donation.objects.create(
        donor=donor, date=date(2026, 1, 5), amount_vnd=1000, purpose="Học bổng"
    )
    # The health station's input to the first half-year, and a group's (TDP-01, collaborator
    # A's; collaborator B's group is another). A good practice with a file.
    from coordination.models import AgencyInput, Practice, PracticeAttachment

    period = {"period": "2026-H1", "period_start": date(2026, 1, 1)}
    period["period_end"] = date(2026, 6, 30)
    # get_or_create: a POST's fresh world asks again for the same period.
    due = {"defaults": {"due_on": date(2026, 7, 5)}}
    health_input = AgencyInput.objects.get_or_create(kind="health", **period, **due)[0]
    group_input = AgencyInput.objects.get_or_create(
        kind="group", group=world["household_a"].group, **period, **due
    )[0]
    group_input_b = AgencyInput.objects.get_or_create(
        kind="group", group=world["household_b"].group, **period, **due
    )[0]
    practice = Practice.objects.create(
        title="Tủ sách làng nghề", group=world["household_a"].group, description="Mô tả"
    )
    attachment = PracticeAttachment.objects.create(
        practice=practice, file=ContentFile(b"%PDF-1.4 test", name="mh.pdf")
    )
    return {
        "meeting": meeting,
        "action": action,
        "estimate": estimate,
        "donation": donation,
        "health_input": health_input,
        "group_input": group_input,
        "group_input_b": group_input_b,
        "practice": practice,
        "attachment": attachment,
    }


MATRIX.update(
    {
        "coordination:meeting_list": Rule(MEETING_READERS),
        "coordination:meeting_create": Rule(OFFICER),
        "coordination:meeting_detail": Rule(MEETING_READERS, _mgmt("meeting")),
        "coordination:meeting_edit": Rule(OFFICER, _mgmt("meeting")),
        "coordination:meeting_pdf": Rule(MEETING_READERS, _mgmt("meeting")),
        "coordination:meeting_signed": Rule(MEETING_READERS, _mgmt("meeting")),
        "coordination:action_add": Rule(OFFICER, _mgmt("meeting"), method="post"),
        # The officer, or whoever answers for the action (here the health station's).
        "coordination:action_done": Rule(
            frozenset({"case_officer", "health"}), _mgmt("action"), method="post"
        ),
        "funding:estimate_list": Rule(STAFF | FINANCE_ONLY),
        "funding:estimate_create": Rule(FINANCE_ONLY),
        "funding:estimate_edit": Rule(FINANCE_ONLY, _mgmt("estimate")),
        "funding:donation_list": Rule(DONATION_READERS),
        "funding:donation_create": Rule(DONATION_WRITERS),
        "funding:donation_detail": Rule(DONATION_READERS, _mgmt("donation")),
        "funding:donation_edit": Rule(DONATION_WRITERS, _mgmt("donation")),
        "funding:donor_create": Rule(DONATION_WRITERS),
        "reports:budget": Rule(STAFF | FINANCE_ONLY),
        # Agency inputs: the officer and leadership read all; the health station, the police
        # and the collaborators their own (the health station's input is not the police's;
        # group B's input is outside collaborator A's groups).
        "coordination:input_list": Rule(INPUT_READERS),
        "coordination:input_detail": Rule(
            STAFF | {"health"},
            _mgmt("health_input"),
            _mgmt("group_input_b"),
            scoped=frozenset({"health"}),
        ),
        "coordination:input_submit": Rule(
            frozenset({"case_officer", "collaborator"}),
            _mgmt("group_input"),
            _mgmt("group_input_b"),
            method="post",
            data=lambda world, role: {
                "fig_households_visited": "3",
                "fig_meetings": "1",
                "fig_new_at_risk": "0",
                "fig_back_to_school": "0",
                "results": "Thăm hộ",
            },
            scoped=frozenset({"collaborator"}),
        ),
        "reports:report_inputs_request": Rule(
            OFFICER,
            lambda world: {"pk": world["report"].pk},
            method="post",
            data=lambda world, role: {"due_on": "05/07/2026"},
        ),
        # Good practices: every staff role reads, the officer curates.
        "coordination:practice_list": Rule(ALL),
        "coordination:practice_detail": Rule(ALL, _mgmt("practice")),
        "coordination:practice_file": Rule(ALL, _mgmt("attachment")),
        "coordination:practice_create": Rule(OFFICER),
        "coordination:practice_edit": Rule(OFFICER, _mgmt("practice")),
        "coordination:practice_attach": Rule(
            OFFICER,
            _mgmt("practice"),
            method="post",
            data=lambda world, role: {
                "file": SimpleUploadedFile("them.pdf", b"%PDF-1.4 them", "application/pdf")
            },
        ),
    }
)

EXEMPT = {
    "login": "public: the login page itself",
    "login_code": "public: the code step of sign-in, for whoever just passed the password "
    "(without that, back to the login page: tests/test_two_factor.py)",
    "logout": "POST only; logs out whoever is signed in",
    "healthz": "public liveness probe for the load balancer, no data",
    "set_language": "public: switches the interface language",
    "javascript-catalog": "public: translations for scripts",
    "notifications:open": "the user's own notification only; another's is a 404 "
    "(notifications/tests/test_views.py)",
    "notifications:feed": "public by secret token, no login (notifications/tests/test_calendar.py)",
    "service_worker": "public: the offline app's service worker script, no data",
    "manifest": "public: the offline app's web manifest, no data",
}


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # Django admin: staff/superuser only, Django's own checks
                if p.namespace == "api":
                    continue  # the REST API: its own hand-written matrix, api/tests/test_scope.py
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return names


def test_it_declares_who_may_use_every_url():
    missing = sorted(all_url_names() - set(MATRIX) - set(EXEMPT))
    assert not missing, f"URLs with no access rule in tests/test_access_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - all_url_names())
    assert not stale, f"rules for URLs that no longer exist: {stale}"


@pytest.fixture
def world(personas, group_a, group_b, officer):
    return make_world(group_a, group_b, officer)


def make_world(group_a, group_b, officer):
    """Objects of each kind on two sides.

    Side A is inside every scoped role's view: child A lives in collaborator A's group, is at
    risk, came in through a police report, and is referred to the health station and the
    women's union, with a case. Side B is in group B and linked to nothing: child B has no
    case, report or referral. Child C (group B) has a case but nothing else, so it is outside
    everyone's scope except the roles that read every case (officers, leadership, the health
    station by design)."""
    from django.core.files.base import ContentFile

    from children.models import Attachment, Referral
    from imports.models import ImportJob
    from inspections.models import Commitment
    from reports.models import Report

    w = {
        "household_a": HouseholdFactory(group=group_a),
        "household_b": HouseholdFactory(group=group_b),
    }
    w["child_a"] = ChildFactory(household=w["household_a"], at_risk=True)
    w["child_b"] = ChildFactory(household=w["household_b"])
    w["child_c"] = ChildFactory(household=w["household_b"])
    for side in ("a", "b"):
        household, child = w[f"household_{side}"], w[f"child_{side}"]
        w[f"caregiver_{side}"] = household.caregivers.create(name="Lê Thị Mẹ", relation="Mẹ")
        w[f"work_{side}"] = WorkRecordFactory(child=child, business=None)
    w["intake_a"] = IntakeFactory(child=w["child_a"], channel="police")
    w["intake_b"] = IntakeFactory(channel="phone", group=group_b)
    for agency in ("yte", "hoiphunu"):
        w[f"referral_{agency}"] = Referral.objects.create(
            child=w["child_a"], agency_id=_agency_id(agency), referred_by=officer
        )
    w["referral_a"] = w["referral_yte"]
    for side, child, agency in (("a", w["child_a"], "yte"), ("c", w["child_c"], "hoiphunu")):
        case = w[f"case_{side}"] = CaseFactory(child=child)
        w[f"action_{side}"] = case.actions.create(
            action="Khám sức khỏe", agency_id=_agency_id(agency), due_on=case.received_at.date()
        )
        w[f"attachment_{side}"] = Attachment.objects.create(
            child=child,
            case=case,
            file=ContentFile(b"%PDF-1.4 test", name="bien-ban.pdf"),
            kind="minutes",
            original_name="bien-ban.pdf",
            content_type="application/pdf",
            size=13,
        )
    for side in ("a", "b"):
        group = w[f"household_{side}"].group
        w[f"group_{side}"] = group
        business = w[f"business_{side}"] = BusinessFactory(group=group)
        w[f"commitment_{side}"] = Commitment.objects.create(business=business)
        inspection = w[f"inspection_{side}"] = InspectionFactory(business=business)
        w[f"violation_{side}"] = ViolationFactory(inspection=inspection)
        w[f"session_{side}"] = OutreachSessionFactory(group=group)
    w["training_a"] = TrainingFactory()
    # One report per kind and period: a fresh world replaces the previous one's report.
    Report.objects.filter(kind="semiannual", period="2026-H1").delete()
    year = 2026
    w["report"] = Report.objects.create(
        kind="semiannual",
        period=f"{year}-H1",
        period_start=date(year, 1, 1),
        period_end=date(year, 6, 30),
        status="ready",
        created_by=officer,
        pdf=ContentFile(b"%PDF-1.4 test", name="bao-cao.pdf"),
    )
    w["report"].data = _world_report_data(w["report"].period)
    w["report"].save(update_fields=["data"])
    w["import_job"] = ImportJob.objects.create(
        kind="households",
        file=ContentFile(b"a,b", name="ho.csv"),
        original_name="ho.csv",
        uploaded_by=officer,
    )
    w["referral_c"] = Referral.objects.create(
        child=w["child_c"], agency_id=_agency_id("mttq"), referred_by=officer
    )
    _schools_world(w)
    return w


# The frozen numbers of the world's report, computed once per test process and day: every
# world is made of the same records on the same personas (only their ids differ, and the
# numbers name none), so the KPI computation, more than half of the time it takes to make a
# world, need not run again for each of the ~600 worlds the suite makes. A POST rule's fresh
# worlds, one per role, carry the numbers of one world, as the report they replace did.
_REPORT_DATA: dict[tuple[str, date], dict] = {}


def _world_report_data(period: str) -> dict:
    from django.utils import timezone

    from reports.periods import parse_period
    from reports.services import report_data

    key = (period, timezone.localdate())
    if key not in _REPORT_DATA:
        _REPORT_DATA[key] = report_data(parse_period(period))
    return copy.deepcopy(_REPORT_DATA[key])


def _schools_world(w):
    from schools.models import EarlyWarning, Enrolment, School

    w["school"], _new = School.objects.get_or_create(
        name="Trường THCS Đồng Nguyên", level="lower_secondary"
    )
    w["enrolment_a"] = Enrolment.objects.create(
        child=w["child_a"], school=w["school"], class_name="7A"
    )
    w["warning_a"] = EarlyWarning.objects.create(
        child=w["child_a"],
        raised_on=date(2026, 10, 5),
        rule="unexcused_month",
        month=date(2026, 9, 1),
    )


def _agency_id(code):
    from dongnguyen.models import Agency

    return Agency.objects.get(code=code).pk


def _request(client, rule: Rule, url: str, world: dict, role: str | None = None):
    data = rule.data(world, role) if rule.data else {}
    return client.post(url, data) if rule.method == "post" else client.get(url, data)


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_enforces_the_access_matrix(client, personas, world, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    problems = []

    anonymous = _request(client, rule, url, world)
    if not rule.public and not _sent_to_login(anonymous):
        problems.append(f"anonymous got {anonymous.status_code}, expected the login page")

    for role in sorted(ALL):
        if rule.method == "post":
            # A POST may delete or change its object: every role gets fresh ones.
            world = make_world(
                world["household_a"].group, world["household_b"].group, personas["case_officer"]
            )
            url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        client.force_login(personas[role])
        response = _request(client, rule, url, world, role)
        allowed = role in rule.allow
        if allowed and (response.status_code in (403, 404) or _sent_to_login(response)):
            problems.append(f"{role} is allowed but got {response.status_code}")
        if not allowed and response.status_code not in (403, 404):
            problems.append(f"{role} is not allowed but got {response.status_code}")
        if rule.outside:
            out_url = reverse(name, kwargs=rule.outside(world))
            out = _request(client, rule, out_url, world, role)
            expect_ok = allowed and role not in rule.scoped
            if expect_ok and out.status_code in (403, 404):
                problems.append(
                    f"{role} should see the out-of-group object but got {out.status_code}"
                )
            if not expect_ok and out.status_code not in (403, 404):
                problems.append(f"{role} saw an object outside its scope ({out.status_code})")
        client.logout()
    assert not problems, f"{name}: " + "; ".join(problems)


# ---------------------------------------------------------------------------------------------
# The province role (issue 12.3): its own pages open; no page of personal data does.

PROVINCE_PAGES = {
    "reports:province_dashboard": None,
    "reports:province_kpi": {"code": "K3"},
    "reports:province_report_list": None,
    "reports:province_report_detail": "pk",
    "reports:province_report_download": "pk",
}
NOT_FOR_PROVINCE = [
    "households:list",
    "children:list",
    "children:case_list",
    "children:intake_list",
    "children:tasks",
    "reports:dashboard",
    "reports:report_list",
    "access_log",
]


def test_the_province_user_opens_its_pages_and_no_personal_data(client, db):
    from django.core.files.base import ContentFile

    from dongnguyen.roles import Role
    from dongnguyen.services import user_set_role
    from reports.models import Report

    from .factories import UserFactory

    user = UserFactory(username="tinh")
    profile = user_set_role(user=user, role=Role.PROVINCE)
    profile.ward = None
    profile.save(update_fields=["ward"])
    report = Report.objects.create(
        kind="annual",
        period="2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        scope=Report.Scope.PROVINCE,
        ward=None,
        status="ready",
        pdf=ContentFile(b"%PDF-1.4 test", name="tinh.pdf"),
    )
    client.force_login(user)
    for name, kwargs in PROVINCE_PAGES.items():
        kwargs = {"pk": report.pk} if kwargs == "pk" else kwargs
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
    for name in NOT_FOR_PROVINCE:
        assert client.get(reverse(name)).status_code in (403, 404), name


# The ward dimension (issue 12): every object of the first ward is a 404 for the staff of
# another ward of the province, whatever their role allows in their own ward.

OTHER_WARD_ROLES = ("case_officer", "collaborator", "leadership")
# URLs whose arguments are not an object of the ward (a template kind, a KPI code).
NOT_AN_OBJECT = {"imports:template", "reports:drill", "help_page", "help_image"}
WITH_OBJECT = sorted(
    name for name, rule in MATRIX.items() if rule.kwargs and name not in NOT_AN_OBJECT
)


@pytest.fixture
def other_ward_staff(db):
    from dongnguyen.models import Agency, Ward
    from dongnguyen.services import user_set_role

    from .factories import GroupFactory, UserFactory

    Ward.first()  # the first ward exists before its neighbour (after a flush too)
    ward = Ward.objects.create(code="09412", name="Vân Hà", province_name="Bắc Ninh")
    # The same group code as the first ward's: codes are unique per ward only.
    group = GroupFactory(code="TDP-01", name="Vân Hà 1", ward=ward)
    staff = {}
    for role, agency in (("case_officer", "vhxh"), ("collaborator", "tdp"), ("leadership", "ubnd")):
        user = staff[role] = UserFactory(username=f"{role}_vanha")
        user_set_role(
            user=user,
            role=role,
            agency=Agency.objects.get(code=agency),
            ward=ward,
            groups=[group] if role == "collaborator" else [],
        )
    return staff


@pytest.mark.parametrize("name", WITH_OBJECT)
def test_another_wards_staff_get_a_404_on_our_objects(client, world, other_ward_staff, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    problems = []
    for role in OTHER_WARD_ROLES:
        client.force_login(other_ward_staff[role])
        response = _request(client, rule, url, world, role)
        if role in rule.allow and response.status_code != 404:
            problems.append(f"{role} of another ward got {response.status_code}, expected 404")
        if role not in rule.allow and response.status_code not in (403, 404):
            problems.append(f"{role} of another ward got {response.status_code}")
        client.logout()
    assert not problems, f"{name}: " + "; ".join(problems)
