from django.core.management.base import BaseCommand

from notifications.services import run_pass


class Command(BaseCommand):
    help = "Một lượt nhắc việc: ghi các thông báo đến hạn rồi gửi (chạy lại không gửi trùng)."

    def handle(self, *args, **options):
        result = run_pass()
        self.stdout.write("recorded={recorded} sent={sent} digests={digests}".format(**result))
