from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child
from dongnguyen.forms import VNDateField

from .models import Enrolment, School


def parse_month(value: str | None) -> date | None:
    """ "2026-11" (an <input type=month>) or "11/2026" → the first day of that month."""
    value = (value or "").strip()
    for sep, order in (("-", (0, 1)), ("/", (1, 0))):
        parts = value.split(sep)
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            year, month = int(parts[order[0]]), int(parts[order[1]])
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return date(year, month, 1)
    return None


def last_month() -> date:
    first = timezone.localdate().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["child", "school", "class_name", "school_year", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = (
            Child.objects.for_user(user).current().select_related("household__group")
        )
        self.fields["school"].queryset = School.objects.for_user(user)


class AttendanceRowForm(forms.Form):
    days_absent = forms.IntegerField(label=_("Số ngày nghỉ"), min_value=0, max_value=31)
    days_absent_unexcused = forms.IntegerField(
        label=_("Nghỉ không phép"), min_value=0, max_value=31
    )


class ContactForm(forms.Form):
    contacted_on = VNDateField(label=_("Ngày liên hệ"), initial=timezone.localdate)
    outcome = forms.CharField(
        label=_("Kết quả liên hệ"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
