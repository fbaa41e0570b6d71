"""Settings from environment variables and an optional .env file.

A missing or invalid setting raises SettingError with one line that names it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import i18n, payments

DEFAULT_API_BASE_URL = "https://api.telegram.org"
DEFAULT_DB = "wijkbot.db"
DEFAULT_TIMEZONE = "Europe/Amsterdam"
APPROVAL_MODES = ("auto", "organiser")
MAX_NEIGHBOURHOOD = 40
MAX_PLACE = 100
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class SettingError(ValueError):
    """A setting is missing or wrong; the message names it."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


@dataclass(frozen=True)
class Settings:
    bot_token: str
    api_base_url: str
    db_path: Path
    organiser_ids: frozenset[int]
    timezone: ZoneInfo
    default_language: str
    approval: str = "auto"
    neighbourhoods: tuple[str, ...] = ()
    claim_hours: int = 12
    community_centre: str = "Buurthuis"
    quorum_percent: int = 0  # a new vote's quorum unless the organiser changes it (0: none)
    max_proxies: int = 1  # proxies one member may carry on one vote
    post_days: int = 30  # a help or service post ends after this many days (the author can keep it)
    digest_day: int = 0  # the weekly digest of new posts: Monday (0) to Sunday (6) ...
    digest_time: time = time(9, 0)  # ... at this local time
    timebank: bool = True  # ⏱️ hours given and received (WIJKBOT_TIMEBANK=on/off)
    share_price_cents: int = 1000  # one member share (WIJKBOT_SHARE_PRICE, in euros)
    iban: str | None = None  # the cooperative's account for transfers (WIJKBOT_IBAN); None: no payments asked
    iban_name: str = ""  # the name on that account (WIJKBOT_IBAN_NAME)


