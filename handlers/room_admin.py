"""📣 Organise → ⚙️ Rooms: rooms and their settings, requests to confirm or decline, the week, the month.

A room is set up step by step (name, people, what is there, three prices, with the time bank on the part
of the time members may pay in hours, opening hours per weekday, cleaning buffer, notice) with a preview;
✏️ Change fixes one answer. A request is confirmed in one
transaction that checks the time is still free (storage/rooms.py confirm); declining or cancelling asks a
reason, from buttons or typed, which the member reads. A weekly slot for a season is one request: ✅ Confirm
all that are free settles every date in one transaction and names the dates left out (confirm_season).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, hour_text, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.double_taps import files_once
from bot.exports import file_name, spreadsheet
from bot.formatting import format_amount, format_clock, format_day, format_hours, format_member_no, format_short_when
from bot.i18n import N_, Translate
from bot.incoming import chat_id, query, tapped, text
from bot.keyboards import button, in_rows, inline, nav_row, paged, typed_text
from bot.never_stuck import EXPLAIN
from bot.replies import show, way_on_after_files
from bot.room_notices import booking_lines, clash_lines, price_words, season_decision_row, season_lines
from bot.vote_text import money
from handlers.activity_admin import month_bounds, month_key, month_rows, tapped_month
from handlers.rooms import monday_of, room_text, tapped_monday, today, week_rows, week_text, weekday_name
from storage import rooms
from storage.paging import Page
from storage.rooms import Booking, Outcome, Room, RoomPlan, Season

AREA = "roomorg"
NAME, CAPACITY, FACILITIES, MEMBER, BUSINESS, OTHER, SHARE, HOURS, BUFFER, NOTICE = (
    *("name", "capacity", "facilities", "member", "business", "other", "share", "hours", "buffer", "notice"),
)
ORDER = (NAME, CAPACITY, FACILITIES, MEMBER, BUSINESS, OTHER, SHARE, HOURS, BUFFER, NOTICE)  # SHARE: time bank on
PREVIEW, REASON = "preview", "reason"
FIELDS = {  # ✏️ Change: the field, its label, and its first step
    "name": (N_("Name"), NAME),
    "capacity": (N_("People"), CAPACITY),
    "facilities": (N_("What is there"), FACILITIES),
    "prices": (N_("Prices"), MEMBER),
    "share": (N_("Paid in hours"), SHARE),  # only with the time bank on
    "hours": (N_("Opening hours"), HOURS),
    "buffer": (N_("Cleaning"), BUFFER),
    "notice": (N_("Notice"), NOTICE),
}
SPANS = {"day": "09:00-17:00", "long": "09:00-22:00", "evening": "17:00-22:00"}
BUFFERS = (0, 15, 30, 60)
NOTICES = (0, 24, 48)
MAX_NAME, MAX_FACILITIES, MAX_CAPACITY, MAX_REASON = 60, 200, 500, 200
REASONS = (
    N_("The room is not free at that time."),
    N_("The room does not suit this."),
    N_("Please come to the desk to talk about it."),
)
QUESTIONS = {
    NAME: N_("What is the room called? For example Big hall."),
    CAPACITY: N_("How many people fit in the room? Type a number."),
    FACILITIES: N_("What is in the room? For example kitchen, projector. Or tap Nothing."),
    MEMBER: N_("Price per hour for members, in euros? For example 10 or 7,50."),
    BUSINESS: N_("Price per hour for ZZP'ers and businesses?"),
    OTHER: N_("Price per hour for others?"),
    SHARE: N_(
        "Can members pay part of the time with hours from the time bank?\n"
        "One hour in the time bank pays one hour here. ZZP'ers and businesses always pay in euros."
    ),
    BUFFER: N_("How many minutes for cleaning between two bookings?"),
    NOTICE: N_("How many hours before must people ask?"),
}
EXPLANATIONS = {
    HOURS: N_("Tap the opening hours of this day, or type them like 9:00-17:00.\nTap Closed when it is closed."),
    PREVIEW: N_("This is the room as it will be saved.\n✏️ Change fixes one answer."),
    REASON: N_("The member reads this reason. Tap one, or type your own."),
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def read_capacity(typed: str) -> int:
    digits = validation.western(typed).strip()
    if not (digits.isascii() and digits.isdigit() and 1 <= int(digits) <= MAX_CAPACITY):
        raise validation.Invalid(N_("Please type a number from 1 to {maximum}."), maximum=MAX_CAPACITY)
    return int(digits)


def read_span(typed: str) -> str:
    """Opening hours typed like 9:00-17:00."""
    parts = validation.western(typed).replace("–", "-").split("-")
    if len(parts) != 2:
        raise validation.Invalid(N_("Please type the hours like 9:00-17:00."))
    start = validation.clock_time(parts[0])
    midnight = parts[1].strip().startswith("24")  # 9:00-24:00: open until midnight, stored as 00:00
    end = time(0) if midnight else validation.clock_time(parts[1])
    if end != time(0) and end <= start:
        raise validation.Invalid(N_("The end must be after the start."))
    return f"{start.isoformat('minutes')}-{end.isoformat('minutes')}"


READERS: dict[str, Callable[[str], object]] = {
    NAME: lambda typed: validation.one_line(typed, MAX_NAME, N_("Please type a name for the room.")),
    CAPACITY: read_capacity,
    FACILITIES: lambda typed: validation.one_line(typed, MAX_FACILITIES, N_("Please type what is in the room.")),
    MEMBER: validation.euros,
    BUSINESS: validation.euros,
    OTHER: validation.euros,
    HOURS: read_span,
}


def steps(context: WijkContext) -> tuple[str, ...]:
    """The steps of a room: the part paid in hours only with the time bank on."""
    return ORDER if context.settings.timebank else tuple(step for step in ORDER if step != SHARE)


def plan_of(context: WijkContext) -> RoomPlan:
    plan = draft(context)
    return RoomPlan(
        name=plan[NAME],
        capacity=plan[CAPACITY],
        facilities=plan[FACILITIES],
        prices=(plan[MEMBER], plan[BUSINESS], plan[OTHER]),
        opening=rooms.read_opening(",".join(plan[HOURS])),
        buffer_minutes=plan[BUFFER],
        notice_hours=plan[NOTICE],
        hours_share=plan.get(SHARE, 0),
    )


def choices(_: Translate, context: WijkContext, step: str) -> list[InlineKeyboardButton]:
    if step == FACILITIES:
        return [button("⏭️ " + _("Nothing"), AREA, "nothing")]
    if step in (MEMBER, BUSINESS, OTHER):
        return [button("🆓 " + _("Free"), AREA, "free")]
    if step == SHARE:
        return [button(f"{share}%", AREA, "share", share) for share in rooms.SHARES]
    if step == HOURS:
        spans = [button(span.replace("-", "–"), AREA, "span", key) for key, span in SPANS.items()]
        same = [button("🔁 " + _("Same as the day before"), AREA, "span", "same")] if draft(context)["weekday"] else []
        return [*spans, button("🚫 " + _("Closed"), AREA, "span", "closed"), *same]
    if step == BUFFER:
        return [button(_("{minutes} min").format(minutes=n), AREA, "buffer", n) for n in BUFFERS]
    if step == NOTICE:
        return [button(_("{hours} hours").format(hours=n), AREA, "notice", n) for n in NOTICES]
    return []


async def ask(update: Update, context: WijkContext, step: str, error: str = "") -> str:
    _ = context.gettext
    if step == HOURS:
        day = weekday_name(draft(context)["weekday"], context.language)
        question = _("When is the room open on {day}?").format(day=day)
    else:
        question = _(QUESTIONS[step])
    rows = in_rows(choices(_, context, step), 3) + [nav_row(_, callbacks.pack(AREA, "back", step), EXPLAIN)]
    await show(update, context, f"{error}\n\n{question}".strip(), inline(rows))
    return step


async def next_after(update: Update, context: WijkContext, step: str) -> str:
    """The next question; while changing one answer, back to the preview after its last step."""
    plan = draft(context)
    if step == HOURS and plan["weekday"] < 6:
        plan["weekday"] += 1
        return await ask(update, context, HOURS)
    if plan.get("editing") and step not in (MEMBER, BUSINESS):
        return await preview(update, context)
    order = steps(context)
    later = order[order.index(step) + 1 :]
    if later and later[0] == HOURS:
        plan["weekday"] = 0
    return await ask(update, context, later[0]) if later else await preview(update, context)


def keep(context: WijkContext, step: str, value: object) -> None:
    if step == HOURS:
        draft(context)[HOURS][draft(context)["weekday"]] = value
    else:
        draft(context)[step] = value


def answering(step: str) -> Callable:
    @requires(Need.ORGANISER)
    async def typed(update: Update, context: WijkContext) -> object:
        try:
            keep(context, step, READERS[step](text(update)))
        except validation.Invalid as invalid:
            return await ask(update, context, step, invalid.text(context.gettext))
        return await next_after(update, context, step)

    typed.__name__ = f"{step}_text"
    return typed


def quick_answer(data: callbacks.Callback, context: WijkContext) -> object:
    """The value behind a quick answer: nothing in the room, free, opening hours, cleaning or notice."""
    if data.action == "span":
        key, weekday = data.str_arg(0), draft(context)["weekday"]
        earlier = draft(context)[HOURS][weekday - 1] if weekday else ""
        return {"closed": "", "same": earlier}.get(key, SPANS.get(key))
    if data.action in ("buffer", "notice", "share"):
        if data.int_arg(0) not in {"buffer": BUFFERS, "notice": NOTICES, "share": rooms.SHARES}[data.action]:
            raise callbacks.MalformedCallback(f"{data.action} {data.args[0]} is not offered")
        return data.int_arg(0)
    return {"nothing": "", "free": 0}[data.action]


def quick(step: str) -> Callable:
    """The handler for the quick-answer buttons of one step."""

    @requires(Need.ORGANISER)
    async def tapped_answer(update: Update, context: WijkContext) -> object:
        keep(context, step, quick_answer(tapped(update), context))
        return await next_after(update, context, step)

    tapped_answer.__name__ = f"{step}_button"
    return tapped_answer


async def preview(update: Update, context: WijkContext) -> str:
    _ = context.gettext
    draft(context)["editing"] = False
    rows = [
        [button("✅ " + _("Save"), AREA, "save")],
        [button("✏️ " + _("Change"), AREA, "change"), button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", NOTICE), EXPLAIN),
    ]
    text = room_text(_, plan_of(context), context.language, timebank=context.settings.timebank)
    await show(update, context, text, inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def change_button(update: Update, context: WijkContext) -> str:
    _ = context.gettext
    fields = [
        button(_(label), AREA, "field", field) for field, (label, step) in FIELDS.items() if step in steps(context)
    ]
    rows = in_rows(fields, 3) + [nav_row(_, callbacks.pack(AREA, "preview"), EXPLAIN)]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def field_button(update: Update, context: WijkContext) -> str:
    _label, step = FIELDS[tapped(update).str_arg(0)]
    if step not in steps(context):
        raise callbacks.StaleButton("the time bank is off")
    draft(context)["editing"] = True
    draft(context)["weekday"] = 0
    return await ask(update, context, step)


@requires(Need.ORGANISER)
async def preview_button(update: Update, context: WijkContext) -> str:
    return await preview(update, context)


@requires(Need.ORGANISER)
async def back_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back: one step (or weekday) back; from the first step, to ⚙️ Rooms."""
    step = tapped(update).str_arg(0)
    plan = draft(context)
    if step == HOURS and plan["weekday"] > 0:
        plan["weekday"] -= 1
        return await ask(update, context, HOURS)
    if plan.get("editing") or step == ORDER[0]:
        if step == ORDER[0] and not plan.get("editing"):
            context.answers.pop(AREA, None)
            await show_menu(update, context, 0)
            return ConversationHandler.END
        return await preview(update, context)
    order = steps(context)
    if step not in order:
        raise callbacks.StaleButton(f"no step {step} now")
    earlier = order[order.index(step) - 1]
    if earlier == HOURS:
        plan["weekday"] = 6
    return await ask(update, context, earlier)


