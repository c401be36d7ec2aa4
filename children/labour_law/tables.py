"""The labour law's tables: age bands, listed jobs and workplaces, hours, fines (Bộ luật Lao động 2019, TT09/2020)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

BLLD = "Bộ luật Lao động 2019"


TT09 = "Thông tư 09/2020/TT-BLĐTBXH"


BAND_UNDER_13 = "under_13"


BAND_13_15 = "13_15"


BAND_15_18 = "15_18"


BAND_ADULT = "adult"


BANDS = (BAND_UNDER_13, BAND_13_15, BAND_15_18, BAND_ADULT)


CHILD_AGE_LIMIT = 16  # Luật Trẻ em 2016 art. 1: a child is under 16.


TAG_APP2 = "app2"  # TT09 Appendix II: light jobs allowed from 13 to under 15.


TAG_UNDER13 = "under13_exception"  # arts and sport allowed under 13 with provincial approval.


TAG_ART147_1 = "art147_1"  # BLLĐ art. 147(1): banned under 18.


TAG_APP3 = "app3"  # TT09 Appendix III: banned under 18.


TAG_APP5 = "app5"  # TT09 Appendix V: 15–17 may work overtime or at night.


LIST_TAGS = frozenset({TAG_APP2, TAG_UNDER13, TAG_ART147_1, TAG_APP3, TAG_APP5})


BANNED_JOB_TAGS = frozenset({TAG_ART147_1, TAG_APP3})


FINE_REGISTER = "register"


FINE_CONDITIONS = "conditions"


FINE_PROHIBITED = "prohibited"


# band -> (min VND, max VND, legal basis). Amounts are for an individual employer; an
# organisation pays double (art. 6(1)). DOMAIN §2: the amounts are confirmed only in the
# predecessor Nghị định 28/2020 art. 28; UNCONFIRMED for Nghị định 12/2022.
FINE_BANDS: dict[str, tuple[int, int, str]] = {
    FINE_REGISTER: (1_000_000, 2_000_000, "Điều 29 khoản 1 Nghị định 12/2022/NĐ-CP"),
    FINE_CONDITIONS: (20_000_000, 25_000_000, "Điều 29 khoản 2 Nghị định 12/2022/NĐ-CP"),
    FINE_PROHIBITED: (50_000_000, 75_000_000, "Điều 29 khoản 3 Nghị định 12/2022/NĐ-CP"),
}


_FINE_ORDER = (FINE_REGISTER, FINE_CONDITIONS, FINE_PROHIBITED)


# code -> (legal basis, fine band, short Vietnamese label). The legal basis here is the general
# one for the code; a `Violation` carries the exact clause for the worker's age band.
VIOLATION_CODES: dict[str, tuple[str, str, str]] = {
    "under13_job_not_allowed": (
        f"Điều 145 khoản 3, Điều 143 khoản 4 {BLLD}",
        FINE_PROHIBITED,
        "Trẻ dưới 13 tuổi làm công việc ngoài nghệ thuật, thể dục, thể thao",
    ),
    "under13_no_approval": (
        f"Điều 145 khoản 3 {BLLD}",
        FINE_PROHIBITED,
        "Sử dụng trẻ dưới 13 tuổi khi chưa có sự đồng ý của cơ quan lao động cấp tỉnh",
    ),
    "not_light_job": (
        f"Điều 143 khoản 3, Điều 145 khoản 2 {BLLD}; {TT09} Phụ lục II",
        FINE_PROHIBITED,
        "Trẻ từ 13 đến dưới 15 tuổi làm công việc ngoài danh mục công việc nhẹ",
    ),
    "banned_job": (
        f"Điều 147 khoản 1 {BLLD}; {TT09} Phụ lục III",
        FINE_PROHIBITED,
        "Người chưa thành niên làm công việc bị cấm",
    ),
    "banned_workplace": (
        f"Điều 147 khoản 2 {BLLD}; {TT09} Phụ lục IV",
        FINE_PROHIBITED,
        "Người chưa thành niên làm việc ở nơi bị cấm",
    ),
    "hours_per_day": (
        f"Điều 146 {BLLD}",
        FINE_CONDITIONS,
        "Người chưa thành niên làm quá số giờ trong ngày",
    ),
    "hours_per_week": (
        f"Điều 146 {BLLD}",
        FINE_CONDITIONS,
        "Người chưa thành niên làm quá số giờ trong tuần",
    ),
    "overtime": (
        f"Điều 146 {BLLD}; {TT09} Phụ lục V",
        FINE_CONDITIONS,
        "Người chưa thành niên làm thêm giờ trái quy định",
    ),
    "night_work": (
        f"Điều 146 {BLLD}; {TT09} Phụ lục V",
        FINE_CONDITIONS,
        "Người chưa thành niên làm việc ban đêm trái quy định",
    ),
    "no_written_contract": (
        f"Điều 145 khoản 1 điểm a {BLLD}",
        FINE_CONDITIONS,
        "Không có hợp đồng lao động bằng văn bản với trẻ dưới 15 tuổi",
    ),
    "no_guardian_consent": (
        f"Điều 18 khoản 4, Điều 145 khoản 1 điểm a {BLLD}",
        FINE_CONDITIONS,
        "Thiếu chữ ký hoặc văn bản đồng ý của người đại diện theo pháp luật",
    ),
    "no_health_certificate": (
        f"Điều 144 khoản 3, Điều 145 khoản 1 điểm c {BLLD}",
        FINE_CONDITIONS,
        "Không có giấy khám sức khỏe của người chưa thành niên",
    ),
    # A fact about the employer, not one job: `assess_work` never emits it. Listed so the
    # inspection side can record it from Business.has_minor_register with the same catalogue.
    "no_minor_register": (
        f"Điều 144 khoản 3 {BLLD}; {TT09} Điều 12",
        FINE_REGISTER,
        "Không lập, ghi không đầy đủ hoặc không xuất trình sổ theo dõi người chưa thành niên",
    ),
}


HoursValue = Decimal | float | int | None


@dataclass(frozen=True)
class WorkFacts:
    """What an officer saw of one minor's work on one day."""

    birth_date: date
    on_date: date
    job_code: str
    workplace_code: str = "normal"
    hours_per_day: HoursValue = None  # None: not known, so not checked.
    hours_per_week: HoursValue = None
    night_work: bool = False  # any work between 22:00 and 06:00 (BLLĐ art. 106).
    overtime: bool = False
    written_contract: bool = False
    guardian_consent: bool = False
    health_certificate: bool = False
    provincial_approval: bool = False