def read_env_file(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines; blank lines and lines starting with # are skipped."""
    if not path.is_file():
        return {}
    values = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise SettingError(str(path), f"line {number} is not KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path = Path(".env"),
    *,
    demo_db: str | None = None,
) -> Settings:
    """Build the settings; the environment wins over the .env file.

    For `wijkbot demo`, `demo_db` is its --db option: the demo talks to its own local
    Telegram and keeps its own data file, so BOT_TOKEN, TELEGRAM_API_BASE_URL and
    WIJKBOT_DB are not read at all. Every other setting applies, and is checked, as for `run`.
    """
    values = {**read_env_file(env_file), **(os.environ if environ is None else environ)}

    def get(name: str, default: str = "") -> str:
        return values.get(name, "").strip() or default

    if demo_db is None:
        token = _parse_token(get("BOT_TOKEN"))
        api_base_url = _parse_base_url(get("TELEGRAM_API_BASE_URL", DEFAULT_API_BASE_URL))
        db_path = _parse_db_path("WIJKBOT_DB", get("WIJKBOT_DB", DEFAULT_DB))
    else:
        token, api_base_url, db_path = "", DEFAULT_API_BASE_URL, _parse_db_path("--db", demo_db)

    return Settings(
        bot_token=token,
        api_base_url=api_base_url,
        db_path=db_path,
        organiser_ids=_parse_ids(get("ORGANISER_IDS")),
        timezone=_parse_timezone(get("WIJKBOT_TIMEZONE", DEFAULT_TIMEZONE)),
        default_language=_parse_language(get("WIJKBOT_DEFAULT_LANGUAGE", i18n.DEFAULT_LANGUAGE)),
        approval=_parse_choice("WIJKBOT_APPROVAL", get("WIJKBOT_APPROVAL", "auto"), APPROVAL_MODES),
        neighbourhoods=_parse_neighbourhoods(get("WIJKBOT_NEIGHBOURHOODS")),
        claim_hours=_parse_hours("WIJKBOT_CLAIM_HOURS", get("WIJKBOT_CLAIM_HOURS", "12")),
        community_centre=_parse_place(get("WIJKBOT_COMMUNITY_CENTRE", "Buurthuis")),
        quorum_percent=_parse_number("WIJKBOT_QUORUM", get("WIJKBOT_QUORUM", "0"), 0, 100, "a percentage"),
        max_proxies=_parse_number("WIJKBOT_MAX_PROXIES", get("WIJKBOT_MAX_PROXIES", "1"), 1, 10, "a number of proxies"),
        post_days=_parse_number("WIJKBOT_POST_DAYS", get("WIJKBOT_POST_DAYS", "30"), 4, 365, "a number of days"),
        digest_day=_parse_weekday(get("WIJKBOT_DIGEST_DAY", "monday")),
        digest_time=_parse_clock("WIJKBOT_DIGEST_TIME", get("WIJKBOT_DIGEST_TIME", "09:00")),
        timebank=_parse_choice("WIJKBOT_TIMEBANK", get("WIJKBOT_TIMEBANK", "on"), ("on", "off")) == "on",
        share_price_cents=_parse_euros("WIJKBOT_SHARE_PRICE", get("WIJKBOT_SHARE_PRICE", "10.00")),
        iban=_parse_iban(get("WIJKBOT_IBAN")),
        iban_name=_parse_iban_name(get("WIJKBOT_IBAN_NAME"), bool(get("WIJKBOT_IBAN"))),
    )


def _parse_euros(name: str, value: str) -> int:
    """An amount like 10.00 or 10,00 as cents; more than nothing, at most 100 000."""
    match = re.fullmatch(r"(\d{1,6})(?:[.,](\d{2}))?", value)
    cents = int(match[1]) * 100 + int(match[2] or 0) if match else 0
    if not 0 < cents <= 100_000_00:
        raise SettingError(name, f"{value!r} is not an amount in euros like 10.00")
    return cents


def _parse_iban(value: str) -> str | None:
    if not value:
        return None
    checked = payments.iban(value)
    if checked is None:
        raise SettingError("WIJKBOT_IBAN", f"{value!r} is not an IBAN: its check digits are wrong")
    return checked


def _parse_iban_name(value: str, iban_set: bool) -> str:
    if iban_set and not value:
        raise SettingError("WIJKBOT_IBAN_NAME", "missing; the name on the account of WIJKBOT_IBAN")
    if len(value) > 70:
        raise SettingError("WIJKBOT_IBAN_NAME", "longer than the 70 characters a bank transfer allows")
    return value


def _parse_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingError("TELEGRAM_API_BASE_URL", f"{value!r} is not a server address like {DEFAULT_API_BASE_URL}")
    return value.rstrip("/")


def _parse_token(value: str) -> str:
    if not value:
        raise SettingError("BOT_TOKEN", "missing; make a bot with @BotFather and set BOT_TOKEN to its token")
    if not _TOKEN.match(value):
        raise SettingError("BOT_TOKEN", "does not look like a token from @BotFather (digits:letters)")
    return value


def _parse_db_path(name: str, value: str) -> Path:
    """The data file: its folder must exist, and it must not be a folder itself."""
    path = Path(value).expanduser()
    if path.is_dir():
        raise SettingError(name, f"{str(path)!r} is a folder; give the name of a data file in it")
    if path.parent.exists() and not path.parent.is_dir():
        raise SettingError(name, f"{str(path.parent)!r} is a file, not a folder")
    if not path.parent.is_dir():
        raise SettingError(name, f"the folder {str(path.parent)!r} does not exist")
    return path


def _parse_ids(value: str) -> frozenset[int]:
    ids = set()
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isascii() or not part.isdigit():
            raise SettingError("ORGANISER_IDS", f"{part!r} is not a Telegram user id (digits, separated by commas)")
        ids.add(int(part))
    return frozenset(ids)


def _parse_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise SettingError(name, f"{value!r} is not one of: {', '.join(choices)}")
    return value


def _parse_neighbourhoods(value: str) -> tuple[str, ...]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if len(name) > MAX_NEIGHBOURHOOD:
            raise SettingError("WIJKBOT_NEIGHBOURHOODS", f"{name!r} is longer than {MAX_NEIGHBOURHOOD} characters")
    if len(set(names)) != len(names):
        raise SettingError("WIJKBOT_NEIGHBOURHOODS", "a neighbourhood is listed twice")
    return tuple(names)


def _parse_hours(name: str, value: str) -> int:
    return _parse_number(name, value, 1, 168, "a number of hours")


def _parse_number(name: str, value: str, low: int, high: int, what: str) -> int:
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise SettingError(name, f"{value!r} is not {what} from {low} to {high}")
    return int(value)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _parse_weekday(value: str) -> int:
    """A day of the week in English (monday ... sunday), as 0 ... 6."""
    day = value.strip().lower()
    if day not in WEEKDAYS:
        raise SettingError("WIJKBOT_DIGEST_DAY", f"{value!r} is not a day of the week ({', '.join(WEEKDAYS)})")
    return WEEKDAYS.index(day)


def _parse_clock(name: str, value: str) -> time:
    """A local time as HH:MM."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        raise SettingError(name, f"{value!r} is not a time like 09:00")
    return time(int(match[1]), int(match[2]))


def _parse_place(value: str) -> str:
    if len(value) > MAX_PLACE:
        raise SettingError("WIJKBOT_COMMUNITY_CENTRE", f"is longer than {MAX_PLACE} characters")
    return value


def _parse_timezone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError(
            "WIJKBOT_TIMEZONE", f"{value!r} is not a known time zone (like {DEFAULT_TIMEZONE})"
        ) from None


def _parse_language(value: str) -> str:
    if value not in i18n.languages():
        shipped = ", ".join(i18n.languages())
        raise SettingError("WIJKBOT_DEFAULT_LANGUAGE", f"{value!r} is not one of the shipped languages: {shipped}")
    return value