@requires(Need.ORGANISER)
async def save_button(update: Update, context: WijkContext) -> int:
    """✅ Save: a new room, or the new settings of a room."""
    _ = context.gettext
    room_id = draft(context).get("room")
    plan = plan_of(context)
    room = rooms.update(context.db, room_id, plan) if room_id else rooms.create(context.db, plan, context.now())
    context.answers.pop(AREA, None)
    if room is None:
        raise callbacks.StaleButton("the room is gone")
    await show_card(update, context, room, toast="✅ " + _("Saved"))
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def new_button(update: Update, context: WijkContext) -> str:
    """➕ New room."""
    context.answers[AREA] = {HOURS: [""] * 7, "weekday": 0}
    return await ask(update, context, NAME)


@requires(Need.ORGANISER)
async def edit_button(update: Update, context: WijkContext) -> object:
    """✏️ Change a room: its settings as they are, then what to change."""
    room = rooms.get(context.db, tapped(update).int_arg(0))
    if room is None:
        raise callbacks.StaleButton("no such room")
    opening = rooms.write_opening(room.opening).split(",")
    context.answers[AREA] = {
        "room": room.id,
        NAME: room.name,
        CAPACITY: room.capacity,
        FACILITIES: room.facilities,
        MEMBER: room.prices[0],
        BUSINESS: room.prices[1],
        OTHER: room.prices[2],
        HOURS: opening,
        BUFFER: room.buffer_minutes,
        NOTICE: room.notice_hours,
        SHARE: room.hours_share,
        "weekday": 0,
    }
    return await change_button(update, context)


