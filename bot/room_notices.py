"""The messages about renting a room (bot/notices.py asks here), and how a booking reads.

A request goes to every organiser as a card with ✅ Confirm / ❌ Decline; the member hears the outcome, an
organiser's cancellation, and gets a reminder the day before. A weekly slot for a season is one card for all
its dates, with the dates that clash at that moment; its outcome names the dates left out. Each is worded
when it goes out, in the recipient's language, and dropped when it no longer holds (decided meanwhile,
cancelled). A booking paid partly in hours shows them beside the euros, and when it does not go ahead the
member reads that the hours come back.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from babel.dates import get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import hour_text, i18n
from bot.config import Settings
from bot.formatting import FORMAT_LOCALE, format_clock, format_day, format_when
from bot.keyboards import button, inline, nav_row
from bot.vote_text import money
from storage import rooms
from storage.db import Database
from storage.outbox import Claimed
from storage.rooms import ASKED, CANCELLED, CONFIRMED, DECLINED, Booking

KINDS = {rooms.REQUEST, rooms.CONFIRMED_NOTICE, rooms.DECLINED_NOTICE, rooms.CANCELLED_NOTICE, rooms.REMINDER}
KINDS |= {rooms.FREED, rooms.EXPIRED}
SEASON_KINDS = {rooms.SEASON_REQUEST, rooms.SEASON_CONFIRMED, rooms.SEASON_DECLINED}
KINDS |= SEASON_KINDS
NOT_ESSENTIAL: set[str] = set()  # each is about a booking they asked for or must decide about
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None
# The status a booking must still have for the message to hold, and its first line.
HOLDS = {
    rooms.REQUEST: (ASKED, i18n.N_("🚪 {name} asks for a room:")),
    rooms.CONFIRMED_NOTICE: (CONFIRMED, i18n.N_("✅ Your room is booked.")),
    rooms.DECLINED_NOTICE: (DECLINED, i18n.N_("Sorry, an organiser said no to your request.")),
    rooms.CANCELLED_NOTICE: (CANCELLED, i18n.N_("🚫 An organiser cancelled your booking.")),
    rooms.REMINDER: (CONFIRMED, i18n.N_("⏰ Reminder: you have a room tomorrow.")),
    rooms.FREED: (CANCELLED, i18n.N_("🚫 A member who booked this room left the cooperative. It is free again.")),
    rooms.EXPIRED: (DECLINED, i18n.N_("Sorry, no organiser answered your request in time.")),
}


def booking_lines(_: i18n.Translate, booking: Booking, language: str, settings: Settings) -> list[str]:
    """Which room, when, for how many people, what for and what it costs."""
    tz = settings.timezone
    ngettext = i18n.plural(language)
    lines = [
        "🚪 " + escape(booking.room_name),
        f"🕑 {format_when(booking.starts_at, language, tz)} – {format_clock(booking.ends_at, language, tz)}",
        "👥 " + ngettext("{count} person", "{count} people", booking.people).format(count=booking.people),
    ]
    if booking.purpose:
        lines.append("📝 " + escape(booking.purpose))
    lines.append("💶 " + price_words(booking.price_cents, booking.paid_halves, language))
    return lines


def price_words(cents: int, halves: int, language: str) -> str:
    """Like "€10,00", or "€10,00 + ⏱️ 1½ hours" when part is paid in hours."""
    paid = f" + ⏱️ {hour_text.hours(language, halves)}" if halves else ""
    return money(cents, language) + paid


def back_lines(_: i18n.Translate, dates: list[Booking], language: str) -> list[str]:
    """The hours paid for dates that do not go ahead come back: said, when there are any."""
    halves = sum(d.paid_halves for d in dates)
    if not halves:
        return []
    return ["", "⏱️ " + _("You get your {hours} back.").format(hours=hour_text.hours(language, halves))]


def weekday_name(index: int, language: str) -> str:
    """Monday (0) to Sunday (6) in the member's language."""
    return str(get_day_names("wide", locale=FORMAT_LOCALE.get(language, language))[index])


def days_text(dates: list[Booking], language: str, settings: Settings) -> str:
    """The days of some dates, like "Mon 14 Dec, Mon 21 Dec"."""
    return ", ".join(format_day(d.starts_at.astimezone(settings.timezone), language) for d in dates)


