from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken


class Command(BaseCommand):
    help = "Tạo một mã truy cập API cho người dùng và in nó ra (chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="Tên của mã (để nhận ra và thu hồi).")
        parser.add_argument(
            "--days",
            type=int,
            default=settings.API_TOKEN_DAYS,
            help="Số ngày hiệu lực (mặc định API_TOKEN_DAYS).",
        )

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng đang hoạt động tên {username!r}.")
        if days < 1:
            raise CommandError("--days phải từ 1 trở lên.")
        token, key = ApiToken.issue(user=user, name=name, days=days)
        self.stderr.write(
            f"Mã {token.name!r} của {username}, hết hạn {token.expires_at:%d/%m/%Y}. "
            "Hãy lưu lại ngay: mã chỉ hiện một lần."
        )
        self.stdout.write(key)
