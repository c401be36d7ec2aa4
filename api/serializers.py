"""What the API answers: read-only representations. Writes do not go through these: they are
validated by the pages' own forms and saved by the same services (see writes.py), so the API
cannot drift from the rules or the messages of the web pages."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.models import ApiToken
from children.forms_cases import (
    AssessForm,
    AssessItemForm,
    CloseForm,
    FollowUpForm,
    IntakeEditForm,
    IntakeForm,
    PlanActionForm,
    PlanForm,
    ReferralForm,
    SupportForm,
)
from children.forms_register import ScreeningForm, WorkRecordForm
from children.models import Case, Child, FollowUp, IntakeReport, Screening, Support, WorkRecord
from households.forms import CaregiverForm
from households.models import Caregiver, Household, ResidentialGroup
from inspections.forms import (
    InspectionPlanForm,
    InspectionRecordForm,
    ViolationForm,
    ViolationHandleForm,
)
from inspections.models import Business, Inspection, Violation
from outreach.forms import SessionForm, TrainingForm
from outreach.models import OutreachSession, Training


class ModelSerializer(serializers.ModelSerializer):
    """A read-only representation whose schema says what it answers: DRF drops allow_blank
    from read-only fields, so a choice left blank ("" risk level) would break the schema."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = "choices" in kwargs and kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


class HouseholdSerializer(ModelSerializer):
    group_code = serializers.CharField(source="group.code", read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "version",
            "code",
            "head_name",
            "address",
            "group",
            "group_code",
            "phone",
            "poverty_status",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HouseholdWriteSerializer(serializers.Serializer):
    """The fields of the household form (households/forms.py HouseholdForm)."""

    code = serializers.CharField(
        help_text="Mã hộ duy nhất trong phường, ví dụ HGD-01-001 (tổ 01, hộ số 001)."
    )
    head_name = serializers.CharField()
    address = serializers.CharField(required=False, allow_blank=True)
    group = serializers.IntegerField(help_text="id của tổ dân phố")
    phone = serializers.CharField(required=False, allow_blank=True)
    poverty_status = serializers.CharField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    client_uuid = serializers.UUIDField(
        required=False, help_text="Khi tạo mới: gửi lại cùng UUID thì nhận lại bản ghi đã tạo."
    )


class ChildLimitedSerializer(ModelSerializer):
    """For roles that see a referred child's name, group and needs only (child.view_full)."""

    group_code = serializers.CharField(source="household.group.code", read_only=True)
    special_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Child
        fields = ["id", "version", "full_name", "sex", "group_code", "special_groups"]
        read_only_fields = fields


class ChildSerializer(ChildLimitedSerializer):
    household = serializers.CharField(source="household.code", read_only=True)
    household_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "version",
            "full_name",
            "sex",
            "birth_date",
            "household",
            "household_id",
            "group_code",
            "national_id",
            "school_status",
            "school_name",
            "dropout_date",
            "dropout_reason",
            "at_risk",
            "risk_factors",
            "special_groups",
            "registered_on",
            "moved_out_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ChildWriteSerializer(serializers.Serializer):
    """The fields of the child form (children/forms_register.py ChildForm)."""

    full_name = serializers.CharField()
    sex = serializers.CharField()
    birth_date = serializers.DateField()
    household = serializers.CharField(help_text="Mã hộ gia đình, ví dụ HGD-01-001")
    national_id = serializers.CharField(required=False, allow_blank=True)
    school_status = serializers.CharField()
    school_name = serializers.CharField(required=False, allow_blank=True)
    dropout_date = serializers.DateField(required=False, allow_null=True)
    dropout_reason = serializers.CharField(required=False, allow_blank=True)
    at_risk = serializers.BooleanField(required=False)
    risk_factors = serializers.CharField(required=False, allow_blank=True)
    special_groups = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Mã hoàn cảnh đặc biệt (a…o)"
    )
    registered_on = serializers.DateField(required=False, allow_null=True)
    moved_out_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    confirm_duplicate = serializers.BooleanField(
        required=False, help_text="Đã kiểm tra: đây là một trẻ khác dù trùng tên, ngày sinh."
    )
    client_uuid = serializers.UUIDField(required=False)