def season_lines(
    _: i18n.Translate, dates: list[Booking], language: str, settings: Settings, charged: list[Booking] | None = None
) -> list[str]:
    """A weekly slot as people read it: which room, which weekday and time, how many dates from when to when,
    for how many people, what for and what the dates cost together. The hours paid are those of the `charged`
    dates (default: the same): they leave the time bank for every date asked, also one that will be left out,
    and come back for that one when the organisers decide."""
    tz = settings.timezone
    first, last = dates[0], dates[-1]
    ngettext = i18n.plural(language)
    weekday = weekday_name(first.starts_at.astimezone(tz).weekday(), language)
    times = f"{format_clock(first.starts_at, language, tz)} – {format_clock(first.ends_at, language, tz)}"
    span = " – ".join(format_day(d.starts_at.astimezone(tz), language) for d in (first, last))
    lines = [
        "🚪 " + escape(first.room_name),
        "🔁 " + _("Every {weekday}, {times}").format(weekday=weekday, times=times),
        "📆 " + ngettext("{count} time", "{count} times", len(dates)).format(count=len(dates)) + f": {span}",
        "👥 " + ngettext("{count} person", "{count} people", first.people).format(count=first.people),
    ]
    if first.purpose:
        lines.append("📝 " + escape(first.purpose))
    total = money(sum(d.price_cents for d in dates), language)
    lines.append(
        "💶 " + _("{total} in total ({each} each time)").format(total=total, each=money(first.price_cents, language))
    )
    if first.paid_halves:
        paid = hour_text.hours(language, sum(d.paid_halves for d in (charged or dates)))
        each = hour_text.hours(language, first.paid_halves)
        lines.append("⏱️ " + _("{total} in total ({each} each time)").format(total=paid, each=each))
    return lines


def clash_lines(_: i18n.Translate, clashing: list[Booking], language: str, settings: Settings) -> list[str]:
    """The dates that are not free, as a warning; nothing when all are free."""
    if not clashing:
        return []
    return ["", "⚠️ " + _("These dates are not free. They are left out:"), days_text(clashing, language, settings)]


def _season(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, Markup, datetime | None] | None:
    """A season's card for an organiser (while it is asked), or its outcome for the member."""
    found = rooms.season(db, message.payload["series"])
    if message.telegram_id is None or found is None:
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    asked, confirmed = found.having(ASKED), found.having(CONFIRMED)
    declined = found.having(DECLINED)
    refused = [d for d in declined if d.reason]
    if message.kind == rooms.SEASON_REQUEST:
        if not asked:
            return None
        name = i18n.kept_apart(escape(found.first.member_name or _("A member")))
        clashing = rooms.still_clashing(db, found, settings.timezone, now)
        lines = [_("🚪 {name} asks for a room every week:").format(name=name), ""]
        free = [d for d in asked if d not in clashing]
        lines += season_lines(_, free or asked, language, settings, asked) + clash_lines(
            _, clashing, language, settings
        )
        rows = [season_decision_row(_, found.id)]
    elif message.kind == rooms.SEASON_DECLINED:
        if not refused:
            return None
        lines = [_("Sorry, an organiser said no to your weekly request."), ""]
        lines += season_lines(_, refused, language, settings)
        lines += ["", _("Reason: {reason}").format(reason=escape(refused[0].reason or ""))]
        lines += back_lines(_, refused, language)
        rows = [[button("📅 " + _("My bookings"), "room", "mine", 0)], nav_row(_, None)]
    else:
        if asked or refused or not (confirmed or declined):
            return None
        if confirmed:
            lines = [_("✅ Your weekly room is booked."), "", *season_lines(_, confirmed, language, settings)]
        else:
            lines = [_("Sorry, none of the dates you asked for were free.")]
        lines += clash_lines(_, declined, language, settings) + back_lines(_, declined, language)
        rows = [[button("📅 " + _("My bookings"), "room", "mine", 0)], nav_row(_, None)]
    return message.telegram_id, "\n".join(lines), inline(rows), found.first.starts_at


def season_decision_row(_: i18n.Translate, series_id: int) -> list[InlineKeyboardButton]:
    """✅ Confirm all that are free / ❌ Decline, under a season's request."""
    return [
        button("✅ " + _("Confirm all that are free"), "roomorg", "sconfirm", series_id),
        button("❌ " + _("Decline"), "roomorg", "sdecline", series_id),
    ]


def compose(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, Markup, datetime | None] | None:
    """(chat, text, buttons, start) for one outbox row, or None when it no longer holds. The start lets quiet
    hours pass a message about a booking early the next morning."""
    if message.kind in SEASON_KINDS:
        return _season(message, db, settings, now)
    booking = rooms.booking(db, message.payload["booking"])
    status, headline = HOLDS[message.kind]
    if message.telegram_id is None or booking is None or booking.status != status:
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    name = i18n.kept_apart(escape(booking.member_name or _("A member")))
    lines = [_(headline).format(name=name), "", *booking_lines(_, booking, language, settings)]
    if message.kind in (rooms.DECLINED_NOTICE, rooms.CANCELLED_NOTICE, rooms.EXPIRED):
        if booking.reason:
            lines += ["", _("Reason: {reason}").format(reason=escape(booking.reason))]
        lines += back_lines(_, [booking], language)
    if message.kind == rooms.REQUEST:
        rows = [
            [
                button("✅ " + _("Confirm"), "roomorg", "confirm", booking.id),
                button("❌ " + _("Decline"), "roomorg", "decline", booking.id),
            ],
            nav_row(_, None),  # a way on also from the card in the chat (UX.md)
        ]
    elif message.kind == rooms.FREED:  # to organisers
        rows = [[button("⚙️ " + _("Rooms"), "roomorg", "menu")], nav_row(_, None)]
    else:
        rows = [[button("📅 " + _("My bookings"), "room", "mine", 0)], nav_row(_, None)]
    return message.telegram_id, "\n".join(lines), inline(rows), booking.starts_at
