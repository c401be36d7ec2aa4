"""Issue 18 point 5: names, labels, filters and selects read as the ward expects."""

import re

from django.core.files.base import ContentFile
from django.urls import reverse

from children.forms_cases import ReferralForm, SupportForm
from dongnguyen.models import Agency
from dongnguyen.text import file_slug, vn_sort_key
from imports.models import ImportJob
from tests.factories import CaseFactory


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        re.sub(r"\s+", " ", o).strip()
        for o in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)
    ]


def test_it_sorts_in_vietnamese_alphabetical_order():
    names = ["Ủy ban MTTQ", "Biểu diễn", "Bảo trì", "Đoàn thanh niên", "Dạy học", "Hội", "Hồ"]
    assert sorted(names, key=vn_sort_key) == [
        "Bảo trì",
        "Biểu diễn",
        "Dạy học",
        "Đoàn thanh niên",
        "Hồ",
        "Hội",
        "Ủy ban MTTQ",
    ]


def test_it_lists_agencies_in_vietnamese_order(officer):
    labels = [label for _value, label in SupportForm(user=officer).fields["provider"].choices][1:]
    assert labels == sorted(labels, key=vn_sort_key)
    assert labels.index("Đoàn Thanh niên phường") < labels.index("Hội Nông dân phường")
    assert labels[-1] == "Ủy ban MTTQ Việt Nam phường"


def test_it_never_shows_djangos_dashes_in_a_select(db):
    html = str(ReferralForm()["agency"])
    assert "---------" not in html and "— Chọn —" in html


def test_it_offers_all_as_the_empty_choice_of_yes_no_filters(client, officer, police):
    client.force_login(officer)
    children = client.get(reverse("children:list")).content.decode()
    assert _options(children, "at_risk") == ["Tất cả", "Có", "Không"]
    client.force_login(police)
    businesses = client.get(reverse("inspections:business_list")).content.decode()
    assert _options(businesses, "high_risk") == ["Tất cả", "Có", "Không"]
    assert _options(businesses, "active") == ["Tất cả", "Có", "Không"]
    assert "Chưa xác định" not in children + businesses


def test_it_names_the_uploader_not_their_login(client, officer):
    officer.last_name, officer.first_name = "Trần Thị Thu", "Hà"
    officer.save()
    job = ImportJob.objects.create(
        kind="households",
        original_name="ho.xlsx",
        uploaded_by=officer,
        file=ContentFile(b"x", name="ho.xlsx"),
    )
    client.force_login(officer)
    html = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "bởi Trần Thị Thu Hà" in html and f"bởi {officer.username}" not in html


def test_it_names_import_templates_in_vietnamese(client, officer):
    client.force_login(officer)
    response = client.get(reverse("imports:template", args=["households"]))
    assert 'filename="mau-nhap-ho-gia-dinh.xlsx"' in response["Content-Disposition"]
    assert file_slug("Đoàn kiểm tra liên ngành") == "doan-kiem-tra-lien-nganh"


def test_it_words_marking_a_plan_action_done_as_an_action(client, officer):
    case = CaseFactory(status="plan_approved")
    case.actions.create(
        action="Khám sức khỏe", agency=Agency.objects.get(code="yte"), due_on="2026-12-01"
    )
    client.force_login(officer)
    html = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert "Đánh dấu đã thực hiện" in html


def test_it_gives_the_same_household_code_example_in_the_form_and_the_template(officer):
    from households.forms import HouseholdForm
    from imports.columns import HOUSEHOLD_COLUMNS

    example = next(c for c in HOUSEHOLD_COLUMNS if c.key == "code").example
    assert example in str(HouseholdForm(user=officer).fields["code"].help_text)
