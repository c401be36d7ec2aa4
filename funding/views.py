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
from .forms import DonationForm, DonorForm, EstimateForm
from .models import BudgetEstimate, Donation, Donor


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


# -- social mobilization ---------------------------------------------------------------------


def support_kinds():
    """The support kinds, read through the reverse relation (funding sits below children and
    does not import it)."""
    support = Donation._meta.get_field("supports").related_model
    return list(support._meta.get_field("kind").choices)


@permission_required("donation.view")
def donation_list(request):
    donations = list(
        Donation.objects.for_user(request.user)
        .with_spent()
        .select_related("donor", "restricted_to_group")
        .order_by("-date", "-pk")[:500]
    )
    kinds = dict(support_kinds())
    for d in donations:
        d.kind_label = kinds.get(d.restricted_to_kind, "")
    return render(
        request,
        "funding/donation_list.html",
        {
            "donations": donations,
            "total_value": sum(d.value for d in donations),
            "total_spent": sum(d.spent for d in donations),
            "donors": Donor.objects.for_user(request.user).order_by("name"),
            "can_edit": may(request.user, "donation.edit"),
            "breadcrumbs": [(_("Vận động xã hội hóa"), None)],
        },
    )


@permission_required("donation.view")
def donation_detail(request, pk):
    donation = get_object_or_404(
        Donation.objects.for_user(request.user).with_spent().select_related("donor"), pk=pk
    )
    kinds = dict(support_kinds())
    # What the donation funded, without naming children: kind, date, value, group.
    uses = [
        {**row, "kind_label": kinds.get(row["kind"], row["kind"])}
        for row in donation.supports.order_by("date", "pk").values(
            "kind", "date", "amount_vnd", "child__household__group__code"
        )
    ]
    return render(
        request,
        "funding/donation_detail.html",
        {
            "donation": donation,
            "uses": uses,
            "kind_label": kinds.get(donation.restricted_to_kind, ""),
            "can_edit": may(request.user, "donation.edit"),
            "breadcrumbs": [
                (_("Vận động xã hội hóa"), reverse("funding:donation_list")),
                (str(donation), None),
            ],
        },
    )


@permission_required("donation.edit")
def donation_edit(request, pk=None):
    donation = get_object_or_404(Donation.objects.for_user(request.user), pk=pk) if pk else None
    form = DonationForm(
        request.POST or None,
        instance=donation,
        user=request.user,
        support_kinds=support_kinds(),
        initial={} if donation else {"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.donation_save(donation=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu khoản tài trợ."))
            return redirect("funding:donation_detail", pk=saved.pk)
    title = str(donation) if donation else _("Ghi nhận khoản tài trợ")
    return _form_page(request, form, title)


@permission_required("donation.edit")
def donor_create(request):
    form = DonorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.donor_save(donor=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhà tài trợ."))
            return redirect("funding:donation_create")
    return _form_page(request, form, _("Thêm nhà tài trợ"))


def _form_page(request, form, title):
    return render(
        request,
        "coordination/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": reverse("funding:donation_list"),
            "breadcrumbs": [
                (_("Vận động xã hội hóa"), reverse("funding:donation_list")),
                (title, None),
            ],
        },
    )
