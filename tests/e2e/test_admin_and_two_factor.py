"""In a real browser: the admin and the two-factor pages break no rule of the CSP (no inline
script or style is blocked, no console error), and an officer enrols and signs in with a code."""

import time

from django_otp.oath import totp

CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _violations(journey) -> list[str]:
    return journey.page.evaluate("window.__cspViolations || []")


def _visit(journey, path: str):
    missing = []
    journey.page.on("response", lambda r: r.status >= 400 and missing.append(r.url))
    journey.goto(path)
    journey.page.wait_for_load_state("load")
    assert _violations(journey) == [], f"{path}: CSP violations"
    assert not journey.console_errors, f"{path}: {journey.console_errors} {missing}"


def test_the_admin_pages_run_under_the_csp(journey, transactional_db):
    from django.contrib.auth import get_user_model
    from django_celery_beat.models import CrontabSchedule

    from tests.factories import ChildFactory

    get_user_model().objects.create_superuser("quantri", password="Mat-khau-2026-dai")
    child = ChildFactory()
    CrontabSchedule.objects.create(minute="30", hour="1")
    journey.page.add_init_script(CSP_PROBE)
    journey.login("quantri", "Mat-khau-2026-dai")
    for path in (
        "/quan-tri/",
        "/quan-tri/children/child/",
        f"/quan-tri/children/child/{child.pk}/change/",
        f"/quan-tri/children/child/{child.pk}/history/",
        "/quan-tri/auth/user/",
        "/quan-tri/otp_totp/totpdevice/",
        "/quan-tri/django_celery_beat/periodictask/add/",
    ):
        _visit(journey, path)
    # The periodic task form's script (moved out of line) still explains the chosen crontab.
    help_line = journey.page.locator(".field-crontab .help")
    before = help_line.inner_text()
    option = journey.page.locator("#id_crontab option").nth(1)
    journey.page.select_option("#id_crontab", option.get_attribute("value"))
    after = help_line.inner_text()
    assert after.startswith(before.strip()) and len(after) > len(before), (before, after)
    assert _violations(journey) == []


def test_an_officer_enrols_and_signs_in_with_a_code(journey, transactional_db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dongnguyen.roles import Role
    from dongnguyen.services import user_create

    user_create(
        username="vhxh", password="dongnguyen2026", full_name="Trần Thị Thu", role=Role.CASE_OFFICER
    )
    journey.page.add_init_script(CSP_PROBE)
    journey.login("vhxh")
    _visit(journey, "/tai-khoan/xac-thuc-hai-buoc/")
    qr = journey.page.locator("img.two-factor-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    journey.check("two-factor enrolment")
    device = TOTPDevice.objects.get(user__username="vhxh")

    def code():
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    journey.page.fill("#id_code", code())
    with journey.page.expect_navigation():
        journey.page.click("button[type=submit]:has-text('Xác nhận và bật')")
    assert "Đã bật xác thực hai bước" in journey.page.content()
    # Sign out, then in again: the password, then a code of a later time step.
    with journey.page.expect_navigation():
        journey.page.evaluate("document.querySelector(\"form[action='/dang-xuat/']\").submit()")
    journey.goto("/dang-nhap/")
    journey.page.fill("#id_username", "vhxh")
    journey.page.fill("#id_password", "dongnguyen2026")
    with journey.page.expect_navigation():
        journey.page.click("button[type=submit]")
    assert "/dang-nhap/ma-xac-thuc/" in journey.page.url
    journey.check("two-factor code step")
    # Each code works once: wait for the next 30-second step.
    device.refresh_from_db()
    while int(time.time()) // device.step <= device.last_t:
        time.sleep(1)
    journey.page.fill("#id_code", code())
    with journey.page.expect_navigation():
        journey.page.click("button[type=submit]")
    assert journey.page.url.rstrip("/") == journey.base
    assert "Xin chào" in journey.page.content()
    assert _violations(journey) == []
