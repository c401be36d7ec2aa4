import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import EditConflictMixin, VNDateField
from households.models import Household

from .catalogue import job_choices, workplace_choices
from .labour_law import age_on
from .models import Child, SchoolStatus, Screening, SpecialGroup, WorkRecord

_NATIONAL_ID = re.compile(r"^\d{12}$")


class ChildForm(EditConflictMixin, forms.ModelForm):
    household = forms.ModelChoiceField(
        label=_("Mã hộ gia đình"),
        queryset=Household.objects.none(),
        to_field_name="code",
        widget=forms.TextInput(attrs={"placeholder": "HGD-01-001", "autocomplete": "off"}),
        error_messages={
            "invalid_choice": _(
                "Không tìm thấy hộ có mã này trong tổ dân phố bạn phụ trách; hãy kiểm tra mã hộ "
                "hoặc thêm hộ trước."
            )
        },
    )
    birth_date = VNDateField(label=_("Ngày sinh"))
    # Longer than 12 so a mistyped 13-digit number gets the precise message below.
    national_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    dropout_date = VNDateField(label=_("Ngày bỏ học"), required=False)
    registered_on = VNDateField(label=_("Ngày vào danh sách"), required=False)
    moved_out_on = VNDateField(label=_("Ngày chuyển đi"), required=False)
    special_groups = forms.ModelMultipleChoiceField(
        label=_("Hoàn cảnh đặc biệt (Luật Trẻ em, Điều 10)"),
        queryset=SpecialGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minor_worker = forms.BooleanField(
        label=_("Người lao động chưa thành niên (16–17 tuổi) — sẽ nhập quá trình làm việc"),
        required=False,
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là một trẻ khác, vẫn tạo hồ sơ mới"), required=False
    )

    class Meta:
        model = Child
        fields = [
            "full_name",
            "sex",
            "birth_date",
            "household",
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
        ]
        widgets = {
            "risk_factors": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.for_user(user)
        self.fields["national_id"].help_text = _("12 chữ số, có thể để trống.")
        self.fields["registered_on"].help_text = _("Để trống: hôm nay.")
        if self.instance.pk:
            self.fields["confirm_duplicate"].label = _(
                "Tôi đã kiểm tra: đây là một trẻ khác, vẫn lưu thay đổi"
            )
            self.fields["minor_worker"].initial = self.instance.work_records.exists()

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            raise forms.ValidationError(_("Họ và tên không hợp lệ."))
        return name

    def clean_national_id(self):
        value = re.sub(r"\s", "", self.cleaned_data.get("national_id") or "")
        if value and not _NATIONAL_ID.match(value):
            raise forms.ValidationError(
                _("Số định danh cá nhân phải gồm đúng 12 chữ số (hiện có %(n)d ký tự).")
                % {"n": len(value)}
            )
        return value

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("Ngày sinh không được sau ngày hôm nay."))
        return born

    def clean_registered_on(self):
        return self.cleaned_data.get("registered_on") or (
            self.instance.registered_on if self.instance.pk else timezone.localdate()
        )

    def clean(self):
        data = super().clean()
        born = data.get("birth_date")
        today = timezone.localdate()
        if born:
            age = age_on(born, today)
            has_work = self.instance.pk and self.instance.work_records.exists()
            if age >= 18:
                self.add_error(
                    "birth_date",
                    _(
                        "Trẻ đã đủ %(age)d tuổi: danh sách chỉ quản lý người dưới 18 tuổi "
                        "(trẻ em dưới 16 tuổi và người lao động chưa thành niên 16–17 tuổi)."
                    )
                    % {"age": age},
                )
            elif age >= 16 and not (has_work or data.get("minor_worker")):
                self.add_error(
                    "birth_date",
                    _(
                        "Người %(age)d tuổi không còn là trẻ em (Luật Trẻ em: dưới 16 tuổi); chỉ "
                        "ghi vào danh sách khi là người lao động chưa thành niên. Nếu đúng vậy, "
                        "đánh dấu ô “Người lao động chưa thành niên” và nhập quá trình làm việc."
                    )
                    % {"age": age},
                )
        status = data.get("school_status")
        if status == SchoolStatus.DROPPED_OUT:
            if not data.get("dropout_date"):
                self.add_error("dropout_date", _("Trẻ đã bỏ học: hãy nhập ngày bỏ học."))
            if not data.get("dropout_reason"):
                self.add_error("dropout_reason", _("Trẻ đã bỏ học: hãy chọn lý do bỏ học."))
        elif status:
            # A child back in school keeps no dropout date, so K11 counts only real dropouts.
            data["dropout_date"] = None
            data["dropout_reason"] = ""
        dropped = data.get("dropout_date")
        if dropped and born and dropped < born:
            self.add_error("dropout_date", _("Ngày bỏ học không thể trước ngày sinh."))
        if dropped and dropped > today:
            self.add_error("dropout_date", _("Ngày bỏ học không được sau ngày hôm nay."))
        moved = data.get("moved_out_on")
        registered = data.get("registered_on")
        if moved and registered and moved < registered:
            self.add_error("moved_out_on", _("Ngày chuyển đi không thể trước ngày vào danh sách."))
        return data


class RiskForm(forms.Form):
    at_risk = forms.BooleanField(label=_("Có nguy cơ lao động sớm"), required=False)
    risk_factors = forms.CharField(
        label=_("Yếu tố nguy cơ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    special_groups = forms.ModelMultipleChoiceField(
        label=_("Hoàn cảnh đặc biệt"),
        queryset=SpecialGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ScreeningForm(forms.Form):
    outcome = forms.ChoiceField(choices=Screening.Outcome.choices)


class MergeForm(forms.Form):
    other = forms.IntegerField(
        label=_("Số hồ sơ trẻ cần gộp vào hồ sơ này (sẽ bị xóa sau khi chuyển dữ liệu)"),
        min_value=1,
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận đây là cùng một trẻ; chuyển toàn bộ dữ liệu rồi xóa hồ sơ kia"),
        required=False,
    )


class WorkRecordForm(forms.ModelForm):
    job_code = forms.ChoiceField(label=_("Công việc"))
    workplace_code = forms.ChoiceField(label=_("Nơi làm việc"))
    started_on = VNDateField(label=_("Bắt đầu làm từ ngày"))
    ended_on = VNDateField(label=_("Kết thúc ngày"), required=False)

    class Meta:
        model = WorkRecord
        fields = [
            "job_code",
            "workplace_code",
            "business",
            "employer_name",
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
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        # "6,5" giờ: the decimal comma of the active language (formats/vi), "6.5" still works.
        localized_fields = ["hours_per_day", "hours_per_week"]

    def __init__(self, *args, user, child, **kwargs):
        from inspections.models import Business

        super().__init__(*args, **kwargs)
        self.child = child
        jobs, places = job_choices(), workplace_choices()
        # A retired catalogue entry still shows on the records that use it.
        if self.instance.pk:
            if self.instance.job_code not in dict(jobs):
                jobs.append((self.instance.job_code, self.instance.job_code))
            if self.instance.workplace_code not in dict(places):
                places.append((self.instance.workplace_code, self.instance.workplace_code))
        self.fields["job_code"].choices = [("", _("— Chọn công việc —")), *jobs]
        self.fields["workplace_code"].choices = places
        self.fields["workplace_code"].initial = "normal"
        self.fields["business"].queryset = Business.objects.for_user(user).order_by("name")
        self.fields["business"].required = False
        self.fields["business"].empty_label = _("— Không rõ / hộ gia đình —")
        for name in ("hours_per_day", "hours_per_week"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = 0
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        self.fields["hours_per_day"].max_value = 24
        self.fields["hours_per_week"].max_value = 168

    def clean_hours_per_day(self):
        value = self.cleaned_data.get("hours_per_day")
        if value is not None and not (0 <= value <= 24):
            raise forms.ValidationError(_("Số giờ/ngày phải từ 0 đến 24."))
        return value

    def clean_hours_per_week(self):
        value = self.cleaned_data.get("hours_per_week")
        if value is not None and not (0 <= value <= 168):
            raise forms.ValidationError(_("Số giờ/tuần phải từ 0 đến 168."))
        return value

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        today: date = timezone.localdate()
        if started and started > today:
            self.add_error("started_on", _("Ngày bắt đầu không được sau ngày hôm nay."))
        if started and started < self.child.birth_date:
            self.add_error("started_on", _("Ngày bắt đầu không thể trước ngày sinh của trẻ."))
        if started and ended and ended < started:
            self.add_error("ended_on", _("Ngày kết thúc không thể trước ngày bắt đầu."))
        day, week = data.get("hours_per_day"), data.get("hours_per_week")
        if day is not None and week is not None and week < day:
            self.add_error("hours_per_week", _("Số giờ/tuần không thể ít hơn số giờ/ngày."))
        return data
