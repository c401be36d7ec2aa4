"""The columns of each kind of file: header, required or not, format note and example. The
import Resources (resources.py), the templates (workbooks.py) and the exports read them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from children.models import DropoutReason, SchoolStatus
from inspections.models import Sector


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    fmt: str
    example: str
    aliases: tuple = ()


HOUSEHOLD_COLUMNS = [
    Column(
        "code",
        gettext_lazy("Mã hộ"),
        True,
        gettext_lazy(
            "Bắt buộc, duy nhất trong phường; dùng để nhận ra hộ đã có (cập nhật thay vì thêm mới)."
        ),
        "HGD-01-001",
    ),
    Column(
        "head_name",
        gettext_lazy("Họ tên chủ hộ"),
        True,
        gettext_lazy("Bắt buộc."),
        "Nguyễn Văn Hùng",
        ("Chủ hộ",),
    ),
    Column(
        "address",
        gettext_lazy("Địa chỉ"),
        True,
        gettext_lazy("Bắt buộc."),
        "Số 12, đường 277, khu phố Đồng Kỵ",
    ),
    Column(
        "group",
        gettext_lazy("Mã tổ dân phố"),
        True,
        gettext_lazy("Bắt buộc; mã tổ đã có trong hệ thống, ví dụ TDP-01."),
        "TDP-01",
        ("Tổ dân phố",),
    ),
    Column(
        "phone",
        gettext_lazy("Số điện thoại"),
        False,
        gettext_lazy("Không bắt buộc; nên định dạng ô là Văn bản để giữ số 0 đầu."),
        "0912345678",
    ),
    Column(
        "poverty_status",
        gettext_lazy("Diện hộ"),
        False,
        gettext_lazy(
            "Hộ nghèo, Hộ cận nghèo (hoặc Cận nghèo), Hoàn cảnh khó khăn, Không. Để trống = Không."
        ),
        "Hộ cận nghèo",
    ),
]

BUSINESS_COLUMNS = [
    Column(
        "code",
        gettext_lazy("Mã cơ sở"),
        True,
        gettext_lazy("Bắt buộc, duy nhất; dùng để nhận ra cơ sở đã có."),
        "CS-0001",
    ),
    Column(
        "name",
        gettext_lazy("Tên cơ sở"),
        True,
        gettext_lazy("Bắt buộc."),
        "Xưởng đồ gỗ Minh Phát",
    ),
    Column(
        "owner_name",
        gettext_lazy("Chủ cơ sở"),
        True,
        gettext_lazy("Bắt buộc."),
        "Trần Văn Phát",
    ),
    Column(
        "address", gettext_lazy("Địa chỉ"), True, gettext_lazy("Bắt buộc."), "Làng nghề Đồng Kỵ"
    ),
    Column(
        "group",
        gettext_lazy("Mã tổ dân phố"),
        True,
        gettext_lazy("Bắt buộc; mã tổ đã có, ví dụ TDP-01."),
        "TDP-01",
        ("Tổ dân phố",),
    ),
    Column(
        "sector",
        gettext_lazy("Ngành nghề"),
        True,
        gettext_lazy("Một trong: %(labels)s.")
        % {"labels": ", ".join(str(s) for s in Sector.labels)},
        "Đồ gỗ mỹ nghệ",
    ),
    Column(
        "high_risk",
        gettext_lazy("Nguy cơ cao"),
        False,
        gettext_lazy("Có hoặc Không; để trống = Không."),
        "Có",
    ),
    Column(
        "employee_count",
        gettext_lazy("Số lao động"),
        False,
        gettext_lazy("Số nguyên; để trống = 0."),
        "12",
    ),
    Column(
        "minor_employee_count",
        gettext_lazy("Số lao động chưa thành niên"),
        False,
        gettext_lazy("Số nguyên, không lớn hơn Số lao động; để trống = 0."),
        "1",
    ),
    Column(
        "has_minor_register",
        gettext_lazy("Có sổ theo dõi lao động chưa thành niên"),
        False,
        gettext_lazy("Có hoặc Không; để trống = Không."),
        "Không",
    ),
    Column(
        "active",
        gettext_lazy("Đang hoạt động"),
        False,
        gettext_lazy("Có hoặc Không; để trống = Có."),
        "Có",
    ),
    Column(
        "phone",
        gettext_lazy("Số điện thoại"),
        False,
        gettext_lazy("Không bắt buộc."),
        "0987654321",
    ),
]

CHILD_COLUMNS = [
    Column(
        "full_name",
        gettext_lazy("Họ và tên"),
        True,
        gettext_lazy("Bắt buộc."),
        "Nguyễn Thị Mai",
        ("Họ tên",),
    ),
    Column("sex", gettext_lazy("Giới tính"), True, gettext_lazy("Nam hoặc Nữ."), "Nữ"),
    Column(
        "birth_date",
        gettext_lazy("Ngày sinh"),
        True,
        gettext_lazy("dd/mm/yyyy, không ở tương lai."),
        "17/05/2014",
    ),
    Column(
        "household",
        gettext_lazy("Mã hộ"),
        True,
        gettext_lazy("Bắt buộc; mã của hộ đã có (nhập hộ gia đình trước)."),
        "HGD-01-001",
    ),
    Column(
        "national_id",
        gettext_lazy("Số định danh cá nhân"),
        False,
        gettext_lazy("Không bắt buộc; đúng 12 chữ số (định dạng ô là Văn bản)."),
        "027214001234",
    ),
    Column(
        "school_status",
        gettext_lazy("Tình trạng học tập"),
        False,
        gettext_lazy("Một trong: %(labels)s. Để trống = Đang đi học.")
        % {"labels": ", ".join(str(s) for s in SchoolStatus.labels)},
        "Đang đi học",
    ),
    Column(
        "school_name",
        gettext_lazy("Trường"),
        False,
        gettext_lazy("Không bắt buộc."),
        "Trường THCS Đồng Nguyên",
    ),
    Column(
        "at_risk",
        gettext_lazy("Có nguy cơ"),
        False,
        gettext_lazy("Có hoặc Không: có nguy cơ lao động sớm. Để trống = Không."),
        "Không",
    ),
    Column(
        "special_groups",
        gettext_lazy("Hoàn cảnh đặc biệt"),
        False,
        gettext_lazy(
            "Mã nhóm a…o theo Điều 10 Luật Trẻ em, cách nhau bởi dấu phẩy, ví dụ “h, k”. Để trống = không thuộc nhóm nào."
        ),
        "",
    ),
    Column(
        "risk_factors",
        gettext_lazy("Yếu tố nguy cơ"),
        False,
        gettext_lazy("Không bắt buộc."),
        "",
    ),
    Column(
        "dropout_date",
        gettext_lazy("Ngày bỏ học"),
        False,
        gettext_lazy(
            "dd/mm/yyyy; bắt buộc khi tình trạng là “Đã bỏ học”, để trống trong các trường hợp khác."
        ),
        "",
    ),
    Column(
        "dropout_reason",
        gettext_lazy("Lý do bỏ học"),
        False,
        gettext_lazy("Khi đã bỏ học, một trong: %(labels)s.")
        % {"labels": ", ".join(str(s) for s in DropoutReason.labels)},
        "",
    ),
    Column(
        "registered_on",
        gettext_lazy("Ngày vào danh sách"),
        False,
        gettext_lazy("dd/mm/yyyy; để trống = hôm nay với trẻ mới, giữ nguyên với trẻ đã có."),
        "",
    ),
    Column(
        "moved_out_on",
        gettext_lazy("Ngày chuyển đi"),
        False,
        gettext_lazy(
            "dd/mm/yyyy; chỉ ghi khi trẻ đã chuyển khỏi phường, để trống = đang ở phường."
        ),
        "",
    ),
]

ATTENDANCE_COLUMNS = [
    Column(
        "session",
        gettext_lazy("Mã buổi tuyên truyền"),
        False,
        gettext_lazy(
            "Số mã của buổi (xem trên trang buổi tuyên truyền). Nếu để trống thì ghi Ngày, Chủ đề và Mã tổ dân phố của buổi."
        ),
        "15",
    ),
    Column(
        "date",
        gettext_lazy("Ngày"),
        False,
        gettext_lazy("Ngày của buổi, dd/mm/yyyy."),
        "20/06/2026",
    ),
    Column(
        "group",
        gettext_lazy("Mã tổ dân phố"),
        False,
        gettext_lazy("Tổ của buổi; để trống nếu là buổi toàn phường."),
        "TDP-01",
    ),
    Column(
        "topic",
        gettext_lazy("Chủ đề"),
        False,
        gettext_lazy("Chủ đề của buổi, đúng như đã ghi (không phân biệt hoa thường, dấu)."),
        "Phòng ngừa lao động trẻ em",
    ),
    Column(
        "household",
        gettext_lazy("Mã hộ"),
        True,
        gettext_lazy("Bắt buộc; mã của hộ được tuyên truyền."),
        "HGD-01-001",
    ),
]
