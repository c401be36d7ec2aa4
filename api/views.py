"""The API's endpoints: the same scope (`for_user`), the same actions (dongnguyen/permissions.py)
and the same access log as the pages; writes go through the pages' forms and services
(writes.py)."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from children.catalogue import load_catalogue
from children.filters import ChildFilter
from children.models import Case, Child, FollowUp, IntakeReport, Screening, Support, WorkRecord
from dongnguyen.errors import StaleVersionError
from dongnguyen.permissions import may
from dongnguyen.roles import Role, in_ward, role_of, ward_of
from dongnguyen.services import access_log
from households.filters import HouseholdFilter
from households.models import Caregiver, Household, ResidentialGroup
from inspections.filters import BusinessFilter
from inspections.models import Business, Inspection, Violation
from outreach.models import OutreachSession, Training

from . import serializers as s
from . import writes_more as w
from .models import ApiToken
from .writes import (
    IF_MATCH,
    FormCreateMixin,
    FormWriteMixin,
    business_writer,
    child_writer,
    form_errors,
    household_writer,
    if_match_version,
    service_errors,
)


class MayAction(permissions.BasePermission):
    """The role may perform the page's action (reads: `view_action`, writes: `edit_action`);
    a role without the page has no endpoint either (403). Scope stays the queryset's (404)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            action = view.view_action
        else:
            # A write's own action when its page differs (create vs update), else edit_action.
            step = "update" if view.action == "partial_update" else view.action
            action = getattr(view, "write_actions", {}).get(step) or getattr(
                view, "edit_action", None
            )
            if action is None:
                return False
        return may(request.user, action)


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A read-only endpoint over `model.objects.for_user(user)`. Every read of personal data
    (a record, or a page of a list) writes one AccessLog row, as the pages do."""

    model = None
    view_action = ""
    permission_classes = [permissions.IsAuthenticated, MayAction]
    related = ()
    prefetch = ()
    personal = True
    ordering = ["pk"]

    def get_queryset(self):
        qs = self.model.objects.for_user(self.request.user)
        if self.related:
            qs = qs.select_related(*self.related)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs.order_by(*self.ordering)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if self.personal:
            access_log(request, obj, "view", detail="API")
        return etagged(Response(self.get_serializer(obj).data), obj)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.personal:
            count = response.data.get("count") if isinstance(response.data, dict) else None
            access_log(
                request,
                None,
                "view",
                detail=f"API {self.basename}: {count} {_('bản ghi')}",
            )
        return response


def etagged(response, obj):
    """ETag = the record's version (dongnguyen/versioning.py), for If-Match on writes."""
    version = getattr(obj, "version", None)
    if version is not None:
        response["ETag"] = f'"{version}"'
    return response


def write_schema(write_serializer, read_serializer, update_serializer=None):
    """The schema of a FormWriteMixin's create and updates: the form's fields in, the record
    out; 400 field errors, 412 with the current record when the If-Match is stale."""
    errors = OpenApiResponse(description="Lỗi theo từng trường: {trường: [thông báo]}")
    stale = OpenApiResponse(description="Phiên bản cũ: {detail, current: bản ghi hiện tại}")
    update = extend_schema(
        request=update_serializer or write_serializer,
        parameters=[IF_MATCH],
        responses={200: read_serializer, 400: errors, 412: stale, 428: errors},
    )
    create = extend_schema(
        request=write_serializer,
        responses={200: read_serializer, 201: read_serializer, 400: errors},
    )

    def decorate(view):
        updates = {"update": update, "partial_update": update} if hasattr(view, "update") else {}
        return extend_schema_view(create=create, **updates)(view)

    return decorate


@write_schema(s.HouseholdWriteSerializer, s.HouseholdSerializer)
class HouseholdViewSet(FormWriteMixin, ScopedViewSet):
    model = Household
    serializer_class = s.HouseholdSerializer
    view_action = "household.view"
    edit_action = "household.edit"
    related = ("group",)
    filterset_class = HouseholdFilter
    ordering_fields = ["code", "head_name", "updated_at"]
    ordering = ["code"]
    writer = household_writer


