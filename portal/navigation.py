"""The main menu: each entry names the action (dongnguyen/permissions.py) that its page
requires, so a role sees exactly the entries whose pages it may open. A mistyped URL name
raises NoReverseMatch instead of leaving the entry silently out."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dongnguyen.permissions import may
from dongnguyen.roles import role_of


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    action: str
    icon: str = "circle"


MENU = [
    Entry(_("Trang chủ"), "home", "home.view", "house"),
    Entry(_("Hộ gia đình"), "households:list", "household.view", "house-door"),
    Entry(_("Trẻ em"), "children:list", "child.view", "people"),
    Entry(_("Rà soát"), "children:screening", "child.screen", "clipboard-check"),
    Entry(_("Phản ánh"), "children:intake_list", "intake.record", "megaphone"),
    Entry(_("Hồ sơ vụ việc"), "children:case_list", "case.view", "folder2-open"),
    Entry(_("Việc cần làm"), "children:tasks", "tasks.view", "list-check"),
    Entry(_("Cơ sở SXKD"), "inspections:business_list", "business.view", "shop"),
    Entry(_("Kiểm tra"), "inspections:inspection_list", "inspection.view", "search"),
    Entry(_("Tuyên truyền"), "outreach:session_list", "session.view", "broadcast"),
    Entry(_("Tập huấn"), "outreach:training_list", "training.view", "mortarboard"),
    Entry(_("Trường học"), "schools:list", "school.view", "backpack"),
    Entry(_("Chỉ tiêu"), "reports:dashboard", "dashboard.view", "speedometer2"),
    Entry(_("Kinh phí hỗ trợ"), "reports:finance", "finance.view", "cash-coin"),
    Entry(_("Báo cáo"), "reports:report_list", "report.view", "file-earmark-text"),
    Entry(_("Nhập dữ liệu"), "imports:list", "import.run", "upload"),
    # The province (issue 12): the wards' KPIs and reports, no personal data.
    Entry(_("Toàn tỉnh"), "reports:province_dashboard", "province.dashboard", "map"),
    Entry(_("Báo cáo toàn tỉnh"), "reports:province_report_list", "province.reports", "files"),
    Entry(_("Chuyển trẻ em"), "children:transfer_list", "transfer.view", "arrow-left-right"),
    Entry(_("Trợ giúp"), "help", "home.view", "question-circle"),
    Entry(_("Nhập liệu ngoại tuyến"), "offline_app", "offline.use", "phone"),
    Entry(_("Đồng bộ ngoại tuyến"), "offline_changes", "offline.review", "arrow-repeat"),
    # Who looked at which child (issue 11 point 4): leadership and the case officer.
    Entry(_("Nhật ký truy cập"), "access_log", "accesslog.view", "journal-text"),
    # Issue 15: coordination, funding, social mobilization, agency inputs, good practices.
    Entry(_("Họp phối hợp"), "coordination:meeting_list", "meeting.view", "people-fill"),
    Entry(_("Dự toán kinh phí"), "funding:estimate_list", "budget.view", "piggy-bank"),
    Entry(_("Vận động xã hội hóa"), "funding:donation_list", "donation.view", "gift"),
    Entry(_("Báo cáo của cơ quan"), "coordination:input_list", "agency_input.view", "inbox"),
    Entry(_("Mô hình hay"), "coordination:practice_list", "practice.view", "lightbulb"),
]


def menu_for(user, current_path: str = "") -> list[dict]:
    role = role_of(user)
    if role is None:
        return []
    items = []
    for entry in MENU:
        if not may(user, entry.action):
            continue
        url = reverse(entry.url_name)
        items.append({"label": entry.label, "url": url, "icon": entry.icon, "active": False})
    # One active entry: the longest URL the path falls under (on /tre-em/ho-so/5/ that is
    # "Hồ sơ vụ việc", not also "Trẻ em" at /tre-em/).
    matches = [
        item
        for item in items
        if (
            current_path == item["url"]
            if item["url"] == "/"
            else current_path.startswith(item["url"])
        )
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items
