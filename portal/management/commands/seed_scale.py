"""A synthetic ward at scale for the benchmark (bench/run) and load tests.

1× is one real ward (about 12,000 children); 100× (1.2 million children) is the province-wide
scale DESIGN.md plans for. Every record type is made in bulk (bulk_create, through-table
inserts), in realistic proportions, from one random.Random(seed): the same seed, day and size
give the same ward. bulk_create skips Model.save(), so the normalized search_name is set here,
and no simple_history rows are written for these records.
"""

import io
import json
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation

from children.forms_cases import DEFAULT_ASSESSMENT_ITEMS
from children.models import (
    Case,
    CaseAssessmentItem,
    CaseEvent,
    CasePlanAction,
    Child,
    DropoutReason,
    FollowUp,
    FundingSource,
    HealthCheck,
    IntakeChannel,
    IntakeReport,
    Referral,
    SchoolStatus,
    Screening,
    SpecialGroup,
    Support,
    SupportKind,
    WorkRecord,
    nutrition_band,
)
from children.services import workrecord_assess
from coordination.models import FIGURES, AgencyInput, InputKind, Meeting, MeetingAction
from dongnguyen.models import Agency, Ward
from dongnguyen.text import normalize_name
from households.demo import valid_phone
from households.models import Caregiver, Household, PovertyStatus, ResidentialGroup
from inspections.models import Business, Commitment, Inspection, Sector, Violation
from outreach.models import Channel, OutreachSession, Training
from reports.periods import current_periods

WARD_CHILDREN = 12_000  # 1× = one ward
CHILDREN_PER_HOUSEHOLD = 1.6
BATCH = 5_000
# Groups are made in chunks of about this many children so memory stays flat at 100×.
CHUNK_CHILDREN = 15_000

FAMILY = (
    ["Nguyễn"] * 30
    + ["Trần"] * 11
    + ["Lê"] * 9
    + ["Phạm"] * 7
    + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"] * 3
    + ["Đào", "Đinh", "Trịnh", "Lương", "Mạc", "Tạ", "Chu", "Kiều"]
)
MIDDLE_M = ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Gia", "Xuân"]
MIDDLE_F = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Bảo", "Khánh", "Diệu"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khang",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
]
GIVEN_F = [
    "An",
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hằng",
    "Hạnh",
    "Hiền",
    "Hoa",
    "Hương",
    "Huyền",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thu",
    "Thủy",
    "Trang",
    "Trinh",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Yến",
]
STREETS = [
    "Đường 277",
    "Đường Đồng Kỵ",
    "Phố Trang Hạ",
    "Đường Nguyễn Văn Cừ",
    "Phố Đình Bảng",
    "Ngõ Chùa",
    "Đường Lý Thái Tổ",
    "Phố Chợ Đồng Kỵ",
]
WARD_GROUP_NAMES = [
    "Thanh Bình",
    "Thanh Nhàn",
    "Nghè",
    "Đại Đình",
    "Tân Thành",
    "Đồng Tiến",
    "Khu phố Tư",
    "Trang Liệt 1",
    "Trang Liệt 2",
    "Bính Hạ",
    "Đồng Nguyên 1",
    "Đồng Nguyên 2",
]
BUSINESS_KINDS = [
    (Sector.WOODWORK, "Xưởng đồ gỗ mỹ nghệ", True),
    (Sector.WOODWORK, "Cơ sở chạm khắc gỗ", True),
    (Sector.LACQUER, "Xưởng phun sơn PU", True),
    (Sector.SAWMILL, "Xưởng xẻ gỗ", True),
    (Sector.METAL, "Cơ sở gò hàn", True),
    (Sector.CONSTRUCTION, "Đội xây dựng", True),
    (Sector.FOOD, "Quán ăn", False),
    (Sector.ENTERTAINMENT, "Karaoke", True),
    (Sector.TRADE, "Cửa hàng tạp hóa", False),
    (Sector.TRADE, "Cửa hàng đồ gỗ", False),
]
# (job_code, workplace_code): woodworking-village jobs first (DOMAIN §6).
JOBS = [
    ("other_general", "normal"),
    ("other_general", "normal"),
    ("fine_handicraft", "normal"),
    ("traditional_craft", "normal"),
    ("chemicals_explosives", "normal"),
    ("heavy_lifting", "normal"),
    ("machine_maintenance", "normal"),
    ("other_general", "construction_site"),
    ("other_general", "entertainment_venue"),
]
TOPICS = [
    "Phòng ngừa lao động trẻ em trong các xưởng đồ gỗ",
    "Quyền trẻ em và trách nhiệm của gia đình",
    "Quy định về sử dụng lao động chưa thành niên",
    "Tác hại của dung môi, sơn PU đối với trẻ em",
    "Tổng đài 111 — bảo vệ trẻ em",
]
# What a coordination meeting assigns, and to which agency (plan 143 IV: who does what).
MEETING_ACTIONS = [
    ("Rà soát trẻ em bỏ học tại các tổ làng nghề", "vhxh"),
    ("Tổng hợp số liệu của các tổ dân phố cho báo cáo", "vhxh"),
    ("Vận động trẻ em bỏ học trở lại trường", "vhxh"),
    ("Kiểm tra các xưởng mộc, xưởng sơn mới mở", "congan"),
    ("Tuyên truyền pháp luật lao động tại các cơ sở sản xuất", "congan"),
    ("Khám sức khỏe cho trẻ em đang làm việc tại các xưởng", "yte"),
    ("Tư vấn tâm lý cho trẻ em được phát hiện lao động sớm", "yte"),
    ("Sinh hoạt chuyên đề với phụ nữ các tổ làng nghề", "hoiphunu"),
    ("Tổ chức sinh hoạt hè cho thiếu nhi", "doanthanhnien"),
]
# What a case's support and intervention plan (Mẫu 04) asks, and of which agency.
PLAN_ACTIONS = [
    ("Vận động gia đình cho trẻ đi học trở lại", "vhxh"),
    ("Làm việc với chủ cơ sở, chấm dứt sử dụng trẻ", "vhxh"),
    ("Khám sức khỏe, tư vấn tâm lý cho trẻ", "yte"),
    ("Hỗ trợ học bổng, đồ dùng học tập", "hoiphunu"),
    ("Hỗ trợ sinh kế cho gia đình", "mttq"),
    ("Đưa trẻ tham gia sinh hoạt hè, câu lạc bộ", "doanthanhnien"),
]

