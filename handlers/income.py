"""📣 Organise → 📊 Overview: the cooperative's income for funders and the members' meeting (issue 15).

➕ Record income the bot cannot see (source, amount, day, a short note, a preview, ✅ Save; logged); 📋 the
recorded income with ✖️ Remove (asked once, logged); and the overview of a month (◀️ ▶️) or a year: income by
source (recorded, plus what the bot counts by itself: shares and pledges received, room bookings, paid
activities), shares issued, campaigns and participation, on screen, as CSV and as a one-page PDF with a chart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot import callbacks, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name, spreadsheet
from bot.formatting import format_amount, format_day, format_hours
from bot.i18n import N_, Translate
from bot.incoming import chat_id, query, tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.overview_paper import LABELS, overview_pdf, sections
from bot.replies import edit, show, way_on_after_files
from bot.step_flow import Step, StepFlow, no_choices, tap_only
from bot.vote_text import money
from handlers.activity_admin import month_key, month_rows
from storage import income
from storage.income import RECORDED, Entry, Income, Overview, Period, Removal

AREA = "income"
SOURCE, AMOUNT, DAY, NOTE = "source", "amount", "day", "note"
MOST_EUROS = income.MOST_CENTS // 100
EARLIEST = 2  # years back a day may be typed: last year's report still gets its late income
EMOJI = {
    income.SHARES: "💶",
    income.PLEDGES: "🎯",
    income.BOOKINGS: "🚪",
    income.FEES: "🎟️",
    income.SUBSIDY: "🏛️",
    income.FUND: "💰",
    income.ROOMS: "🚪",
    income.ACTIVITIES: "🎟️",
    income.CONTRIBUTIONS: "🤝",
    income.OTHER: "➕",
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def menu_data() -> str:
    return callbacks.pack(AREA, "menu")


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


# --- ➕ record income ---


def read_day(typed: str, now: date) -> date:
    """A day typed as 12-11 or 12-11-2026, up to today and at most EARLIEST years back; without a year, the last
    such day (in January, "20-12" is last December)."""
    written = validation.western(typed).strip()
    yearless = written.count("-") + written.count("/") + written.count(".") == 1
    day = validation.day(f"{written}-{now.year}" if yearless else written, date(2000, 1, 1))
    if yearless and day > now:
        day = validation.day(f"{written}-{now.year - 1}", date(2000, 1, 1))
    if day > now:
        raise validation.Invalid(N_("That day is still to come. Please type a day up to today."))
    if day.year < now.year - EARLIEST:
        raise validation.Invalid(N_("That is too long ago. Please type a day of the last two years."))
    return day


def read_amount(typed: str, context: WijkContext) -> int:
    unreadable = N_("Please type an amount in euros, like 1250 or 1.250,00.")
    return validation.amount(typed, MOST_EUROS, unreadable, language=context.language)


STEPS = {
    SOURCE: Step(
        N_("Where does the money come from?"),
        tap_only,
        lambda _, c: [button(f"{EMOJI[source]} {_(LABELS[source])}", AREA, SOURCE, source) for source in RECORDED],
        N_("Source"),
    ),
    AMOUNT: Step(
        N_("How much came in? Type the amount in euros, like 1250 or 1.250,00."),
        read_amount,
        no_choices,
        N_("Amount"),
    ),
    DAY: Step(
        N_("On what day did it come in? Tap Today, or type the day like 12-11 or 12-11-2026."),
        lambda typed, c: read_day(typed, today(c)).isoformat(),
        lambda _, c: [button("📅 " + _("Today"), AREA, DAY, "today")],
        N_("Day"),
    ),
    NOTE: Step(
        N_("Add a short note, like the name of the fund. Or tap Skip."),
        lambda typed, c: validation.one_line(typed, income.MAX_NOTE, N_("Please type a short note, or tap Skip.")),
        lambda _, c: [button("⏭️ " + _("Skip"), AREA, NOTE, "skip")],
        N_("Note"),
    ),
}


@requires(Need.ORGANISER)
async def pick_button(update: Update, context: WijkContext) -> object:
    """A quick answer: the source, 📅 Today, or ⏭️ no note."""
    args = tapped(update)
    step, value = args.action, args.str_arg(0)
    return await FLOW.answer(update, context, step, {DAY: today(context).isoformat(), NOTE: ""}.get(step, value))


def entry_of(context: WijkContext) -> Entry:
    answers = FLOW.draft(context)
    return Entry(answers[SOURCE], answers[AMOUNT], date.fromisoformat(answers[DAY]), answers[NOTE])


def described(_: Translate, entry: Entry, language: str) -> list[str]:
    """Income as organisers read it: source, amount, day and the note (escaped)."""
    lines = [
        f"{EMOJI[entry.source]} {_(LABELS[entry.source])} · <b>{money(entry.amount_cents, language)}</b>",
        "📅 " + format_day(entry.received_on, language, long=True, year=True),
    ]
    return lines + (["📝 " + escape(entry.note)] if entry.note else [])


async def preview(update: Update, context: WijkContext) -> None:
    """What will be saved, and what to do with it."""
    _ = context.gettext
    lines = [_("Is this right?"), "", *described(_, entry_of(context), context.language)]
    await show(update, context, "\n".join(lines), inline(FLOW.preview_rows(_, button("✅ " + _("Save"), AREA, "save"))))


@requires(Need.ORGANISER)
async def save_button(update: Update, context: WijkContext) -> int:
    """✅ Save: the income counts in the overview of its month (logged)."""
    _ = context.gettext
    saved = income.record(context.db, entry_of(context), context.known_member.id, context.now())
    context.answers.pop(AREA, None)
    await query(update).answer("✅")
    month = saved.entry.received_on.replace(day=1)
    text = "✅ " + _("Saved. It counts in the overview of that month.")
    rows = [
        [button("📊 " + format_date(month, "LLLL y", locale=context.language), AREA, "month", month_key(month))],
        [button("➕ " + _("Record more income"), AREA, "new")],
        nav_row(_, menu_data()),
    ]
    await edit(update, "\n".join([text, "", *described(_, saved.entry, context.language)]), inline(rows))
    return ConversationHandler.END


# --- 📋 recorded income, ✖️ remove ---


async def show_recorded(update: Update, context: WijkContext, page: int, toast: str | None = None) -> None:
    _ = context.gettext
    found = income.recorded(context.db, page)
    text = "📋 " + _("Recorded income") + "\n"
    text += _("Tap one to see it or remove it.") if found.items else _("Nobody recorded income yet.")

    def label(item: Income) -> str:
        day = format_day(item.entry.received_on, context.language, year=True)
        return f"{day} · {_(LABELS[item.entry.source])} · {money(item.entry.amount_cents, context.language)}"

    rows = paged(found, lambda item: button(label(item), AREA, "entry", item.id, page), AREA, "list")
    await show(update, context, text, inline(rows + [nav_row(_, menu_data())]), toast=toast)


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """📋 Recorded income, the latest day first."""
    await show_recorded(update, context, tapped(update).int_arg(0))


def counting(context: WijkContext, income_id: int) -> Income:
    """Recorded income that still counts; a removed or unknown one is a stale button."""
    found = income.get(context.db, income_id)
    if found is None or found.removed_at is not None:
        raise callbacks.StaleButton(f"no income {income_id} that counts")
    return found


@requires(Need.ORGANISER)
async def entry_button(update: Update, context: WijkContext) -> None:
    """One recorded income, with ✖️ Remove."""
    _ = context.gettext
    args = tapped(update)
    item, page = counting(context, args.int_arg(0)), args.int_arg(1)
    rows = [
        [button("✖️ " + _("Remove"), AREA, "remove", item.id, page)],
        nav_row(_, callbacks.pack(AREA, "list", page)),
    ]
    await show(update, context, "\n".join(described(_, item.entry, context.language)), inline(rows))


@requires(Need.ORGANISER)
async def remove_button(update: Update, context: WijkContext) -> None:
    """✖️ Remove: asked once."""
    _ = context.gettext
    args = tapped(update)
    item, page = counting(context, args.int_arg(0)), args.int_arg(1)
    lines = [*described(_, item.entry, context.language), "", _("Remove this income? It no longer counts then.")]
    rows = [
        [button("✖️ " + _("Yes, remove"), AREA, "removeok", item.id, page)],
        nav_row(_, callbacks.pack(AREA, "entry", item.id, page)),
    ]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ORGANISER)
async def removed_button(update: Update, context: WijkContext) -> None:
    """✖️ Yes, remove: once (logged); the list again with what happened."""
    _ = context.gettext
    args = tapped(update)
    outcome = income.remove(context.db, args.int_arg(0), context.known_member.id, context.now())
    if outcome is Removal.GONE:
        raise callbacks.StaleButton(f"no income {args.int_arg(0)}")
    toast = _("Removed.") if outcome is Removal.DONE else _("This was already so.")
    await show_recorded(update, context, args.int_arg(1), toast)


# --- 📊 the overview of a month or a year ---


def local_midnight(context: WijkContext, day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), context.settings.timezone).astimezone(UTC)


def period_of(context: WijkContext, first: date, following: date) -> Period:
    return Period(first, following, local_midnight(context, first), local_midnight(context, following))


def tapped_period(update: Update, context: WijkContext) -> tuple[Period, str, str]:
    """The month (yyyymm, or "now") or year in the button: the period, its name, and its key for buttons."""
    value = tapped(update).args[0]
    if isinstance(value, int):  # a year
        first = date(value, 1, 1)
        return period_of(context, first, first.replace(year=value + 1)), str(value), str(value)
    month = value if isinstance(value, date) else today(context).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    name = format_date(month, "LLLL y", locale=context.language)
    return period_of(context, month, following), name, month_key(month)


def is_year(period: Period) -> bool:
    return period.next_day.year > period.first_day.year and period.first_day.month == 1 == period.next_day.month


def title(_: Translate, name: str) -> str:
    return _("Overview {period}").format(period=name)


def overview_text(_: Translate, figures: Overview, name: str, language: str) -> str:
    """The overview on screen: income by source (only what came in), the total, then the other figures."""
    lines = ["📊 <b>" + escape(title(_, name)) + "</b>", "", "<b>" + _("Income by source") + "</b>"]
    shown = [(source, cents) for source, cents in figures.income.items() if cents]
    lines += [f"{EMOJI[source]} {_(LABELS[source])}: {money(cents, language)}" for source, cents in shown]
    if not shown:
        lines.append(_("No income in this period."))
    lines.append("<b>" + _("Total: {amount}").format(amount=money(figures.total_cents, language)) + "</b>")
    for heading, more in sections(_, figures, language, escape):
        lines += ["", "<b>" + heading + "</b>", *more]
    return "\n".join(lines)


def period_rows(_: Translate, period: Period, key: str) -> list[list[InlineKeyboardButton]]:
    """◀️ ▶️, 📄 As a file, 📄 PDF, ⬅️ Back to 📊 Overview and 🏠."""
    if not is_year(period):
        rows = month_rows(_, AREA, period.first_day)
        rows.insert(-1, [button("📄 " + _("As PDF"), AREA, "monthpdf", key)])
        return rows
    year = period.first_day.year
    arrows = [button("◀️", AREA, "year", year - 1)] if year > 2000 else []
    arrows += [button("▶️", AREA, "year", year + 1)] if year < 2999 else []
    return [
        arrows,
        [button("📄 " + _("As a file"), AREA, "yearcsv", year), button("📄 " + _("As PDF"), AREA, "yearpdf", year)],
        nav_row(_, menu_data()),
    ]


@requires(Need.ORGANISER)
async def period_button(update: Update, context: WijkContext) -> None:
    """📊 A month or a year on screen."""
    _ = context.gettext
    period, name, key = tapped_period(update, context)
    figures = await income.overview(context.db, period, context.now())
    text = overview_text(_, figures, name, context.language)
    await show(update, context, text, inline(period_rows(_, period, key)))


def back_to(period: Period, key: str) -> str:
    return callbacks.pack(AREA, "year" if is_year(period) else "month", key)


@requires(Need.ORGANISER)
@files_once
async def csv_button(update: Update, context: WijkContext) -> None:
    """📄 As a file: income by source and the total, the other figures, then each recorded income."""
    _ = context.gettext
    period, name, key = tapped_period(update, context)
    await query(update).answer()
    figures = await income.overview(context.db, period, context.now())
    rows = overview_rows(_, figures, await income.recorded_in(context.db, period), context.language)
    await context.bot.send_document(
        chat_id(update),
        InputFile(
            spreadsheet([[title(_, name)], [], *rows]),
            filename=file_name(_, N_("income overview"), key, extension="csv"),
        ),
        caption="📊 " + escape(title(_, name)),
    )
    await way_on_after_files(update, context, back_to(period, key))


def overview_rows(_: Translate, figures: Overview, recorded: list[Income], language: str) -> list[list[object]]:
    """The file's rows: amounts and hours as the organiser's language writes them (format_amount)."""
    rows: list[list[object]] = [[_("Source"), _("Amount")]]
    rows += [[_(LABELS[source]), format_amount(cents, language)] for source, cents in figures.income.items()]
    rows += [[_("Total"), format_amount(figures.total_cents, language)], []]
    rows += [[_("Shares issued"), figures.shares_issued], [_("Shares paid back"), figures.shares_paid_back]]
    rows += [[_("Paid back"), format_amount(figures.paid_back_cents, language)]]
    rows += [[_("Paid back for requests that lapsed"), format_amount(figures.refunded_cents, language)], []]
    rows.append([_("Campaign"), _("Goal"), _("Received")])
    rows += [
        [part.title, format_amount(part.goal_cents, language), format_amount(part.received_cents, language)]
        for part in figures.campaigns
    ]
    report = figures.participation
    rows += [[], [_("Activities held"), report.activities_held]]
    rows += [[_("Different participants"), report.unique_participants]]
    rows += [[_("Volunteer hours"), format_hours(figures.volunteer_minutes, language)], []]
    rows.append([_("Day"), _("Source"), _("Amount"), _("Note")])
    rows += [
        [
            format_day(item.entry.received_on, language, year=True),
            _(LABELS[item.entry.source]),
            format_amount(item.entry.amount_cents, language),
            item.entry.note,
        ]
        for item in recorded
    ]
    return rows


@requires(Need.ORGANISER)
@files_once
async def pdf_button(update: Update, context: WijkContext) -> None:
    """📄 PDF: the overview on one page with a bar chart, made in a worker thread."""
    _ = context.gettext
    period, name, key = tapped_period(update, context)
    await query(update).answer()
    figures = await income.overview(context.db, period, context.now())
    place = context.settings.community_centre
    data = await asyncio.to_thread(overview_pdf, figures, title(_, name), place, context.language)
    await context.bot.send_document(
        chat_id(update),
        InputFile(data, filename=file_name(_, N_("income overview"), key, extension="pdf")),
        caption="📊 " + escape(title(_, name)),
    )
    await way_on_after_files(update, context, back_to(period, key))


# --- the menu ---


async def show_menu(update: Update, context: WijkContext) -> None:
    _ = context.gettext
    year = today(context).year
    rows = [
        [button("📅 " + _("This month"), AREA, "month", "now"), button("📆 " + _("This year"), AREA, "year", year)],
        [button("➕ " + _("Record income"), AREA, "new")],
        [button("📋 " + _("Recorded income"), AREA, "list", 0)],
        nav_row(_, callbacks.pack("org", "menu")),
    ]
    text = "📊 " + _("Overview") + "\n" + _("Income and taking part, for funders and the members' meeting.")
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> None:
    """📊 Overview from 📣 Organise."""
    await show_menu(update, context)


FLOW = StepFlow(
    AREA, STEPS, preview=preview, stopped=N_("Stopped. Nothing was saved."), out=show_menu, change_per_row=2
)


def handlers() -> list[BaseHandler]:
    states = FLOW.states(pick_button, CallbackQueryHandler(save_button, pattern=on("save")))
    return [
        FLOW.conversation("record_income", states),
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(entry_button, pattern=on("entry")),
        CallbackQueryHandler(remove_button, pattern=on("remove")),
        CallbackQueryHandler(removed_button, pattern=on("removeok")),
        CallbackQueryHandler(period_button, pattern=on("month", "year")),
        CallbackQueryHandler(csv_button, pattern=on("monthcsv", "yearcsv")),
        CallbackQueryHandler(pdf_button, pattern=on("monthpdf", "yearpdf")),
    ]