async def leave(update: Update, context: WijkContext) -> int:
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was saved."), AREA)


# --- the rooms, a room's card, its week ---


async def show_menu(update: Update, context: WijkContext, page: int) -> None:
    _ = context.gettext
    found = rooms.listed(context.db, page, only_active=False)
    waiting = rooms.waiting(context.db, context.now(), 0)

    def line(room: Room) -> InlineKeyboardButton:
        return button(("🚪 " if room.active else "💤 ") + room.name, AREA, "card", room.id)

    rows = paged(found, line, AREA, "rooms")
    rows += [
        [button("➕ " + _("New room"), AREA, "new")],
        [button("📨 " + _("Room requests") + waiting_count(waiting), AREA, "asked", 0)],
        [button("📊 " + _("Month overview"), AREA, "month", "now")],
        nav_row(_, callbacks.pack("org", "menu")),
    ]
    await show(update, context, "⚙️ " + _("Rooms") + "\n" + _("Tap a room to see or change it."), inline(rows))


def waiting_count(waiting: Page[rooms.Booking]) -> str:
    """After 📨 Room requests: " (3)" when requests wait, " (5+)" for more than a page, nothing when none do."""
    if not waiting.items:
        return ""
    return f" ({len(waiting.items)}{'+' if waiting.has_next else ''})"


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> None:
    """⚙️ Rooms, or ◀️ ▶️ through them."""
    data = tapped(update)
    await show_menu(update, context, data.int_arg(0) if data.args else 0)