@write_schema(s.ChildWriteSerializer, s.ChildSerializer)
class ChildViewSet(FormWriteMixin, ScopedViewSet):
    model = Child
    view_action = "child.view"
    edit_action = "child.edit"
    related = ("household__group",)
    prefetch = ("special_groups",)
    filterset_class = ChildFilter
    ordering_fields = ["search_name", "birth_date", "updated_at"]
    ordering = ["search_name", "pk"]
    writer = child_writer

    def get_serializer_class(self):
        # Mass organisations see a referred child's name, group and needs only.
        if may(self.request.user, "child.view_full") or getattr(self, "swagger_fake_view", False):
            return s.ChildSerializer
        return s.ChildLimitedSerializer


@write_schema(s.WorkRecordWriteSerializer, s.WorkRecordSerializer)
class WorkRecordViewSet(FormWriteMixin, ScopedViewSet):
    """Work records with the labour-law assessment (the child's page shows them to the roles
    that see a child in full)."""

    model = WorkRecord
    serializer_class = s.WorkRecordSerializer
    view_action = "child.view_full"
    related = ("child", "business")
    filterset_fields = ["child", "business", "lawful"]
    edit_action = "child.edit"
    writer = w.workrecord_writer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "catalogue": load_catalogue()}


@write_schema(s.IntakeWriteSerializer, s.IntakeReportSerializer, s.IntakeEditSerializer)
class IntakeReportViewSet(FormWriteMixin, ScopedViewSet):
    model = IntakeReport
    write_actions = {"create": "intake.record", "update": "intake.edit"}
    writer = w.intake_writer
    serializer_class = s.IntakeReportSerializer
    # The tips' list page's action (those who take tips); for_user scopes the rest.
    view_action = "intake.record"
    filterset_fields = ["status", "channel", "group"]
    ordering = ["-received_at", "pk"]

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "see_reporter": may(self.request.user, "intake.reporter"),
        }


