import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from children.filters import ChildFilter, years_before
from children.models import Child, SpecialGroup
from dongnguyen.models import AccessLog
from tests.factories import ChildFactory, HouseholdFactory, WorkRecordFactory


def _today():
    return timezone.localdate()


def _form(household, **extra):
    return {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": "15/03/2015",
        "household": household.code,
        "national_id": "",
        "school_status": "in_school",
        "school_name": "Trường Tiểu học Đồng Kỵ",
        **extra,
    }


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a, code="HGD-01-001")


# -- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("leadership", 200), ("case_officer", 200), ("collaborator", 200), ("finance", 403)],
)
def test_it_opens_the_child_list_by_role(client, personas, persona, status):
    client.force_login(personas[persona])
    assert client.get(reverse("children:list")).status_code == status


def test_it_gives_a_collaborator_of_another_group_404(client, ctv_b, home_a):
    child = ChildFactory(household=home_a)
    record = WorkRecordFactory(child=child)
    client.force_login(ctv_b)
    for name in ("children:detail", "children:edit", "children:risk", "children:workrecord_add"):
        assert client.get(reverse(name, args=[child.pk])).status_code == 404, name
    assert client.get(reverse("children:workrecord_detail", args=[record.pk])).status_code == 404
    response = client.post(
        reverse("children:screening_record", args=[child.pk]), {"outcome": "no_risk"}
    )
    assert response.status_code == 404


def test_it_keeps_leadership_read_only_and_merge_for_officers(client, leader, ctv_a, home_a):
    child = ChildFactory(household=home_a)
    client.force_login(leader)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200
    assert client.get(reverse("children:edit", args=[child.pk])).status_code == 403
    assert client.get(reverse("children:create")).status_code == 403
    client.force_login(ctv_a)
    assert client.get(reverse("children:merge", args=[child.pk])).status_code == 403


def test_it_logs_a_view_of_the_child_detail(client, officer, home_a):
    child = ChildFactory(household=home_a)
    client.force_login(officer)
    client.get(reverse("children:detail", args=[child.pk]))
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (officer, "view", str(child.pk))


def test_it_shows_the_detail_with_linked_records(client, officer, home_a):
    from tests.factories import CaseFactory, FollowUpFactory, ScreeningFactory, SupportFactory

    child = ChildFactory(household=home_a)
    child.special_groups.add(SpecialGroup.objects.get(code="h"))
    WorkRecordFactory(
        child=child,
        job_code="chemicals_explosives",
        violations=[
            {
                "code": "banned_job",
                "legal_basis": "Điều 147 khoản 1",
                "message": "Việc bị cấm",
                "fine_band": "prohibited",
            }
        ],
    )
    ScreeningFactory(child=child)
    FollowUpFactory(child=child, notes="Đã trở lại lớp")
    SupportFactory(child=child)
    CaseFactory(child=child)
    client.force_login(officer)
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    for text in (
        "Trẻ em phải bỏ học",
        "Việc bị cấm",
        "Có nguy cơ lao động sớm",
        "Đã trở lại lớp",
        "Học bổng",
        "Hồ sơ vụ việc",
        "Lịch sử thay đổi",
        "dung môi sơn",
    ):
        assert text in html, text


def test_it_hides_cases_from_collaborators(client, ctv_a, home_a):
    from tests.factories import CaseFactory

    child = ChildFactory(household=home_a)
    CaseFactory(child=child)
    client.force_login(ctv_a)
    assert (
        "Hồ sơ vụ việc"
        not in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    )


# -- search, filters, list -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["nguyen van an", "Nguyễn Văn An", "NGUYEN VAN AN", "  nguyễn  văn an "]
)
def test_it_finds_a_child_whatever_the_diacritics_and_case(rf, officer, home_a, text):
    ChildFactory(full_name="Nguyễn Văn An", household=home_a)
    ChildFactory(full_name="Nguyễn Văn Bình", household=home_a)
    request = rf.get("/", {"q": text})
    request.user = officer
    qs = ChildFilter(request.GET, queryset=Child.objects.for_user(officer), request=request).qs
    assert [c.full_name for c in qs] == ["Nguyễn Văn An"]


def test_it_matches_d_with_the_crossed_d(officer, home_a):
    ChildFactory(full_name="Đỗ Đức Đạt", household=home_a)
    assert Child.objects.search("do duc dat").count() == 1
    assert Child.objects.search("ĐỖ ĐỨC ĐẠT").count() == 1


