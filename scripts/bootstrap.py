"""First-run helpers for the Makefile: check system libraries, write a local .env.

Runs with the virtual environment's Python after the install step."""

import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check_system() -> int:
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as exc:
        print(
            "\nThiếu thư viện hệ thống cho WeasyPrint (tạo PDF) / WeasyPrint needs Pango:\n"
            f"  {exc}\n"
            "  Debian/Ubuntu: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b\n"
            "  Fedora: sudo dnf install pango    macOS: brew install pango\n",
            file=sys.stderr,
        )
        return 1
    return 0


def write_env() -> int:
    env = ROOT / ".env"
    if not env.exists():
        env.write_text(
            "# Local development settings written by `make run` (never commit this file).\n"
            "DEBUG=1\n"
            f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        )
        print("Đã tạo .env cho môi trường phát triển (DEBUG=1).")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    sys.exit({"check-system": check_system, "write-env": write_env}[command]())