async def show_card(update: Update, context: WijkContext, room: Room, toast: str | None = None) -> None:
    _ = context.gettext
    state = "🟢 " + _("Open for requests.") if room.active else "💤 " + _("Switched off: no new requests.")
    switch = (
        button("💤 " + _("Switch off"), AREA, "onoff", room.id, 0)
        if room.active
        else button("🟢 " + _("Switch on"), AREA, "onoff", room.id, 1)
    )
    rows = [
        [button("✏️ " + _("Change"), AREA, "edit", room.id), switch],
        [button("🗓️ " + _("Week"), AREA, "week", room.id, monday_of(today(context)).strftime("%Y%m%d"))],
        nav_row(_, callbacks.pack(AREA, "menu")),
    ]
    text = room_text(_, room, context.language, timebank=context.settings.timebank)
    await show(update, context, text + "\n\n" + state, inline(rows), toast=toast)


def room_of(context: WijkContext, room_id: int) -> Room:
    room = rooms.get(context.db, room_id)
    if room is None:
        raise callbacks.StaleButton("no such room")
    return room


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    await show_card(update, context, room_of(context, tapped(update).int_arg(0)))


@requires(Need.ORGANISER)
async def switch_button(update: Update, context: WijkContext) -> None:
    """💤 Switch off / 🟢 Switch on."""
    data = tapped(update)
    room = rooms.switch(context.db, data.int_arg(0), bool(data.int_arg(1)))
    if room is None:
        raise callbacks.StaleButton("no such room")
    await show_card(update, context, room, toast="✅")