class AssessmentSerializer(serializers.Serializer):
    age = serializers.IntegerField()
    band = serializers.CharField()
    lawful = serializers.BooleanField(allow_null=True)
    violations = serializers.ListField(child=serializers.DictField())


class WorkRecordSerializer(ModelSerializer):
    assessment = serializers.SerializerMethodField()

    class Meta:
        model = WorkRecord
        fields = [
            "id",
            "version",
            "child",
            "business",
            "employer_name",
            "job_code",
            "workplace_code",
            "hours_per_day",
            "hours_per_week",
            "night_work",
            "overtime",
            "written_contract",
            "guardian_consent",
            "health_certificate",
            "provincial_approval",
            "started_on",
            "ended_on",
            "lawful",
            "violations",
            "notes",
            "created_at",
            "assessment",
        ]
        read_only_fields = fields

    @extend_schema_field(AssessmentSerializer)
    def get_assessment(self, record):
        """The labour-law assessment of the record's facts, as the child's page shows it."""
        from children.services import workrecord_assess

        assessment = workrecord_assess(record, catalogue=self.context.get("catalogue"))
        return {
            "age": assessment.age,
            "band": assessment.band,
            "lawful": assessment.lawful,
            "violations": assessment.violations_as_dicts(),
        }


class BusinessWriteSerializer(serializers.Serializer):
    """The fields of the business form (inspections/forms.py BusinessForm)."""

    name = serializers.CharField()
    code = serializers.CharField(required=False, allow_blank=True)
    owner_name = serializers.CharField()
    phone = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField()
    group = serializers.IntegerField(help_text="id của tổ dân phố")
    sector = serializers.CharField()
    high_risk = serializers.BooleanField(required=False)
    is_organisation = serializers.BooleanField(required=False)
    employee_count = serializers.IntegerField()
    minor_employee_count = serializers.IntegerField()
    has_minor_register = serializers.BooleanField(required=False)
    active = serializers.BooleanField(required=False)
    client_uuid = serializers.UUIDField(required=False)


