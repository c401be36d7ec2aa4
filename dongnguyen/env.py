"""Reading settings from the environment, failing loudly on a bad value.

Every setting that comes from the environment goes through one of these helpers, so a typo
such as DEBUG=ture stops start-up with a message naming the variable instead of silently
running with a default.
"""

import os
from datetime import date
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_fernet_key(name: str) -> str:
    """A Fernet key (32 url-safe base64 bytes, `Fernet.generate_key()`), or "" when unset."""
    value = env_str(name, "")
    if value:
        from cryptography.fernet import Fernet

        try:
            Fernet(value)
        except ValueError:
            raise ImproperlyConfigured(
                f'{name} is not a Fernet key; make one with: python -c "from cryptography.'
                'fernet import Fernet; print(Fernet.generate_key().decode())"'
            ) from None
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


_DB_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql", "psql")


def env_database(name: str, default: str) -> dict:
    value = env_str(name, default) or default
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in _DB_SCHEMES:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a supported database URL; expected "
            "sqlite:///path/to/db.sqlite3 or postgres://user:password@host:5432/name."
        )
    try:
        config = environ.Env.db_url_config(value)
    except Exception as exc:  # environ raises several types for malformed URLs
        raise ImproperlyConfigured(f"{name}={value!r} could not be parsed: {exc}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={value!r} names no database.")
    return config


def env_broker(name: str) -> str:
    value = env_str(name, "")
    if value and not value.startswith(("redis://", "rediss://", "memory://", "amqp://")):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a broker URL; expected redis://host:6379/0 "
            "(or leave it empty to run background jobs in-process)."
        )
    return value


def env_day_month(name: str, default: tuple[int, int]) -> tuple[int, int]:
    """A day of the year written as Vietnamese officials write it, dd/mm ("20/06"), returned
    as (month, day). 29/02 is refused: the date must exist every year."""
    value = env_str(name, "")
    if not value:
        return default
    try:
        day, month = (int(part) for part in value.split("/"))
        date(2001, month, day)  # a common year
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a day of the year; write it dd/mm, e.g. 20/06."
        ) from None
    return month, day


def env_path(name: str, default: Path) -> Path:
    value = env_str(name, "")
    return Path(value) if value else default
