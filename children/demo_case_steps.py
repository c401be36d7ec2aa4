"""The steps the demo cases are walked through, each by the real service (children.demo_cases)."""

from datetime import timedelta

from . import services
from .models import IntakeReport, Referral, Support


class CaseSteps:
    """Intake, opening and the Decree 56 steps of a demo case, as the ward's officer and
    leadership would take them; each returns the case (or report) as the service left it."""

    def __init__(self, ctx, at):
        self.ctx = ctx
        self._at = at
        self.officer, self.leader = ctx.users["vhxh"], ctx.users["lanhdao"]
        self.ag = ctx.agencies

    def intake(self, channel, child, days_ago, text, by=None, hour=9, **kw):
        by = by or self.officer
        report = services.intake_create(
            by=by if channel != "web_form" else self.officer,
            channel=channel,
            description=text,
            received_at=self._at(self.ctx, days_ago, hour),
            child=child,
            group=child.household.group if child is not None else kw.pop("group", None),
            **kw,
        )
        if channel == "web_form":
            IntakeReport.objects.filter(pk=report.pk).update(received_by=None, anonymous=True)
        return report

    def open_case(self, channel, child, days_ago, text, by=None, hour=8, assigned=True):
        report = self.intake(channel, child, days_ago, text, by=by, hour=hour)
        report.child = child
        report.save(update_fields=["child"])
        return services.intake_open_case(
            intake=report,
            by=self.officer,
            child=child,
            assigned_to=self.officer if assigned else None,
        )

    def assess(self, case, risk="high"):
        return services.case_assess(
            case=case,
            by=self.officer,
            version=case.version,
            risk_level=risk,
            items=[
                {"item": "Công việc, nơi làm việc có hại, nguy hiểm", "level": risk},
                {"item": "Tình trạng học tập", "level": "medium"},
                {
                    "item": "Hoàn cảnh kinh tế gia đình",
                    "level": self.ctx.rng.choice(["high", "medium"]),
                },
                {"item": "Sự chăm sóc của cha mẹ", "level": "low"},
            ],
            notes="Đã xác minh tại gia đình và nơi trẻ làm việc cùng cộng tác viên tổ dân phố.",
        )

    def plan(self, case, days_from_now=20):
        due = self.ctx.today + timedelta(days=days_from_now)
        return services.case_plan_draft(
            case=case,
            by=self.officer,
            version=case.version,
            goal="Trẻ thôi làm việc trái quy định, trở lại trường và được gia đình chăm sóc.",
            actions=[
                {
                    "action": "Vận động gia đình cho trẻ thôi việc, trở lại trường",
                    "agency": self.ag["vhxh"],
                    "due_on": due,
                },
                {
                    "action": "Khám sức khỏe, tư vấn tâm lý ban đầu",
                    "agency": self.ag["yte"],
                    "due_on": due - timedelta(days=7),
                },
                {
                    "action": "Hỗ trợ học bổng, sách vở đầu năm học",
                    "agency": self.ag["hoiphunu"],
                    "due_on": due + timedelta(days=10),
                },
                {
                    "action": "Kiểm tra cơ sở sử dụng lao động trẻ em",
                    "agency": self.ag["congan"],
                    "due_on": due - timedelta(days=3),
                },
            ],
        )

    def approve(self, case):
        return services.case_plan_approve(
            case=case, by=self.leader, version=case.version, note="Đồng ý."
        )

    def start(self, case):
        return services.case_start(case=case, by=self.officer, version=case.version)

    def refer_and_support(self, case, days_ago):
        refer_day = self.ctx.today - timedelta(days=days_ago + 2)
        services.referral_create(
            child=case.child,
            case=case,
            agency=self.ag["yte"],
            by=self.officer,
            needs="Khám sức khỏe, tư vấn tâm lý",
        )
        services.referral_create(
            child=case.child,
            case=case,
            agency=self.ag["hoiphunu"],
            by=self.officer,
            needs="Học bổng, sách vở; sinh kế cho mẹ",
        )
        Referral.objects.filter(case=case).update(referred_on=refer_day)
        Support.objects.create(
            child=case.child,
            case=case,
            kind="education_return",
            provider=self.ag["vhxh"],
            date=self.ctx.today - timedelta(days=days_ago),
            amount_vnd=None,
            funding_source="state_budget",
            recorded_by=self.officer,
            notes="Làm việc với nhà trường nhận trẻ học lại.",
        )
        Support.objects.create(
            child=case.child,
            case=case,
            kind="school_supplies",
            provider=self.ag["mttq"],
            date=self.ctx.today - timedelta(days=days_ago - 3),
            amount_vnd=self.ctx.rng.choice([500_000, 800_000]),
            funding_source="social_mobilization",
            recorded_by=self.officer,
        )
