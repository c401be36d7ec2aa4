"""Screening pages and work records of a child."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log
from households.screening import screening_group, screening_tabs

from ..catalogue import load_catalogue
from ..filters import years_before
from ..forms_register import ScreeningForm, WorkRecordForm
from ..labour_law import CHILD_AGE_LIMIT, age_on
from ..models import Case, Child, Screening, WorkRecord, managed_list_q
from ..services import (
    case_open,
    screening_record,
    workrecord_assess,
    workrecord_save,
)
from .register import _child_crumbs, _scoped_child


def unscreened_children(user, group, on=None, *, whole_register=False):
    """Children of a group (None: of every group in the user's scope) under 16 and still
    living here with no Screening in the calendar year of `on`: the managed list's (at risk or
    in special circumstances), or with `whole_register` every register child (the yearly
    screening of all children, plan II.2)."""
    on = on or timezone.localdate()
    scope = Child.objects.for_user(user)
    children = scope.current(on)
    if group is not None:
        children = children.filter(household__group=group)
    children = children.filter(birth_date__gt=years_before(on, CHILD_AGE_LIMIT))
    if not whole_register:
        children = children.filter(managed_list_q())
    return (
        children.exclude(screenings__date__gte=on.replace(month=1, day=1))
        .select_related("household")
        .prefetch_related("special_groups")
    )


@permission_required("child.screen")
def screening(request):
    groups, group = screening_group(request)
    whole = request.GET.get("whole") == "1"
    page = Paginator(
        unscreened_children(request.user, group, whole_register=whole)
        if group
        else Child.objects.none(),
        100,
    ).get_page(request.GET.get("page"))
    access_log(request, None, "view", _("danh sách rà soát"), shown=page, model=Child)
    query = f"group={group.code}" if group else ""
    return render(
        request,
        "children/screening.html",
        {
            **screening_tabs(request, group, "whole" if whole else "managed"),
            "groups": groups,
            "group": group,
            "whole": whole,
            "page": page,
            "query": f"{query}&whole=1" if whole else query,
            "outcomes": Screening.Outcome.choices,
            "next_url": request.get_full_path(),
            "year": timezone.localdate().year,
            "breadcrumbs": [(_("Rà soát"), None)],
        },
    )


@permission_required("child.screen")
@require_POST
def screening_record_view(request, pk):
    child = _scoped_child(request, pk)
    form = ScreeningForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Kết quả rà soát không hợp lệ."))
    try:
        done = screening_record(child=child, outcome=form.cleaned_data["outcome"], by=request.user)
    except ServiceError as exc:  # the child's record breaks a rule: fix it on its page first
        return HttpResponseBadRequest(exc.text)
    if request.htmx:
        return render(
            request,
            "children/_screening_row.html",
            {"child": child, "done": done, "next_url": request.htmx.current_url_abs_path or ""},
        )
    messages.success(request, _("Đã ghi kết quả rà soát cho %(name)s.") % {"name": child.full_name})
    return redirect(reverse("children:screening") + f"?group={child.household.group.code}")


def _workrecord_form(request, child, record):
    if record.pk:
        access_log(request, record, "view", _("trang sửa"))
    else:
        access_log(request, child, "view", _("thêm quá trình làm việc"))
    form = WorkRecordForm(request.POST or None, instance=record, user=request.user, child=child)
    assessment = None
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.child = child
        if "save" in request.POST:
            try:
                workrecord_save(record=record, by=request.user)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                if getattr(record, "linked_to_existing", False):
                    messages.info(
                        request,
                        _(
                            "Trẻ đã có quá trình làm việc này đang diễn ra tại cơ sở: thông tin "
                            "vừa nhập được cập nhật vào quá trình làm việc đó, không tạo mới."
                        ),
                    )
                else:
                    messages.success(request, _("Đã lưu quá trình làm việc."))
                return redirect("children:workrecord_detail", record.pk)
        if form.is_valid():
            assessment = workrecord_assess(record, catalogue=load_catalogue())
    title = _("Sửa quá trình làm việc") if record.pk else _("Thêm quá trình làm việc")
    return render(
        request,
        "children/workrecord_form.html",
        {
            "form": form,
            "child": child,
            "record": record,
            "assessment": assessment,
            "title": title,
            "breadcrumbs": _child_crumbs(child, (title, None)),
        },
    )


@permission_required("child.edit")
def workrecord_add(request, pk):
    child = _scoped_child(request, pk)
    return _workrecord_form(request, child, WorkRecord(child=child))


@permission_required("child.edit")
def workrecord_edit(request, pk):
    record = get_object_or_404(WorkRecord.objects.for_user(request.user), pk=pk)
    child = _scoped_child(request, record.child_id)
    return _workrecord_form(request, child, record)


@permission_required("child.view_full")
def workrecord_detail(request, pk):
    record = get_object_or_404(
        WorkRecord.objects.for_user(request.user).select_related("business"), pk=pk
    )
    child = _scoped_child(request, record.child_id)
    access_log(request, record, "view")
    age = age_on(child.birth_date, record.started_on)
    catalogue = load_catalogue()
    open_cases = Case.objects.for_user(request.user).filter(child=child).open()
    return render(
        request,
        "children/workrecord_detail.html",
        {
            "record": record,
            "child": child,
            "age": age,
            "is_child": age < CHILD_AGE_LIMIT,
            "job_name": catalogue.jobs[record.job_code].name
            if record.job_code in catalogue.jobs
            else record.job_code,
            "workplace_name": catalogue.workplaces[record.workplace_code].name
            if record.workplace_code in catalogue.workplaces
            else record.workplace_code,
            "open_cases": open_cases,
            "can_edit": may(request.user, "child.edit"),
            "can_open_case": may(request.user, "case.open"),
            "breadcrumbs": _child_crumbs(child, (_("Quá trình làm việc"), None)),
        },
    )


@permission_required("case.open")
@require_POST
def workrecord_open_case(request, pk):
    """One click from an unlawful work record of a child to a Decree 56 case."""
    record = get_object_or_404(WorkRecord.objects.for_user(request.user), pk=pk)
    child = _scoped_child(request, record.child_id)
    if record.lawful is not False or age_on(child.birth_date, record.started_on) >= CHILD_AGE_LIMIT:
        messages.error(
            request,
            _(
                "Chỉ mở hồ sơ vụ việc khi trẻ dưới 16 tuổi làm việc trái quy định; với người "
                "16–17 tuổi, đây là vi phạm pháp luật lao động của người sử dụng lao động."
            ),
        )
        return redirect("children:workrecord_detail", record.pk)
    case = case_open(
        child=child,
        by=request.user,
        summary=_("Phát hiện trẻ làm việc trái quy định (quá trình làm việc #%(id)d).")
        % {"id": record.pk},
        assigned_to=request.user,
    )
    messages.success(request, _("Đã mở hồ sơ vụ việc cho %(name)s.") % {"name": child.full_name})
    return redirect("children:case_detail", case.pk)
