"""Helpers of the management commands of every app."""

from django.core.management.base import CommandError


def ward_by_code(code: str | None):
    """The ward of `--ward CODE`; without it the first ward."""
    from dongnguyen.models import Ward

    if not code:
        return Ward.first()
    ward = Ward.objects.filter(code=code.strip()).first()
    if ward is None:
        raise CommandError(f"Không có phường, xã mã “{code}”.")
    return ward