class Violation(NamedTuple):
    code: str
    legal_basis: str
    message: str
    fine_band: str


@dataclass(frozen=True)
class Assessment:
    age: int
    band: str
    lawful: bool | None  # None for adults: out of scope.
    violations: list[Violation]

    @property
    def is_child(self) -> bool:
        """A child in the sense of Luật Trẻ em (under 16), hence a Decree 56 case."""
        return self.age < CHILD_AGE_LIMIT

    @property
    def violation_codes(self) -> list[str]:
        return [v.code for v in self.violations]

    @property
    def highest_fine_band(self) -> str | None:
        if not self.violations:
            return None
        return max((v.fine_band for v in self.violations), key=_FINE_ORDER.index)

    def violations_as_dicts(self) -> list[dict[str, str]]:
        """JSON-ready form, e.g. for WorkRecord.violations."""
        return [v._asdict() for v in self.violations]


@dataclass(frozen=True)
class JobInfo:
    code: str
    name: str
    lists: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable (a DB row gives a list) but store a frozenset.
        lists = frozenset(self.lists)
        unknown = lists - LIST_TAGS
        if unknown:
            raise ValueError(
                f"Công việc “{self.code}”: nhãn danh mục không hợp lệ {sorted(unknown)}; "
                f"chỉ dùng {sorted(LIST_TAGS)}."
            )
        object.__setattr__(self, "lists", lists)

    @property
    def banned(self) -> bool:
        return bool(self.lists & BANNED_JOB_TAGS)


@dataclass(frozen=True)
class WorkplaceInfo:
    code: str
    name: str
    banned: bool = False
    legal_basis: str = ""


@dataclass(frozen=True)
class Catalogue:
    jobs: Mapping[str, JobInfo]
    workplaces: Mapping[str, WorkplaceInfo]

    @classmethod
    def build(cls, jobs: Iterable[JobInfo], workplaces: Iterable[WorkplaceInfo]) -> Catalogue:
        """Key entries by their code, refusing duplicates (as the DB's unique code would)."""
        return cls(
            jobs=_by_code(jobs, "công việc"), workplaces=_by_code(workplaces, "nơi làm việc")
        )

    def job(self, code: str) -> JobInfo:
        try:
            return self.jobs[code]
        except KeyError:
            raise ValueError(f"Mã công việc “{code}” không có trong danh mục.") from None

    def workplace(self, code: str) -> WorkplaceInfo:
        try:
            return self.workplaces[code]
        except KeyError:
            raise ValueError(f"Mã nơi làm việc “{code}” không có trong danh mục.") from None


