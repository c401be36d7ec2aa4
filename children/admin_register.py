from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .labour_law import LIST_TAGS
from .models import JobType, WorkplaceType


class JobTypeForm(forms.ModelForm):
    class Meta:
        model = JobType
        fields = ["code", "name", "lists", "active"]

    def clean_lists(self):
        tags = [t.strip() for t in self.cleaned_data["lists"].split(",") if t.strip()]
        unknown = sorted(set(tags) - LIST_TAGS)
        if unknown:
            raise forms.ValidationError(
                _("Nhãn không hợp lệ: %(tags)s. Chỉ dùng: %(allowed)s.")
                % {"tags": ", ".join(unknown), "allowed": ", ".join(sorted(LIST_TAGS))}
            )
        return ",".join(sorted(set(tags)))


@admin.register(JobType)
class JobTypeAdmin(admin.ModelAdmin):
    form = JobTypeForm
    list_display = ["code", "name", "lists", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


@admin.register(WorkplaceType)
class WorkplaceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "banned", "legal_basis", "active"]
    list_filter = ["banned", "active"]
    search_fields = ["code", "name"]
