"""🙌 Take part → 🙋 Volunteer: open shifts of the next 4 weeks, take one with one tap, 📋 My shifts, give one
back (asked once), and 📄 a statement of the hours done in a year (issue 14).

Whether a place is free is settled by the database in the tap's own transaction (storage/shifts.py take), so
a tap on an old list or on a message that asked for help gets a clear answer when someone else was first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, shift_paper
from bot.access import Need, requires
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name
from bot.formatting import format_short_when, local_time
from bot.i18n import N_
from bot.incoming import chat_id, query, tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show, way_on_after_files
from bot.shift_notices import when
from handlers.taking_part import menu_data
from storage import shifts
from storage.shifts import Shift, Taken

AREA = "shift"
AHEAD = timedelta(weeks=4)  # how far ahead members see open shifts


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def existing(context: WijkContext, shift_id: int) -> Shift:
    """The shift behind a button; gone means the button no longer works."""
    shift = shifts.get(context.db, shift_id)
    if shift is None:
        raise callbacks.StaleButton(f"shift {shift_id} is gone")
    return shift


def line(context: WijkContext, shift: Shift) -> str:
    """Like "di 1 dec, 13:00 · Bar · 2 free", for a button."""
    _ = context.gettext
    at = format_short_when(shift.starts_at, context.language, context.settings.timezone)
    if shift.cancelled:
        return f"🚫 {at} · {shift.task}"
    return f"{at} · {shift.task} · " + _("{count} free").format(count=shift.places_left)


async def show_list(update: Update, context: WijkContext, page: int, toast: str | None = None) -> None:
    """The open shifts, soonest first, 5 a page."""
    _ = context.gettext
    now = context.now()
    found = shifts.open_page(context.db, now, now + AHEAD, page)

    def pick(shift: Shift) -> InlineKeyboardButton:
        return button(line(context, shift), AREA, "card", shift.id, "list", found.number)

    if found.items:
        text = "🙋 " + _("Volunteer") + "\n" + _("These shifts need people in the next 4 weeks. Tap one to see it.")
    else:
        text = "🙋 " + _("Volunteer") + "\n" + _("No shift needs people now. Please look again later.")
    rows = paged(found, pick, AREA, "list")
    rows += [[button("📋 " + _("My shifts"), AREA, "mine", 0)], nav_row(_, menu_data())]
    await show(update, context, text, inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🙋 Volunteer from 🙌 Take part: the open shifts at once."""
    await show_list(update, context, 0)


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️ through the open shifts, or ⬅️ Back to them."""
    await show_list(update, context, tapped(update).int_arg(0))


def back_to(listed: str, page: int) -> str:
    return callbacks.pack(AREA, listed, page)


async def show_card(
    update: Update, context: WijkContext, shift_id: int, listed: str, page: int, toast: str | None = None
) -> None:
    """One shift: the task, when, what to do, places free, and ✅ I'll do it or ↩️ Give back."""
    _ = context.gettext
    shift = existing(context, shift_id)
    on_it = shifts.is_on(context.db, shift.id, context.known_member.id)
    lines = [f"🙋 <b>{escape(shift.task)}</b>", "🕑 " + when(shift, context.language, context.settings), ""]
    lines += [escape(shift.description), ""]
    if shift.cancelled:
        lines.append("🚫 " + _("This shift does not go on."))
    elif on_it:
        lines.append("✅ " + _("You do this shift. Thank you!"))
    else:
        lines.append(_("Free places: {free} of {places}").format(free=shift.places_left, places=shift.places))
    rows = []
    if shift.open_at(context.now()) and on_it:
        rows.append([button("↩️ " + _("Give back"), AREA, "giveback", shift.id)])
    elif shift.open_at(context.now()) and shift.places_left:
        rows.append([button("✅ " + _("I'll do it"), AREA, "take", shift.id)])
    rows.append(nav_row(_, back_to(listed, page)))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    args = tapped(update)
    await show_card(update, context, args.int_arg(0), args.str_arg(1), args.int_arg(2))


@requires(Need.ACTIVE)
async def take_button(update: Update, context: WijkContext) -> None:
    """✅ I'll do it: one place, if one is still free (on a card, or on a message asking for help)."""
    _ = context.gettext
    shift = existing(context, tapped(update).int_arg(0))
    taken = shifts.take(context.db, shift.id, context.known_member.id, context.now())
    toasts = {
        Taken.TAKEN: "✅ " + _("Thank you! The shift is yours."),
        Taken.ALREADY: _("You already do this shift."),
        Taken.FULL: _("Sorry, someone else took it."),
        Taken.GONE: _("This shift is no longer open."),
    }
    listed = "mine" if taken in (Taken.TAKEN, Taken.ALREADY) else "list"
    await show_card(update, context, shift.id, listed, 0, toast=toasts[taken])