def _by_code(items, what: str) -> Mapping:
    result = {}
    for item in items:
        if item.code in result:
            raise ValueError(f"Mã {what} “{item.code}” bị trùng trong danh mục.")
        result[item.code] = item
    return MappingProxyType(result)


_APP2 = frozenset({TAG_APP2})


_ART147 = frozenset({TAG_ART147_1})


# Arts and sport are the under-13 exception and (with other jobs) on Appendix V. Appendix V's
# full list is UNCONFIRMED: it lives in data, so no other default job is tagged app5 here.
_ARTS_SPORT = frozenset({TAG_APP2, TAG_UNDER13, TAG_APP5})


DEFAULT_CATALOGUE = Catalogue.build(
    jobs=[
        JobInfo("performing_arts", "Biểu diễn nghệ thuật", _ARTS_SPORT),
        JobInfo("sports", "Vận động viên thể dục, thể thao", _ARTS_SPORT),
        JobInfo("software", "Lập trình phần mềm", _APP2),
        JobInfo(
            "traditional_craft",
            "Nghề truyền thống (không có công đoạn dùng hóa chất độc hại)",
            _APP2,
        ),
        JobInfo(
            "fine_handicraft",
            "Thủ công mỹ nghệ (thêu, đồ gỗ trang trí, lược sừng, tò he, xâu hạt, con rối...)",
            _APP2,
        ),
        JobInfo(
            "natural_material_weaving",
            "Đan lát đồ gia dụng từ nguyên liệu tự nhiên (mây, tre, cói...)",
            _APP2,
        ),
        JobInfo("food_wrapping_manual", "Gói nem, kẹo, bánh bằng tay (không dùng máy)", _APP2),
        JobInfo("silkworm_raising", "Nuôi tằm", _APP2),
        JobInfo("clean_veg_gardening", "Làm cỏ, thu hoạch vườn rau sạch", _APP2),
        JobInfo("livestock_grazing", "Chăn thả gia súc", _APP2),
        JobInfo("net_mending_fish_drying", "Vá lưới, phơi khô thủy sản", _APP2),
        JobInfo(
            "thread_cutting_buttons",
            "Cắt chỉ, đính cúc, đóng hộp sản phẩm dệt may thủ công",
            _APP2,
        ),
        JobInfo("heavy_lifting", "Mang, vác, nâng vật nặng vượt quá thể trạng", _ART147),
        JobInfo(
            "alcohol_tobacco",
            "Sản xuất, kinh doanh cồn, rượu, bia, thuốc lá, chất gây nghiện",
            _ART147,
        ),
        JobInfo(
            "chemicals_explosives",
            "Sản xuất, sử dụng, vận chuyển hóa chất, khí gas, chất nổ (kể cả dung môi sơn)",
            _ART147,
        ),
        JobInfo("machine_maintenance", "Bảo trì, bảo dưỡng thiết bị, máy móc", _ART147),
        JobInfo("demolition", "Phá dỡ công trình xây dựng", _ART147),
        JobInfo("metal_working", "Nấu, thổi, đúc, cán, dập, hàn kim loại", _ART147),
        JobInfo("sea_diving_offshore_fishing", "Lặn biển, đánh bắt thủy sản xa bờ", _ART147),
        JobInfo(
            "other_general",
            "Công việc khác không thuộc danh mục (phụ bán hàng, may, chạy bàn, chà nhám đồ gỗ...)",
        ),
    ],
    workplaces=[
        WorkplaceInfo("normal", "Nơi làm việc thông thường"),
        WorkplaceInfo(
            "underwater_underground",
            "Dưới nước, dưới lòng đất, trong hang động, đường hầm",
            banned=True,
            legal_basis=f"Điều 147 khoản 2 điểm a {BLLD}",
        ),
        WorkplaceInfo(
            "construction_site",
            "Công trường xây dựng",
            banned=True,
            legal_basis=f"Điều 147 khoản 2 điểm b {BLLD}",
        ),
        WorkplaceInfo(
            "slaughterhouse",
            "Cơ sở giết mổ gia súc",
            banned=True,
            legal_basis=f"Điều 147 khoản 2 điểm c {BLLD}",
        ),
        WorkplaceInfo(
            "entertainment_venue",
            "Sòng bạc, quán bar, vũ trường, karaoke, khách sạn, nhà nghỉ, tắm hơi, xoa bóp, "
            "điểm xổ số, dịch vụ trò chơi điện tử",
            banned=True,
            legal_basis=f"Điều 147 khoản 2 điểm d {BLLD}",
        ),
    ],
)


_UNDER_15 = "Trẻ dưới 15 tuổi"


_15_TO_18 = "Người từ đủ 15 đến dưới 18 tuổi"
