"""🙌 Take part → 🚪 Rent a room: a member asks for a room at a free time, sees their bookings and cancels.

Only times that can be booked are offered as buttons: inside the opening hours, with the room's notice,
and clear of confirmed bookings and activities in the room, cleaning included (storage/rooms.py fits).
The price is the member's rate: members with business details (ZZP'ers) pay the business price. Nothing
goes to the organisers before ✅ Ask; they confirm or decline, and the member hears it.

With the time bank on, where the room allows it and at the member price, a last step asks whether to pay
part of the time in hours (as far as the share and the member's hours go; for every week, each date pays
them). The hours leave the time bank at ✅ Ask and come back when the booking does not go ahead.

🔁 Every week asks for a weekly slot for a season: the same weekday and time as the first day (whose free
times are offered), until a date; the preview shows the dates that clash already, which are left out when it
is confirmed. A season is one line in 📅 My bookings, and is cancelled as a whole (each date by its own rule).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, hour_text, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_clock, format_day, format_short_when
from bot.i18n import N_, Translate
from bot.incoming import tapped, text
from bot.keyboards import button, in_rows, inline, nav_row, paged, typed_text
from bot.never_stuck import EXPLAIN
from bot.replies import show
from bot.room_notices import back_lines, booking_lines, clash_lines, days_text, season_lines, weekday_name
from bot.vote_text import money
from handlers.taking_part import menu_data as take_part_menu
from storage import hours, rooms
from storage.rooms import BUSINESS, CONFIRMED, Booking, Outcome, Request, Room, RoomPlan, Season

AREA = "room"
DAY, START, LENGTH, UNTIL, PURPOSE, PEOPLE, PAY = "day", "start", "length", "until", "purpose", "people", "pay"
PREVIEW = "preview"
ORDER = (DAY, START, LENGTH, UNTIL, PURPOSE, PEOPLE, PAY)  # UNTIL only for every week; PAY when hours can pay
DAYS_SHOWN = 7
MAX_PURPOSE = 200
PEOPLE_CHOICES = (1, 2, 5, 10, 15, 20, 30, 50, 75, 100)
EXPLANATIONS = {
    DAY: N_("Tap the day you want the room.\nLater than that? Tap 📆 Another day and type the date."),
    START: N_("Only free times are shown. Tap the time you want to start."),
    LENGTH: N_("Only lengths that are free are shown. The price is for the whole time."),
    UNTIL: N_("You get the room every week until this day. Dates that are not free are left out."),
    PURPOSE: N_("Tell the organisers in a few words what you want to do, like a birthday or a workshop."),
    PEOPLE: N_("Tap about how many people come. The room has room for at most this many."),
    PAY: N_("One hour in the time bank pays for one hour of the room. You get the hours back if it is not booked."),
    PREVIEW: N_("This goes to the organisers.\nThey say yes or no, and you get a message."),
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def hours_text(_: Translate, opening: tuple[rooms.Span | None, ...], language: str) -> list[str]:
    """One line per weekday: its opening hours, or closed."""
    return [
        f"{weekday_name(index, language)}: "
        + (f"{rooms.clock(span[0])}–{rooms.clock(span[1])}" if span else _("closed"))
        for index, span in enumerate(opening)
    ]


def room_text(_: Translate, room: RoomPlan, language: str, *, prices: bool = True, timebank: bool = False) -> str:
    """A room as people read it; organisers see all three prices, and with the time bank on the part of the
    time members may pay in hours."""
    lines = [
        f"🚪 <b>{escape(room.name)}</b>",
        "👥 " + _("At most {count} people").format(count=room.capacity),
    ]
    if room.facilities:
        lines.append("🧰 " + escape(room.facilities))
    if prices:
        member, business, other = (money(cents, language) for cents in room.prices)
        lines += [
            "💶 " + _("Price per hour:"),
            _("members {price}").format(price=member),
            _("ZZP'ers and businesses {price}").format(price=business),
            _("others {price}").format(price=other),
        ]
        if timebank:
            lines.append("⏱️ " + _("Paid in hours: {share}% of the time").format(share=room.hours_share))
    lines += ["🕑 " + _("Open:"), *hours_text(_, room.opening, language)]
    lines.append("🧹 " + _("Cleaning between bookings: {minutes} minutes").format(minutes=room.buffer_minutes))
    if room.notice_hours:
        lines.append("📆 " + _("Ask at least {hours} hours before.").format(hours=room.notice_hours))
    return "\n".join(lines)


def rate_words(_: Translate, rate: str) -> str:
    return _("the price for ZZP'ers and businesses") if rate == BUSINESS else _("the price for members")


@requires(Need.ACTIVE)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🚪 Rent a room: the rooms, and 📅 My bookings."""
    _ = context.gettext
    found = rooms.listed(context.db, 0, only_active=True)
    rows = [[button("🚪 " + room.name, AREA, "card", room.id)] for room in found.items]
    rows += [[button("📅 " + _("My bookings"), AREA, "mine", 0)], nav_row(_, take_part_menu())]
    text = "🚪 " + _("Rent a room") + "\n" + (_("Which room?") if found.items else _("There are no rooms to rent yet."))
    await show(update, context, text, inline(rows))