class CaseViewSet(ScopedViewSet):
    model = Case
    serializer_class = s.CaseSerializer
    view_action = "case.view"
    filterset_fields = ["status", "risk_level", "child"]
    ordering = ["-received_at", "pk"]

    # The case page's step form (one form, several steps, each with its own roles).
    edit_action = "case.step"

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "full": may(self.request.user, "case.view_full"),
        }

    @extend_schema(
        request=s.CaseStepSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CaseSerializer, 400: OpenApiResponse(), 412: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"], url_path="steps")
    def steps(self, request, pk=None, format=None):
        """Take the case through a step, as the case page's buttons do (children:case_step):
        assign (to oneself), approve, start, monitor, reopen. The step's roles and the case's
        status are checked by the same services; If-Match carries the version read."""
        from children import services as case_services
        from children.forms_cases import VersionForm

        case = self.get_object()
        expected = if_match_version(request)
        data = request.data if hasattr(request.data, "get") else {}
        step = str(data.get("step", ""))
        services = {
            "approve": case_services.case_plan_approve,
            "start": case_services.case_start,
            "monitor": case_services.case_monitor,
            "reopen": case_services.case_reopen,
        }
        if step not in (*services, "assign"):
            raise ValidationError({"step": [_("Thao tác không hợp lệ.")]})
        if not may(request.user, f"case.{step}"):
            raise PermissionDenied
        form = VersionForm({"version": expected, "note": data.get("note", "")})
        if not form.is_valid():
            raise ValidationError(form_errors(form.errors))
        note = form.cleaned_data["note"]
        try:
            if step == "assign":
                case_services.case_assign(
                    case=case, by=request.user, version=expected, assigned_to=request.user
                )
            else:
                services[step](case=case, by=request.user, version=expected, note=note)
        except StaleVersionError:
            return self._stale(case)
        except DjangoValidationError as exc:
            raise ValidationError(service_errors(exc, form)) from None
        case = self.get_queryset().get(pk=case.pk)
        return etagged(Response(self.get_serializer(case).data), case)

    # The case page's other forms, one action each, with the step's roles (TRANSITIONS).
    write_actions = {
        "assess": "case.assess",
        "plan": "case.plan",
        "close": "case.close",
        "refer": "case.refer",
        "follow_up": "case.follow_up",
        "support": "case.support",
    }

    def _full_case(self):
        """As the case page's forms (children.views.cases._case_for): the full case only."""
        case = self.get_object()
        if not may(self.request.user, "case.view_full"):
            raise NotFound
        return case

    def _versioned_step(self, request, form_class, call):
        """A step whose service takes the version read (If-Match): the page's form, the
        service, 412 with the current case when stale."""
        case = self._full_case()
        expected = if_match_version(request)
        data = self._body(request)
        form = form_class({**data, "version": expected})
        extra_errors = {}
        parts = None
        if hasattr(call, "parts"):
            parts, extra_errors = call.parts(data)
        if not form.is_valid() or extra_errors:
            raise ValidationError({**form_errors(form.errors), **extra_errors})
        try:
            call(case, form.cleaned_data, parts)
        except StaleVersionError:
            return self._stale(case)
        except DjangoValidationError as exc:
            raise ValidationError(service_errors(exc, form)) from None
        case = self.get_queryset().get(pk=case.pk)
        return etagged(Response(self.get_serializer(case).data), case)

    @staticmethod
    def _body(request) -> dict:
        if not hasattr(request.data, "items"):
            raise ValidationError(
                {"non_field_errors": [_("Nội dung gửi lên phải là một đối tượng JSON.")]}
            )
        return {k: v for k, v in request.data.items() if k != "version"}

    @staticmethod
    def _rows(data, key, form_class):
        """The rows of a page's formset (assessment items, plan actions) as a JSON list."""
        rows = data.get(key) or []
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            return None, {key: [_("Cần một danh sách các đối tượng JSON.")]}
        forms_ = [form_class(row) for row in rows]
        if all(f.is_valid() for f in forms_):
            return [f.cleaned_data for f in forms_ if any(f.cleaned_data.values())], {}
        return None, {key: [form_errors(f.errors) for f in forms_]}

    @extend_schema(
        request=s.CaseAssessSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CaseSerializer, 400: OpenApiResponse(), 412: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None, format=None):
        """The initial assessment (Decree 56, within 12 hours), as the case's assess page."""
        from children import services as case_services
        from children.forms_cases import AssessForm, AssessItemForm

        def call(case, data, items):
            case_services.case_assess(
                case=case,
                by=request.user,
                version=data["version"],
                risk_level=data["risk_level"],
                emergency=data["emergency"],
                notes=data["note"],
                items=items,
            )

        call.parts = lambda data: self._rows(data, "items", AssessItemForm)
        return self._versioned_step(request, AssessForm, call)

    @extend_schema(
        request=s.CasePlanSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CaseSerializer, 400: OpenApiResponse(), 412: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None, format=None):
        """Draft (or revise) the support plan, for the leadership to approve."""
        from children import services as case_services
        from children.forms_cases import PlanActionForm, PlanForm

        def call(case, data, actions):
            case_services.case_plan_draft(
                case=case,
                by=request.user,
                version=data["version"],
                goal=data["goal"],
                actions=actions,
            )

        call.parts = lambda data: self._rows(data, "actions", PlanActionForm)
        return self._versioned_step(request, PlanForm, call)

    @extend_schema(
        request=s.CaseCloseSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CaseSerializer, 400: OpenApiResponse(), 412: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, format=None):
        """Close the case with its outcome (the withdrawn outcome needs its evidence)."""
        from children import services as case_services
        from children.forms_cases import CloseForm

        def call(case, data, _parts):
            case_services.case_close(
                case=case,
                by=request.user,
                version=data["version"],
                outcome=data["outcome"],
                note=data["note"],
            )

        return self._versioned_step(request, CloseForm, call)

    def _unversioned_step(self, request, step, form, call):
        """Refer, follow up, support: the page's form and service; no version is read (the
        case is not rewritten), the step must suit the case's status (TRANSITIONS)."""
        from dongnguyen.permissions import can_move

        case = self._full_case()
        if not can_move(request.user, case, step):
            raise ValidationError(
                {"non_field_errors": [_("Hồ sơ ở trạng thái này không thực hiện được thao tác.")]}
            )
        if not form.is_valid():
            raise ValidationError(form_errors(form.errors))
        try:
            return call(case, form.cleaned_data)
        except DjangoValidationError as exc:
            raise ValidationError(service_errors(exc, form)) from None

    @extend_schema(
        request=s.CaseReferSerializer, responses={200: s.CaseSerializer, 400: OpenApiResponse()}
    )
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None, format=None):
        """Refer the case's child to the health station or a mass organisation."""
        from children import services as case_services
        from children.forms_cases import ReferralForm

        def call(case, data):
            case_services.referral_create(
                child=case.child,
                case=case,
                agency=data["agency"],
                needs=data["needs"],
                by=request.user,
            )
            case = self.get_queryset().get(pk=case.pk)
            return etagged(Response(self.get_serializer(case).data), case)

        return self._unversioned_step(request, "refer", ReferralForm(self._body(request)), call)

    @extend_schema(
        request=s.CaseFollowUpSerializer,
        responses={201: s.FollowUpSerializer, 400: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None, format=None):
        """Record a follow-up visit of the case (counted towards closing as withdrawn)."""
        from children import services as case_services
        from children.forms_cases import FollowUpForm

        def call(case, data):
            made = case_services.followup_record(
                child=case.child, case=case, by=request.user, **data
            )
            return Response(s.FollowUpSerializer(made).data, status=201)

        return self._unversioned_step(request, "follow_up", FollowUpForm(self._body(request)), call)

    @extend_schema(
        request=s.CaseSupportSerializer,
        responses={201: s.SupportSerializer, 400: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None, format=None):
        """Record a support given to the case's child."""
        from children import services as case_services
        from children.forms_cases import SupportForm

        def call(case, data):
            made = case_services.support_record(
                child=case.child, case=case, by=request.user, **data
            )
            return Response(s.SupportSerializer(made).data, status=201)

        form = SupportForm(self._body(request), user=request.user)
        return self._unversioned_step(request, "support", form, call)

    def _stale(self, case):
        case = self.get_queryset().get(pk=case.pk)
        body = {
            "detail": str(StaleVersionError().messages[0]),
            "current": self.get_serializer(case).data,
        }
        return etagged(Response(body, status=412), case)


@write_schema(s.BusinessWriteSerializer, s.BusinessSerializer)
class BusinessViewSet(FormWriteMixin, ScopedViewSet):
    model = Business
    serializer_class = s.BusinessSerializer
    view_action = "business.view"
    edit_action = "business.edit"
    writer = business_writer
    filterset_class = BusinessFilter
    ordering = ["name", "pk"]


@write_schema(s.InspectionWriteSerializer, s.InspectionSerializer, s.InspectionRecordSerializer)
class InspectionViewSet(FormWriteMixin, ScopedViewSet):
    """Create = plan a visit of one business; update = record what the team found."""

    model = Inspection
    edit_action = "inspection.edit"
    writer = w.inspection_writer
    serializer_class = s.InspectionSerializer
    view_action = "inspection.view"
    prefetch = ("team_members",)
    filterset_fields = ["business", "status"]
    ordering = ["-planned_on", "pk"]


@write_schema(s.OutreachSessionWriteSerializer, s.OutreachSessionSerializer)
class OutreachSessionViewSet(FormWriteMixin, ScopedViewSet):
    model = OutreachSession
    edit_action = "session.edit"
    writer = w.session_writer

    def get_queryset(self):
        from outreach.views import _editable_sessions

        if self.request.method in permissions.SAFE_METHODS:
            return super().get_queryset()
        # As the page: collaborators change their own groups' sessions, not ward-wide ones.
        return _editable_sessions(self.request.user).order_by(*self.ordering)

    serializer_class = s.OutreachSessionSerializer
    view_action = "session.view"
    filterset_fields = ["group"]
    ordering = ["-date", "pk"]


class ResidentialGroupViewSet(ScopedViewSet):
    """The residential groups (tổ dân phố): collaborators their own."""

    model = ResidentialGroup
    serializer_class = s.ResidentialGroupSerializer
    view_action = "home.view"
    personal = False
    ordering = ["code"]


@write_schema(s.CaregiverWriteSerializer, s.CaregiverSerializer)
class CaregiverViewSet(FormWriteMixin, ScopedViewSet):
    """Caregivers, as the household's page lists them."""

    model = Caregiver
    edit_action = "household.edit"
    writer = w.caregiver_writer
    serializer_class = s.CaregiverSerializer
    view_action = "household.view"
    filterset_fields = ["household"]


@write_schema(s.ScreeningWriteSerializer, s.ScreeningSerializer)
class ScreeningViewSet(FormCreateMixin, ScopedViewSet):
    model = Screening
    edit_action = "child.screen"
    writer = w.screening_writer
    serializer_class = s.ScreeningSerializer
    view_action = "child.view_full"
    filterset_fields = ["child"]


@write_schema(s.SupportWriteSerializer, s.SupportSerializer)
class SupportViewSet(FormCreateMixin, ScopedViewSet):
    """Supports: mass organisations see them with the child's name, group and needs. Create
    for a case (`case`, the officer) or for a referral to the user's agency (`referral`)."""

    model = Support
    edit_action = "support.record"
    writer = w.support_writer
    serializer_class = s.SupportSerializer
    view_action = "child.view"
    filterset_fields = ["child"]


@write_schema(s.FollowUpWriteSerializer, s.FollowUpSerializer)
class FollowUpViewSet(FormCreateMixin, ScopedViewSet):
    """Create for a case (`case`, the officer) or a visit to a child in scope (`child`)."""

    model = FollowUp
    edit_action = "case.follow_up"
    write_actions = {"create": "followup.record"}
    writer = w.followup_writer
    serializer_class = s.FollowUpSerializer
    view_action = "child.view_full"
    filterset_fields = ["child"]


@write_schema(s.ViolationWriteSerializer, s.ViolationSerializer, s.ViolationHandleSerializer)
class ViolationViewSet(FormWriteMixin, ScopedViewSet):
    """Create = record a violation found at an inspection; update = how it was handled."""

    model = Violation
    edit_action = "inspection.edit"
    writer = w.violation_writer
    serializer_class = s.ViolationSerializer
    view_action = "inspection.view"
    filterset_fields = ["inspection", "status"]


@write_schema(s.TrainingWriteSerializer, s.TrainingSerializer)
class TrainingViewSet(FormWriteMixin, ScopedViewSet):
    model = Training
    edit_action = "training.edit"
    writer = w.training_writer
    serializer_class = s.TrainingSerializer
    view_action = "training.view"
    personal = False
    ordering = ["-date", "pk"]


class OneObjectSchema(AutoSchema):
    """The KPI "list" answers one object (period, scope, values), not an array of them."""

    def _is_list_view(self, serializer=None):
        return False


class KpiViewSet(viewsets.ViewSet):
    """The plan's KPIs of a period for the ward or one residential group, computed by the same
    engine as the dashboard (reports/kpis.py, read from the catalogue)."""

    permission_classes = [permissions.IsAuthenticated, MayAction]
    view_action = "dashboard.view"
    schema = OneObjectSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026, 2026-H1 hoặc 2026-Q3"),
            OpenApiParameter("group", str, description="Mã tổ dân phố, ví dụ TDP-01"),
        ],
        responses=s.KpiListSerializer,
    )
    def list(self, request, format=None):
        period, group, values, source, computed_at = self._values(request)
        return Response(
            {
                "period": period.code,
                "group": group.code if group else None,
                "source": source,
                "computed_at": computed_at,
                "values": s.KpiValueSerializer(values, many=True).data,
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026, 2026-H1 hoặc 2026-Q3"),
            OpenApiParameter("group", str, description="Mã tổ dân phố, ví dụ TDP-01"),
        ],
        responses=s.DataValueSetSerializer,
    )
    @action(detail=False, url_path="data-value-sets")
    def data_value_sets(self, request, format=None):
        """The same KPIs as a DHIS2 `dataValueSets` JSON, for a province DHIS2 or any
        aggregator: data element = KPI code and NUMERATOR / DENOMINATOR, period in DHIS2's
        format (2026, 2026S1, 2026Q3), org unit = the ward's code or the group's."""
        period, group, values, _source, _at = self._values(request)
        org_unit = group.code if group else ward_of(request.user).code
        rows = [(org_unit, v.code, v.numerator, v.denominator) for v in values]
        return Response(data_value_set(dhis2_period_of(period.code), org_unit, rows))

    def _values(self, request):
        """As the dashboard: the stored snapshots of the period and scope when there are
        some (source "snapshot", with when they were computed), else computed now ("live")."""
        from reports import freshness, kpis
        from reports.models import KpiSnapshot
        from reports.periods import PeriodError, current_periods, parse_period
        from reports.views import _values_from_snapshots

        code = request.query_params.get("period") or current_periods()[0].code
        try:
            period = parse_period(code)
        except PeriodError as exc:
            raise ValidationError({"period": [str(exc)]}) from None
        group = self._group(request)
        if period in current_periods():
            freshness.refresh_if_due()
        rows = list(
            KpiSnapshot.objects.filter(
                ward=ward_of(request.user),
                period_start=period.start,
                period_end=period.end,
                group=group,
            )
        )
        if rows:
            computed_at = max(r.computed_at for r in rows)
            return period, group, _values_from_snapshots(rows, group), "snapshot", computed_at
        return (
            period,
            group,
            kpis.compute(period, group=group, ward=ward_of(request.user)),
            "live",
            None,
        )

    @staticmethod
    def _group(request):
        """As the dashboard: collaborators only their own group(s); others the ward or any."""
        groups = ResidentialGroup.objects.for_user(request.user).filter(active=True)
        code = request.query_params.get("group", "").replace("\x00", "").strip()
        if role_of(request.user) == Role.COLLABORATOR:
            allowed = list(groups)
            if not allowed:
                raise NotFound
            return next((g for g in allowed if g.code == code), allowed[0])
        if code:
            return get_object_or_404(groups, code=code)
        return None


