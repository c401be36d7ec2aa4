"""Pages of the register: the list of children, a child's page, create, edit, risk and merge."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.models import AccessLog
from dongnguyen.paging import page_of_values, panels, row_url
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log
from dongnguyen.text import query_text
from households.history import history_rows

from ..catalogue import load_catalogue
from ..filters import ChildFilter
from ..forms_cases import AttachmentForm
from ..forms_register import ChildForm, MergeForm, RiskForm
from ..labour_law import age_on
from ..models import Attachment, Case, Child, HealthCheck, SchoolStatus, WorkRecord
from ..services import (
    child_find_duplicates,
    child_merge,
    child_save,
    child_set_risk,
)

PAGE_SIZE = 50
# The latest rows of "who looked at this child" on its page; the rest on the log's own page.
ACCESS_ROWS = 50


def _crumbs(*extra):
    return [(_("Trẻ em"), reverse("children:list")), *extra]


def _child_crumbs(child, *extra):
    return _crumbs((child.full_name, reverse("children:detail", args=[child.pk])), *extra)


def _scoped_child(request, pk):
    return get_object_or_404(
        Child.objects.for_user(request.user).select_related("household__group"), pk=pk
    )


@permission_required("child.view")
def child_list(request):
    filterset = ChildFilter(
        request.GET, queryset=Child.objects.for_user(request.user), request=request
    )
    # A name search pages without COUNT(*): the count would scan every match a second time.
    page = page_of_values(
        filterset.qs,
        _LIST_COLUMNS,
        PAGE_SIZE,
        request.GET.get("page"),
        search=bool(query_text(request, "q")),
        keys_first=True,  # the order index holds the name (Child.Meta.indexes)
    )
    shown = _list_rows(list(page.object_list))
    page.object_list = shown
    access_log(
        request, None, "view", _("danh sách trẻ em"), shown=[r["pk"] for r in shown], model=Child
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "children/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": shown,
            "query": query.urlencode(),
            "can_edit": may(request.user, "child.edit"),
            "breadcrumbs": [(_("Trẻ em"), None)],
        },
    )


# What a row of the list shows, read as tuples: fifty children with their household and group
# as model instances (forty columns each) were a fifth of the page.
_LIST_COLUMNS = (
    "pk",
    "full_name",
    "birth_date",
    "household__group__name",
    "school_status",
    "at_risk",
)


def _list_rows(rows) -> list[dict]:
    """What each row of the list shows, computed once per page rather than per row in the
    template: its link, age, group, school status's label and special groups (one query for
    the page, in the groups' order, as a prefetch would read them). Plain dicts: the template
    reads a dict's key at once, a model's attribute only after a failed key lookup."""
    url = row_url("children:detail")
    school = {value: str(label) for value, label in SchoolStatus.choices}
    today = timezone.localdate()
    groups = {row[0]: [] for row in rows}
    through = Child.special_groups.through
    for child_id, code, name in (
        through.objects.filter(child_id__in=list(groups))
        .order_by("specialgroup__order", "specialgroup__code")
        .values_list("child_id", "specialgroup__code", "specialgroup__name")
    ):
        groups[child_id].append({"code": code, "name": name})
    return [
        {
            "pk": pk,
            "url": url(pk),
            "full_name": full_name,
            "birth_date": birth_date,
            "age": age_on(birth_date, today),
            "group_name": group_name,
            "school_label": school.get(school_status, school_status),
            "at_risk": at_risk,
            "group_badges": groups[pk],
        }
        for pk, full_name, birth_date, group_name, school_status, at_risk in rows
    ]


def _work_record_name(work_records):
    """Names work records in the history by the names the page's records carry (annotated from
    the catalogue), not a query per record; a job only the history knows loads the catalogue
    once."""
    names = {record.job_code: record.job_name for record in work_records}
    loaded = []

    def describe(instance):
        if not isinstance(instance, WorkRecord):
            return None
        if instance.job_code in names:
            return instance.describe(job_name=names[instance.job_code])
        if not loaded:
            loaded.append(load_catalogue())
        return instance.describe(loaded[0])

    return describe


# The panels of a child's page, each read only when the child has rows in it.
_CHILD_PANELS = (
    "work_records",
    "cases",
    "household__caregivers",
    "special_groups",
    "screenings",
    "follow_ups",
    "supports",
    "referrals",
    "attachments",
    "health_checks",
)


@permission_required("child.view")
def child_detail(request, pk):
    child = _scoped_child(request, pk)
    access_log(request, child, "view")
    rows = panels(child, *_CHILD_PANELS)  # a panel the child has no rows in costs no query
    work_records = list(
        rows("work_records", child.work_records.with_catalogue_names().select_related("business"))
    )
    cases = list(rows("cases", Case.objects.for_user(request.user).filter(child=child)))
    for case in cases:
        case.child = child  # Case.__str__ names the child: no query per case
    for record in work_records:
        record.age_at_start = age_on(child.birth_date, record.started_on)
    context = {
        "child": child,
        # Mass organisations see what they need to help: name, group, needs and supports.
        "limited": not may(request.user, "child.view_full"),
        "caregivers": rows("household__caregivers", child.household.caregivers.all()),
        "special_groups": rows("special_groups", child.special_groups.all()),
        "work_records": work_records,
        "screenings": rows("screenings", child.screenings.select_related("by")),
        "follow_ups": rows("follow_ups", child.follow_ups.all()),
        "supports": rows("supports", child.supports.select_related("provider")),
        "referrals": rows("referrals", child.referrals.select_related("agency")),
        "cases": cases,
        # A case's files are listed on the case page; here, the child's own documents.
        "attachments": rows(
            "attachments",
            Attachment.objects.for_user(request.user).filter(child=child, case=None),
        ),
        "attachment_form": AttachmentForm.for_page(request)
        if may(request.user, "attachment.upload")
        else None,
        "can_edit": may(request.user, "child.edit"),
        "can_merge": may(request.user, "child.merge"),
        "household_url": (
            reverse("households:detail", args=[child.household_id])
            if may(request.user, "household.view")
            else None
        ),
        "breadcrumbs": _crumbs((child.full_name, None)),
    }
    if not context["limited"]:
        context["history_url"] = reverse("children:history", args=[child.pk])
    if may(request.user, "health.view"):
        context["health_checks"] = list(
            rows("health_checks", HealthCheck.objects.for_user(request.user).filter(child=child))
        )
        context["can_health"] = may(request.user, "health.record")
    if may(request.user, "accesslog.view"):
        context["viewers_url"] = reverse("children:viewers", args=[child.pk])
    return render(request, "children/detail.html", context)


def _child_panel(request, child, template, title, context):
    """One of the child page's panels opened on demand (its change history, who looked at it):
    the fragment for the page's htmx request, a page of its own for a plain link (without
    JavaScript, or opened in a new tab)."""
    context = {"child": child, **context}
    if request.htmx:
        return render(request, template, context)
    return render(
        request,
        "children/panel_page.html",
        {
            **context,
            "panel_template": template,
            "title": title,
            "breadcrumbs": _child_crumbs(child, (title, None)),
        },
    )


@permission_required("child.view_full")
def child_history(request, pk):
    """The child's change history (its record and its work records), opened on demand from its
    page: the page itself stays light, and the old values (names, numbers) are read, and
    logged, only by whoever asks for them."""
    child = _scoped_child(request, pk)
    title = _("Lịch sử thay đổi")
    access_log(request, child, "view", title)
    work_records = list(child.work_records.with_catalogue_names())
    history = history_rows(
        child.history.all(),
        WorkRecord.history.filter(child_id=child.pk),
        describe=_work_record_name(work_records),
    )
    return _child_panel(request, child, "children/_history_panel.html", title, {"history": history})


@permission_required("accesslog.view")
def child_viewers(request, pk):
    """Who looked at this child, newest first: its own pages, its work records and cases, and
    the lists, searches and exports that showed it (the latest ACCESS_ROWS; the rest on the
    log's own page). Reading it names the child: logged like the child's page."""
    child = _scoped_child(request, pk)
    title = _("Ai đã xem hồ sơ này")
    access_log(request, child, "view", title)
    work_records = list(child.work_records.only("pk"))
    # All the child's cases: the roles that read the log (STAFF) see every case of a child in
    # their scope.
    cases = list(Case.objects.for_user(request.user).filter(child=child).only("pk"))
    rows = list(
        AccessLog.objects.about(child, *work_records, *cases).select_related("user")[:ACCESS_ROWS]
    )
    return _child_panel(
        request,
        child,
        "children/_viewers_panel.html",
        title,
        {"access_rows": rows, "access_rows_more": len(rows) == ACCESS_ROWS},
    )


def _split_duplicates(user, duplicates):
    """The duplicates a user may open, and how many more exist outside their scope (of
    which nothing personal is shown)."""
    ids = [d.pk for d in duplicates]
    visible_ids = set(Child.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    visible = [d for d in duplicates if d.pk in visible_ids]
    return visible, len(ids) - len(visible)


@permission_required("child.edit")
def child_create(request):
    initial = {"household": request.GET.get("household", "")}
    form = ChildForm(request.POST or None, user=request.user, initial=initial)
    duplicates, hidden_duplicates = [], 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = list(
            child_find_duplicates(
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                national_id=data["national_id"],
            )
        )
        if found and not data.get("confirm_duplicate"):
            duplicates, hidden_duplicates = _split_duplicates(request.user, found)
        else:
            child = child_save(
                child=form.save(commit=False),
                by=request.user,
                special_groups=data["special_groups"],
            )
            messages.success(request, _("Đã thêm trẻ %(name)s.") % {"name": child.full_name})
            if data.get("minor_worker"):
                messages.info(request, _("Hãy nhập quá trình làm việc của người lao động này."))
                return redirect("children:workrecord_add", child.pk)
            return redirect("children:detail", child.pk)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "hidden_duplicates": hidden_duplicates,
            "title": _("Thêm trẻ em"),
            "breadcrumbs": _crumbs((_("Thêm mới"), None)),
        },
    )


# The fields that identify a child; an edit of any of them may create a duplicate.
IDENTITY_FIELDS = ("full_name", "birth_date", "national_id")


@permission_required("child.edit")
def child_edit(request, pk):
    child = _scoped_child(request, pk)
    access_log(request, child, "view", _("trang sửa"))
    # Validation writes the typed values onto the instance: name the page before it.
    title = _("Sửa hồ sơ %(name)s") % {"name": child.full_name}
    crumbs = _child_crumbs(child, (_("Sửa"), None))
    form = ChildForm(
        request.POST or None,
        instance=child,
        user=request.user,
        initial={"household": child.household.code},
    )
    duplicates, hidden_duplicates = [], 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = []
        if set(IDENTITY_FIELDS) & set(form.changed_data):
            found = list(
                child_find_duplicates(
                    full_name=data["full_name"],
                    birth_date=data["birth_date"],
                    national_id=data["national_id"],
                    exclude_pk=child.pk,
                )
            )
        if found and not data.get("confirm_duplicate"):
            duplicates, hidden_duplicates = _split_duplicates(request.user, found)
        else:
            try:
                child_save(
                    child=form.save(commit=False),
                    by=request.user,
                    special_groups=data["special_groups"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("children:detail", child.pk)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": child,
            "duplicates": duplicates,
            "hidden_duplicates": hidden_duplicates,
            "title": title,
            "breadcrumbs": crumbs,
        },
    )


@permission_required("child.edit")
def child_risk(request, pk):
    child = _scoped_child(request, pk)
    access_log(request, child, "view", _("nguy cơ, hoàn cảnh đặc biệt"))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}
    ):
        next_url = ""
    form = RiskForm(
        request.POST or None,
        initial={
            "at_risk": child.at_risk,
            "risk_factors": child.risk_factors,
            "special_groups": child.special_groups.all(),
        },
        record=child,
    )
    if request.method == "POST" and form.is_valid():
        try:
            child_set_risk(child=child, by=request.user, **form.cleaned_data)
        except ServiceError as exc:  # the record itself breaks a rule: say which
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã cập nhật nguy cơ của %(name)s.") % {"name": child.full_name}
            )
            return redirect(next_url or reverse("children:detail", args=[child.pk]))
    return render(
        request,
        "children/risk_form.html",
        {
            "form": form,
            "child": child,
            "next": next_url,
            "breadcrumbs": _child_crumbs(child, (_("Nguy cơ, hoàn cảnh đặc biệt"), None)),
        },
    )


def _linked_counts(child):
    """How many records of each kind hang off a child (shown before a merge)."""
    counts = []
    for rel in Child._meta.related_objects:
        n = getattr(child, rel.get_accessor_name()).count()
        if n:
            counts.append((rel.related_model._meta.verbose_name_plural, n))
    n = child.special_groups.count()
    if n:
        counts.append((_("hoàn cảnh đặc biệt"), n))
    return counts


@permission_required("child.merge")
def child_merge_view(request, pk):
    keep = _scoped_child(request, pk)
    form = MergeForm(request.POST or None, initial={"other": request.GET.get("other")})
    other = None
    if request.method == "POST" and form.is_valid():
        other = get_object_or_404(
            Child.objects.for_user(request.user).select_related("household__group"),
            pk=form.cleaned_data["other"],
        )
        if other.pk == keep.pk:
            form.add_error("other", _("Không thể gộp một hồ sơ với chính nó."))
            other = None
        elif form.cleaned_data["confirm"]:
            try:
                child_merge(keep=keep, remove=other, by=request.user)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Đã gộp hồ sơ #%(other)d vào hồ sơ này; mọi dữ liệu liên quan đã được "
                        "chuyển."
                    )
                    % {"other": form.cleaned_data["other"]},
                )
                return redirect("children:detail", keep.pk)
    candidates = child_find_duplicates(
        full_name=keep.full_name,
        birth_date=keep.birth_date,
        national_id=keep.national_id,
        exclude_pk=keep.pk,
    )
    q = query_text(request)
    found = (
        Child.objects.for_user(request.user)
        .search(q)
        .exclude(pk=keep.pk)
        .select_related("household__group")[:20]
        if q
        else []
    )
    candidates, found = list(candidates), list(found)
    shown = [keep, *candidates, *found, *([other] if other else [])]
    access_log(request, None, "view", _("gộp hồ sơ trùng"), shown=shown, model=Child)
    return render(
        request,
        "children/merge.html",
        {
            "keep": keep,
            "other": other,
            "form": form,
            "candidates": candidates,
            "found": found,
            "q": q,
            "keep_counts": _linked_counts(keep),
            "other_counts": _linked_counts(other) if other else [],
            "breadcrumbs": _child_crumbs(keep, (_("Gộp hồ sơ trùng"), None)),
        },
    )