@requires(Need.ORGANISER)
async def week_button(update: Update, context: WijkContext) -> None:
    """🗓️ A week of a room, with who has it; 🚫 cancels a booking (with a reason)."""
    _ = context.gettext
    room = room_of(context, tapped(update).int_arg(0))
    monday = tapped_monday(update)
    text = week_text(context, room, monday, names=True)
    tz = context.settings.timezone
    start = datetime.combine(monday, time(0), tz).astimezone(UTC)
    cancellable = [
        slot
        for slot in rooms.in_week(context.db, room.id, start, start + timedelta(days=7))
        if slot.booking_id is not None and slot.starts_at > context.now()
    ]
    rows = [
        [
            button(
                "🚫 " + f"{format_short_when(slot.starts_at, context.language, tz)} {slot.who or ''}".strip(),
                AREA,
                "cancel",
                slot.booking_id,
            )
        ]
        for slot in cancellable
        if slot.booking_id is not None
    ]
    rows += week_rows(AREA, room.id, monday, context, callbacks.pack(AREA, "card", room.id))
    await show(update, context, text, inline(rows))


# --- requests ---


def request_text(_: Translate, context: WijkContext, booking: Booking) -> str:
    who = escape(booking.member_name or _("A member"))
    return "\n".join(
        [
            _("📨 Request from {name}").format(name=who),
            "",
            *booking_lines(_, booking, context.language, context.settings),
        ]
    )


def season_text(_: Translate, context: WijkContext, found: Season) -> str:
    """A season's request: its asked dates, and those that clash now (left out when it is confirmed)."""
    who = escape(found.first.member_name or _("A member"))
    clashing = rooms.still_clashing(context.db, found, context.settings.timezone, context.now())
    asked = found.having(rooms.ASKED)
    free = [d for d in asked if d not in clashing]  # what is confirmed; the hours are paid for every asked date
    return "\n".join(
        [
            _("📨 Request from {name}").format(name=who),
            "",
            *season_lines(_, free or asked, context.language, context.settings, asked),
            *clash_lines(_, clashing, context.language, context.settings),
        ]
    )


def asked_season(context: WijkContext, series_id: int) -> Season | None:
    """A season with dates still asked, or None."""
    found = rooms.season(context.db, series_id)
    return found if found is not None and found.having(rooms.ASKED) else None


@requires(Need.ORGANISER)
async def asked_button(update: Update, context: WijkContext) -> None:
    """📨 Requests nobody decided about, soonest first."""
    _ = context.gettext
    page = rooms.waiting(context.db, context.now(), tapped(update).int_arg(0))
    tz = context.settings.timezone

    def line(booking: Booking) -> InlineKeyboardButton:
        when = format_short_when(booking.starts_at, context.language, tz)
        return button(
            f"{when} · {booking.room_name} · {booking.member_name or '-'}", AREA, "req", booking.id, page.number
        )

    text = "📨 " + _("Room requests") + "\n" + (_("Tap one to decide.") if page.items else _("No requests wait."))
    await show(
        update, context, text, inline([*paged(page, line, AREA, "asked"), nav_row(_, callbacks.pack(AREA, "menu"))])
    )


@requires(Need.ORGANISER)
async def request_button(update: Update, context: WijkContext) -> None:
    _ = context.gettext
    data = tapped(update)
    booking = rooms.booking(context.db, data.int_arg(0))
    if booking is None or booking.status != rooms.ASKED:
        raise callbacks.StaleButton("not a waiting request")
    back = nav_row(_, callbacks.pack(AREA, "asked", data.int_arg(1)))
    found = asked_season(context, booking.series_id) if booking.series_id else None
    if found is not None:
        await show(update, context, season_text(_, context, found), inline([season_decision_row(_, found.id), back]))
        return
    rows = [
        [
            button("✅ " + _("Confirm"), AREA, "confirm", booking.id),
            button("❌ " + _("Decline"), AREA, "decline", booking.id),
        ],
        nav_row(_, callbacks.pack(AREA, "asked", data.int_arg(1))),
    ]
    await show(update, context, request_text(_, context, booking), inline(rows))