def open_room(context: WijkContext, room_id: int) -> Room:
    room = rooms.get(context.db, room_id)
    if room is None or not room.active:
        raise callbacks.StaleButton(f"room {room_id} is not for rent")
    return room


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    """A room: what is there, the member's price, and the way to ask for it."""
    _ = context.gettext
    room = open_room(context, tapped(update).int_arg(0))
    member = context.known_member
    rate = rooms.rate_of(member.business_name)
    price = money(room.prices[rooms.RATES.index(rate)], context.language)
    text = room_text(_, room, context.language, prices=False)
    text += "\n\n💶 " + _("You pay {price} per hour: {which}.").format(price=price, which=rate_words(_, rate))
    if context.settings.timebank and rate == rooms.MEMBER and room.hours_share:
        text += "\n⏱️ " + _("You can pay {share}% of the time with hours from the time bank.").format(
            share=room.hours_share
        )
    rows = [
        [button("📆 " + _("Ask for this room"), AREA, "ask", room.id)],
        [button("🔁 " + _("Ask for every week"), AREA, "season", room.id)],
        [
            button(
                "🗓️ " + _("Busy and free this week"), AREA, "week", room.id, monday_of(today(context)).strftime("%Y%m%d")
            )
        ],
        nav_row(_, callbacks.pack(AREA, "menu")),
    ]
    await show(update, context, text, inline(rows))


def week_text(context: WijkContext, room: Room, monday: date, *, names: bool) -> str:
    """What occupies a room in a week, day by day: with names for organisers, "busy" for members."""
    _ = context.gettext
    tz, language = context.settings.timezone, context.language
    start = datetime.combine(monday, time(0), tz).astimezone(UTC)
    slots = rooms.in_week(context.db, room.id, start, start + timedelta(days=7))
    lines = [f"🗓️ <b>{escape(room.name)}</b>"]
    for offset in range(7):
        day = monday + timedelta(days=offset)
        taken = [slot for slot in slots if slot.starts_at.astimezone(tz).date() == day]
        span = room.opening[day.weekday()]
        lines.append("")
        lines.append(
            f"<b>{format_day(day, language)}</b> "
            + (f"({rooms.clock(span[0])}–{rooms.clock(span[1])})" if span else "· " + _("closed"))
        )
        for slot in taken:
            who = escape(slot.who or "") if names else _("busy")
            lines.append(
                f"• {format_clock(slot.starts_at, language, tz)}–{format_clock(slot.ends_at, language, tz)} {who}"
            )
        if span and not taken:
            lines.append("• " + _("free"))
    return "\n".join(lines)


def week_rows(
    area: str, room_id: int, monday: date, context: WijkContext, back: str
) -> list[list[InlineKeyboardButton]]:
    """◀️ ▶️ through the weeks (from this week on), ⬅️ Back and 🏠 Menu."""
    arrows = []
    if monday > monday_of(today(context)):
        arrows.append(button("◀️", area, "week", room_id, (monday - timedelta(days=7)).strftime("%Y%m%d")))
    arrows.append(button("▶️", area, "week", room_id, (monday + timedelta(days=7)).strftime("%Y%m%d")))
    return [arrows, nav_row(context.gettext, back)]


def tapped_monday(update: Update) -> date:
    day = tapped(update).args[1]
    assert isinstance(day, date)
    return monday_of(day)


@requires(Need.ACTIVE)
async def week_button(update: Update, context: WijkContext) -> None:
    """🗓️ A week of a room: busy or free, without names."""
    room = open_room(context, tapped(update).int_arg(0))
    monday = tapped_monday(update)
    rows = week_rows(AREA, room.id, monday, context, callbacks.pack(AREA, "card", room.id))
    await show(update, context, week_text(context, room, monday, names=False), inline(rows))


# --- asking for a room, step by step ---


def chosen_room(context: WijkContext) -> Room:
    room = rooms.get(context.db, draft(context).get("room", 0))
    if room is None or not room.active:
        raise callbacks.StaleButton("the room is no longer for rent")
    return room


def chosen_start(context: WijkContext) -> datetime:
    return datetime.fromisoformat(draft(context)["start"])


def weekly(context: WijkContext) -> bool:
    return bool(draft(context).get("weekly"))


def steps(context: WijkContext) -> tuple[str, ...]:
    """The steps of this request: UNTIL only when it is for every week (PAY is asked only when `payable`)."""
    return ORDER if weekly(context) else tuple(step for step in ORDER if step != UNTIL)


