import json

from django.core.management.base import BaseCommand, CommandError

from dongnguyen.cli import ward_by_code
from households.models import ResidentialGroup
from reports.kpis import compute, compute_all_wards
from reports.periods import PeriodError, parse_period


class Command(BaseCommand):
    help = "In các chỉ tiêu của danh mục (reports/catalogue.py) cho một kỳ (toàn phường hoặc một tổ dân phố)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026, 2026-H1, 2026-Q3 hoặc A..B")
        parser.add_argument("--group", help="mã tổ dân phố, ví dụ TDP-01")
        parser.add_argument("--json", action="store_true", help="in dạng JSON")
        parser.add_argument("--ward", help="mã phường, xã (mặc định: phường đầu tiên)")
        parser.add_argument(
            "--all-wards",
            action="store_true",
            help="mọi phường, xã đang hoạt động và mọi tổ dân phố của từng nơi (tính một lần)",
        )

    def handle(self, *args, period, group=None, json=False, ward=None, all_wards=False, **options):
        try:
            p = parse_period(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if all_wards:
            if ward or group:
                raise CommandError("--all-wards không dùng cùng --ward hoặc --group.")
            return self._all_wards(p, json)
        the_ward = ward_by_code(ward)
        scope = None
        if group:
            scope = ResidentialGroup.objects.filter(
                ward=the_ward, code__iexact=group.strip()
            ).first()
            if scope is None:
                raise CommandError(f"Không có tổ dân phố mã “{group}”.")
        values = compute(p, group=scope, ward=the_ward)
        if json:
            self.stdout.write(_dumps(_json(values)))
            return
        self.stdout.write(f"Chỉ tiêu {p.label}" + (f" — {scope}" if scope else " — toàn phường"))
        for v in values:
            self._line(v)

    def _all_wards(self, p, json):
        """Every active ward, then each of its groups: with --json a list of {ward, group
        (null for the whole ward), kpis: the list of the --json contract}."""
        computed = compute_all_wards(p)
        if json:
            out = []
            for w, (ward_values, groups) in computed.items():
                out.append({"ward": w.code, "group": None, "kpis": _json(ward_values)})
                out.extend(
                    {"ward": w.code, "group": g.code, "kpis": _json(values)}
                    for g, values in groups.items()
                )
            self.stdout.write(_dumps(out))
            return
        for w, (ward_values, groups) in computed.items():
            self.stdout.write(f"{w.code} {w.name} — {p.label}: {len(groups)} tổ dân phố")
            for v in ward_values:
                self._line(v)

    def _line(self, v):
        shown = "—" if v.value is None else v.value
        mark = {True: "đạt", False: "chưa đạt", None: "—"}[v.met]
        self.stdout.write(
            f"{v.code:4} {shown!s:>7}  ({v.numerator}/{v.denominator})  {mark}  {v.name}"
        )


def _json(values) -> list:
    return [v.as_json() for v in values]


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
