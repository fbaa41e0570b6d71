"""How an activity reads: in a list, on its card, in a reminder. Organisers' text is escaped."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_time

from bot import i18n
from bot.formatting import format_money, format_when, local_time
from bot.i18n import Translate
from storage.activities import Activity


def when(activity: Activity, language: str, tz: ZoneInfo) -> str:
    """Like "zaterdag 12 december, 14:00–16:00"."""
    end = format_time(local_time(activity.ends_at, tz), "HH:mm", locale=language)
    return f"{format_when(activity.starts_at, language, tz)}–{end}"


def places(_: Translate, activity: Activity, language: str) -> str:
    left = activity.places_left
    if left is None:
        return _("No limit on places")
    if left == 0:
        return _("Full: you can join the waiting list")
    ngettext = i18n.plural(language)
    return ngettext("{count} place left", "{count} places left", left).format(count=left)


def cost(_: Translate, activity: Activity, language: str) -> str:
    if activity.cost_cents == 0:
        return _("Free")
    return format_money(Decimal(activity.cost_cents) / 100, language)


def list_line(_: Translate, activity: Activity, language: str, tz: ZoneInfo) -> str:
    """One line for a button in a list: title, day and time, places."""
    left = activity.places_left
    free = "∞" if left is None else (_("full") if left == 0 else str(left))
    return f"{activity.title[:30]} · {format_when(activity.starts_at, language, tz)} · {free}"


def card(_: Translate, activity: Activity, language: str, tz: ZoneInfo) -> str:
    """Everything a member needs to decide, one fact a line."""
    lines = [
        f"📅 <b>{escape(activity.title)}</b>",
        f"🕑 {when(activity, language, tz)}",
        f"📍 {escape(activity.place)}",
        f"💶 {cost(_, activity, language)}",
        f"👥 {places(_, activity, language)}",
    ]
    if activity.bring:
        lines.append("🎒 " + _("Bring: {things}").format(things=escape(activity.bring)))
    lines += ["", escape(activity.description)]
    if activity.cancelled:
        lines.insert(0, "🚫 " + _("This activity does not go on."))
    return "\n".join(lines)