def decided_words(_: i18n.Translate, booking: rooms.Booking) -> str:
    """Why a request can no longer be decided: the member withdrew it (cancelled, or left), or someone decided."""
    if booking.status == rooms.CANCELLED:
        return _("This request was withdrawn.")
    return _("Someone already decided about this request.")


@requires(Need.ORGANISER)
async def season_confirm_button(update: Update, context: WijkContext) -> None:
    """✅ Confirm all that are free: every date in one transaction; the dates left out are named."""
    _ = context.gettext
    tz, now = context.settings.timezone, context.now()
    decision = rooms.confirm_season(context.db, tapped(update).int_arg(0), context.known_member.id, tz, now)
    if decision.outcome in (Outcome.GONE, Outcome.PAST) or decision.season is None:
        raise callbacks.StaleButton("the season is gone or over")
    back = nav_row(_, callbacks.pack(AREA, "asked", 0))
    if decision.outcome is Outcome.DECIDED:
        words = _("Someone already decided about this request.")
        await show(update, context, words, inline([back]), toast=words)
        return
    context.wake_sender()
    count = len(decision.done)
    ngettext = i18n.plural(context.language)
    lines = [
        ngettext(
            "✅ Confirmed: {count} date. The member gets a message.",
            "✅ Confirmed: {count} dates. The member gets a message.",
            count,
        ).format(count=count)
    ]
    if decision.done:
        lines += ["", *season_lines(_, list(decision.done), context.language, context.settings)]
    lines += clash_lines(_, list(decision.left), context.language, context.settings)
    await show(update, context, "\n".join(lines), inline([back]), toast="✅")


@requires(Need.ORGANISER)
async def confirm_button(update: Update, context: WijkContext) -> None:
    """✅ Confirm: settled in one transaction; a clash or someone else's decision is said plainly."""
    _ = context.gettext
    decision = rooms.confirm(context.db, tapped(update).int_arg(0), context.known_member.id, context.now())
    booking = decision.booking
    if decision.outcome in (Outcome.GONE, Outcome.PAST) or booking is None:
        raise callbacks.StaleButton("the request is gone or started")
    back = nav_row(_, callbacks.pack(AREA, "asked", 0))
    if decision.outcome is Outcome.CLASH:
        text = (
            request_text(_, context, booking)
            + "\n\n⚠️ "
            + _("This time is no longer free: another booking or activity is in the way. Please decline it.")
        )
        rows = [[button("❌ " + _("Decline"), AREA, "decline", booking.id)], back]
        await show(update, context, text, inline(rows), toast=_("Not free any more"))
        return
    if decision.outcome is Outcome.DECIDED:
        words = decided_words(_, booking)
        await show(update, context, request_text(_, context, booking) + "\n\n" + words, inline([back]), toast=words)
        return
    context.wake_sender()
    text = request_text(_, context, booking) + "\n\n✅ " + _("Confirmed. The member gets a message.")
    await show(update, context, text, inline([back]), toast="✅")


# --- a reason: declining a request or cancelling a booking ---


@requires(Need.ORGANISER)
async def reason_entry(update: Update, context: WijkContext) -> object:
    """❌ Decline (a request or a season) or 🚫 cancel (a date): which reason will the member read?"""
    _ = context.gettext
    data = tapped(update)
    if data.action == "sdecline":
        found = asked_season(context, data.int_arg(0))
        open_one = found is not None
    else:
        booking = rooms.booking(context.db, data.int_arg(0))
        wanted = rooms.ASKED if data.action == "decline" else rooms.CONFIRMED
        open_one = (
            booking is not None
            and booking.status == wanted
            and booking.starts_at > context.now()
            and (data.action == "cancel" or booking.series_id is None)  # a season is declined as a whole
        )
    if not open_one:
        await query(update).answer(_("Someone already decided about this request."))
        return ConversationHandler.END
    context.answers[AREA] = {
        "booking": data.int_arg(0),
        "cancel": data.action == "cancel",
        "season": data.action == "sdecline",
    }
    return await ask_reason(update, context)


