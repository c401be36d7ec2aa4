"""Who may do what, declared once (DESIGN.md "Rules in one place").

ACTIONS maps an action name to the roles that may perform it; TRANSITIONS lists each step of a
case (from which statuses, to which status, by which roles). Views (`permission_required`),
services (`require`), the menu, the home tiles and the templates (`{% load access %}`) all
read these two tables, so a role gains or loses an action here and nowhere else.

Scope is not decided here: which child, case or group a user may see is each model's
`for_user(user)`, and out-of-scope objects stay a 404. The hand-written spec of the result is
tests/test_access_matrix.py; it is deliberately not generated from this file.

The case statuses are written as their codes: the core imports no domain app
(children.models.Case.Status holds the same codes; a test keeps the two in step).
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .errors import ServiceError
from .roles import Role, role_of

R = Role
ALL = frozenset(R.values)
STAFF = frozenset({R.LEADERSHIP, R.CASE_OFFICER})
OFFICER = frozenset({R.CASE_OFFICER})
# The register's keepers: the VH-XH officer and the collaborators of the residential groups.
REGISTER = frozenset({R.CASE_OFFICER, R.COLLABORATOR})
# The agencies children are referred to (they act on what is referred to them).
REFERRAL_AGENCIES = frozenset({R.HEALTH, R.MASS_ORG})
# Those who take and verify tips and record inspections.
INSPECTORS = frozenset({R.CASE_OFFICER, R.POLICE})

# A case at one of these steps is being worked on (assessed, not closed).
_WORKED = ("assessed", "plan_drafted", "plan_approved", "in_progress", "monitoring")
_OPEN = ("received", *_WORKED)
# `to` of a step that leaves the case at its status, and of the reopening, which goes back
# to the step the case was closed from.
SAME = "same"
PREVIOUS = "previous"


@dataclass(frozen=True)
class Transition:
    step: str
    sources: tuple[str, ...]
    to: str
    roles: frozenset


TRANSITIONS: dict[str, Transition] = {
    t.step: t
    for t in (
        # Decree 56: initial assessment within 12 hours, the plan within 5 working days,
        # approved by the ward's leadership (art. 28(2)), carried out, monitored, closed.
        Transition("assess", ("received",), "assessed", OFFICER),
        # A draft may be revised until approved; after a review a new plan goes back for approval.
        Transition(
            "plan",
            ("assessed", "plan_drafted", "in_progress", "monitoring"),
            "plan_drafted",
            OFFICER,
        ),
        Transition("approve", ("plan_drafted",), "plan_approved", frozenset({R.LEADERSHIP})),
        # Leadership may instead send the draft back to the officer with what to change.
        Transition("send_back", ("plan_drafted",), "assessed", frozenset({R.LEADERSHIP})),
        Transition("start", ("plan_approved",), "in_progress", OFFICER),
        Transition("monitor", ("in_progress",), "monitoring", OFFICER),
        # Closing as "unfounded" is further limited to "assessed" by case_close itself.
        Transition("close", _WORKED, "closed", OFFICER),
        Transition("reopen", ("closed",), PREVIOUS, OFFICER),
        # Work on a case that leaves it at its step.
        Transition("assign", _OPEN, SAME, OFFICER),
        Transition("refer", _OPEN, SAME, OFFICER),
        Transition("follow_up", _WORKED, SAME, OFFICER),
        Transition("support", _WORKED, SAME, OFFICER),
        # The responsible agency (or the officer) marks an action of the approved plan done.
        Transition(
            "action_done",
            ("plan_approved", "in_progress", "monitoring"),
            SAME,
            OFFICER | REFERRAL_AGENCIES,
        ),
    )
}

# The steps the case page posts to children:case_step.
CASE_STEP_FORM = ("assign", "approve", "start", "monitor", "reopen", "send_back")

ACTIONS: dict[str, frozenset] = {
    "home.view": ALL,
    # Households: the register's pages; other roles reach a household through a child.
    "household.view": STAFF | {R.COLLABORATOR},
    "household.edit": REGISTER,
    # Children: every role but finance and the province (no personal data) reads the
    # children in its scope.
    "child.view": ALL - {R.FINANCE, R.PROVINCE},
    "child.edit": REGISTER,
    "child.screen": REGISTER,
    # The yearly screening of the whole register covers households and businesses too (II.2):
    # the officer and the collaborators who go door to door.
    "household.screen": REGISTER,
    "business.screen": REGISTER,
    "child.merge": OFFICER,
    # Mass organisations see a referred child's name, group and needs: not the work records,
    # caregivers, documents or history.
    "child.view_full": ALL - {R.FINANCE, R.MASS_ORG, R.PROVINCE},
    "attachment.upload": REGISTER,
    "followup.record": REGISTER | REFERRAL_AGENCIES,
    # Intake reports (tips): the police verify them; collaborators report their own groups'.
    # The health station and mass organisations report children they detect (channel "agency").
    "intake.record": STAFF | {R.POLICE, R.COLLABORATOR} | REFERRAL_AGENCIES,
    # The health station and mass organisations read the reports about children in scope.
    "intake.view": STAFF | {R.POLICE, R.COLLABORATOR} | REFERRAL_AGENCIES,
    "intake.edit": INSPECTORS,
    "intake.triage": OFFICER,
    # The reporter's identity stays with those who act on the report.
    "intake.reporter": STAFF | {R.POLICE},
    "intake.deadlines": STAFF | {R.POLICE},
    # Case files: not the police's (they hand what they find to the officer).
    "case.view": STAFF | REFERRAL_AGENCIES,
    # Mass organisations get a reduced view of what is referred to them.
    "case.view_full": STAFF | {R.HEALTH},
    "case.open": OFFICER,
    # Works on every case and referral of the ward (the agencies only on what is theirs).
    "case.work": OFFICER,
    "case.attach": OFFICER,
    "case.sheet": STAFF | {R.HEALTH},
    "case.deadlines": STAFF,
    "tasks.view": STAFF | REFERRAL_AGENCIES,
    "referral.receive": REFERRAL_AGENCIES,
    "referral.close": OFFICER | REFERRAL_AGENCIES,
    "support.record": OFFICER | REFERRAL_AGENCIES,
    # Businesses, inspections, violations, commitments.
    "business.view": STAFF | {R.POLICE, R.HEALTH, R.COLLABORATOR},
    "business.edit": INSPECTORS,
    "inspection.view": STAFF | {R.POLICE, R.HEALTH},
    "inspection.edit": INSPECTORS,
    "inspection.deadlines": STAFF | {R.POLICE},
    # Who can sit on an inspection team.
    "inspection.join": INSPECTORS | {R.HEALTH},
    "commitment.household": INSPECTORS | {R.COLLABORATOR},
    # Awareness sessions and training.
    # The police take part in awareness work (plan IV.3); the public service centre runs
    # awareness and supports the collaborators of its groups (issue 14).
    "session.view": STAFF | {R.COLLABORATOR, R.POLICE, R.SERVICE_CENTRE} | REFERRAL_AGENCIES,
    "session.edit": OFFICER | {R.COLLABORATOR, R.POLICE, R.SERVICE_CENTRE} | REFERRAL_AGENCIES,
    "coverage.view": STAFF | {R.COLLABORATOR, R.SERVICE_CENTRE},
    "training.view": STAFF,
    "training.edit": OFFICER,
    # KPIs, dashboards, periodic reports.
    "dashboard.view": STAFF | {R.COLLABORATOR},
    "kpi.recompute": STAFF,
    "kpi.targets": frozenset({R.LEADERSHIP}),
    "finance.view": STAFF | {R.FINANCE},
    "finance.summary": frozenset({R.FINANCE}),
    "report.view": STAFF,
    "report.edit": STAFF,
    "report.finalize": frozenset({R.LEADERSHIP}),
    # Imports (the officer) and exports: a list export is personal data, so only the roles
    # that keep that register take it away (finance works with aggregates only; the police,
    # health station and mass organisations read children one by one through their referrals
    # and cases, never the whole list); aggregates are for everyone.
    "import.run": OFFICER,
    "export.registers": STAFF | {R.COLLABORATOR},
    "export.businesses": STAFF | {R.COLLABORATOR, R.POLICE, R.HEALTH},
    "export.aggregates": ALL,
    # Notifications: every user has a bell; the deadline calendar and its private feed are
    # for those who have deadlines (officers, leadership, police, health station).
    "calendar.view": STAFF | {R.POLICE, R.HEALTH},
    # The access log: who looked at which child (the child's page) and the log's search page.
    "accesslog.view": STAFF,
    # The province (issue 12): every ward's KPIs, snapshots and finalized reports, the province
    # dashboard and report; never personal data (none of the actions above is theirs).
    "province.dashboard": frozenset({R.PROVINCE}),
    "province.reports": frozenset({R.PROVINCE}),
    "province.report_edit": frozenset({R.PROVINCE}),
    # Transfers of a child between wards: the sending ward's officer sends, the receiving
    # ward's officer accepts or refuses (both sides needed).
    "transfer.view": OFFICER,
    "transfer.send": OFFICER,
    "transfer.decide": OFFICER,
    # Offline door-to-door entry (the installable app) and the list of what came in offline.
    "offline.use": REGISTER,
    "offline.review": STAFF,
    # Schools (issue 14): a school's focal teacher keeps their pupils' attendance; the officer
    # keeps the school register and answers the early warnings (leadership watches them).
    "school.view": STAFF | {R.SCHOOL},
    "school.enrol": OFFICER,
    "attendance.record": OFFICER | {R.SCHOOL},
    "warning.view": STAFF,
    "warning.contact": OFFICER,
    # Health checks (issue 14): health data for the health station, the officer, leadership.
    "health.view": STAFF | {R.HEALTH},
    "health.record": OFFICER | {R.HEALTH},
    # Leaflets, posters, banners, booklets, broadcasts: counts, read by whoever reads sessions.
    "material.view": STAFF | {R.COLLABORATOR, R.POLICE, R.SERVICE_CENTRE} | REFERRAL_AGENCIES,
    "material.record": OFFICER | {R.COLLABORATOR, R.POLICE, R.SERVICE_CENTRE} | REFERRAL_AGENCIES,
    # Issue 15 (coordination, funding, social mobilization, agency inputs, good practices).
    # Meetings: the agencies that sit on them read them (case conferences only with the case);
    # the VH-XH officer keeps the minutes; whoever is responsible for an action closes it.
    "meeting.view": STAFF | {R.HEALTH, R.POLICE, R.MASS_ORG},
    "meeting.edit": OFFICER,
    "meeting.action_done": STAFF | {R.HEALTH, R.POLICE, R.MASS_ORG},
    # The yearly estimate: the Economy office (finance) keeps and checks it (plan III, IV.4).
    "budget.view": STAFF | {R.FINANCE},
    "budget.edit": frozenset({R.FINANCE}),
    # Donors and donations (plan III, IV.6): mass organisations mobilise and record them.
    "donation.view": STAFF | {R.FINANCE, R.MASS_ORG},
    "donation.edit": OFFICER | {R.MASS_ORG},
    # Agency inputs to the periodic report (plan IV.2, IV.3, IV.5): the officer asks for them
    # and reads them all; the health station, the police and each group's collaborators fill
    # their own (the officer may fill one on an agency's behalf).
    "agency_input.view": STAFF | {R.HEALTH, R.POLICE, R.COLLABORATOR},
    "agency_input.manage": OFFICER,
    "agency_input.fill": OFFICER | {R.HEALTH, R.POLICE, R.COLLABORATOR},
    # Good practices (plan II.5): every staff role of a ward reads them, the officer curates.
    "practice.view": ALL - {R.PROVINCE},
    "practice.edit": OFFICER,
}
# Each case step is an action too ("case.assess", …, for the services' require()), read from
# TRANSITIONS; "case.step" (the form that posts several steps) is the union of its steps.


class NotPermitted(ServiceError, PermissionDenied):
    """The user's role may not perform the action. A ServiceError like every refusal of a
    service, and a PermissionDenied, so a view that lets it through answers 403."""


def roles_for(action: str) -> frozenset:
    """The roles that may perform the action."""
    if action in ACTIONS:
        return ACTIONS[action]
    if action == "case.step":
        return frozenset().union(*(TRANSITIONS[step].roles for step in CASE_STEP_FORM))
    step = action.removeprefix("case.")
    if action.startswith("case.") and step in TRANSITIONS:
        return TRANSITIONS[step].roles
    # A mistyped action name must fail loudly, never read as "nobody may".
    raise KeyError(f"unknown action {action!r} (dongnguyen/permissions.py ACTIONS)")


def may(user, action: str) -> bool:
    """May this user (by role) perform the action? Scope is checked separately (for_user)."""
    return role_of(user) in roles_for(action)


def require(user, action: str) -> str:
    """For services: the user's role if it may perform the action, else NotPermitted."""
    role = role_of(user)
    if role not in roles_for(action):
        raise NotPermitted(_("Anh/chị không có quyền thực hiện thao tác này."), code="permission")
    return role


def can_move(user, case_or_status, step: str) -> bool:
    """May this user take the case (or a case at this status) through the step now?"""
    transition = TRANSITIONS[step]
    status = getattr(case_or_status, "status", case_or_status)
    return status in transition.sources and role_of(user) in transition.roles


def permission_required(action: str):
    """View decorator: signed-in users whose role may perform the action; anonymous users go
    to the login page, other roles get 403 (objects outside their scope stay 404 in the view)."""
    roles_for(action)  # fail at import time on a mistyped name

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not may(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
