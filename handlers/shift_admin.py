"""📣 Organise → 🙋 Shifts: ➕ a new shift (handlers/shift_planning.py), every shift with who does it, 🚫 cancel
one (the people on it are told), ⚠️ the gaps of the next 2 weeks, ✔️ who came, and 📊 the hours per volunteer
per month, on screen and as CSV (funders and the gemeente ask for volunteer hours)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, hour_text, i18n
from bot.access import Need, requires
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name, spreadsheet
from bot.formatting import format_hours, format_member_no, format_short_when
from bot.i18n import N_, Translate
from bot.incoming import chat_id, query, tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show, way_on_after_files
from bot.shift_notices import when
from handlers.activity_admin import month_bounds, month_key, month_rows, tapped_month
from handlers.shifts import existing, line
from storage import shifts
from storage.shifts import Shift, Volunteer

AREA = "shiftorg"
RECENT = timedelta(days=14)  # past shifts stay in the list this long, for ticking who came
GAPS_AHEAD = timedelta(weeks=2)
NAMES_ON_SCREEN = 40  # volunteers in the month overview on screen; the file has them all


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🙋 Shifts from 📣 Organise."""
    _ = context.gettext
    now = context.now()
    gaps = shifts.gaps(context.db, now, now + GAPS_AHEAD, 0).total or 0
    rows = [
        [button("➕ " + _("New shift"), AREA, "new")],
        [button("🗂️ " + _("All shifts"), AREA, "list", 0)],
        [button("⚠️ " + _("Gaps: {count}").format(count=gaps), AREA, "gaps", 0)],
        [button("📊 " + _("Hours per month"), AREA, "month", "now")],
        nav_row(_, callbacks.pack("org", "menu")),
    ]
    await show(update, context, "🙋 " + _("Shifts") + "\n" + _("What do you want to do?"), inline(rows))


def taken_line(context: WijkContext, shift: Shift) -> str:
    at = format_short_when(shift.starts_at, context.language, context.settings.timezone)
    return ("🚫 " if shift.cancelled else "") + f"{at} · {shift.task} · {shift.taken}/{shift.places}"


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """🗂️ All shifts: what is coming, then the last two weeks; how many places are taken."""
    _ = context.gettext
    now = context.now()
    found = shifts.for_organisers(context.db, now - RECENT, now, tapped(update).int_arg(0))

    def pick(shift: Shift) -> InlineKeyboardButton:
        return button(taken_line(context, shift), AREA, "card", shift.id)

    text = "🗂️ " + _("All shifts") if found.items else _("No shifts are planned yet. Tap ➕ New shift.")
    rows = paged(found, pick, AREA, "list") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def gaps_button(update: Update, context: WijkContext) -> None:
    """⚠️ Gaps: shifts with free places in the next 2 weeks, soonest first."""
    _ = context.gettext
    now = context.now()
    found = shifts.gaps(context.db, now, now + GAPS_AHEAD, tapped(update).int_arg(0))

    def pick(shift: Shift) -> InlineKeyboardButton:
        return button(line(context, shift), AREA, "card", shift.id)

    if found.items:
        ngettext = i18n.plural(context.language)
        need = ngettext(
            "{count} shift needs people in the next 2 weeks.",
            "{count} shifts need people in the next 2 weeks.",
            found.total or 0,
        )
        text = "⚠️ " + need.format(count=found.total)
    else:
        text = "✅ " + _("Every shift of the next 2 weeks has enough people.")
    rows = paged(found, pick, AREA, "gaps") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


def name(_: Translate, volunteer: Volunteer) -> str:
    first = escape(volunteer.first_name) if volunteer.first_name else _("deleted account")
    return f"{i18n.kept_apart(first)} ({format_member_no(_, volunteer.member_no)})"


async def show_card(update: Update, context: WijkContext, shift_id: int, toast: str | None = None) -> None:
    """One shift as organisers see it: who does it, and 🚫 Cancel or ✔️ Who came."""
    _ = context.gettext
    shift = existing(context, shift_id)
    lines = [f"🙋 <b>{escape(shift.task)}</b>", "🕑 " + when(shift, context.language, context.settings)]
    lines += ["", escape(shift.description), ""]
    if shift.cancelled:
        lines.append("🚫 " + _("This shift does not go on."))
    lines.append(_("Places taken: {taken} of {places}").format(taken=shift.taken, places=shift.places))
    lines += ["• " + name(_, v) for v in shifts.volunteers(context.db, shift.id, 0).items]
    rows = []
    if shift.open_at(context.now()):
        rows.append([button("🚫 " + _("Cancel"), AREA, "cancel", shift.id)])
    elif not shift.cancelled and shift.taken:
        rows.append([button("✔️ " + _("Who came"), AREA, "who", shift.id, 0)])
    rows.append(nav_row(_, callbacks.pack(AREA, "list", 0)))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    await show_card(update, context, tapped(update).int_arg(0))


@requires(Need.ORGANISER)
async def cancel_button(update: Update, context: WijkContext) -> None:
    """🚫 Cancel: first say who will be told."""
    _ = context.gettext
    shift = existing(context, tapped(update).int_arg(0))
    if not shift.open_at(context.now()):
        raise callbacks.StaleButton(f"shift {shift.id} can no longer be cancelled")
    ngettext = i18n.plural(context.language)
    told = ngettext("{count} volunteer on it gets a message.", "{count} volunteers on it get a message.", shift.taken)
    text = _("Cancel {task} on {when}?").format(
        task=escape(shift.task), when=when(shift, context.language, context.settings)
    )
    rows = [
        [button("🚫 " + _("Yes, cancel it"), AREA, "cancelok", shift.id)],
        [button("↩️ " + _("No"), AREA, "card", shift.id)],
        nav_row(_, callbacks.pack(AREA, "card", shift.id)),
    ]
    await show(update, context, text + "\n" + told.format(count=shift.taken), inline(rows))