def dates_asked(context: WijkContext) -> int:
    """How many dates the request has: for every week, each date pays its hours."""
    if not weekly(context):
        return 1
    until = date.fromisoformat(draft(context)["until"])
    return len(rooms.season_starts(chosen_start(context), until, context.settings.timezone))


def payable(context: WijkContext, room: Room) -> int:
    """The most half hours each date can be paid in hours: the room's share of the time, as far as the member's
    hours go; none with the time bank off or at the business price (storage/rooms.py checks it again)."""
    rate = rooms.rate_of(context.known_member.business_name)
    allowed = room.halves_allowed(rate, draft(context)["half_hours"]) if context.settings.timebank else 0
    if not allowed:
        return 0
    balance = hours.balance(context.db, context.known_member.id).balance
    return max(0, min(allowed, balance // dates_asked(context)))


async def ask(update: Update, context: WijkContext, step: str, error: str = "") -> str:
    """One step: its question and its buttons, with ⬅️ Back and 🏠 Menu."""
    _ = context.gettext
    room = chosen_room(context)
    question, choices = STEP_SCREENS[step](context, room)
    rows = in_rows(choices, 3) + [nav_row(_, callbacks.pack(AREA, "back", step), EXPLAIN)]
    await show(update, context, f"{error}\n\n{question}".strip(), inline(rows))
    return step


def day_screen(context: WijkContext, room: Room) -> tuple[str, list[InlineKeyboardButton]]:
    _ = context.gettext
    first = today(context)
    tz = context.settings.timezone
    occupied = rooms.busy(context.db, room.id, first, tz, DAYS_SHOWN)
    days = [first + timedelta(days=n) for n in range(DAYS_SHOWN)]
    choices = [
        button(format_day(day, context.language), AREA, "day", day.strftime("%Y%m%d"))
        for day in days
        if rooms.free_starts(room, day, tz, context.now(), occupied)
    ]
    choices.append(button("📆 " + _("Another day"), AREA, "day", "other"))
    question = _("🚪 {room}: which day? Only days with free time are shown.").format(room=escape(room.name))
    if weekly(context):
        question += "\n" + _("This is the first day. You ask for the same weekday every week.")
    return question, choices


def free_starts(context: WijkContext, room: Room) -> list[datetime]:
    day = date.fromisoformat(draft(context)["day"])
    tz = context.settings.timezone
    return rooms.free_starts(room, day, tz, context.now(), rooms.busy(context.db, room.id, day, tz))


def start_screen(context: WijkContext, room: Room) -> tuple[str, list[InlineKeyboardButton]]:
    _ = context.gettext
    tz = context.settings.timezone
    day = format_day(date.fromisoformat(draft(context)["day"]), context.language, long=True)
    starts = free_starts(context, room)
    if not starts:
        return _("No free time on {day}. Tap ⬅️ Back to choose another day.").format(day=day), []
    choices = []
    for start in starts:
        local = start.astimezone(tz)
        choices.append(button(format_clock(start, context.language, tz), AREA, "at", local.hour * 60 + local.minute))
    return _("{day}: what time do you start? Only free times are shown.").format(day=day), choices


def half_hours_words(_: Translate, half_hours: int) -> str:
    hours, half = divmod(half_hours, 2)
    if not hours:
        return _("½ hour")
    return (
        (_("{hours}½ hours") if half else _("{hours} hours")).format(hours=hours) if half or hours > 1 else _("1 hour")
    )


def fitting_lengths(context: WijkContext, room: Room) -> list[int]:
    """The lengths (half hours) free from the chosen start; on the first day, for every week."""
    tz = context.settings.timezone
    start = chosen_start(context)
    return rooms.lengths(
        room, start, tz, context.now(), rooms.busy(context.db, room.id, start.astimezone(tz).date(), tz)
    )


def length_screen(context: WijkContext, room: Room) -> tuple[str, list[InlineKeyboardButton]]:
    _ = context.gettext
    tz = context.settings.timezone
    start = chosen_start(context)
    fitting = fitting_lengths(context, room)
    choices = [button(half_hours_words(_, n), AREA, "len", n) for n in fitting]
    when = format_short_when(start, context.language, tz)
    return _("From {when}: how long do you need the room?").format(when=when), choices


def months_later(day: date, months: int) -> date:
    """The same day `months` later (the last day of that month when it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def until_screen(context: WijkContext, room: Room) -> tuple[str, list[InlineKeyboardButton]]:
    _ = context.gettext
    ngettext = i18n.plural(context.language)
    start = chosen_start(context).astimezone(context.settings.timezone)
    weekday = weekday_name(start.weekday(), context.language)
    choices = [
        button(ngettext("{count} month", "{count} months", n).format(count=n), AREA, "months", n)
        for n in rooms.SEASON_MONTHS
    ]
    choices.append(button("📆 " + _("Another day"), AREA, "untilday"))
    day = format_day(start.date(), context.language, long=True)
    return _("Every {weekday} from {day}. Until when?").format(weekday=weekday, day=day), choices


def purpose_screen(context: WijkContext, room: Room) -> tuple[str, list[InlineKeyboardButton]]:
    return context.gettext("What do you want to use the room for? Type it in a few words."), []


def people_screen(context: WijkContext, room: Room) -> tuple[str, list[InlineKeyboardButton]]:
    _ = context.gettext
    counts = [n for n in PEOPLE_CHOICES if n < room.capacity] + [room.capacity]
    return _("About how many people come?"), [button(str(n), AREA, "ppl", n) for n in counts]


def pay_screen(context: WijkContext, room: Room) -> tuple[str, list[InlineKeyboardButton]]:
    _ = context.gettext
    balance = hours.balance(context.db, context.known_member.id).balance
    question = _("Pay part in hours? You have {hours}.").format(hours=hour_text.hours(context.language, balance))
    if weekly(context):
        question += "\n" + _("You pay these hours for every date.")
    choices = [
        button(hour_text.hours(context.language, n), AREA, "pay", n) for n in range(1, payable(context, room) + 1)
    ]
    return question, [*choices, button(_("No"), AREA, "pay", 0)]


STEP_SCREENS = {
    DAY: day_screen,
    START: start_screen,
    LENGTH: length_screen,
    UNTIL: until_screen,
    PURPOSE: purpose_screen,
    PEOPLE: people_screen,
    PAY: pay_screen,
}


@requires(Need.ACTIVE)
async def ask_button(update: Update, context: WijkContext) -> str:
    """📆 Ask for this room (once), or 🔁 Ask for every week: the first step."""
    data = tapped(update)
    room = open_room(context, data.int_arg(0))
    context.answers[AREA] = {"room": room.id, "weekly": data.action == "season"}
    return await ask(update, context, DAY)


@requires(Need.ACTIVE)
async def day_button(update: Update, context: WijkContext) -> str:
    """A day, or 📆 Another day (typed)."""
    _ = context.gettext
    value = tapped(update).args[0]
    if value == "other":
        rows = [nav_row(_, callbacks.pack(AREA, "days"), EXPLAIN)]
        await show(update, context, "📆 " + _("Type the day like 12-12 or 12-12-2026."), inline(rows))
        return DAY
    assert isinstance(value, date)
    if value < today(context):
        raise callbacks.StaleButton("a day that has passed")
    draft(context)["day"] = value.isoformat()
    return await ask(update, context, START)


@requires(Need.ACTIVE)
async def day_text(update: Update, context: WijkContext) -> str:
    try:
        day = validation.day(text(update), today(context))
    except validation.Invalid as invalid:
        return await ask(update, context, DAY, invalid.text(context.gettext))
    if chosen_room(context).opening[day.weekday()] is None:
        return await ask(update, context, DAY, context.gettext("The room is closed on that day."))
    draft(context)["day"] = day.isoformat()
    return await ask(update, context, START)


@requires(Need.ACTIVE)
async def days_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back from typing a day: the day buttons again."""
    return await ask(update, context, DAY)


@requires(Need.ACTIVE)
async def start_button(update: Update, context: WijkContext) -> str:
    """A free start time; one that is no longer free asks again."""
    minutes = tapped(update).int_arg(0)
    day = date.fromisoformat(draft(context)["day"])
    local = datetime.combine(day, time(minutes // 60, minutes % 60), context.settings.timezone)
    start = local.astimezone(UTC)
    if start not in free_starts(context, chosen_room(context)):
        return await ask(update, context, START, context.gettext("That time is no longer free."))
    draft(context)["start"] = start.isoformat()
    return await ask(update, context, LENGTH)


async def next_step(update: Update, context: WijkContext, step: str) -> str:
    order = steps(context)
    return await ask(update, context, order[order.index(step) + 1])


@requires(Need.ACTIVE)
async def length_button(update: Update, context: WijkContext) -> str:
    draft(context)["half_hours"] = tapped(update).int_arg(0)
    return await next_step(update, context, LENGTH)


async def keep_until(update: Update, context: WijkContext, until: date) -> str:
    """The last day of a season: at least a week after the first day, at most a year."""
    _ = context.gettext
    first = chosen_start(context).astimezone(context.settings.timezone).date()
    if until < first + rooms.WEEK:
        return await ask(update, context, UNTIL, _("Please choose a day at least a week after the first day."))
    if until - first > rooms.LONGEST_SEASON:
        return await ask(update, context, UNTIL, _("A season can last at most a year. Please choose an earlier day."))
    draft(context)["until"] = until.isoformat()
    return await next_step(update, context, UNTIL)


@requires(Need.ACTIVE)
async def months_button(update: Update, context: WijkContext) -> str:
    """1, 3 or 6 months from the first day."""
    months = tapped(update).int_arg(0)
    if months not in rooms.SEASON_MONTHS:
        raise callbacks.MalformedCallback(f"{months} months is not offered")
    first = chosen_start(context).astimezone(context.settings.timezone).date()
    return await keep_until(update, context, months_later(first, months))


@requires(Need.ACTIVE)
async def until_day_button(update: Update, context: WijkContext) -> str:
    """📆 Another day: typed."""
    _ = context.gettext
    rows = [nav_row(_, callbacks.pack(AREA, "untils"), EXPLAIN)]
    await show(update, context, "📆 " + _("Type the last day like 12-12 or 12-12-2026."), inline(rows))
    return UNTIL


@requires(Need.ACTIVE)
async def untils_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back from typing the last day: the buttons again."""
    return await ask(update, context, UNTIL)


@requires(Need.ACTIVE)
async def until_text(update: Update, context: WijkContext) -> str:
    try:
        until = validation.day(text(update), today(context))
    except validation.Invalid as invalid:
        return await ask(update, context, UNTIL, invalid.text(context.gettext))
    return await keep_until(update, context, until)


@requires(Need.ACTIVE)
async def purpose_text(update: Update, context: WijkContext) -> str:
    try:
        draft(context)["purpose"] = validation.one_line(
            text(update), MAX_PURPOSE, N_("Please type what you want to use the room for.")
        )
    except validation.Invalid as invalid:
        return await ask(update, context, PURPOSE, invalid.text(context.gettext))
    return await ask(update, context, PEOPLE)


@requires(Need.ACTIVE)
async def people_button(update: Update, context: WijkContext) -> str:
    people = tapped(update).int_arg(0)
    if people > chosen_room(context).capacity:
        raise callbacks.StaleButton("more people than the room holds")
    draft(context)["people"] = people
    if payable(context, chosen_room(context)):
        return await ask(update, context, PAY)
    draft(context)["paid"] = 0
    return await preview(update, context)


@requires(Need.ACTIVE)
async def pay_button(update: Update, context: WijkContext) -> str:
    """Half hours to pay in hours, or No; more than may be paid (spent meanwhile, or forged) is asked again."""
    paid = tapped(update).int_arg(0)
    if paid > payable(context, chosen_room(context)):
        return await hours_gone(update, context)
    draft(context)["paid"] = paid
    return await preview(update, context)


async def hours_gone(update: Update, context: WijkContext) -> str:
    """The hours chosen can no longer be paid: the choice again, or the preview all in euros."""
    error = context.gettext("You do not have that many hours now.")
    draft(context)["paid"] = 0
    if payable(context, chosen_room(context)):
        return await ask(update, context, PAY, error)
    return await preview(update, context, error)


def request_of(context: WijkContext) -> Request:
    plan = draft(context)
    start = chosen_start(context)
    return Request(
        room_id=plan["room"],
        member_id=context.known_member.id,
        starts_at=start,
        ends_at=start + rooms.STEP * plan["half_hours"],
        purpose=plan["purpose"],
        people=plan["people"],
        paid_halves=plan.get("paid", 0),
    )


def shown(room: Room, request: Request, rate: str, start: datetime) -> Booking:
    """A date of the request as it would be booked, to show before it is asked."""
    length = request.ends_at - request.starts_at
    return Booking(
        id=0,
        room_id=room.id,
        room_name=room.name,
        member_id=request.member_id,
        member_name=None,
        starts_at=start,
        ends_at=start + length,
        purpose=request.purpose,
        people=request.people,
        rate=rate,
        price_cents=room.price(rate, int(length.total_seconds() // 60), request.paid_halves),
        status=rooms.ASKED,
        reason=None,
        paid_halves=request.paid_halves,
    )


def season_preview(context: WijkContext, room: Room, request: Request, rate: str) -> list[str]:
    """Every week: how many dates, what they cost together, and the dates that clash already."""
    _ = context.gettext
    tz = context.settings.timezone
    starts = rooms.season_starts(request.starts_at, date.fromisoformat(draft(context)["until"]), tz)
    clashing = set(rooms.season_clashes(context.db, room, starts, request.ends_at - request.starts_at, tz))
    free = [shown(room, request, rate, start) for start in starts if start not in clashing]
    left_out = [shown(room, request, rate, start) for start in starts if start in clashing]
    lines = [
        _("You ask for every week:"),
        "",
        *season_lines(_, free, context.language, context.settings, free + left_out),
    ]
    lines += clash_lines(_, left_out, context.language, context.settings)
    return lines + ["", _("The organisers decide about all dates at once.")]


async def preview(update: Update, context: WijkContext, error: str = "") -> str:
    """What goes to the organisers, with the price; ✅ Ask, ✏️ Change or ✖️ Stop."""
    _ = context.gettext
    room = chosen_room(context)
    request = request_of(context)
    rate = rooms.rate_of(context.known_member.business_name)
    if draft(context)["half_hours"] not in fitting_lengths(context, room):
        return await ask(update, context, START, _("Sorry, that time is no longer free. Please choose again."))
    if request.paid_halves > payable(context, room):
        return await hours_gone(update, context)
    if weekly(context):
        lines = season_preview(context, room, request, rate)
    else:
        booked = shown(room, request, rate, request.starts_at)
        lines = [_("You ask for:"), "", *booking_lines(_, booked, context.language, context.settings)]
    lines += ["", _("This is {which}.").format(which=rate_words(_, rate))]
    if request.paid_halves:
        lines.append(_("The hours leave your time bank when you ask. You get them back if it is not booked."))
    lines.append(_("The organisers decide. You get a message."))
    rows = [
        [button("✅ " + _("Yes, ask"), AREA, "send")],
        [button("✏️ " + _("Change"), AREA, "change"), button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW), EXPLAIN),
    ]
    await show(update, context, f"{error}\n\n" * bool(error) + "\n".join(lines), inline(rows))
    return PREVIEW


@requires(Need.ACTIVE)
async def send_button(update: Update, context: WijkContext) -> str | int:
    """✅ Yes, ask: stored and sent to the organisers, unless the time was taken meanwhile."""
    _ = context.gettext
    request, tz, timebank = request_of(context), context.settings.timezone, context.settings.timebank
    if weekly(context):
        until = date.fromisoformat(draft(context)["until"])
        asked: object = rooms.ask_season(context.db, request, until, tz, context.now(), timebank=timebank)
    else:
        asked = rooms.ask(context.db, request, tz, context.now(), timebank=timebank)
    if asked is None and request.paid_halves > payable(context, chosen_room(context)):
        return await hours_gone(update, context)
    if asked is None:
        return await ask(update, context, START, _("Sorry, that time is no longer free. Please choose again."))
    context.answers.pop(AREA, None)
    context.wake_sender()
    rows = [[button("📅 " + _("My bookings"), AREA, "mine", 0)], nav_row(_, callbacks.pack(AREA, "menu"))]
    text = _("✅ Sent to the organisers. You get a message when they decide.")
    await show(update, context, text, inline(rows), toast="✅")
    return ConversationHandler.END


@requires(Need.ACTIVE)
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: from the day on, the answers are asked again."""
    return await ask(update, context, DAY)


@requires(Need.ACTIVE)
async def back_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back: one step back; from the first step, to the room."""
    step = tapped(update).str_arg(0)
    if step == PREVIEW:
        return await ask(update, context, PAY if payable(context, chosen_room(context)) else PEOPLE)
    order = steps(context)
    if step not in order:
        raise callbacks.StaleButton(f"no step {step} in this request")
    index = order.index(step)
    if index == 0:
        room_id = draft(context).get("room", 0)
        context.answers.pop(AREA, None)
        await card_button(update, context) if room_id else await menu_button(update, context)
        return ConversationHandler.END
    return await ask(update, context, order[index - 1])


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is sent."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was sent."), AREA)


# --- 📅 My bookings ---


def if_cancelled(context: WijkContext, dates: list[Booking]) -> list[str]:
    """What cancelling gives back, when dates were paid partly in hours."""
    halves = sum(d.paid_halves for d in dates)
    if not halves:
        return []
    words = context.gettext("If you cancel, you get your {hours} back.")
    return ["", "⏱️ " + words.format(hours=hour_text.hours(context.language, halves))]


def status_words(_: Translate, booking: Booking) -> str:
    return "✅ " + _("booked") if booking.status == CONFIRMED else "⏳ " + _("waiting for an answer")


@requires(Need.ACTIVE)
async def mine_button(update: Update, context: WijkContext) -> None:
    """📅 My bookings: requests and bookings that have not ended, soonest first."""
    _ = context.gettext
    page = rooms.of_member(context.db, context.known_member.id, context.now(), tapped(update).int_arg(0))
    tz = context.settings.timezone

    def line(booking: Booking) -> InlineKeyboardButton:
        icon = ("🔁" if booking.series_id else "") + ("✅" if booking.status == CONFIRMED else "⏳")
        label = f"{icon} {format_short_when(booking.starts_at, context.language, tz)} · {booking.room_name}"
        return button(label, AREA, "bk", booking.id, page.number)

    text = "📅 " + _("My bookings") + "\n" + (_("Tap one to see it.") if page.items else _("You have no bookings."))
    rows = [*paged(page, line, AREA, "mine"), nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


def own_booking(context: WijkContext, booking_id: int) -> Booking:
    """A booking of this member that has not ended; anything else is a stale or forged button."""
    booking = rooms.booking(context.db, booking_id)
    if booking is None or booking.member_id != context.known_member.id or booking.ends_at <= context.now():
        raise callbacks.StaleButton(f"booking {booking_id} is not theirs to see")
    return booking


async def show_booking(
    update: Update, context: WijkContext, booking: Booking, page: int, toast: str | None = None
) -> None:
    _ = context.gettext
    lines = [status_words(_, booking), "", *booking_lines(_, booking, context.language, context.settings)]
    rows = []
    if booking.status in (rooms.ASKED, CONFIRMED):
        if booking.status == rooms.ASKED or booking.starts_at - context.now() >= rooms.CANCEL_UNTIL:
            rows.append([button("❌ " + _("Cancel"), AREA, "cancel", booking.id, page)])
            lines += if_cancelled(context, [booking])
        else:
            lines += ["", _("It is less than a day before. To cancel, please ask an organiser.")]
    rows.append(nav_row(_, callbacks.pack(AREA, "mine", page)))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def booking_button(update: Update, context: WijkContext) -> None:
    """A booking, or the season a date belongs to."""
    data = tapped(update)
    booking = rooms.booking(context.db, data.int_arg(0))
    if booking is not None and booking.series_id is not None:
        await show_season(update, context, own_season(context, booking.series_id), data.int_arg(1))
        return
    await show_booking(update, context, own_booking(context, data.int_arg(0)), data.int_arg(1))


@requires(Need.ACTIVE)
async def cancel_button(update: Update, context: WijkContext) -> None:
    """❌ Cancel: asked once more."""
    _ = context.gettext
    data = tapped(update)
    booking = own_booking(context, data.int_arg(0))
    if booking.series_id is not None:
        raise callbacks.StaleButton("a date of a season is cancelled with the season")
    text = "\n".join(
        [
            _("Do you want to cancel this?"),
            "",
            *booking_lines(_, booking, context.language, context.settings),
            *back_lines(_, [booking], context.language),
        ]
    )
    rows = [
        [button("✅ " + _("Yes, cancel"), AREA, "cancelok", booking.id, data.int_arg(1))],
        nav_row(_, callbacks.pack(AREA, "bk", booking.id, data.int_arg(1))),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def cancel_ok_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, cancel: done while it may be (up to a day before); later, an organiser decides."""
    _ = context.gettext
    data = tapped(update)
    decision = rooms.cancel(context.db, data.int_arg(0), context.known_member.id, context.now())
    if decision.outcome in (Outcome.NOT_YOURS, Outcome.GONE):
        raise callbacks.StaleButton("not their booking, or a date of a season")
    if decision.outcome is Outcome.TOO_LATE and decision.booking:
        await show_booking(update, context, decision.booking, data.int_arg(1), toast=_("Too late to cancel here."))
        return
    if decision.outcome is Outcome.DONE and decision.booking:
        lines = [
            _("Cancelled. The room is free again for others."),
            *back_lines(_, [decision.booking], context.language),
        ]
        text, toast = "\n".join(lines), "✅"
    else:
        text = toast = _("This was already cancelled or decided.")
    await show(update, context, text, inline([nav_row(_, callbacks.pack(AREA, "mine", data.int_arg(1)))]), toast=toast)


# --- a season in 📅 My bookings ---


def coming(found: Season, now: datetime) -> list[Booking]:
    """The dates of a season that are asked or booked and have not ended."""
    return [d for d in found.having(rooms.ASKED, CONFIRMED) if d.ends_at > now]


def cancellable(dates: list[Booking], now: datetime) -> list[Booking]:
    """The dates the member can still cancel: asked, or booked a day or more ahead."""
    return [
        d for d in dates if d.starts_at > now and (d.status == rooms.ASKED or d.starts_at - now >= rooms.CANCEL_UNTIL)
    ]


def own_season(context: WijkContext, series_id: int) -> Season:
    """A season of this member with a date to come; anything else is a stale or forged button."""
    found = rooms.season(context.db, series_id)
    if found is None or found.first.member_id != context.known_member.id or not coming(found, context.now()):
        raise callbacks.StaleButton(f"season {series_id} is not theirs to see")
    return found


def kept_words(context: WijkContext, dates: list[Booking]) -> list[str]:
    """Dates less than a day ahead stay: said, when there are any."""
    kept = [d for d in dates if d not in cancellable(dates, context.now())]
    if not kept:
        return []
    days = days_text(kept, context.language, context.settings)
    return [
        "",
        context.gettext("Less than a day before, a date stays: {days}. To cancel it, please ask an organiser.").format(
            days=days
        ),
    ]


async def show_season(update: Update, context: WijkContext, found: Season, page: int, toast: str | None = None) -> None:
    """A season: the dates to come, the next one, and ❌ Cancel the rest."""
    _ = context.gettext
    now, tz = context.now(), context.settings.timezone
    dates = coming(found, now)
    waiting = any(d.status == rooms.ASKED for d in dates)
    lines = ["⏳ " + _("waiting for an answer") if waiting else "✅ " + _("booked"), ""]
    lines += season_lines(_, dates, context.language, context.settings)
    lines += ["", _("Next time: {when}").format(when=format_short_when(dates[0].starts_at, context.language, tz))]
    lines += kept_words(context, dates)
    rows = []
    if cancellable(dates, now):
        rows.append([button("❌ " + _("Cancel the rest"), AREA, "scancel", found.id, page)])
        lines += if_cancelled(context, cancellable(dates, now))
    rows.append(nav_row(_, callbacks.pack(AREA, "mine", page)))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def season_cancel_button(update: Update, context: WijkContext) -> None:
    """❌ Cancel the rest: asked once more, with the dates that stay."""
    _ = context.gettext
    data = tapped(update)
    found = own_season(context, data.int_arg(0))
    dates = cancellable(coming(found, context.now()), context.now())
    if not dates:
        raise callbacks.StaleButton("nothing left to cancel")
    lines = [
        _("Do you want to cancel all these dates?"),
        "",
        *season_lines(_, dates, context.language, context.settings),
    ]
    lines += kept_words(context, coming(found, context.now())) + back_lines(_, dates, context.language)
    rows = [
        [button("✅ " + _("Yes, cancel"), AREA, "scancelok", found.id, data.int_arg(1))],
        nav_row(_, callbacks.pack(AREA, "bk", found.id, data.int_arg(1))),
    ]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ACTIVE)
async def season_cancel_ok_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, cancel: every date still allowed, in one go; the ones less than a day ahead stay."""
    _ = context.gettext
    data = tapped(update)
    decision = rooms.cancel_season(context.db, data.int_arg(0), context.known_member.id, context.now())
    if decision.outcome is Outcome.NOT_YOURS or decision.season is None:
        raise callbacks.StaleButton("not their season")
    if decision.outcome is Outcome.TOO_LATE:
        await show_season(update, context, decision.season, data.int_arg(1), toast=_("Too late to cancel here."))
        return
    if decision.outcome is Outcome.DONE:
        count = len(decision.done)
        ngettext = i18n.plural(context.language)
        text = ngettext(
            "Cancelled: {count} date. The room is free again for others.",
            "Cancelled: {count} dates. The room is free again for others.",
            count,
        ).format(count=count)
        gone = list(decision.done)
        text = "\n".join([text, *kept_words(context, list(decision.left)), *back_lines(_, gone, context.language)])
        toast = "✅"
    else:
        text = toast = _("This was already cancelled or decided.")
    await show(update, context, text, inline([nav_row(_, callbacks.pack(AREA, "mine", data.int_arg(1)))]), toast=toast)


def handlers() -> list[BaseHandler]:
    states: States = {
        step: [CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", step))] for step in ORDER
    }
    states[DAY] += [
        CallbackQueryHandler(day_button, pattern=on("day")),
        CallbackQueryHandler(days_button, pattern=on("days")),
        MessageHandler(typed_text(), day_text),
    ]
    states[START].append(CallbackQueryHandler(start_button, pattern=on("at")))
    states[LENGTH].append(CallbackQueryHandler(length_button, pattern=on("len")))
    states[UNTIL] += [
        CallbackQueryHandler(months_button, pattern=on("months")),
        CallbackQueryHandler(until_day_button, pattern=on("untilday")),
        CallbackQueryHandler(untils_button, pattern=on("untils")),
        MessageHandler(typed_text(), until_text),
    ]
    states[PURPOSE].append(MessageHandler(typed_text(), purpose_text))
    states[PEOPLE].append(CallbackQueryHandler(people_button, pattern=on("ppl")))
    states[PAY].append(CallbackQueryHandler(pay_button, pattern=on("pay")))
    states[PREVIEW] = [
        CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", PREVIEW)),
        CallbackQueryHandler(send_button, pattern=on("send")),
        CallbackQueryHandler(change_button, pattern=on("change")),
        CallbackQueryHandler(leave, pattern=on("stop")),
    ]
    return [
        persistent_conversation(
            "rent_room",
            entry_points=[CallbackQueryHandler(ask_button, pattern=on("ask", "season"))],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
            explanations=EXPLANATIONS,
        ),
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(week_button, pattern=on("week")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(booking_button, pattern=on("bk")),
        CallbackQueryHandler(cancel_button, pattern=on("cancel")),
        CallbackQueryHandler(cancel_ok_button, pattern=on("cancelok")),
        CallbackQueryHandler(season_cancel_button, pattern=on("scancel")),
        CallbackQueryHandler(season_cancel_ok_button, pattern=on("scancelok")),
    ]
