from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VNDateField
from dongnguyen.models import Agency
from dongnguyen.text import person_name

from .models import Meeting, MeetingAction


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
