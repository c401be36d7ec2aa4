"""Demo data for reports: snapshots of the current periods, the 2026-H1 report finalized and
a draft of the year's report. Kept fast: one snapshot pass per period, two PDFs."""

from . import services
from .models import Report
from .periods import current_periods, parse_period


def seed(ctx) -> None:
    for period in current_periods(ctx.today):
        services.snapshot_store(period=period)
    # The quarters of the year so far give the trend chart something to draw.
    for q in range(1, (ctx.today.month - 1) // 3 + 1):
        services.snapshot_store(period=parse_period(f"{ctx.today.year}-Q{q}"))
    leader = ctx.users.get("lanhdao")
    officer = ctx.users.get("vhxh")
    year = ctx.today.year
    h1 = services.report_request(kind="semiannual", period=f"{year}-H1", by=officer, enqueue=False)
    services.report_generate(report_id=h1.pk)
    services.report_update_text(
        report=Report.objects.get(pk=h1.pk),
        difficulties=(
            "Một số hộ làm nghề mộc tại Đồng Kỵ, Trang Hạ còn cho trẻ em phụ việc chà nhám, "
            "phun sơn trong xưởng gia đình.\nLực lượng cộng tác viên còn kiêm nhiệm nhiều việc."
        ),
        proposals=(
            "Đề nghị tỉnh hỗ trợ kinh phí học nghề cho trẻ em 15–17 tuổi bỏ học.\n"
            "Tăng cường kiểm tra liên ngành các xưởng dọc đường 277."
        ),
    )
    h1 = Report.objects.get(pk=h1.pk)
    if h1.status == Report.Status.READY:
        services.report_finalize(report=h1, by=leader)
    annual = services.report_request(kind="annual", period=str(year), by=officer, enqueue=False)
    services.report_generate(report_id=annual.pk)