def test_it_filters_by_age_band_on_birthdays(client, officer, home_a):
    today = _today()
    six = ChildFactory(household=home_a, birth_date=years_before(today, 6))
    five = ChildFactory(household=home_a, birth_date=years_before(today, 6) + dt.timedelta(days=1))
    fifteen = ChildFactory(
        household=home_a, birth_date=years_before(today, 16) + dt.timedelta(days=1)
    )
    client.force_login(officer)

    def band(value):
        return {
            c["pk"]
            for c in client.get(reverse("children:list"), {"age_band": value}).context["page"]
        }

    assert band("under6") == {five.pk}
    assert band("6_10") == {six.pk}
    assert band("11_15") == {fifteen.pk}


def test_it_filters_by_group_risk_special_group_and_school(client, officer, home_a, group_b):
    home_b = HouseholdFactory(group=group_b)
    target = ChildFactory(
        household=home_a,
        at_risk=True,
        school_status="dropped_out",
        dropout_date=dt.date(2026, 1, 5),
        dropout_reason="economic",
    )
    target.special_groups.add(SpecialGroup.objects.get(code="h"))
    ChildFactory(household=home_a)
    ChildFactory(household=home_b, at_risk=True, school_status="dropped_out")
    client.force_login(officer)
    page = client.get(
        reverse("children:list"),
        {
            "group": "TDP-01",
            "at_risk": "true",
            "special_group": "h",
            "school_status": "dropped_out",
        },
    ).context["page"]
    assert [c["pk"] for c in page] == [target.pk]


def test_it_sorts_children_by_birth_date(client, officer, home_a):
    old = ChildFactory(household=home_a, birth_date=dt.date(2011, 1, 1))
    young = ChildFactory(household=home_a, birth_date=dt.date(2020, 1, 1))
    client.force_login(officer)
    page = client.get(reverse("children:list"), {"sort": "-birth_date"}).context["page"]
    assert [c["pk"] for c in page] == [young.pk, old.pk]


def test_it_lists_only_a_collaborators_group(client, ctv_a, home_a, group_b):
    mine = ChildFactory(household=home_a)
    ChildFactory(household=HouseholdFactory(group=group_b))
    client.force_login(ctv_a)
    assert [c["pk"] for c in client.get(reverse("children:list")).context["page"]] == [mine.pk]


def test_it_shows_each_childs_row_with_its_link_age_group_and_labels(client, officer, home_a):
    today = timezone.localdate()
    child = ChildFactory(
        household=home_a,
        full_name="Lê Văn Hàng",
        birth_date=years_before(today, 9),
        school_status="dropped_out",
        at_risk=True,
    )
    child.special_groups.add("d")
    client.force_login(officer)
    page = client.get(reverse("children:list")).content.decode()
    url = reverse("children:detail", args=[child.pk])
    born = child.birth_date.strftime("%d/%m/%Y")
    label = Child(school_status="dropped_out").get_school_status_display()
    assert (
        f'<td><a href="{url}">Lê Văn Hàng</a></td>\n  <td>{born}</td><td class="text-end">9</td>'
        f"\n  <td>Thanh Bình</td>\n  <td>{label}</td>\n"
        '  <td><span class="badge text-bg-danger">Có nguy cơ</span></td>'
    ) in page
    special = SpecialGroup.objects.get(code="d")
    assert f'title="{escape(special.name)}">d</span>' in page


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_children_in_a_constant_number_of_queries(
    client, officer, home_a, django_assert_num_queries, rows
):
    for _ in range(rows):
        child = ChildFactory(household=home_a, at_risk=True)
        child.special_groups.add("d")
    client.force_login(officer)
    # session, user, profile, chosen group (filter validation), count, page rows with household
    # and group, their special groups, the access-log row naming them, group options and
    # special-group options of the form
    with django_assert_num_queries(10):
        response = client.get(reverse("children:list"), {"group": "TDP-01", "at_risk": "true"})
    assert len(response.context["page"]) == rows


def test_it_shows_mass_organisations_only_what_they_need(client, mass_org, officer, home_a):
    from children.models import Referral

    child = ChildFactory(household=home_a, national_id="001214000777")
    Referral.objects.create(
        child=child, agency=mass_org.profile.agency, referred_by=officer, needs="Cần học bổng"
    )
    client.force_login(mass_org)
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Cần học bổng" in html
    assert "001214000777" not in html and "Lịch sử thay đổi" not in html
    assert client.get(reverse("children:edit", args=[child.pk])).status_code == 403