def reason_subject(context: WijkContext) -> tuple[str, str | None]:
    """What the reason is about, as the organiser reads it, and the member's name."""
    _ = context.gettext
    plan = draft(context)
    if plan.get("season"):
        found = asked_season(context, plan.get("booking", 0))
        if found is None:
            raise callbacks.StaleButton("the season was decided")
        return season_text(_, context, found), found.first.member_name
    booking = rooms.booking(context.db, plan.get("booking", 0))
    if booking is None:
        raise callbacks.StaleButton("the booking is gone")
    return request_text(_, context, booking), booking.member_name


async def ask_reason(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    subject, name = reason_subject(context)
    if draft(context)["cancel"]:
        question = _("The booking will be cancelled and {name} gets a message.").format(
            name=escape(name or _("the member"))
        )
    else:
        question = _("You say no to this request.")
    question += "\n" + _("Why? Tap a reason, or type it.")
    rows = [[button(_(reason), AREA, "reason", n)] for n, reason in enumerate(REASONS)]
    rows.append(nav_row(_, callbacks.pack(AREA, "asked", 0), EXPLAIN))
    text = "\n\n".join(part for part in (error, subject, question) if part)
    await show(update, context, text, inline(rows))
    return REASON


async def decided(update: Update, context: WijkContext, reason: str) -> int:
    _ = context.gettext
    plan = context.answers.pop(AREA, {})
    do = (
        rooms.decline_season
        if plan.get("season")
        else rooms.cancel_by_organiser
        if plan.get("cancel")
        else rooms.decline
    )
    decision = do(context.db, plan.get("booking", 0), context.known_member.id, reason, context.now())
    back = nav_row(_, callbacks.pack(AREA, "asked", 0))
    if decision.outcome is Outcome.DONE:
        context.wake_sender()
        text = _("Done. The member gets a message with your reason.")
    else:
        text = _("Someone already decided about this request.")
    await show(update, context, text, inline([back]), toast="✅" if decision.outcome is Outcome.DONE else text)
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def reason_button(update: Update, context: WijkContext) -> int:
    index = tapped(update).int_arg(0)
    return await decided(update, context, context.gettext(REASONS[index]))


@requires(Need.ORGANISER)
async def reason_text(update: Update, context: WijkContext) -> object:
    try:
        reason = validation.one_line(text(update), MAX_REASON, N_("Please type the reason."))
    except validation.Invalid as invalid:
        return await ask_reason(update, context, invalid.text(context.gettext))
    return await decided(update, context, reason)


async def leave_reason(update: Update, context: WijkContext) -> int:
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was changed."), AREA)


# --- 📊 the month, for the treasurer ---


@requires(Need.ORGANISER)
async def month_button(update: Update, context: WijkContext) -> None:
    """📊 Month overview: per room bookings and hours; per booker the amount due (and the hours paid)."""
    _ = context.gettext
    month = tapped_month(update, context)
    billed = await rooms.month(context.db, *month_bounds(context, month))
    lines = ["📊 " + format_date(month, "LLLL y", locale=context.language)]
    per_room: dict[str, list[Booking]] = {}
    per_booker: dict[str, tuple[int, int]] = {}  # cents, half hours
    for item in billed:
        b = item.booking
        per_room.setdefault(b.room_name, []).append(b)
        who = f"{b.member_name or '-'} ({format_member_no(_, item.member_no)})"
        cents, halves = per_booker.get(who, (0, 0))
        per_booker[who] = cents + b.price_cents, halves + b.paid_halves
    ngettext = i18n.plural(context.language)
    for name, booked in per_room.items():
        hours = format_hours(sum(b.minutes for b in booked), context.language)
        count = ngettext(
            "{room}: {count} booking, {hours} hours", "{room}: {count} bookings, {hours} hours", len(booked)
        )
        lines.append("🚪 " + count.format(room=escape(name), count=len(booked), hours=hours))
    if per_booker:
        lines += ["", _("To pay:")]
        lines += [f"• {escape(who)}: {price_words(*due, context.language)}" for who, due in per_booker.items()]
    total = sum(item.booking.price_cents for item in billed)
    lines += ["", _("Total: {amount}").format(amount=money(total, context.language))]
    paid = sum(item.booking.paid_halves for item in billed)
    if paid:
        lines.append("⏱️ " + _("Paid in hours: {hours}").format(hours=hour_text.hours(context.language, paid)))
    await show(update, context, "\n".join(lines), inline(month_rows(_, AREA, month)))


@requires(Need.ORGANISER)
@files_once
async def month_csv_button(update: Update, context: WijkContext) -> None:
    """📄 The month as a file: one line per confirmed booking, then the total."""
    _ = context.gettext
    month = tapped_month(update, context)
    await query(update).answer()
    tz, language = context.settings.timezone, context.language
    billed = await rooms.month(context.db, *month_bounds(context, month))
    header: list[object] = [_("Room"), _("Day"), _("From"), _("To"), _("Hours"), _("Booker"), _("Number")]
    header += [_("Paid in hours"), _("Amount")]
    rows: list[list[object]] = [header]
    for item in billed:
        b = item.booking
        rows.append(
            [
                b.room_name,
                format_day(b.starts_at.astimezone(tz), language),
                format_clock(b.starts_at, language, tz),
                format_clock(b.ends_at, language, tz),
                format_hours(b.minutes, language),
                b.member_name or "-",
                format_member_no(_, item.member_no),
                format_hours(b.paid_halves * 30, language),
                format_amount(b.price_cents, language),
            ]
        )
    total = sum(item.booking.price_cents for item in billed)
    paid = format_hours(sum(item.booking.paid_halves for item in billed) * 30, language)
    booked_hours = format_hours(sum(item.booking.minutes for item in billed), language)
    rows += [[], [_("Total"), "", "", "", booked_hours, "", "", paid, format_amount(total, language)]]
    await context.bot.send_document(
        chat_id(update),
        InputFile(spreadsheet(rows), filename=file_name(_, N_("rooms"), month_key(month), extension="csv")),
        caption="📊 " + format_date(month, "LLLL y", locale=language),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "month", month_key(month)))


