"""The yearly estimate (dự toán) the finance office keeps. What was spent against it is on
the reports app's budget page (it reads the costs of every activity)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.forms import add_service_errors
from dongnguyen.permissions import may, permission_required
from dongnguyen.text import as_id

from . import services
from .forms import EstimateForm
from .models import BudgetEstimate


def _year(request) -> int:
    year = as_id(request.GET.get("year", ""))
    today = timezone.localdate()
    return year if year and 2000 <= year <= today.year + 1 else today.year


@permission_required("budget.view")
def estimate_list(request):
    year = _year(request)
    rows = list(BudgetEstimate.objects.for_user(request.user).filter(year=year))
    return render(
        request,
        "funding/estimate_list.html",
        {
            "rows": rows,
            "total": sum(r.amount_vnd for r in rows),
            "year": str(year),
            "can_edit": may(request.user, "budget.edit"),
            "breadcrumbs": [(_("Dự toán kinh phí"), None)],
        },
    )


@permission_required("budget.edit")
def estimate_edit(request, pk=None):
    estimate = (
        get_object_or_404(BudgetEstimate.objects.for_user(request.user), pk=pk) if pk else None
    )
    initial = {} if estimate else {"year": _year(request)}
    form = EstimateForm(request.POST or None, instance=estimate, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.estimate_save(estimate=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dự toán."))
            return redirect(reverse("funding:estimate_list") + f"?year={saved.year}")
    title = str(estimate) if estimate else _("Thêm dòng dự toán")
    return render(
        request,
        "coordination/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": reverse("funding:estimate_list"),
            "breadcrumbs": [
                (_("Dự toán kinh phí"), reverse("funding:estimate_list")),
                (title, None),
            ],
        },
    )