def _child_page_queries(client, child):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("children:detail", args=[child.pk])
    client.get(url)  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_child_page_costs_the_same_queries_whatever_its_records(client, officer, home_a):
    """Work records, screenings, follow-ups, supports, cases and edits in the history: the
    page's query count does not grow with them (no lazy load per case or per history row)."""
    from tests.factories import CaseFactory, FollowUpFactory, ScreeningFactory, SupportFactory

    client.force_login(officer)
    counts = []
    for rows in (1, 4):
        child = ChildFactory(household=home_a)
        for i in range(rows):
            WorkRecordFactory(child=child)
            ScreeningFactory(child=child)
            FollowUpFactory(child=child)
            SupportFactory(child=child)
            CaseFactory(child=child)
            child.special_groups.add(SpecialGroup.objects.order_by("order")[i])
            child.notes = f"Lần sửa {i}"
            child.save()
        count, html = _child_page_queries(client, child)
        assert all(f"HS-{case.pk:05d} {child.full_name}" in html for case in child.cases.all())
        # The history is a panel read on demand: offered on the page, its edits in the panel.
        history_url = reverse("children:history", args=[child.pk])
        assert f'hx-get="{history_url}"' in html and "Lần sửa" not in html
        panel = client.get(history_url, headers={"HX-Request": "true"}).content.decode()
        assert f"Lần sửa {rows - 1}" in panel
        counts.append(count)
    assert counts[0] == counts[1]
    # 29 with three of each, and growing, before; 23 with the history and the viewers on the
    # page; without them (panels read on demand) 19, with health checks.
    assert counts[1] <= 19


def test_a_name_search_pages_without_counting_every_match(client, officer, home_a):
    """The paginator's COUNT(*) would scan every match a second time: a search reads its page
    (+1 row to know there is a next one) and gives the total on its last page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import letters

    for i in range(53):
        ChildFactory(household=home_a, full_name=f"Nguyễn Văn {letters(i)}")
    ChildFactory(household=home_a, full_name="Trần Thị Mai")
    client.force_login(officer)
    url = reverse("children:list")
    with CaptureQueriesContext(connection) as ctx:
        first = client.get(url, {"q": "nguyen van"})
    child_queries = [q["sql"] for q in ctx.captured_queries if '"children_child"' in q["sql"]]
    assert not [q for q in child_queries if "COUNT(" in q.upper()]
    assert len(first.context["page"]) == 50
    html = first.content.decode()
    assert "Trang sau" in html and "Tổng số" not in html
    last = client.get(url, {"q": "nguyen van", "page": 2})
    assert len(last.context["page"]) == 3
    html = last.content.decode()
    assert "Tổng số: 53 trẻ" in html and "Trang sau" not in html and "Trang trước" in html
    # An old link past the end shows the first page, not an error.
    assert client.get(url, {"q": "nguyen van", "page": 9}).context["page"].number == 1


def test_a_child_without_records_costs_fewer_queries_and_shows_each_panel_empty(
    client, officer, home_a
):
    """Most children have rows in few of the page's panels: an empty panel reads no rows (one
    query says which panels have some), and still says it is empty."""
    from tests.factories import FollowUpFactory, ScreeningFactory, SupportFactory

    client.force_login(officer)
    bare = ChildFactory(household=home_a)
    bare_count, html = _child_page_queries(client, bare)
    for empty in ("Chưa rà soát", "Không thuộc nhóm hoàn cảnh đặc biệt", "Chưa có tài liệu."):
        assert empty in html, empty
    screened = ChildFactory(household=home_a)
    screening = ScreeningFactory(child=screened, notes="Gặp tại xưởng gỗ")
    screened_count, html = _child_page_queries(client, screened)
    assert "Gặp tại xưởng gỗ" in html and screening.date.strftime("%d/%m/%Y") in html
    assert "Chưa rà soát" not in html
    assert screened_count == bare_count + 1  # the screenings' own rows, nothing else
    full = ChildFactory(household=home_a)
    for factory in (WorkRecordFactory, ScreeningFactory, FollowUpFactory, SupportFactory):
        factory(child=full)
    full_count, _ = _child_page_queries(client, full)
    assert full_count >= bare_count + 4