def dhis2_period_of(code: str) -> str:
    """The ward's period code as DHIS2 writes it: 2026 → 2026, 2026-H1 → 2026S1 (six-monthly
    from January), 2026-Q3 → 2026Q3. Other ranges have no DHIS2 period: 400."""
    if not re.fullmatch(r"\d{4}(-[HQ]\d)?", code):
        raise ValidationError(
            {
                "period": [
                    _("Kỳ %(code)s không có dạng kỳ của DHIS2 (năm, 6 tháng, quý).")
                    % {"code": code}
                ]
            }
        )
    return code.replace("-H", "S").replace("-Q", "Q")


def data_value_set(period: str, org_unit: str, rows) -> dict:
    """DHIS2 `dataValueSets` JSON from (org unit, KPI code, numerator, denominator) rows."""
    values = [
        {"dataElement": f"{code}.{part}", "period": period, "orgUnit": unit, "value": str(number)}
        for unit, code, numerator, denominator in rows
        for part, number in (("NUMERATOR", numerator), ("DENOMINATOR", denominator))
        if number is not None
    ]
    return {"period": period, "orgUnit": org_unit, "dataValues": values}


class ReportViewSet(ScopedViewSet):
    """Finalized (and archived) periodic reports with their frozen data, as issued."""

    serializer_class = s.ReportSerializer
    view_action = "report.view"
    personal = False  # aggregates only
    filterset_fields = ["kind", "period"]
    ordering = ["-period_start", "pk"]

    def get_queryset(self):
        from reports.models import Report

        issued = (Report.Status.FINALIZED, Report.Status.ARCHIVED)
        reports = in_ward(Report.objects.all(), self.request.user)
        return reports.filter(status__in=issued).order_by(*self.ordering)

    @extend_schema(responses=s.DataValueSetSerializer)
    @action(detail=True, url_path="data-value-sets")
    def data_value_sets(self, request, pk=None, format=None):
        """The report's frozen KPIs as DHIS2 `dataValueSets`: the ward's and each group's."""
        report = self.get_object()
        data = report.data or {}
        ward = report.ward.code
        rows = [(ward, k["code"], k["numerator"], k["denominator"]) for k in data.get("kpis", [])]
        for group in data.get("groups", []):
            for code, cell in group["kpis"].items():
                rows.append((group["code"], code, cell["numerator"], cell["denominator"]))
        return Response(data_value_set(dhis2_period_of(report.period), ward, rows))


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own API tokens (never the keys): list them, revoke one (DELETE).
    New tokens come from `manage.py api_token`; the admin can revoke anyone's."""

    serializer_class = s.ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated]

    queryset = ApiToken.objects.none()  # for the schema; each user sees their own

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        instance.revoke()


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored files under static/vendor/swagger-ui/ (no CDN); its
    start-up script is a separate request, so the page keeps the site's CSP (no inline JS)."""

    @staticmethod
    def _swagger_ui_resource(filename):
        return static(f"vendor/swagger-ui/{filename}")

    @staticmethod
    def _swagger_ui_favicon():
        return static("vendor/swagger-ui/favicon-32x32.png")
