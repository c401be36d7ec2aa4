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
