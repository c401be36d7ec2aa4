from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VNDateField
from dongnguyen.models import Agency
from dongnguyen.text import person_name

from .models import AgencyInput, Meeting, MeetingAction, Practice, tags_store, tags_text


class MeetingForm(forms.ModelForm):
    date = VNDateField(label=_("Ngày họp"))
    agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan dự họp"),
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    case_id = forms.IntegerField(
        label=_("Mã hồ sơ (họp hội đồng ca)"),
        required=False,
        min_value=1,
        help_text=_("Số của hồ sơ, ví dụ 12 cho HS-00012."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "date", "chair", "agencies", "attendees", "agenda", "minutes"]
        fields += ["signed_minutes"]
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("case_id", self.instance.case_id)

    def clean(self):
        data = super().clean()
        self.instance.case_id = data.get("case_id")
        return data

    def _update_errors(self, errors):
        # The model's rule about the case is shown beside the case number field.
        if hasattr(errors, "error_dict") and "case" in errors.error_dict:
            errors.error_dict["case_id"] = errors.error_dict.pop("case")
        super()._update_errors(errors)


class ActionForm(forms.ModelForm):
    due_on = VNDateField(label=_("Hạn hoàn thành"))

    class Meta:
        model = MeetingAction
        fields = ["what", "agency", "assignee", "due_on"]

    def __init__(self, *args, ward_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True, profile__isnull=False)
        if ward_id is not None:
            users = users.filter(profile__ward_id=ward_id)
        self.fields["assignee"].queryset = users.select_related("profile").order_by(
            "last_name", "first_name"
        )
        self.fields["assignee"].label_from_instance = person_name
        self.fields["agency"].queryset = Agency.objects.order_by("name")


class AgencyInputForm(forms.Form):
    """The figures of the input's kind (whole numbers, 0 or more) and its three texts."""

    results = forms.CharField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Ghi kết quả thực hiện trong kỳ.")},
    )
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, agency_input: AgencyInput, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "results": agency_input.results,
                "difficulties": agency_input.difficulties,
                "proposals": agency_input.proposals,
                **{f"fig_{k}": v for k, v in agency_input.figures.items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.agency_input = agency_input
        figure_fields = {
            f"fig_{key}": forms.IntegerField(
                label=label,
                min_value=0,
                max_value=10**12,
                error_messages={
                    "required": _("Nhập số liệu (0 nếu không có)."),
                    "invalid": _("Nhập một số nguyên."),
                    "min_value": _("Số liệu không được âm."),
                },
            )
            for key, label in agency_input.figure_fields
        }
        # The figures first, then the texts.
        self.fields = {**figure_fields, **self.fields}

    @property
    def figures(self) -> dict:
        return {
            key: self.cleaned_data[f"fig_{key}"] for key, _label in self.agency_input.figure_fields
        }


class PracticeForm(forms.ModelForm):
    shared_on = VNDateField(label=_("Ngày chia sẻ"))
    tags_input = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        max_length=400,
        help_text=_("Cách nhau bởi dấu phẩy, ví dụ: tuyên truyền, làng nghề, học bổng."),
    )
    attachment = forms.FileField(
        label=_("Tệp đính kèm"),
        required=False,
        help_text=_("PDF, ảnh, văn bản Word, Excel, PowerPoint hoặc video MP4."),
    )

    class Meta:
        model = Practice
        fields = ["title", "group", "agency", "description", "shared_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, ward_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from households.models import ResidentialGroup

        groups = ResidentialGroup.objects.filter(active=True)
        if ward_id is not None:
            groups = groups.filter(ward_id=ward_id)
        self.fields["group"].queryset = groups.order_by("code")
        self.fields["agency"].queryset = Agency.objects.filter(active=True).order_by("name")
        if self.instance.pk:
            self.initial.setdefault("tags_input", tags_text(self.instance.tags))

    def clean(self):
        data = super().clean()
        self.instance.tags = tags_store(data.get("tags_input", ""))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm"))
