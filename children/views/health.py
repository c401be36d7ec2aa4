from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongnguyen.errors import ServiceError
from dongnguyen.forms import VNDateField, add_service_errors
from dongnguyen.permissions import permission_required

from .. import services
from ..models import Child, HealthCheck


class HealthCheckForm(forms.ModelForm):
    date = VNDateField(label=gettext_lazy("Ngày khám"))

    class Meta:
        model = HealthCheck
        fields = [
            "date",
            "height_cm",
            "weight_kg",
            "height_for_age_z",
            "bmi_for_age_z",
            "weight_for_age_z",
            "nutrition_status",
            "findings",
            "work_related_problems",
            "advice",
            "referred_to",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2})
            for f in ("findings", "work_related_problems", "advice")
        }


@permission_required("health.record")
def healthcheck_add(request, pk):
    child = get_object_or_404(Child.objects.for_user(request.user), pk=pk)
    form = HealthCheckForm(request.POST or None, instance=HealthCheck(child=child))
    if request.method == "POST" and form.is_valid():
        try:
            services.healthcheck_record(check=form.instance, by=request.user)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi kết quả khám sức khỏe."))
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "children/healthcheck_form.html",
        {
            "form": form,
            "child": child,
            "breadcrumbs": [
                (_("Trẻ em"), reverse("children:list")),
                (child.full_name, reverse("children:detail", args=[child.pk])),
                (_("Khám sức khỏe"), None),
            ],
        },
    )