class IntakeReportSerializer(ModelSerializer):
    class Meta:
        model = IntakeReport
        fields = [
            "id",
            "version",
            "receipt_code",
            "received_at",
            "channel",
            "anonymous",
            "reporter_name",
            "reporter_phone",
            "description",
            "location",
            "child",
            "business",
            "group",
            "status",
            "duplicate_of",
            "triage_note",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The reporter's identity stays with those who act on the report (intake.reporter).
        if not self.context.get("see_reporter"):
            data["reporter_name"] = data["reporter_phone"] = None
        return data


class CaseSerializer(ModelSerializer):
    class Meta:
        model = Case
        fields = [
            "id",
            "version",
            "child",
            "intake",
            "status",
            "risk_level",
            "emergency",
            "received_at",
            "assessed_at",
            "plan_drafted_at",
            "plan_approved_at",
            "closed_at",
            "closure_outcome",
            "assigned_to",
            "summary",
            "assessment_notes",
            "plan_goal",
            "closure_note",
        ]
        read_only_fields = fields

    LIMITED_OUT = ("summary", "assessment_notes", "plan_goal", "closure_note")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Mass organisations get the reduced view of what is referred to them (case.view_full).
        if not self.context.get("full"):
            for name in self.LIMITED_OUT:
                data[name] = None
        return data


class BusinessSerializer(ModelSerializer):
    class Meta:
        model = Business
        fields = [
            "id",
            "version",
            "code",
            "name",
            "owner_name",
            "address",
            "group",
            "sector",
            "high_risk",
            "employee_count",
            "minor_employee_count",
            "has_minor_register",
            "is_organisation",
            "phone",
            "active",
        ]
        read_only_fields = fields


class InspectionSerializer(ModelSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id",
            "version",
            "business",
            "planned_on",
            "date",
            "status",
            "kind",
            "plan_number",
            "interdisciplinary",
            "team",
            "findings",
            "minutes_number",
            "legal_dissemination",
            "team_members",
        ]
        read_only_fields = fields


class OutreachSessionSerializer(ModelSerializer):
    class Meta:
        model = OutreachSession
        exclude = ["households_reached", "businesses_reached"]
        read_only_fields = ["id"]


class KpiValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    comparator = serializers.CharField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    previous = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class KpiListSerializer(serializers.Serializer):
    period = serializers.CharField()
    group = serializers.CharField(allow_null=True)
    source = serializers.ChoiceField(
        choices=["snapshot", "live"],
        help_text="snapshot: số liệu đã lưu (lúc computed_at); live: vừa tính khi gọi",
    )
    computed_at = serializers.DateTimeField(allow_null=True)
    values = KpiValueSerializer(many=True)


class DataValueSerializer(serializers.Serializer):
    dataElement = serializers.CharField()  # noqa: N815 (DHIS2's field names)
    period = serializers.CharField()
    orgUnit = serializers.CharField()  # noqa: N815
    value = serializers.CharField()


class DataValueSetSerializer(serializers.Serializer):
    period = serializers.CharField()
    orgUnit = serializers.CharField()  # noqa: N815
    dataValues = DataValueSerializer(many=True)  # noqa: N815


class ApiTokenSerializer(ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
        read_only_fields = fields


def _read_only(model_class, name, exclude=()):
    """A read-only serializer of every column of a model (the records whose whole row the
    allowed roles already read on their pages)."""
    meta = type(
        "Meta",
        (),
        {"model": model_class, "exclude": list(exclude)}
        if exclude
        else {"model": model_class, "fields": "__all__"},
    )
    return type(name, (ModelSerializer,), {"Meta": meta})


ResidentialGroupSerializer = _read_only(ResidentialGroup, "ResidentialGroupSerializer")
CaregiverSerializer = _read_only(Caregiver, "CaregiverSerializer")
ScreeningSerializer = _read_only(Screening, "ScreeningSerializer")
SupportSerializer = _read_only(Support, "SupportSerializer")
FollowUpSerializer = _read_only(FollowUp, "FollowUpSerializer")
ViolationSerializer = _read_only(Violation, "ViolationSerializer")
TrainingSerializer = _read_only(Training, "TrainingSerializer")


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    period = serializers.CharField()
    number = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = serializers.CharField()
    generated_at = serializers.DateTimeField()
    data = serializers.JSONField(
        help_text="Số liệu đã chốt của báo cáo (chỉ tiêu, theo tổ, thống kê)"
    )


class CaseStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["assign", "approve", "start", "monitor", "reopen"])
    note = serializers.CharField(required=False, allow_blank=True)


def _from_form_field(field):
    """A DRF field for the schema of one form field (the form still does the validating)."""
    from django import forms

    kwargs = {"required": field.required, "help_text": str(field.help_text or "") or None}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **kwargs)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **kwargs)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**kwargs, "required": False})
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not field.required, **kwargs)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits or 12,
            decimal_places=field.decimal_places or 2,
            allow_null=not field.required,
            coerce_to_string=False,
            **kwargs,
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not field.required, **kwargs)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **kwargs)
    if isinstance(field, forms.ChoiceField) and list(field.choices):
        choices = [(value, label) for value, label in field.choices if value != ""]
        return serializers.ChoiceField(choices=choices, allow_blank=not field.required, **kwargs)
    return serializers.CharField(allow_blank=not field.required, **kwargs)


