import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import EditConflictMixin, VNDateField
from households.models import Household

from .catalogue import job_choices, workplace_choices
from .labour_law import age_on
from .models import Child, Screening, SpecialGroup, WorkRecord


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
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_national_id(self):
        # Spaces typed between groups of digits are dropped; the model judges the number.
        return re.sub(r"\s", "", self.cleaned_data.get("national_id") or "")

    def clean_registered_on(self):
        return self.cleaned_data.get("registered_on") or (
            self.instance.registered_on if self.instance.pk else timezone.localdate()
        )

    def clean(self):
        """What the model cannot know: whether a 16–17-year-old is entered as a minor worker
        (the form's box). The record's own rules are on Child.clean()."""
        data = super().clean()
        born, today = data.get("birth_date"), timezone.localdate()
        if born and born <= today:
            age = age_on(born, today)
            has_work = self.instance.pk and self.instance.work_records.exists()
            if 16 <= age < 18 and not (has_work or data.get("minor_worker")):
                self.add_error(
                    "birth_date",
                    _(
                        "Người %(age)d tuổi không còn là trẻ em (Luật Trẻ em: dưới 16 tuổi); chỉ "
                        "ghi vào danh sách khi là người lao động chưa thành niên. Nếu đúng vậy, "
                        "đánh dấu ô “Người lao động chưa thành niên” và nhập quá trình làm việc."
                    )
                    % {"age": age},
                )
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

    def __init__(self, *args, user, child, **kwargs):
        from inspections.models import Business

        super().__init__(*args, **kwargs)
        self.child = child
        # The model's rules compare dates with the child's birth date.
        self.instance.child = child
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
        self.fields["hours_per_day"].max_value = 24
        self.fields["hours_per_week"].max_value = 168