@requires(Need.ORGANISER)
async def cancel_confirmed_button(update: Update, context: WijkContext) -> None:
    """🚫 Yes, cancel it: everyone on it is told."""
    _ = context.gettext
    shift_id = tapped(update).int_arg(0)
    if shifts.cancel(context.db, shift_id, context.now()) is None:
        raise callbacks.StaleButton(f"shift {shift_id} can no longer be cancelled")
    context.wake_sender()
    await show_card(update, context, shift_id, toast=_("Cancelled."))


async def show_who_came(update: Update, context: WijkContext, shift_id: int, page: int) -> None:
    """✔️ Who came: a ✅/⬜ toggle per volunteer."""
    _ = context.gettext
    shift = existing(context, shift_id)
    if shift.cancelled or shift.starts_at > context.now():
        raise callbacks.StaleButton("who came only for a shift that took place")
    found = shifts.volunteers(context.db, shift_id, page)

    def toggle(volunteer: Volunteer) -> InlineKeyboardButton:
        mark = "✅ " if volunteer.attended else "⬜ "
        came = int(not volunteer.attended)  # what a tap makes it, so a double tap changes nothing
        return button(mark + name(_, volunteer), AREA, "mark", shift_id, volunteer.member_id, page, came)

    text = _("Who came to {task} on {when}? Tap everyone who came.").format(
        task=escape(shift.task), when=when(shift, context.language, context.settings)
    )
    if context.settings.timebank:
        credit = _("Everyone you tick gets {hours} in the time bank.")
        text += "\n" + credit.format(hours=hour_text.hours(context.language, shift.halves))
    rows = paged(found, toggle, AREA, "who", shift_id) + [nav_row(_, callbacks.pack(AREA, "card", shift_id))]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def who_button(update: Update, context: WijkContext) -> None:
    args = tapped(update)
    await show_who_came(update, context, args.int_arg(0), args.int_arg(1))


@requires(Need.ORGANISER)
async def mark_button(update: Update, context: WijkContext) -> None:
    """Tick or untick one volunteer; with the time bank on, their hours follow (storage/shifts.py)."""
    args = tapped(update)
    shift_id, member_id, page, came = args.int_arg(0), args.int_arg(1), args.int_arg(2), bool(args.int_arg(3))
    by, timebank = context.known_member.id, context.settings.timebank
    if shifts.set_attended(context.db, shift_id, member_id, came, context.now(), by=by, timebank=timebank) is None:
        raise callbacks.StaleButton("not on this shift")
    await show_who_came(update, context, shift_id, page)


def month_title(context: WijkContext, month: date) -> str:
    return "📊 " + context.gettext("Volunteer hours") + ", " + format_date(month, "LLLL y", locale=context.language)


@requires(Need.ORGANISER)
async def month_button(update: Update, context: WijkContext) -> None:
    """📊 Hours per volunteer in a month: the shifts ticked as done."""
    _ = context.gettext
    month = tapped_month(update, context)
    found = await shifts.hours_between(context.db, *month_bounds(context, month))
    lines = [month_title(context, month)]
    ngettext = i18n.plural(context.language)
    for person in found[:NAMES_ON_SCREEN]:
        who = escape(person.first_name) if person.first_name else _("deleted account")
        done = ngettext(
            "{name}: {hours} hours in {shifts} shift", "{name}: {hours} hours in {shifts} shifts", person.shifts
        )
        lines.append(
            "• "
            + done.format(
                name=i18n.kept_apart(who), hours=format_hours(person.minutes, context.language), shifts=person.shifts
            )
        )
    if len(found) > NAMES_ON_SCREEN:
        lines.append(_("The file has everyone."))
    total = format_hours(sum(person.minutes for person in found), context.language)
    lines += ["", _("Total: {hours} hours").format(hours=total) if found else _("No shifts ticked as done.")]
    await show(update, context, "\n".join(lines), inline(month_rows(_, AREA, month)))


@requires(Need.ORGANISER)
@files_once
async def month_csv_button(update: Update, context: WijkContext) -> None:
    """📄 The hours per volunteer as a file: one line a volunteer, then the total."""
    _ = context.gettext
    month = tapped_month(update, context)
    await query(update).answer()
    found = await shifts.hours_between(context.db, *month_bounds(context, month))
    rows: list[list[object]] = [[_("Number"), _("First name"), _("Number of shifts"), _("Hours")]]
    for person in found:
        who = person.first_name or _("deleted account")
        rows.append(
            [format_member_no(_, person.member_no), who, person.shifts, format_hours(person.minutes, context.language)]
        )
    total_minutes = sum(person.minutes for person in found)
    rows += [
        [],
        [_("Total"), "", sum(person.shifts for person in found), format_hours(total_minutes, context.language)],
    ]
    await context.bot.send_document(
        chat_id(update),
        InputFile(spreadsheet(rows), filename=file_name(_, N_("volunteer hours"), month_key(month), extension="csv")),
        caption=month_title(context, month),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "month", month_key(month)))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(gaps_button, pattern=on("gaps")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(cancel_button, pattern=on("cancel")),
        CallbackQueryHandler(cancel_confirmed_button, pattern=on("cancelok")),
        CallbackQueryHandler(who_button, pattern=on("who")),
        CallbackQueryHandler(mark_button, pattern=on("mark")),
        CallbackQueryHandler(month_button, pattern=on("month")),
        CallbackQueryHandler(month_csv_button, pattern=on("monthcsv")),
    ]
