import hashlib
import re
import secrets
import time

from django import forms
from django.core import signing
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VersionedFormMixin, VNDateField, VnSortedModelChoiceField
from dongnguyen.limits import use_once
from dongnguyen.models import Agency, Ward
from dongnguyen.roles import Role, agency_id_of, role_of
from funding.models import Donation
from households.models import ResidentialGroup

from .models import (
    AttachmentKind,
    Case,
    CaseAssessmentItem,
    Child,
    FundingSource,
    IntakeChannel,
    IntakeReport,
    SupportKind,
)
from .services import SUPPORT_KINDS_BY_ROLE

# Agencies a child is referred to for support (Kế hoạch 143, section IV).
REFERRAL_AGENCIES = ("yte", "mttq", "hoiphunu", "doanthanhnien", "hoinongdan", "hoicuuchienbinh")


class VNDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(
        format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M"])
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Thời điểm không hợp lệ, hãy nhập theo dạng dd/mm/yyyy hh:mm.")},
        )
        super().__init__(**kwargs)


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=IntakeChannel.choices)
    received_at = VNDateTimeField(label=_("Thời điểm tiếp nhận"), required=False)
    reporter_name = forms.CharField(label=_("Người phản ánh"), max_length=120, required=False)
    reporter_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    description = forms.CharField(
        label=_("Nội dung phản ánh"), widget=forms.Textarea(attrs={"rows": 5})
    )
    location = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    group = forms.ModelChoiceField(
        label=_("Tổ dân phố"), queryset=ResidentialGroup.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = ResidentialGroup.objects.for_user(user).active()
        self.fields["received_at"].help_text = _("Để trống nếu là ngay lúc này.")
        if role_of(user) == Role.COLLABORATOR:
            # A collaborator's tip is always of the collaborator channel, for their own group.
            del self.fields["channel"]
            self.fields["group"].required = True
            self.fields["group"].empty_label = None
        if role_of(user) in (Role.HEALTH, Role.MASS_ORG):
            # An agency's report is of the "agency" channel, about a child in its scope if any.
            del self.fields["channel"]
            self.fields["child"] = forms.ModelChoiceField(
                label=_("Trẻ em (nếu đã có trong danh sách)"),
                queryset=Child.objects.for_user(user).select_related("household__group"),
                required=False,
            )


class IntakeEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = IntakeReport
        fields = ["channel", "reporter_name", "reporter_phone", "description", "location"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class IntakeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả"))] + IntakeReport.Status.choices,
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Tất cả"))] + IntakeChannel.choices, required=False
    )
    date_from = VNDateField(label=_("Từ ngày"), required=False)
    date_to = VNDateField(label=_("Đến ngày"), required=False)


class TriageForm(forms.Form):
    ACTIONS = [
        ("link", _("Gắn với trẻ em")),
        ("open_case", _("Mở hồ sơ vụ việc")),
        ("unfounded", _("Không có cơ sở")),
        ("duplicate", _("Trùng phản ánh khác")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    child = forms.IntegerField(required=False, widget=forms.HiddenInput)
    duplicate_code = forms.CharField(label=_("Mã phản ánh bị trùng"), max_length=12, required=False)
    emergency = forms.BooleanField(label=_("Khẩn cấp"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# A ward's code as the form and its links carry it (the administrative unit code).
WARD_CODE = re.compile(r"[0-9A-Za-z_-]{1,10}")


class PublicTipForm(forms.Form):
    """The citizen's form. `website` is a honeypot (hidden from people, filled by bots);
    `started` is a signed timestamp: a form sent back faster than a person types is refused."""

    MIN_SECONDS = 3
    MAX_AGE = 6 * 3600

    description = forms.CharField(
        label=_("Nội dung phản ánh"),
        min_length=15,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Trẻ em nào, làm việc gì, ở đâu, từ khi nào (nếu biết)."),
        error_messages={
            "required": _("Hãy mô tả sự việc anh/chị muốn phản ánh."),
            "min_length": _("Nội dung quá ngắn, hãy mô tả rõ hơn (ít nhất 15 ký tự)."),
        },
    )
    location = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    # The ward comes first (the page's ?phuong=CODE or its ward step); the groups offered are
    # that ward's only. A province of many wards never lists every ward's groups.
    ward = forms.ModelChoiceField(
        label=_("Phường, xã nơi xảy ra sự việc"),
        queryset=Ward.objects.active(),
        to_field_name="code",
        required=False,
        empty_label=_("Chọn phường, xã"),
        error_messages={"invalid_choice": _("Không có phường, xã này. Hãy chọn lại.")},
    )
    group = forms.ModelChoiceField(
        label=_("Tổ dân phố (nếu biết)"),
        queryset=ResidentialGroup.objects.none(),
        required=False,
        empty_label=_("Không rõ"),
        error_messages={
            "invalid_choice": _("Tổ dân phố này không thuộc phường, xã đã chọn. Hãy chọn lại.")
        },
    )
    reporter_name = forms.CharField(
        label=_("Họ tên (không bắt buộc)"), max_length=120, required=False
    )
    reporter_phone = forms.RegexField(
        label=_("Số điện thoại (không bắt buộc)"),
        regex=r"^\+?[0-9 .]{9,15}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại không hợp lệ (chỉ gồm chữ số, 9–15 số).")},
    )
    website = forms.CharField(required=False, label=_("Để trống ô này"))
    started = forms.CharField(widget=forms.HiddenInput)

    SALT = "children.public_tip"

    def __init__(self, *args, ward: Ward | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen_ward = ward if ward is not None else self._ward_of_data()
        if self.chosen_ward is not None:
            self.initial.setdefault("ward", self.chosen_ward.code)
            self.fields["group"].queryset = ResidentialGroup.objects.filter(
                active=True, ward=self.chosen_ward
            ).order_by("code")

    def _ward_of_data(self) -> Ward | None:
        """The ward the posted form names, else the only active ward of the deployment."""
        code = (self.data.get("ward") or "").strip() if self.is_bound else ""
        wards = Ward.objects.active()
        if code:
            return self.ward_from_query(code)
        only = list(wards[:2])
        if not only:
            return Ward.first()  # a deployment not yet given its wards: the settings' ward
        return only[0] if len(only) == 1 else None

    @classmethod
    def ward_from_query(cls, code: str | None) -> Ward | None:
        """The ward of the page's ?phuong=CODE (None if it names no active ward)."""
        code = (code or "").strip()
        if not WARD_CODE.fullmatch(code):  # nothing else is a code (nor reaches the database)
            return None
        return Ward.objects.active().filter(code=code).first()

    @classmethod
    def stamp(cls) -> str:
        # The nonce makes every stamp unique, so "used once" is about this page load alone.
        return signing.dumps([time.time(), secrets.token_urlsafe(12)], salt=cls.SALT)

    def claim_stamp(self) -> bool:
        """Mark this form's stamp used: True the first time it is sent, False on a replay.

        Call after is_valid(); the mark lasts as long as the stamp itself could be accepted."""
        digest = hashlib.sha256(self.data.get("started", "").encode()).hexdigest()
        if use_once(f"public_tip:{digest}", self.MAX_AGE + 60):
            return True
        self.add_error(
            None,
            forms.ValidationError(
                _("Biểu mẫu này đã được gửi rồi. Hãy tải lại trang nếu muốn gửi phản ánh khác."),
                code="reused",
            ),
        )
        return False

    def clean(self):
        data = super().clean()
        if not data.get("ward") and "ward" not in self.errors:
            if self.chosen_ward is not None and not self.data.get("ward"):
                data["ward"] = self.chosen_ward  # the deployment's only ward
            else:
                self.add_error(
                    "ward", forms.ValidationError(_("Hãy chọn phường, xã nơi xảy ra sự việc."))
                )
        if data.get("website"):
            raise forms.ValidationError(_("Không gửi được phản ánh. Hãy thử lại."), code="spam")
        try:
            started = signing.loads(
                self.data.get("started", ""), salt=self.SALT, max_age=self.MAX_AGE
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("Biểu mẫu đã hết hạn. Hãy tải lại trang và gửi lại."), code="expired"
            ) from None
        if isinstance(started, list):  # [time, nonce]; a bare time from before the nonce
            started = started[0] if started else None
        try:
            elapsed = time.time() - float(started)
        except (TypeError, ValueError):
            raise forms.ValidationError(
                _("Biểu mẫu đã hết hạn. Hãy tải lại trang và gửi lại."), code="expired"
            ) from None
        if elapsed > self.MAX_AGE:
            raise forms.ValidationError(
                _("Biểu mẫu đã hết hạn. Hãy tải lại trang và gửi lại."), code="expired"
            )
        if elapsed < self.MIN_SECONDS:
            raise forms.ValidationError(
                _("Biểu mẫu được gửi quá nhanh. Hãy kiểm tra nội dung rồi gửi lại."), code="fast"
            )
        return data


class PublicStatusForm(forms.Form):
    """A citizen's receipt code, as printed on the thank-you page ("PA-" may be left out)."""

    code = forms.CharField(
        label=_("Mã tiếp nhận"),
        max_length=20,
        help_text=_("Mã in trên trang cảm ơn sau khi gửi phản ánh, ví dụ PA-7KQ2M9XD."),
        error_messages={"required": _("Hãy nhập mã tiếp nhận.")},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        return code if code.startswith("PA-") else f"PA-{code}"


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssessForm(VersionForm):
    risk_level = forms.ChoiceField(label=_("Mức độ nguy cơ chung"), choices=Case.RiskLevel.choices)
    emergency = forms.BooleanField(
        label=_("Cần can thiệp khẩn cấp (tính mạng, sức khỏe, nhân phẩm bị đe dọa)"), required=False
    )
    field_order = ["risk_level", "emergency", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("Nhận định của cán bộ")


class AssessItemForm(forms.Form):
    item = forms.CharField(label=_("Nội dung đánh giá"), max_length=255, required=False)
    level = forms.ChoiceField(
        label=_("Mức độ"), choices=[("", "—")] + CaseAssessmentItem.Level.choices, required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("item") and not data.get("level"):
            self.add_error("level", _("Hãy chọn mức độ Cao, Trung bình hoặc Thấp."))
        return data


AssessItemFormSet = formset_factory(AssessItemForm, extra=0, min_num=6)

# Risk items suggested on a new assessment (Mẫu 02/06 headings).
DEFAULT_ASSESSMENT_ITEMS = [
    _("Công việc, nơi làm việc có hại, nguy hiểm"),
    _("Thời giờ làm việc, làm đêm, làm thêm"),
    _("Tình trạng học tập (bỏ học, nguy cơ bỏ học)"),
    _("Sức khỏe thể chất, tinh thần"),
    _("Hoàn cảnh kinh tế gia đình"),
    _("Sự chăm sóc, bảo vệ của cha mẹ, người chăm sóc"),
]


class PlanForm(VersionForm):
    goal = forms.CharField(
        label=_("Mục tiêu kế hoạch"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["goal"]


class PlanActionForm(forms.Form):
    action = forms.CharField(label=_("Hoạt động"), max_length=255, required=False)
    agency = VnSortedModelChoiceField(
        label=_("Cơ quan thực hiện"), queryset=Agency.objects.filter(active=True), required=False
    )
    due_on = VNDateField(label=_("Thời hạn"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("action"):
            if not data.get("agency"):
                self.add_error("agency", _("Hãy chọn cơ quan thực hiện."))
            if not data.get("due_on"):
                self.add_error("due_on", _("Hãy nhập thời hạn."))
        return data


PlanActionFormSet = formset_factory(PlanActionForm, extra=3, min_num=1)


class CloseForm(VersionForm):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Case.ClosureOutcome.choices)
    field_order = ["outcome", "note"]


class ReferralForm(forms.Form):
    agency = VnSortedModelChoiceField(
        label=_("Chuyển đến"), queryset=Agency.objects.filter(code__in=REFERRAL_AGENCIES)
    )
    needs = forms.CharField(
        label=_("Nhu cầu hỗ trợ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức hỗ trợ"), choices=SupportKind.choices)
    provider = VnSortedModelChoiceField(
        label=_("Đơn vị hỗ trợ"), queryset=Agency.objects.filter(active=True)
    )
    date = VNDateField(label=_("Ngày hỗ trợ"))
    amount_vnd = forms.IntegerField(
        label=_("Giá trị (đồng)"),
        min_value=0,
        required=False,
        error_messages={"min_value": _("Giá trị không được âm.")},
    )
    funding_source = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=FundingSource.choices)
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    donation = forms.ModelChoiceField(
        label=_("Lấy từ khoản tài trợ (xã hội hóa)"),
        queryset=Donation.objects.none(),
        required=False,
        help_text=_("Để trống nếu không lấy từ khoản tài trợ nào."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donation"].queryset = (
            Donation.objects.for_user(user).with_spent().select_related("donor").order_by("-date")
        )
        self.fields["donation"].label_from_instance = lambda d: (
            _("%(d)s — còn %(left)s đồng") % {"d": d, "left": f"{d.remaining:,}".replace(",", ".")}
        )
        role = role_of(user)
        if role in SUPPORT_KINDS_BY_ROLE:
            allowed = SUPPORT_KINDS_BY_ROLE[role]
            self.fields["kind"].choices = [c for c in SupportKind.choices if c[0] in allowed]
            self.fields["provider"].queryset = Agency.objects.filter(pk=agency_id_of(user))
            self.fields["provider"].empty_label = None


class FollowUpForm(forms.Form):
    date = VNDateField(label=_("Ngày theo dõi"))
    working_unlawfully = forms.BooleanField(
        label=_("Trẻ còn lao động trái quy định"), required=False
    )
    in_school = forms.BooleanField(label=_("Trẻ đang đi học"), required=False, initial=True)
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("PDF, JPG, PNG, DOCX hoặc XLSX."),
        error_messages={"required": _("Hãy chọn tệp cần tải lên.")},
    )
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=AttachmentKind.choices)
    description = forms.CharField(label=_("Mô tả"), max_length=255, required=False)

    DRAFT = "attachment_draft"

    @classmethod
    def keep_draft(cls, request, page: str) -> None:
        """A refused upload sends the user back to `page` (a file input cannot be refilled):
        the kind and description they typed wait in the session for that page."""
        request.session[cls.DRAFT] = {
            "page": page,
            "kind": request.POST.get("kind", ""),
            "description": request.POST.get("description", "")[:255],
        }

    @classmethod
    def for_page(cls, request) -> "AttachmentForm":
        draft = request.session.get(cls.DRAFT)
        if draft and draft.get("page") == request.path:
            del request.session[cls.DRAFT]
            return cls(initial={"kind": draft["kind"], "description": draft["description"]})
        return cls()
