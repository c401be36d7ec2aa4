from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Kind

MAX_UPLOAD_MB = getattr(settings, "IMPORT_MAX_UPLOAD_MB", 30)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=Kind.choices)
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV (.csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(
                _("Sai loại tệp: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
            )
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Tệp lớn quá %(n)s MB: hãy chia thành nhiều tệp.") % {"n": MAX_UPLOAD_MB}
            )
        return upload


class SchoolAttendanceForm(forms.Form):
    """A month of one school's attendance from a sheet (the focal teacher's, or the officer's
    for a school of the ward)."""

    school = forms.ModelChoiceField(label=_("Trường"), queryset=None, empty_label=None)
    month = forms.CharField(
        label=_("Tháng"),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Tháng của số ngày nghỉ trong tệp."),
    )
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV (.csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    clean_file = UploadForm.clean_file

    def __init__(self, *args, user, **kwargs):
        from schools.models import School

        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.for_user(user)

    def clean_month(self):
        from schools.forms import parse_month

        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Tháng không hợp lệ: chọn tháng, ví dụ 11/2026."))
        return month
