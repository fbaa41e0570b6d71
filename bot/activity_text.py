"""How an activity reads: in a list, on its card, in a reminder. Organisers' text is escaped."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from bot import i18n
from bot.formatting import format_clock, format_money, format_short_when, format_when, shortened
from bot.i18n import Translate
from storage.activities import GOING, OFFERED, Activity


def when(activity: Activity, language: str, tz: ZoneInfo) -> str:
    """Like "zaterdag 12 december, 14:00–16:00"."""
    end = format_clock(activity.ends_at, language, tz)
    return f"{format_when(activity.starts_at, language, tz)}–{end}"


def places(_: Translate, activity: Activity, language: str, status: str | None = None) -> str:
    """Places left, as the member reading it needs to know: someone with a place only hears it is full."""
    left = activity.places_left
    if left is None:
        return _("No limit on places")
    if left == 0:
        return _("Full") if status in (GOING, OFFERED) else _("Full. You can join the waiting list.")
    ngettext = i18n.plural(language)
    return ngettext("{count} place left", "{count} places left", left).format(count=left)


def cost(_: Translate, activity: Activity, language: str) -> str:
    if activity.cost_cents == 0:
        return _("Free")
    return format_money(Decimal(activity.cost_cents) / 100, language)


TITLE_ON_A_BUTTON = 36  # characters: with a short date and the places, about what a phone shows on one line


def button_title(activity: Activity) -> str:
    """The title, shortened with … when it would not fit on a button."""
    return shortened(activity.title, TITLE_ON_A_BUTTON)


def list_line(_: Translate, activity: Activity, language: str, tz: ZoneInfo) -> str:
    """One line for a button in a list: title, day and time, places in words."""
    left = activity.places_left
    if left is None:
        free = _("room for all")
    elif left == 0:
        free = _("full")
    else:
        ngettext = i18n.plural(language)
        free = ngettext("{count} more place", "{count} more places", left).format(count=left)
    title = i18n.isolate(button_title(activity), language)  # in Arabic the line reads from the right
    return f"{title} · {format_short_when(activity.starts_at, language, tz)} · {free}"


def host_name(_: Translate, first_name: str | None) -> str:
    """The member who hosts an activity, as the card names them; one who deleted their account is "a member"."""
    return str(i18n.kept_apart(escape(first_name))) if first_name else _("a member")


def card(
    _: Translate,
    activity: Activity,
    language: str,
    tz: ZoneInfo,
    *,
    status: str | None = None,
    is_open: bool = True,
    host: str | None = None,
) -> str:
    """Everything a member needs to decide, one fact a line. Places only while people can still sign up;
    the `host` (host_name) when a member hosts it."""
    lines = [
        f"📅 <b>{escape(activity.title)}</b>",
        f"🕑 {when(activity, language, tz)}",
        f"📍 {escape(activity.place)}",
        f"💶 {cost(_, activity, language)}",
    ]
    if host is not None:
        lines.append("👤 " + _("Host: {name}").format(name=host))
    if is_open:
        lines.append(f"👥 {places(_, activity, language, status)}")
    if activity.bring:
        lines.append("🎒 " + _("Bring: {things}").format(things=escape(activity.bring)))
    lines += ["", escape(activity.description)]
    if activity.cancelled:
        lines.insert(0, "🚫 " + _("This activity does not go on."))
    return "\n".join(lines)