def handlers() -> list[BaseHandler]:
    states: States = {
        step: [CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", step))] for step in ORDER
    }
    for step in READERS:
        states[step].append(MessageHandler(typed_text(), answering(step)))
    for step, actions in {
        FACILITIES: ("nothing",),
        MEMBER: ("free",),
        BUSINESS: ("free",),
        OTHER: ("free",),
        SHARE: ("share",),
        HOURS: ("span",),
        BUFFER: ("buffer",),
        NOTICE: ("notice",),
    }.items():
        states[step].append(CallbackQueryHandler(quick(step), pattern=on(*actions)))
    states[PREVIEW] = [
        CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", NOTICE)),
        CallbackQueryHandler(save_button, pattern=on("save")),
        CallbackQueryHandler(change_button, pattern=on("change")),
        CallbackQueryHandler(field_button, pattern=on("field")),
        CallbackQueryHandler(preview_button, pattern=on("preview")),
        CallbackQueryHandler(leave, pattern=on("stop")),
    ]
    return [
        persistent_conversation(
            "room_settings",
            entry_points=[
                CallbackQueryHandler(new_button, pattern=on("new")),
                CallbackQueryHandler(edit_button, pattern=on("edit")),
            ],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
            explanations=EXPLANATIONS,
        ),
        persistent_conversation(
            "room_reason",
            entry_points=[CallbackQueryHandler(reason_entry, pattern=on("decline", "cancel", "sdecline"))],
            states={
                REASON: [
                    MessageHandler(typed_text(), reason_text),
                    CallbackQueryHandler(reason_button, pattern=on("reason")),
                ]
            },
            fallbacks=leave_handlers(leave_reason, draft=AREA),
            explanations=EXPLANATIONS,
        ),
        CallbackQueryHandler(menu_button, pattern=on("menu", "rooms")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(switch_button, pattern=on("onoff")),
        CallbackQueryHandler(week_button, pattern=on("week")),
        CallbackQueryHandler(asked_button, pattern=on("asked")),
        CallbackQueryHandler(request_button, pattern=on("req")),
        CallbackQueryHandler(confirm_button, pattern=on("confirm")),
        CallbackQueryHandler(season_confirm_button, pattern=on("sconfirm")),
        CallbackQueryHandler(month_button, pattern=on("month")),
        CallbackQueryHandler(month_csv_button, pattern=on("monthcsv")),
    ]
