from django.core.management.base import BaseCommand, CommandError

from dongnguyen.cli import ward_by_code
from imports.models import ImportJob
from imports.resources import RESOURCES
from imports.services import import_records


class Command(BaseCommand):
    help = (
        "Nhập hộ gia đình, trẻ em, cơ sở hoặc hộ dự buổi tuyên truyền từ tệp .xlsx/.csv "
        "(cùng cách kiểm tra như trên web; có dòng lỗi thì không nhập dòng nào)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì vào dữ liệu."
        )
        parser.add_argument(
            "--ward",
            metavar="CODE",
            help="Mã phường, xã nhận dữ liệu (mặc định: phường, xã đầu tiên); "
            "mã tổ dân phố trong tệp phải thuộc phường, xã này.",
        )

    def handle(self, *args, kind, file, dry_run, ward=None, **options):
        try:
            job = import_records(kind=kind, path=file, dry_run=dry_run, ward=ward_by_code(ward))
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp: {file}") from exc
        out = self.stdout
        out.write(
            f"Tệp {job.original_name}: {job.total_rows} dòng — thêm mới {job.count_new}, "
            f"cập nhật {job.count_update}, không đổi {job.count_unchanged}, lỗi {job.count_error}."
        )
        if job.message:
            self.stderr.write(job.message)
        for err in job.errors:
            self.stderr.write(f"Dòng {err['row']}: {err['message']}")
        if job.message or job.count_error or job.status == ImportJob.Status.FAILED:
            raise CommandError("Không nhập dòng nào vì tệp có lỗi.")
        if dry_run:
            out.write("Chạy thử (--dry-run): chưa ghi gì vào dữ liệu.")
        else:
            out.write(self.style.SUCCESS(f"Đã nhập xong (lần nhập số {job.pk})."))