# The steps at which a case has an approved plan, when a case conference meets.
SUPPORTED = ("plan_approved", "in_progress", "monitoring")
MEETING_AGENCIES = ("vhxh", "yte", "congan", "hoiphunu", "doanthanhnien")

VIOLATION_CODES = ["29.1.a", "29.1.b", "29.2.a", "29.2.c", "29.3.a", "29.3.b"]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, date):  # date and datetime (aware: isoformat keeps the offset)
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)
    return str(value)


def _copy(model, objs) -> None:
    """bulk_create through PostgreSQL's COPY: the same rows (defaults applied by the model's
    __init__, auto_now fields stamped, primary keys set on the objects) at several times the
    speed, since no INSERT statement is built or parsed. Like bulk_create, no save() and no
    signals."""
    if not objs:
        return
    meta = model._meta
    table = meta.db_table
    pk = meta.pk
    with connection.cursor() as cursor:
        if getattr(objs[0], pk.attname) is None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk.column, len(objs)],
            )
            for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, new_id)
        now = timezone.now()
        fields = meta.concrete_fields
        stamped = {
            f.attname
            for f in fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        relations = [f for f in fields if f.is_relation]
        lines = []
        for obj in objs:
            for f in relations:  # a related object saved after it was assigned
                if getattr(obj, f.attname) is None and f.is_cached(obj):
                    related = getattr(obj, f.name)
                    if related is not None:
                        setattr(obj, f.attname, related.pk)
            for name in stamped:
                setattr(obj, name, now)
            obj._state.adding = False
            obj._state.db = "default"
            lines.append("\t".join(_copy_text(getattr(obj, f.attname)) for f in fields))
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        buffer = io.StringIO("\n".join(lines) + "\n")
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN", buffer
        )


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _round(x: float) -> int:
    return max(1, round(x))


