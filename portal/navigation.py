"""The main menu: each entry names the roles that may use it. An entry whose URL is not
(yet) part of the project is left out, so apps add pages without touching this file's logic."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dongnguyen.roles import Role, role_of

R = Role
STAFF = (R.LEADERSHIP, R.CASE_OFFICER)


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    roles: tuple
    icon: str = "circle"


MENU = [
    Entry(_("Trang chủ"), "home", tuple(R.values), "house"),
    Entry(_("Hộ gia đình"), "households:list", (*STAFF, R.COLLABORATOR), "house-door"),
    Entry(
        _("Trẻ em"),
        "children:list",
        (*STAFF, R.COLLABORATOR, R.HEALTH, R.POLICE, R.MASS_ORG),
        "people",
    ),
    Entry(_("Rà soát"), "children:screening", (R.CASE_OFFICER, R.COLLABORATOR), "clipboard-check"),
    Entry(_("Phản ánh"), "children:intake_list", (*STAFF, R.POLICE, R.COLLABORATOR), "megaphone"),
    Entry(
        _("Hồ sơ vụ việc"),
        "children:case_list",
        (*STAFF, R.HEALTH, R.MASS_ORG),
        "folder2-open",
    ),
    Entry(_("Việc cần làm"), "children:tasks", (*STAFF, R.HEALTH, R.MASS_ORG), "list-check"),
    Entry(
        _("Cơ sở SXKD"),
        "inspections:business_list",
        (*STAFF, R.POLICE, R.HEALTH, R.COLLABORATOR),
        "shop",
    ),
    Entry(_("Kiểm tra"), "inspections:inspection_list", (*STAFF, R.POLICE, R.HEALTH), "search"),
    Entry(
        _("Tuyên truyền"),
        "outreach:session_list",
        (*STAFF, R.COLLABORATOR, R.MASS_ORG, R.HEALTH),
        "broadcast",
    ),
    Entry(_("Tập huấn"), "outreach:training_list", (*STAFF,), "mortarboard"),
    Entry(_("Chỉ tiêu"), "reports:dashboard", (*STAFF, R.COLLABORATOR), "speedometer2"),
    Entry(_("Kinh phí hỗ trợ"), "reports:finance", (*STAFF, R.FINANCE), "cash-coin"),
    Entry(_("Báo cáo"), "reports:report_list", (*STAFF,), "file-earmark-text"),
    Entry(_("Nhập dữ liệu"), "imports:list", (R.CASE_OFFICER,), "upload"),
]


def menu_for(user, current_path: str = "") -> list[dict]:
    role = role_of(user)
    if role is None:
        return []
    items = []
    for entry in MENU:
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
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
