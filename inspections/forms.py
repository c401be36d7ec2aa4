from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from children.catalogue import load_catalogue
from children.models import Sex
from dongnguyen.forms import EMPTY_CHOICE, VersionedFormMixin, VNDateField, vn_sorted
from dongnguyen.permissions import roles_for
from dongnguyen.roles import ward_of
from dongnguyen.text import person_name
from dongnguyen.validators import normalize_vn_phone
from funding.models import Source
from households.models import Household, ResidentialGroup

from . import catalogue
from .models import Business, Inspection, Violation


class BusinessForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Business
        fields = [
            "name",
            "code",
            "owner_name",
            "phone",
            "address",
            "group",
            "sector",
            "high_risk",
            "is_organisation",
            "employee_count",
            "minor_employee_count",
            "has_minor_register",
            "active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = ResidentialGroup.objects.for_user(user).active()

    def clean_phone(self):
        # Spaces, dots and +84 are allowed when typing; the model's validator judges the number.
        return normalize_vn_phone(self.cleaned_data["phone"])


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = person_name(user)
        return f"{name} ({user.profile.get_role_display()})"


class BusinessChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, business):
        return f"{business.name} — {business.group.code}{' ⚠' if business.high_risk else ''}"


def team_users(user=None):
    """Who can sit on an inspection team: police, the health station, the VH-XH office (of
    the user's ward)."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__role__in=roles_for("inspection.join"),
        )
        .select_related("profile")
        .order_by("profile__role", "last_name", "first_name")
    )
    return users.filter(profile__ward=ward_of(user)) if user is not None else users


class InspectionPlanForm(forms.Form):
    plan_number = forms.CharField(
        label=_("Số kế hoạch/quyết định kiểm tra"), max_length=40, required=False
    )
    kind = forms.ChoiceField(label=_("Loại kiểm tra"), choices=Inspection.Kind.choices)
    planned_on = VNDateField(label=_("Ngày dự kiến kiểm tra"))
    interdisciplinary = forms.BooleanField(label=_("Đoàn kiểm tra liên ngành"), required=False)
    team_members = UserChoiceField(
        label=_("Thành viên đoàn"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    team = forms.CharField(
        label=_("Thành phần khác của đoàn"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Ví dụ: đại diện Hội Phụ nữ, Ban công tác Mặt trận tổ dân phố."),
    )
    businesses = BusinessChoiceField(
        label=_("Cơ sở cần kiểm tra"),
        queryset=Business.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Giữ phím Ctrl để chọn nhiều cơ sở. Mỗi cơ sở tạo một cuộc kiểm tra."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_members"].queryset = team_users(user)
        self.fields["businesses"].queryset = (
            Business.objects.for_user(user).active().select_related("group")
        )


class InspectionRecordForm(VersionedFormMixin, forms.Form):
    date = VNDateField(label=_("Ngày kiểm tra"))
    minutes_number = forms.CharField(label=_("Số biên bản"), max_length=40, required=False)
    findings = forms.CharField(
        label=_("Kết quả kiểm tra"), widget=forms.Textarea(attrs={"rows": 5})
    )
    legal_dissemination = forms.BooleanField(
        label=_("Đã tuyên truyền, phổ biến pháp luật tại cơ sở"), required=False
    )
    cost_vnd = forms.IntegerField(
        label=_("Kinh phí (đồng)"), min_value=0, required=False, initial=0
    )
    cost_source = forms.ChoiceField(
        label=_("Nguồn kinh phí"), choices=Source.choices, required=False
    )


def job_choices():
    cat = load_catalogue()
    return vn_sorted((code, job.name) for code, job in cat.jobs.items())


def workplace_choices():
    cat = load_catalogue()
    return vn_sorted((code, wp.name) for code, wp in cat.workplaces.items())


class MinorFoundForm(forms.Form):
    """A minor seen working: an existing child (picked by search) or a new one."""

    child = forms.IntegerField(required=False, widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Họ và tên trẻ"), max_length=120, required=False)
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=[("", EMPTY_CHOICE), *Sex.choices], required=False
    )
    birth_date = VNDateField(label=_("Ngày sinh"), required=False)
    household = forms.ModelChoiceField(
        label=_("Hộ gia đình"), queryset=Household.objects.none(), required=False
    )
    household_head = forms.CharField(
        label=_("Hoặc hộ mới: họ tên chủ hộ"), max_length=120, required=False
    )
    household_address = forms.CharField(label=_("Địa chỉ hộ mới"), max_length=255, required=False)

    job_code = forms.ChoiceField(label=_("Công việc"), choices=job_choices)
    workplace_code = forms.ChoiceField(
        label=_("Nơi làm việc"), choices=workplace_choices, initial="normal"
    )
    hours_per_day = forms.DecimalField(
        label=_("Số giờ/ngày"), min_value=0, max_value=24, decimal_places=1, required=False
    )
    hours_per_week = forms.DecimalField(
        label=_("Số giờ/tuần"), min_value=0, max_value=168, decimal_places=1, required=False
    )
    started_on = VNDateField(label=_("Làm việc từ ngày"), required=False)
    night_work = forms.BooleanField(label=_("Làm việc ban đêm (22h–6h)"), required=False)
    overtime = forms.BooleanField(label=_("Làm thêm giờ"), required=False)
    written_contract = forms.BooleanField(label=_("Có hợp đồng bằng văn bản"), required=False)
    guardian_consent = forms.BooleanField(
        label=_("Có đồng ý của người đại diện theo pháp luật"), required=False
    )
    health_certificate = forms.BooleanField(label=_("Có giấy khám sức khỏe"), required=False)
    provincial_approval = forms.BooleanField(
        label=_("Có chấp thuận của cơ quan lao động tỉnh"), required=False
    )
    notes = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    record_violations = forms.BooleanField(
        label=_("Ghi nhận luôn các vi phạm theo kết quả đánh giá"), required=False, initial=True
    )

    WORK_FIELDS = (
        "job_code",
        "workplace_code",
        "hours_per_day",
        "hours_per_week",
        "started_on",
        "night_work",
        "overtime",
        "written_contract",
        "guardian_consent",
        "health_certificate",
        "provincial_approval",
        "notes",
    )

    def __init__(self, *args, inspection, children_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        self.children_qs = children_qs
        # The team attaches the child to a household of the business's group: code and head
        # name only, whatever households the officer's role otherwise reads.
        self.fields["household"].queryset = Household.objects.filter(
            group=inspection.business.group
        ).only("pk", "code", "head_name")

    def clean(self):
        data = super().clean()
        if data.get("child"):
            child = self.children_qs.filter(pk=data["child"]).first()
            if child is None:
                self.add_error(None, _("Không tìm thấy trẻ em đã chọn."))
            data["child_obj"] = child
            return data
        data["child_obj"] = None
        for name in ("full_name", "sex", "birth_date"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Nhập thông tin trẻ em mới (hoặc chọn trẻ đã có)."))
        if not data.get("household") and not data.get("household_head"):
            self.add_error("household", _("Chọn hộ gia đình hoặc nhập tên chủ hộ mới."))
        on = self.inspection.date or self.inspection.planned_on
        birth = data.get("birth_date")
        if birth and on and birth >= on:
            self.add_error("birth_date", _("Ngày sinh phải trước ngày kiểm tra."))
        return data

    def work(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.WORK_FIELDS}


class ViolationForm(forms.Form):
    code = forms.ChoiceField(label=_("Hành vi vi phạm (Điều 29 Nghị định 12/2022)"))
    detected_on = VNDateField(label=_("Ngày phát hiện"))
    description = forms.CharField(
        label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    child = forms.ModelChoiceField(
        label=_("Trẻ em liên quan"), queryset=Household.objects.none(), required=False
    )
    reinspection_due = VNDateField(label=_("Hạn kiểm tra lại"), required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = catalogue.choices()
        from children.models import Child

        self.fields["child"].queryset = Child.objects.filter(
            found_in_inspections__inspection=inspection
        )


class ViolationHandleForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Violation.Status.choices)
    handled_on = VNDateField(label=_("Ngày xử lý"), required=False)
    decision_number = forms.CharField(
        label=_("Số quyết định xử phạt"), max_length=40, required=False
    )
    fine_vnd = forms.IntegerField(
        label=_("Số tiền phạt (đồng)"),
        min_value=0,
        required=False,
        help_text=_("Tổ chức bị phạt gấp 2 lần cá nhân."),
    )
    reinspection_due = VNDateField(label=_("Hạn kiểm tra lại"), required=False)


class CommitmentForm(forms.Form):
    signed_on = VNDateField(label=_("Ngày ký"))
    signer_name = forms.CharField(
        label=_("Người ký"),
        max_length=120,
        required=False,
        help_text=_("Để trống: chủ cơ sở hoặc chủ hộ."),
    )


class HouseholdCommitmentForm(CommitmentForm):
    household = forms.ModelChoiceField(
        label=_("Hộ gia đình"), queryset=Household.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.for_user(user)
        self.fields["household"].error_messages["required"] = _(
            "Tìm và chọn hộ gia đình ký cam kết."
        )