class Command(BaseCommand):
    help = (
        "Tạo một phường tổng hợp ở quy mô lớn (1× ≈ 12.000 trẻ em) cho đo hiệu năng. "
        "Chỉ khi DEBUG bật, trừ khi có --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--children",
            type=int,
            default=WARD_CHILDREN,
            help="Số trẻ em của mỗi phường (mặc định 12.000 = 1×).",
        )
        parser.add_argument(
            "--wards",
            type=int,
            default=1,
            help=(
                "Số phường của tỉnh tổng hợp: phường đầu tiên (phường của cài đặt) và N−1 "
                "phường mới, mỗi phường --children trẻ em (99 phường × 12.000 ≈ 1,2 triệu)."
            ),
        )
        parser.add_argument("--seed", type=int, default=143)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (chỉ trên cơ sở dữ liệu thử nghiệm!).",
        )

    def handle(self, *args, children, seed, force, wards=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_scale chỉ chạy khi DEBUG bật; dùng --force nếu chắc chắn đây là cơ sở "
                "dữ liệu thử nghiệm."
            )
        if children < 100:
            raise CommandError("--children phải từ 100 trở lên.")
        if not 1 <= wards <= 999:
            raise CommandError("--wards phải từ 1 đến 999.")
        self.prefix = f"S{seed}-"
        if Household.objects.filter(code__startswith=self.prefix).exists():
            raise CommandError(
                f"Đã có dữ liệu quy mô với seed {seed} (mã hộ {self.prefix}…); "
                "dùng --seed khác hoặc xóa cơ sở dữ liệu."
            )
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}
        self.serial = 0
        started = time.monotonic()
        for index, ward in enumerate(self._wards(wards, seed)):
            # One generator per ward: ward k is the same whatever N is, and the first ward is
            # the single-ward seed_scale of earlier runs. One transaction per ward keeps the
            # write-ahead log and the memory flat at 99 wards.
            self.rng = random.Random(seed if index == 0 else seed * 1000 + index)
            self.ward = ward
            ward_started = time.monotonic()
            with transaction.atomic():
                self._make(children)
            if connection.vendor == "postgresql":
                # The triggers' statements (children 0021, 0027) keep the plans PL/pgSQL
                # made for them in this session, and one made while the special-group table
                # had two pages reads all of it for every child after, 98 wards later
                # (autovacuum, off on the benchmark machine, would have made it plan again):
                # 3.5 s for the first ward, 13 s for the 43rd. Planned again for each ward.
                with connection.cursor() as cursor:
                    cursor.execute("DISCARD PLANS")
            if wards > 1:
                self.stdout.write(
                    f"  phường {index + 1}/{wards} ({ward.code}) xong trong "
                    f"{time.monotonic() - ward_started:.1f} giây",
                )
        # Fresh statistics, as on a live database after autovacuum: otherwise the planner
        # sees empty tables and every benchmark measures plans nobody would get. On
        # PostgreSQL also the visibility map autovacuum sets after bulk inserts, without which
        # no index-only scan is planned (VACUUM cannot run inside a transaction: then only
        # ANALYZE).
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM (ANALYZE)")
            else:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        if wards > 1:
            self.stdout.write(
                f"Đã tạo tỉnh tổng hợp ({wards} phường × {_vn(children)} = "
                f"{_vn(wards * children)} trẻ em) trong {elapsed:.1f} giây:"
            )
        else:
            self.stdout.write(
                f"Đã tạo phường tổng hợp ({_vn(children)} trẻ em) trong {elapsed:.1f} giây:"
            )
        for name, count in self.counts.items():
            self.stdout.write(f"  {name:<38} {_vn(count):>11}")
        self.stdout.write("Đã cập nhật thống kê cho bộ lập kế hoạch truy vấn (ANALYZE).")

    def _wards(self, n: int, seed: int) -> list[Ward]:
        """The first ward (from the settings) and n − 1 synthetic ones of the same province."""
        first = Ward.first()
        wards = [first]
        for i in range(2, n + 1):
            code = f"S{seed % 1000}W{i:03d}"
            ward, created = Ward.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"Phường tổng hợp {i}",
                    "province_name": first.province_name,
                    "plan_number": first.plan_number,
                    "signer_name": first.signer_name,
                    "signer_title": first.signer_title,
                    "signer_prefix": first.signer_prefix,
                },
            )
            if created:
                self.counts["dongnguyen_ward"] = self.counts.get("dongnguyen_ward", 0) + 1
            wards.append(ward)
        return wards

    # -- helpers -------------------------------------------------------------------------------

    def _bulk(self, model, objs, label=None):
        if connection.vendor == "postgresql":
            _copy(model, objs)
        else:
            model.objects.bulk_create(objs, batch_size=BATCH)
        key = label or model._meta.db_table
        self.counts[key] = self.counts.get(key, 0) + len(objs)
        return objs

    def _date_within(self, days_back: int) -> date:
        return self.today - timedelta(days=self.rng.randrange(days_back))

    def _aware(self, d: date, hour: int | None = None) -> datetime:
        hour = self.rng.randrange(7, 18) if hour is None else hour
        return timezone.make_aware(datetime.combine(d, dtime(hour, self.rng.randrange(60))))

    def _name(self, male: bool, family: str | None = None) -> str:
        rng = self.rng
        family = family or rng.choice(FAMILY)
        middle = rng.choice(MIDDLE_M if male else MIDDLE_F)
        return f"{family} {middle} {rng.choice(GIVEN_M if male else GIVEN_F)}"

    # -- the ward ------------------------------------------------------------------------------

    def _make(self, n_children: int):
        rng = self.rng
        factor = n_children / WARD_CHILDREN
        n_groups = max(12, round(12 * factor))
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.special = list(SpecialGroup.objects.values_list("code", flat=True))
        users = list(get_user_model().objects.filter(is_active=True).order_by("pk"))
        self.user = users[0] if users else None
        ward = self.ward

        groups = []
        for i in range(1, n_groups + 1):
            code = f"TDP-{i:02d}" if n_groups <= 99 else f"TDP-{i:04d}"
            name = WARD_GROUP_NAMES[i - 1] if i <= 12 else f"Tổ dân phố số {i}"
            group, created = ResidentialGroup.objects.get_or_create(
                ward=ward, code=code, defaults={"name": name}
            )
            groups.append(group)
            if created:
                self.counts["households_residentialgroup"] = (
                    self.counts.get("households_residentialgroup", 0) + 1
                )

        # Children are dealt to groups evenly, then made group-chunk by group-chunk.
        per_group = [n_children // n_groups] * n_groups
        for i in range(n_children - sum(per_group)):
            per_group[i] += 1
        chunk: list[tuple] = []
        in_chunk = 0
        for group, count in zip(groups, per_group, strict=True):
            chunk.append((group, count))
            in_chunk += count
            if in_chunk >= CHUNK_CHILDREN:
                self._make_chunk(chunk)
                chunk, in_chunk = [], 0
        if chunk:
            self._make_chunk(chunk)

        # Ward-level records: ward-wide sessions and trainings.
        sessions = []
        for _ in range(_round(10 * factor**0.5)):
            sessions.append(
                OutreachSession(
                    group=None,
                    date=self._date_within(365),
                    channel=rng.choice([Channel.LOUDSPEAKER, Channel.WEBSITE, Channel.CONFERENCE]),
                    topic=rng.choice(TOPICS),
                    organizer=self.agencies.get("vhxh"),
                    attendee_count=rng.randrange(50, 400),
                    leaflets=rng.randrange(0, 500),
                    created_by=self.user,
                    ward=ward,
                )
            )
        self._bulk(OutreachSession, sessions)
        trainings = [
            Training(
                title=f"Tập huấn kỹ năng phát hiện, hỗ trợ trẻ em lao động sớm — đợt {i + 1}",
                date=self._date_within(540),
                organizer=rng.choice(Training.Organizer.values),
                outside_participants=rng.randrange(5, 60),
                topics="Luật Trẻ em 2016; Bộ luật Lao động 2019; Nghị định 56/2017/NĐ-CP.",
                ward=ward,
            )
            for i in range(_round(4 + n_groups / 6))
        ]
        self._bulk(Training, trainings)
        if users:
            through = Training.participants.through
            rows = [
                through(training_id=t.pk, user_id=u.pk)
                for t in trainings
                for u in rng.sample(users, k=min(len(users), rng.randrange(1, 8)))
            ]
            self._bulk(through, rows, "outreach_training_participants")
        self._make_coordination(groups)

    def _make_chunk(self, chunk):
        """Households, children and everything hanging off them for a few groups."""
        rng, today = self.rng, self.today
        households: list[Household] = []
        hh_group: list[ResidentialGroup] = []
        children_per_hh: list[int] = []
        for group, count in chunk:
            n_hh = max(1, round(count / CHILDREN_PER_HOUSEHOLD))
            # Every household has at least one child; the rest are dealt at random.
            sizes = [1] * n_hh
            for _ in range(count - n_hh):
                sizes[rng.randrange(n_hh)] += 1
            for size in sizes:
                self.serial += 1
                head_male = rng.random() < 0.7
                head = self._name(head_male)
                # none, poor, near_poor, hardship
                poverty = rng.choices(PovertyStatus.values, weights=[88, 4, 4, 4])[0]
                households.append(
                    Household(
                        code=f"{self.prefix}{self.serial:07d}",
                        head_name=head,
                        search_name=normalize_name(head),
                        address=f"Số {rng.randrange(1, 300)}, {rng.choice(STREETS)}, {group.name}",
                        group=group,
                        phone=valid_phone(f"09{rng.randrange(10**7, 10**8)}"),
                        poverty_status=poverty,
                        ward_id=group.ward_id,
                    )
                )
                hh_group.append(group)
                children_per_hh.append(size)
        self._bulk(Household, households)
        self._bulk(
            Caregiver,
            [
                Caregiver(
                    household=h, name=h.head_name, relation=rng.choice(["Bố", "Mẹ", "Ông", "Bà"])
                )
                for h in households
            ],
        )

        children: list[Child] = []
        for h, size in zip(households, children_per_hh, strict=True):
            family = h.head_name.split(" ", 1)[0]
            for _ in range(size):
                male = rng.random() < 0.52
                name = self._name(male, family)
                birth = today - timedelta(days=rng.randrange(1, 18 * 365))
                age = (today - birth).days // 365
                status, school, dropout_date, reason = self._schooling(age)
                children.append(
                    Child(
                        full_name=name,
                        search_name=normalize_name(name),
                        sex="male" if male else "female",
                        birth_date=birth,
                        household=h,
                        national_id=f"027{rng.randrange(10**8, 10**9)}"
                        if rng.random() < 0.6
                        else "",
                        at_risk=rng.random() < 0.05
                        or (h.poverty_status != PovertyStatus.NONE and rng.random() < 0.3),
                        school_status=status,
                        school_name=school,
                        dropout_date=dropout_date,
                        dropout_reason=reason,
                        registered_on=(
                            registered := min(today, birth + timedelta(days=rng.randrange(0, 60)))
                            if rng.random() < 0.5
                            else today - timedelta(days=rng.randrange(365, 3 * 365))
                        ),
                        # Never before the registration (Child.clean): the benchmark imports
                        # exported rows, and an invalid one failed the whole file.
                        moved_out_on=max(registered, self._date_within(700))
                        if rng.random() < 0.02
                        else None,
                    )
                )
        self._bulk(Child, children)

        # Special circumstances (art. 10(1)) for about 3 % of children.
        through = Child.special_groups.through
        if self.special:
            rows = [
                through(child_id=c.pk, specialgroup_id=rng.choice(self.special))
                for c in children
                if rng.random() < 0.03
            ]
            self._bulk(through, rows, "children_child_special_groups")

        businesses: list[Business] = []
        for group, count in chunk:
            for _ in range(_round(count / 40)):
                sector, kind, high_risk = rng.choice(BUSINESS_KINDS)
                owner = self._name(rng.random() < 0.75)
                name = f"{kind} {owner.rsplit(' ', 1)[1]} {group.name}"
                employees = rng.randrange(2, 40)
                self.serial += 1
                businesses.append(
                    Business(
                        name=name,
                        search_name=normalize_name(name),
                        owner_name=owner,
                        address=f"{rng.choice(STREETS)}, {group.name}",
                        group=group,
                        sector=sector,
                        high_risk=high_risk,
                        employee_count=employees,
                        minor_employee_count=rng.randrange(0, 3) if high_risk else 0,
                        has_minor_register=rng.random() < 0.5,
                        is_organisation=rng.random() < 0.2,
                        code=f"{self.prefix}CS{self.serial:07d}",
                        active=rng.random() < 0.95,
                        ward_id=group.ward_id,
                    )
                )
        self._bulk(Business, businesses)
        biz_by_group: dict[int, list[Business]] = {}
        for b in businesses:
            biz_by_group.setdefault(b.group_id, []).append(b)

        self._make_child_records(children, biz_by_group)
        self._make_inspections(businesses, children)
        self._make_outreach(chunk, households, hh_group, biz_by_group)

    def _schooling(self, age: int):
        rng = self.rng
        if age < 6:
            return SchoolStatus.UNDER_SCHOOL_AGE, "", None, ""
        roll = rng.random()
        if age >= 11 and roll < 0.012:
            reason = rng.choice(DropoutReason.values)
            return SchoolStatus.DROPPED_OUT, "", self._date_within(900), reason
        if age >= 15 and roll < 0.08:
            return SchoolStatus.VOCATIONAL, "Trường Cao đẳng nghề Từ Sơn", None, ""
        if roll > 0.995:
            return SchoolStatus.NOT_ENROLLED, "", None, ""
        school = (
            "Trường Tiểu học Đồng Nguyên"
            if age < 11
            else "Trường THCS Đồng Nguyên"
            if age < 15
            else "Trường THPT Từ Sơn"
        )
        return SchoolStatus.IN_SCHOOL, school, None, ""

    def _make_child_records(self, children, biz_by_group):
        rng, today, user = self.rng, self.today, self.user
        older = [c for c in children if (today - c.birth_date).days >= 10 * 365]
        group_of = {}  # child pk -> group id (through household)
        for c in children:
            group_of[c.pk] = c.household.group_id

        # Work records for about 3 % of children, judged by the labour-law rules.
        workers = rng.sample(older, k=min(len(older), round(len(children) * 0.03)))
        records = []
        for c in workers:
            job, place = rng.choice(JOBS)
            group_biz = biz_by_group.get(group_of[c.pk], [])
            business = rng.choice(group_biz) if group_biz and rng.random() < 0.6 else None
            started = max(c.birth_date + timedelta(days=10 * 365), self._date_within(540))
            hours = Decimal(rng.choice([2, 4, 6, 8, 10]))
            record = WorkRecord(
                child=c,
                business=business,
                employer_name="" if business else self._name(True),
                job_code=job,
                workplace_code=place,
                hours_per_day=hours,
                hours_per_week=hours * rng.choice([3, 5, 6]),
                night_work=rng.random() < 0.1,
                overtime=rng.random() < 0.1,
                written_contract=rng.random() < 0.3,
                guardian_consent=rng.random() < 0.5,
                health_certificate=rng.random() < 0.3,
                started_on=started,
                ended_on=started + timedelta(days=rng.randrange(30, 200))
                if rng.random() < 0.4
                else None,
            )
            workrecord_assess(record)
            records.append(record)
        self._bulk(WorkRecord, records)
        unlawful = [r.child for r in records if r.lawful is False]
        managed = [c for c in children if c.at_risk] + unlawful

        screenings = [
            Screening(
                child=c,
                date=self._date_within(365),
                by=user,
                outcome=rng.choices(
                    Screening.Outcome.values,
                    weights=[80, 12, 3, 5],
                )[0],
            )
            for c in children
            if rng.random() < 0.3
        ]
        self._bulk(Screening, screenings)

        # Tips: mostly about a child at work; some anonymous, some about a business only.
        intakes = []
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        for _ in range(_round(len(children) / 100)):
            c = rng.choice(unlawful) if unlawful and rng.random() < 0.7 else rng.choice(children)
            received = self._aware(self._date_within(365))
            anonymous = rng.random() < 0.3
            intakes.append(
                IntakeReport(
                    receipt_code="PA-" + "".join(rng.choice(alphabet) for _ in range(8)),
                    received_at=received,
                    channel=rng.choice(IntakeChannel.values),
                    anonymous=anonymous,
                    reporter_name="" if anonymous else self._name(rng.random() < 0.5),
                    description="Phát hiện trẻ em làm việc tại xưởng gỗ trong giờ học.",
                    location=f"{rng.choice(STREETS)}",
                    child=c,
                    group_id=group_of[c.pk],
                    status=IntakeReport.Status.CASE_OPENED
                    if rng.random() < 0.75
                    else rng.choice(IntakeReport.Status.values),
                    received_by=user,
                    ward_id=self.ward.pk,
                )
            )
        self._bulk(IntakeReport, intakes)

        steps = [
            Case.Status.RECEIVED,
            Case.Status.ASSESSED,
            Case.Status.PLAN_DRAFTED,
            Case.Status.PLAN_APPROVED,
            Case.Status.IN_PROGRESS,
            Case.Status.MONITORING,
            Case.Status.CLOSED,
        ]
        cases, events = [], []
        for intake in intakes:
            if intake.status != IntakeReport.Status.CASE_OPENED:
                continue
            step = rng.choices(range(len(steps)), weights=[5, 5, 10, 10, 25, 20, 25])[0]
            t = intake.received_at
            stamps = {}
            for k, name in enumerate(
                ["assessed_at", "plan_drafted_at", "plan_approved_at"], start=1
            ):
                if step >= k:
                    t = t + timedelta(hours=rng.randrange(2, 24 * k * 2))
                    stamps[name] = t
            closed = step == len(steps) - 1
            cases.append(
                Case(
                    child=intake.child,
                    intake=intake,
                    status=steps[step],
                    risk_level=rng.choice(Case.RiskLevel.values) if step >= 1 else "",
                    emergency=rng.random() < 0.05,
                    received_at=intake.received_at,
                    closed_at=t + timedelta(days=rng.randrange(30, 120)) if closed else None,
                    closure_outcome=rng.choice(Case.ClosureOutcome.values) if closed else "",
                    assigned_to=user,
                    summary="Trẻ làm việc tại cơ sở đồ gỗ, cần hỗ trợ trở lại trường.",
                    **stamps,
                )
            )
        self._bulk(Case, cases)
        for case in cases:
            previous = ""
            for s in steps[: steps.index(case.status) + 1]:
                events.append(
                    CaseEvent(
                        case=case, from_status=previous, to_status=s, by=user, at=case.received_at
                    )
                )
                previous = s
        self._bulk(CaseEvent, events)

        agencies = [
            self.agencies[c]
            for c in ("yte", "hoiphunu", "doanthanhnien", "mttq")
            if c in self.agencies
        ]
        referrals = [
            Referral(
                child=case.child,
                case=case,
                agency=rng.choice(agencies),
                needs="Hỗ trợ học bổng, khám sức khỏe",
                referred_by=user,
                referred_on=case.received_at.date(),
                closed=case.status == Case.Status.CLOSED,
            )
            for case in cases
            if agencies and rng.random() < 0.6
        ]
        self._bulk(Referral, referrals)

        providers = list(self.agencies.values())
        supports = []
        for c in rng.sample(managed, k=min(len(managed), round(len(children) * 0.04))):
            kind = rng.choice(SupportKind.values)
            supports.append(
                Support(
                    child=c,
                    kind=kind,
                    provider=rng.choice(providers),
                    date=self._date_within(365),
                    amount_vnd=rng.choice([None, 500_000, 1_000_000, 2_000_000, 5_000_000]),
                    funding_source=rng.choice(FundingSource.values),
                    recorded_by=user,
                )
            )
        self._bulk(Support, supports)

        follow_ups = [
            FollowUp(
                child=c,
                date=self._date_within(365),
                working_unlawfully=rng.random() < 0.3,
                in_school=rng.random() < 0.8,
                notes="Gia đình đã cam kết cho trẻ đi học đều.",
                by=user,
            )
            for c in rng.sample(managed, k=min(len(managed), round(len(children) * 0.05)))
        ]
        self._bulk(FollowUp, follow_ups)
        self._make_case_plans(cases)
        self._make_health_checks(unlawful)

    def _make_health_checks(self, unlawful):
        """The health station's check (plan IV.2) of six in ten children found in unlawful
        work, this past year: height and weight for the age, the WHO z-scores read off the
        charts and the nutrition status they give, and a work-related problem for some."""
        rng, today, user = self.rng, self.today, self.user
        checks = []
        for c in unlawful:
            if rng.random() >= 0.6:
                continue
            day = max(c.birth_date, self._date_within(300))
            age = (day - c.birth_date).days / 365.25
            height = Decimal(str(round(110 + 6 * age + rng.uniform(-8, 8), 1)))
            weight = Decimal(str(round(max(15.0, float(height) - 110 + rng.uniform(-6, 6)), 1)))
            height_z = Decimal(str(round(rng.uniform(-3, 2), 2)))
            bmi_z = Decimal(str(round(rng.uniform(-3, 2), 2)))
            hurt = rng.random() < 0.3
            checks.append(
                HealthCheck(
                    child=c,
                    date=min(day, today),
                    by=user,
                    height_cm=height,
                    weight_kg=weight,
                    height_for_age_z=height_z,
                    bmi_for_age_z=bmi_z,
                    nutrition_status=nutrition_band(height_for_age_z=height_z, bmi_for_age_z=bmi_z),
                    findings="Sức khỏe bình thường." if not hurt else "Đau lưng, mỏi vai.",
                    work_related_problems="Đau lưng, mỏi vai do mang vác nặng." if hurt else "",
                    advice="Nghỉ ngơi, ăn uống đủ chất; không làm việc nặng.",
                )
            )
        self._bulk(HealthCheck, checks)

    def _make_case_plans(self, cases):
        """Every assessed case's risk assessment (Mẫu 02/03, the form's six items), and the
        actions of every case's plan once drafted (Mẫu 04): two to four, each by an agency,
        due one week to three months after the plan; those of a closed case done, those due
        before today mostly done, the rest open."""
        rng, today = self.rng, self.today
        with translation.override("vi"):
            texts = [str(t) for t in DEFAULT_ASSESSMENT_ITEMS]
        levels = CaseAssessmentItem.Level.values
        items, actions = [], []
        for case in cases:
            if case.assessed_at is None:
                continue
            for order, text in enumerate(texts):
                items.append(
                    CaseAssessmentItem(case=case, item=text, level=rng.choice(levels), order=order)
                )
            if case.plan_drafted_at is None:
                continue
            drafted = timezone.localdate(case.plan_drafted_at)
            closed = case.status == Case.Status.CLOSED
            chosen = rng.sample(PLAN_ACTIONS, k=rng.randrange(2, 5))
            for order, (text, code) in enumerate(chosen):
                agency = self.agencies.get(code)
                if agency is None:
                    continue
                due = drafted + timedelta(days=rng.randrange(7, 90))
                done_on = None
                if drafted <= today and (closed or (due < today and rng.random() < 0.7)):
                    done_on = max(drafted, min(today, due + timedelta(days=rng.randrange(-5, 10))))
                actions.append(
                    CasePlanAction(
                        case=case,
                        action=text,
                        agency=agency,
                        due_on=due,
                        done_on=done_on,
                        order=order,
                    )
                )
        self._bulk(CaseAssessmentItem, items)
        self._bulk(CasePlanAction, actions)

    def _make_coordination(self, groups):
        """The ward's monthly coordination meetings (giao ban) of the past year and a few
        ad-hoc ones, each assigning two to four actions to the agencies (the older ones mostly
        done, some late, the recent ones open); a case conference for one in eight cases with an
        approved plan; and the agencies' and groups' inputs to the report of the last half-year
        (most sent, some late) and of this one (asked for, a few sent)."""
        rng, today, user, ward = self.rng, self.today, self.user, self.ward
        agencies = {c: self.agencies[c] for c in MEETING_AGENCIES if c in self.agencies}
        meetings = []
        for months_ago in range(12, 0, -1):
            meetings.append(
                Meeting(
                    ward=ward,
                    kind=Meeting.Kind.PERIODIC,
                    date=today - timedelta(days=30 * months_ago - rng.randrange(0, 10)),
                    chair="Phó Chủ tịch UBND phường",
                    attendees="Công chức VH-XH, Trạm Y tế, Công an phường, Hội LHPN, Đoàn TN",
                    agenda="Giao ban công tác phòng ngừa, giảm thiểu lao động trẻ em",
                    minutes="Thống nhất phân công rà soát, kiểm tra và hỗ trợ trẻ em.",
                    created_by=user,
                )
            )
        for _ in range(rng.randrange(1, 4)):
            meetings.append(
                Meeting(
                    ward=ward,
                    kind=Meeting.Kind.ADHOC,
                    date=self._date_within(300),
                    chair="Chủ tịch UBND phường",
                    agenda="Họp đột xuất về phản ánh trẻ em làm việc tại cơ sở sản xuất",
                    created_by=user,
                )
            )
        supported = list(
            Case.objects.filter(ward=ward, status__in=SUPPORTED)
            .order_by("pk")
            .values_list("pk", "received_at")
        )
        for i, (case_id, received_at) in enumerate(supported):
            if i % 8 == 0:
                meetings.append(
                    Meeting(
                        ward=ward,
                        kind=Meeting.Kind.CASE_CONFERENCE,
                        case_id=case_id,
                        date=min(today, timezone.localdate(received_at) + timedelta(days=10)),
                        chair="Công chức Văn hóa - Xã hội",
                        agenda="Họp hội đồng ca: kế hoạch hỗ trợ, can thiệp",
                        created_by=user,
                    )
                )
        self._bulk(Meeting, meetings)
        through = Meeting.agencies.through
        self._bulk(
            through,
            [
                through(meeting_id=m.pk, agency_id=a.pk)
                for m in meetings
                for a in agencies.values()
                if m.kind != Meeting.Kind.CASE_CONFERENCE or rng.random() < 0.5
            ],
            "coordination_meeting_agencies",
        )
        actions = []
        for m in meetings:
            n = 1 if m.kind == Meeting.Kind.CASE_CONFERENCE else rng.randrange(2, 5)
            for what, code in rng.sample(MEETING_ACTIONS, k=n):
                due = m.date + timedelta(days=rng.randrange(7, 45))
                done = due < today and rng.random() < 0.85
                done_on = min(today, due + timedelta(days=rng.randrange(-10, 12))) if done else None
                actions.append(
                    MeetingAction(
                        meeting=m,
                        what=what,
                        agency=agencies.get(code),
                        assignee=user if code not in agencies else None,
                        due_on=due,
                        status=MeetingAction.Status.DONE if done else MeetingAction.Status.OPEN,
                        done_on=max(done_on, m.date) if done_on else None,
                    )
                )
        self._bulk(MeetingAction, actions)

        # The report inputs: the health station, the police and every group, per half-year.
        current = current_periods(today)[1]  # the half-year (reports.periods)
        halves = ((current.previous(), 0.9), (current, 0.2))
        wanted = [(InputKind.HEALTH, agencies.get("yte"), None)]
        wanted.append((InputKind.POLICE, agencies.get("congan"), None))
        wanted += [(InputKind.GROUP, None, g) for g in groups]
        inputs = []
        for period, share_sent in halves:
            due = period.end + timedelta(days=5)
            for kind, agency, group in wanted:
                sent_at = None
                if rng.random() < share_sent:
                    sent_at = self._aware(min(today, due + timedelta(days=rng.randrange(-6, 8))))
                inputs.append(
                    AgencyInput(
                        ward=ward,
                        period=period.code,
                        period_start=period.start,
                        period_end=period.end,
                        kind=kind,
                        agency=agency,
                        group=group,
                        figures={key: rng.randrange(0, 30) for key, _label in FIGURES[kind]}
                        if sent_at
                        else {},
                        results="Đã triển khai rà soát, tuyên truyền theo kế hoạch."
                        if sent_at
                        else "",
                        due_on=due,
                        submitted_at=sent_at,
                        submitted_by=user if sent_at else None,
                        requested_by=user,
                    )
                )
        self._bulk(AgencyInput, inputs)

    def _make_inspections(self, businesses, children):
        rng, user = self.rng, self.user
        inspections = []
        for b in businesses:
            if rng.random() > (0.8 if b.high_risk else 0.3):
                continue
            done = rng.random() < 0.85
            d = self._date_within(365)
            inspections.append(
                Inspection(
                    business=b,
                    planned_on=d,
                    date=d if done else None,
                    status=Inspection.Status.DONE if done else Inspection.Status.PLANNED,
                    kind=rng.choice(Inspection.Kind.values),
                    interdisciplinary=rng.random() < 0.5,
                    team="Công an phường, công chức VH-XH, Trạm Y tế",
                    findings="Cơ sở chưa lập sổ theo dõi lao động chưa thành niên." if done else "",
                    minutes_number=f"{rng.randrange(1, 300)}/BB-KT" if done else "",
                    legal_dissemination=done and rng.random() < 0.8,
                    created_by=user,
                )
            )
        self._bulk(Inspection, inspections)
        violations = []
        for insp in inspections:
            if insp.date is None or rng.random() > 0.2:
                continue
            status = rng.choice(Violation.Status.values)
            violations.append(
                Violation(
                    inspection=insp,
                    code=rng.choice(VIOLATION_CODES),
                    description="Sử dụng người chưa đủ 15 tuổi làm công việc không được phép.",
                    child=rng.choice(children) if rng.random() < 0.5 else None,
                    detected_on=insp.date,
                    fine_vnd=rng.choice([5_000_000, 10_000_000, 20_000_000]),
                    status=status,
                    handled_on=insp.date + timedelta(days=rng.randrange(3, 40))
                    if status != Violation.Status.OPEN
                    else None,
                    decision_number=f"{rng.randrange(1, 200)}/QĐ-XPVPHC"
                    if status == Violation.Status.PENALTY_DECIDED
                    else "",
                )
            )
        self._bulk(Violation, violations)
        commitments = [
            Commitment(business=b, signed_on=self._date_within(365), signer_name=b.owner_name)
            for b in businesses
            if rng.random() < 0.6
        ]
        self._bulk(Commitment, commitments)

    def _make_outreach(self, chunk, households, hh_group, biz_by_group):
        rng, user = self.rng, self.user
        hh_by_group: dict[int, list[Household]] = {}
        for h, g in zip(households, hh_group, strict=True):
            hh_by_group.setdefault(g.pk, []).append(h)
        sessions, reach_hh, reach_biz = [], [], []
        for group, _count in chunk:
            for _ in range(rng.randrange(4, 12)):
                sessions.append(
                    OutreachSession(
                        group=group,
                        date=self._date_within(365),
                        channel=rng.choice(Channel.values),
                        topic=rng.choice(TOPICS),
                        organizer=self.agencies.get(rng.choice(["tdp", "hoiphunu", "vhxh"])),
                        attendee_count=rng.randrange(15, 120),
                        caregiver_count=rng.randrange(5, 60),
                        children_count=rng.randrange(0, 40),
                        leaflets=rng.randrange(0, 200),
                        posters=rng.randrange(0, 5),
                        booklets=rng.randrange(0, 50),
                        created_by=user,
                        ward_id=group.ward_id,
                    )
                )
        self._bulk(OutreachSession, sessions)
        hh_through = OutreachSession.households_reached.through
        biz_through = OutreachSession.businesses_reached.through
        for s in sessions:
            group_hh = hh_by_group.get(s.group_id, [])
            # Door-to-door visits and residents' meetings reach most households of the group.
            share = 0.6 if s.channel in (Channel.DOOR_TO_DOOR, Channel.RESIDENTS_MEETING) else 0.1
            for h in group_hh:
                if rng.random() < share:
                    reach_hh.append(hh_through(outreachsession_id=s.pk, household_id=h.pk))
            for b in biz_by_group.get(s.group_id, []):
                if rng.random() < 0.3:
                    reach_biz.append(biz_through(outreachsession_id=s.pk, business_id=b.pk))
        self._bulk(hh_through, reach_hh, "outreach_session_households_reached")
        self._bulk(biz_through, reach_biz, "outreach_session_businesses_reached")