async def show_mine(update: Update, context: WijkContext, page: int, toast: str | None = None) -> None:
    """📋 My shifts: the ones to come, and 📄 the statement of hours."""
    _ = context.gettext
    found = shifts.mine(context.db, context.known_member.id, context.now(), page)

    def pick(shift: Shift) -> InlineKeyboardButton:
        at = format_short_when(shift.starts_at, context.language, context.settings.timezone)
        return button(("🚫 " if shift.cancelled else "") + f"{at} · {shift.task}", AREA, "card", shift.id, "mine", page)

    if found.items:
        text = "📋 " + _("My shifts") + "\n" + _("Tap a shift to see it or give it back.")
    else:
        text = "📋 " + _("My shifts") + "\n" + _("You have no shifts to come. Tap ⬅️ Back to choose one.")
    year = local_time(context.now(), context.settings.timezone).year
    rows = paged(found, pick, AREA, "mine")
    rows += [[button("📄 " + _("Statement of hours"), AREA, "statement", year)], nav_row(_, back_to("list", 0))]
    await show(update, context, text, inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def mine_button(update: Update, context: WijkContext) -> None:
    await show_mine(update, context, tapped(update).int_arg(0))


@requires(Need.ACTIVE)
async def give_back_button(update: Update, context: WijkContext) -> None:
    """↩️ Give back: asked once, saying who will be asked to take it."""
    _ = context.gettext
    shift = existing(context, tapped(update).int_arg(0))
    if not (shift.open_at(context.now()) and shifts.is_on(context.db, shift.id, context.known_member.id)):
        raise callbacks.StaleButton(f"shift {shift.id} cannot be given back")
    text = _("Give back your shift {task} on {when}?").format(
        task=escape(shift.task), when=when(shift, context.language, context.settings)
    )
    if shift.starts_at - context.now() <= shifts.SHORT_NOTICE:
        text += "\n" + _("It is soon. Other volunteers of this task get a message.")
    rows = [
        [button("↩️ " + _("Yes, give it back"), AREA, "givebackok", shift.id)],
        [button("✖️ " + _("No, I'll do it"), AREA, "card", shift.id, "mine", 0)],
        nav_row(_, callbacks.pack(AREA, "card", shift.id, "mine", 0)),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def give_back_confirmed_button(update: Update, context: WijkContext) -> None:
    """↩️ Yes, give it back: the place is free again."""
    _ = context.gettext
    shift_id = tapped(update).int_arg(0)
    if shifts.give_back(context.db, shift_id, context.known_member.id, context.now()) is None:
        raise callbacks.StaleButton(f"shift {shift_id} cannot be given back")
    context.wake_sender()
    await show_mine(update, context, 0, toast=_("You gave the shift back."))


@requires(Need.ACTIVE)
@files_once
async def statement_button(update: Update, context: WijkContext) -> None:
    """📄 Statement of hours: the shifts done in a year, as a PDF to show (to the gemeente, say)."""
    _ = context.gettext
    year = tapped(update).int_arg(0)
    tz = context.settings.timezone
    start = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC)
    member = context.known_member
    done = await shifts.attended(context.db, member.id, start, end)
    back = callbacks.pack(AREA, "mine", 0)
    if not done:
        text = _("No shifts of {year} are ticked as done yet. An organiser ticks them after the shift.")
        rows = [[button("◀️ " + str(year - 1), AREA, "statement", year - 1)], nav_row(_, back)]
        await show(update, context, text.format(year=year), inline(rows))
        return
    await query(update).answer()
    pdf = shift_paper.statement(member, year, done, context.language, context.settings)
    await context.bot.send_document(
        chat_id(update),
        InputFile(pdf, filename=file_name(_, N_("volunteer hours"), year, extension="pdf")),
        caption="📄 " + _("Your volunteer hours in {year}").format(year=year),
    )
    await way_on_after_files(update, context, back)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(take_button, pattern=on("take")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(give_back_button, pattern=on("giveback")),
        CallbackQueryHandler(give_back_confirmed_button, pattern=on("givebackok")),
        CallbackQueryHandler(statement_button, pattern=on("statement")),
    ]
