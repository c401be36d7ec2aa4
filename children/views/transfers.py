"""Transfers of a child to another ward (issue 12.5): the sending officer's form, the list of
incoming and outgoing transfers, and the receiving officer's accept / refuse page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.models import Ward
from dongnguyen.permissions import permission_required
from dongnguyen.roles import ward_id_of
from dongnguyen.services import access_log

from ..forms_transfers import TransferAcceptForm, TransferRefuseForm, TransferSendForm
from ..models import Child, Transfer
from ..services import transfer_accept, transfer_refuse, transfer_send


def _crumbs(*extra):
    return [(_("Chuyển trẻ em"), reverse("children:transfer_list")), *extra]


def _own_ward_child(request, pk):
    """A child of the officer's own ward (explicitly: only that ward's children are sent)."""
    qs = Child.objects.for_user(request.user).select_related("household__group")
    if not request.user.is_superuser:
        qs = qs.filter(household__group__ward_id=ward_id_of(request.user))
    return get_object_or_404(qs, pk=pk)


@permission_required("transfer.view")
def transfer_list(request):
    qs = Transfer.objects.for_user(request.user).select_related(
        "from_ward", "to_ward", "sent_by", "accepted_by"
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    access_log(request, None, "view", _("danh sách chuyển trẻ em"), shown=page, model=Transfer)
    return render(
        request,
        "children/transfer_list.html",
        {
            "page": page,
            "my_ward": ward_id_of(request.user),
            "breadcrumbs": [(_("Chuyển trẻ em"), None)],
        },
    )


@permission_required("transfer.send")
def transfer_send_view(request, pk):
    child = _own_ward_child(request, pk)
    wards = Ward.objects.active().exclude(pk=child.household.group.ward_id)
    form = TransferSendForm(request.POST or None, wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfer_send(
                child=child,
                to_ward=form.cleaned_data["to_ward"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã gửi yêu cầu chuyển; %(ward)s cần tiếp nhận.")
                % {"ward": transfer.to_ward.name},
            )
            return redirect("children:transfer_detail", pk=transfer.pk)
    access_log(request, child, "view", _("chuyển trẻ em"))
    return render(
        request,
        "children/transfer_send.html",
        {
            "child": child,
            "form": form,
            "breadcrumbs": [
                (_("Trẻ em"), reverse("children:list")),
                (child.full_name, reverse("children:detail", args=[child.pk])),
                (_("Chuyển sang phường, xã khác"), None),
            ],
        },
    )


def _detail(request, transfer, accept_form=None, refuse_form=None, status=200):
    receiving = transfer.to_ward_id == ward_id_of(request.user) or request.user.is_superuser
    pending = transfer.status == Transfer.Status.SENT
    context = {
        "transfer": transfer,
        "receiving": receiving,
        "pending": pending,
        "breadcrumbs": _crumbs((transfer.child_label, None)),
    }
    if receiving and pending:
        # The receiving officer decides on the record: what the child's file holds.
        child = transfer.child
        context.update(
            child=child,
            case=transfer.case,
            attachments=child.attachments.count(),
            accept_form=accept_form or TransferAcceptForm(ward_id=transfer.to_ward_id),
            refuse_form=refuse_form or TransferRefuseForm(),
        )
        access_log(request, child, "view", _("hồ sơ chuyển đến"))
    access_log(request, transfer, "view")
    return render(request, "children/transfer_detail.html", context, status=status)


def _scoped_transfer(request, pk):
    return get_object_or_404(
        Transfer.objects.for_user(request.user).select_related(
            "from_ward", "to_ward", "child", "case", "sent_by", "accepted_by", "to_household"
        ),
        pk=pk,
    )


@permission_required("transfer.view")
def transfer_detail(request, pk):
    return _detail(request, _scoped_transfer(request, pk))


@permission_required("transfer.decide")
@require_POST
def transfer_decide(request, pk):
    transfer = _scoped_transfer(request, pk)
    if request.POST.get("decision") == "refuse":
        form = TransferRefuseForm(request.POST)
        if form.is_valid():
            try:
                transfer_refuse(transfer=transfer, by=request.user, note=form.cleaned_data["note"])
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã từ chối tiếp nhận."))
                return redirect("children:transfer_detail", pk=pk)
        return _detail(request, transfer, refuse_form=form)
    form = TransferAcceptForm(request.POST, ward_id=transfer.to_ward_id)
    if form.is_valid():
        try:
            transfer_accept(
                transfer=transfer,
                by=request.user,
                household=form.cleaned_data["household"],
                new_household=form.new_household(),
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tiếp nhận trẻ em vào phường, xã."))
            return redirect("children:detail", pk=transfer.child_id)
    return _detail(request, transfer, accept_form=form)
