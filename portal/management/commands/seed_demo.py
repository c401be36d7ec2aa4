import importlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import demo


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu (một phường thực tế và một tài khoản cho mỗi vai trò). Chỉ khi DEBUG bật."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa toàn bộ dữ liệu hiện có rồi tạo lại dữ liệu mẫu.",
        )

    def handle(self, *args, reset=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo chỉ chạy khi DEBUG bật (môi trường thử nghiệm); "
                "không bao giờ tạo tài khoản mẫu trên hệ thống thật."
            )
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", verbosity=0)  # data migrations: roles, agencies, holidays
        elif get_user_model().objects.filter(username="vhxh").exists():
            self.stdout.write("Dữ liệu mẫu đã có sẵn (dùng --reset để tạo lại).")
            self._print_logins()
            return
        ctx = demo.new_context()
        with transaction.atomic():
            demo.seed(ctx)
            for name in demo.DEMO_MODULES:
                importlib.import_module(name).seed(ctx)
                self.stdout.write(f"  - {name}: xong")
        self.stdout.write(self.style.SUCCESS("Đã tạo dữ liệu mẫu."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {demo.DEMO_PASSWORD}):")
        for username, full_name, role, _agency, groups in demo.USERS:
            extra = f" — {', '.join(groups)}" if groups else ""
            self.stdout.write(f"  {username:<8} {role.label}{extra} ({full_name})")
        from portal.demo_wards import NEIGHBOURS

        for _code, ward_name, short, *_rest in NEIGHBOURS:
            self.stdout.write(f"  vhxh_{short} / ctv_{short}  phường {ward_name}")
        self.stdout.write("  tinh     Cấp tỉnh (không xem dữ liệu cá nhân)")
        self.stdout.write("  admin    Quản trị hệ thống (superuser)")
