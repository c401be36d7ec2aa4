import time

from django.core.management.base import BaseCommand, CommandError

from dongnguyen.cli import ward_by_code
from reports import services
from reports.models import Report
from reports.periods import PeriodError
from reports.tasks import generate_report


class Command(BaseCommand):
    help = (
        "Tạo báo cáo định kỳ/đột xuất (qua cùng tác vụ và dịch vụ như trên web), in đường dẫn PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=Report.Kind.values)
        parser.add_argument("--period", required=True, help="2026-H1, 2026, 2026-Q3 hoặc A..B")
        parser.add_argument("--out", help="chép tệp PDF ra đường dẫn này")
        parser.add_argument(
            "--scope",
            choices=Report.Scope.values,
            default=Report.Scope.WARD,
            help="province: báo cáo tổng hợp toàn tỉnh từ báo cáo đã ban hành của các xã, phường",
        )
        parser.add_argument("--ward", help="mã phường, xã (mặc định: phường đầu tiên)")

    def handle(self, *args, kind, period, out=None, scope=Report.Scope.WARD, ward=None, **options):
        the_ward = ward_by_code(ward) if scope == Report.Scope.WARD else None
        try:
            # report_request has committed the row: queue the same task the web page queues.
            report = services.report_request(
                kind=kind, period=period, enqueue=False, scope=scope, ward=the_ward
            )
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        except services.ReportLocked as exc:
            raise CommandError(str(exc)) from exc
        generate_report.delay(report.pk)
        report.refresh_from_db()
        if report.status == Report.Status.GENERATING:
            # With a broker a worker does the work: wait for the row to change.
            for _ in range(600):
                time.sleep(1)
                report.refresh_from_db()
                if report.status != Report.Status.GENERATING:
                    break
        if report.status != Report.Status.READY:
            raise CommandError(report.error or f"Báo cáo chưa tạo xong ({report.status}).")
        path = report.pdf.path
        if out:
            with open(out, "wb") as fh, report.pdf.open("rb") as src:
                fh.write(src.read())
            path = out
        self.stdout.write(path)