def form_write_serializer(form_class, name, *, extra=None, exclude=(), only=None):
    """The request body of a write: the fields of the page's form (`form_class.base_fields`),
    plus the API's own (the parent record's id, client_uuid)."""
    attrs = {
        field_name: _from_form_field(field)
        for field_name, field in form_class.base_fields.items()
        if field_name not in exclude and (only is None or field_name in only)
    }
    attrs.update(extra or {})
    attrs["client_uuid"] = serializers.UUIDField(
        required=False, help_text="Khi tạo mới: gửi lại cùng UUID thì nhận lại bản ghi đã tạo."
    )
    attrs["__doc__"] = f"The fields of {form_class.__module__}.{form_class.__name__}."
    return type(name, (serializers.Serializer,), attrs)


def parent_id(label):
    return serializers.IntegerField(help_text=f"id của {label} (chỉ khi tạo mới)")


CaregiverWriteSerializer = form_write_serializer(
    CaregiverForm, "CaregiverWrite", extra={"household": parent_id("hộ gia đình")}
)
WorkRecordWriteSerializer = form_write_serializer(
    WorkRecordForm, "WorkRecordWrite", extra={"child": parent_id("trẻ em")}
)
ScreeningWriteSerializer = form_write_serializer(
    ScreeningForm, "ScreeningWrite", extra={"child": parent_id("trẻ em")}
)
IntakeWriteSerializer = form_write_serializer(
    IntakeForm,
    "IntakeWrite",
    extra={"child": serializers.IntegerField(required=False, help_text="id trẻ em được báo tin")},
)
IntakeEditSerializer = form_write_serializer(IntakeEditForm, "IntakeEdit")
InspectionWriteSerializer = form_write_serializer(
    InspectionPlanForm,
    "InspectionPlanWrite",
    exclude=("businesses",),
    extra={"business": parent_id("cơ sở cần kiểm tra")},
)
InspectionRecordSerializer = form_write_serializer(InspectionRecordForm, "InspectionRecordWrite")
ViolationWriteSerializer = form_write_serializer(
    ViolationForm, "ViolationWrite", extra={"inspection": parent_id("cuộc kiểm tra")}
)
ViolationHandleSerializer = form_write_serializer(ViolationHandleForm, "ViolationHandleWrite")
OutreachSessionWriteSerializer = form_write_serializer(SessionForm, "SessionWrite")
TrainingWriteSerializer = form_write_serializer(TrainingForm, "TrainingWrite")
SupportWriteSerializer = form_write_serializer(
    SupportForm,
    "SupportWrite",
    extra={
        "case": serializers.IntegerField(required=False, help_text="id hồ sơ vụ việc"),
        "referral": serializers.IntegerField(required=False, help_text="id lượt chuyển gửi"),
    },
)
FollowUpWriteSerializer = form_write_serializer(
    FollowUpForm,
    "FollowUpWrite",
    extra={
        "case": serializers.IntegerField(required=False, help_text="id hồ sơ vụ việc"),
        "child": serializers.IntegerField(
            required=False, help_text="id trẻ em (lần theo dõi không thuộc hồ sơ vụ việc)"
        ),
    },
)

# The case page's forms (the version comes as If-Match, not in the body).
_NO_UUID = ("version",)


def _step_serializer(form_class, name, extra=None):
    made = form_write_serializer(form_class, name, exclude=_NO_UUID, extra=extra)
    made._declared_fields.pop("client_uuid", None)
    return made


CaseAssessItemSerializer = _step_serializer(AssessItemForm, "CaseAssessItem")
CaseAssessSerializer = _step_serializer(
    AssessForm, "CaseAssess", extra={"items": CaseAssessItemSerializer(many=True, required=False)}
)
CasePlanActionSerializer = _step_serializer(PlanActionForm, "CasePlanAction")
CasePlanSerializer = _step_serializer(
    PlanForm, "CasePlan", extra={"actions": CasePlanActionSerializer(many=True)}
)
CaseCloseSerializer = _step_serializer(CloseForm, "CaseClose")
CaseReferSerializer = _step_serializer(ReferralForm, "CaseRefer")
CaseFollowUpSerializer = _step_serializer(FollowUpForm, "CaseFollowUp")
CaseSupportSerializer = _step_serializer(SupportForm, "CaseSupport")
