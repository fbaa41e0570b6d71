"""📣 Organise → 🤝 Help & services: open reports, requests nobody reacted to, the figures of a month, and the
time bank.

⚠️ Reports lists the reports nobody decided yet, oldest first, so none is lost when its card never came or
went out of sight; each opens the same card as the one sent (handlers/reporting.py). The button shows how many
wait: a count over the partial index reports_open, which holds only the few open reports.

A request that got no reaction for a week needs someone to step in: organisers see those, oldest
first, each with the first name of who asked. The month overview counts posts per category,
reactions (conversations started), posts ended with ✅ Helped and hours exchanged, on screen and
as a CSV file (the months move like 📈 Month overview, handlers/activity_admin.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from html import escape

from babel.dates import format_date
from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, post_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name, spreadsheet
from bot.formatting import format_short_when, format_when, shortened
from bot.hour_text import halves_text
from bot.i18n import N_, Translate
from bot.incoming import chat_id, query, tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show, way_on_after_files
from bot.talk_notices import report_data
from handlers.activity_admin import month_bounds, month_key, tapped_month
from storage import help_stats, reports
from storage.help_stats import MonthFigures, Unanswered
from storage.reports import Report

AREA = "horg"
TITLE_ON_A_BUTTON = 40


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🤝 Help & services under 📣 Organise."""
    _ = context.gettext
    waiting = reports.open_count(context.db, context.known_member.id)
    rows = [
        [button("⚠️ " + _("Reports ({count})").format(count=waiting), AREA, "reports", 0)],
        [button("⏳ " + _("Requests without a reaction"), AREA, "quiet", 0)],
        [button("📊 " + _("This month"), AREA, "month", "now")],
    ]
    if context.settings.timebank:
        rows.append([button("⏱️ " + _("Hours (time bank)"), "hours", "adm", 0)])
    rows.append(nav_row(_, callbacks.pack("org", "menu")))
    await show(update, context, "🤝 " + _("Help & services") + "\n" + _("What do you want to see?"), inline(rows))


# ----- open reports ----------------------------------------------------------------------------


@requires(Need.ORGANISER)
async def reports_button(update: Update, context: WijkContext) -> None:
    """⚠️ The reports nobody decided yet, oldest first, 5 a page; each opens its card with what can be done."""
    _ = context.gettext
    page, me = tapped(update).int_arg(0), context.known_member.id
    found = reports.open_page(context.db, me, page)
    if not found.items and page:  # an old ▶️ or ⬅️ Back: the list got shorter since
        found = reports.open_page(context.db, me, 0)
    tz = context.settings.timezone

    def line(report: Report) -> InlineKeyboardButton:
        what = report.content.partition("\n")[0]  # a post's title, or the message
        label = " ".join(
            [
                "📋" if report.about_post else "💬",
                shortened(f"{report.reported_name or _('A member')}: {what}", TITLE_ON_A_BUTTON),
                "·",
                format_short_when(report.created_at, context.language, tz),
            ]
        )
        return InlineKeyboardButton(label, callback_data=report_data("card", report.id, found.number))

    if found.total:
        text = _("⚠️ Open reports: {count}\nTap one to see it and decide.").format(count=found.total)
    else:
        text = _("⚠️ There are no open reports. There is nothing to decide now.")
    rows = paged(found, line, AREA, "reports") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


# ----- requests without a reaction -------------------------------------------------------------


@requires(Need.ORGANISER)
async def quiet_button(update: Update, context: WijkContext) -> None:
    """⏳ Live requests nobody reacted to for a week, oldest first, 5 a page."""
    await show_quiet(update, context, tapped(update).int_arg(0))


async def show_quiet(update: Update, context: WijkContext, page: int, toast: str | None = None) -> None:
    _ = context.gettext
    found = help_stats.unanswered_page(context.db, context.now(), page)
    if not found.items and page:  # an old ▶️: the list got shorter since
        found = help_stats.unanswered_page(context.db, context.now(), 0)
    tz = context.settings.timezone

    def line(post: Unanswered) -> InlineKeyboardButton:
        label = " ".join(
            [
                post_text.CATEGORY_EMOJI[post.category],
                shortened(post.title, TITLE_ON_A_BUTTON),
                "·",
                format_short_when(post.created_at, context.language, tz),
            ]
        )
        return button(label, AREA, "post", post.id, found.number)

    if found.total:
        text = _("⏳ Requests without a reaction for 7 days: {count}\nTap one to see who asked.").format(
            count=found.total
        )
    else:
        text = _("⏳ Every request of more than 7 days old got a reaction. Well done!")
    rows = paged(found, line, AREA, "quiet") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows), toast=toast)


@requires(Need.ORGANISER)
async def post_button(update: Update, context: WijkContext) -> None:
    """One request without a reaction: what it asks and who asked, so someone can step in."""
    _ = context.gettext
    args = tapped(update)
    post_id, page = args.int_arg(0), args.int_arg(1)
    post = help_stats.unanswered(context.db, post_id, context.now())
    if post is None:  # it got a reaction, or ended, since the list was shown
        await show_quiet(update, context, page, toast=_("This request got a reaction or has ended."))
        return
    asked = format_when(post.created_at, context.language, context.settings.timezone)
    text = "\n".join(
        [
            "⏳ " + _("No reaction yet"),
            f"{post_text.category(_, post.category)} · {_(post_text.KIND_NAMES[post.kind])}",
            f"<b>{escape(post.title)}</b>",
            escape(post.body),
            "",
            "👤 " + _("{name} asked on {date}.").format(name=escape(post.author_name or ""), date=asked),
        ]
    )
    rows = [
        [button("💬 " + _("React"), "talk", "start", post.id)],  # an organiser can step in (handlers/talking.py)
        nav_row(_, callbacks.pack(AREA, "quiet", page)),
    ]
    await show(update, context, text, inline(rows))


# ----- the month ---------------------------------------------------------------------------------


def hours(halves: int, language: str) -> str:
    """Half hours as hours in a spreadsheet: 5 is 2.5 (or 2,5 in Dutch)."""
    return format_decimal(Decimal(halves) / 2, locale=language)


def month_lines(_: Translate, figures: MonthFigures) -> list[str]:
    lines = [_("New posts: {count}").format(count=figures.total)]
    for category, requests, offers in figures.per_category():
        if requests or offers:
            lines.append(
                _("{category}: {requests} asked, {offers} offered").format(
                    category=post_text.category(_, category), requests=requests, offers=offers
                )
            )
    return lines + [
        "",
        "💬 " + _("Reactions: {count}").format(count=figures.reactions),
        "✅ " + _("Helped: {count}").format(count=figures.helped),
        "⏱️ " + _("Hours exchanged: {hours}").format(hours=halves_text(figures.halves)),
    ]


async def figures_of(update: Update, context: WijkContext) -> tuple[date, MonthFigures]:
    month = tapped_month(update, context)
    return month, await help_stats.month_figures(context.db, *month_bounds(context, month))


def month_title(context: WijkContext, month: date) -> str:
    return "🤝 " + context.gettext("Help & services") + " · " + format_date(month, "LLLL y", locale=context.language)


@requires(Need.ORGANISER)
async def month_button(update: Update, context: WijkContext) -> None:
    """📊 A month of help and services, with ◀️ ▶️ to other months and 📄 the file."""
    _ = context.gettext
    month, figures = await figures_of(update, context)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    rows = [
        [button("◀️", AREA, "month", month_key(previous)), button("▶️", AREA, "month", month_key(following))],
        [button("📄 " + _("As a file"), AREA, "csv", month_key(month))],
        nav_row(_, callbacks.pack(AREA, "menu")),
    ]
    await show(update, context, "\n".join([month_title(context, month), *month_lines(_, figures)]), inline(rows))


@requires(Need.ORGANISER)
@files_once
async def csv_button(update: Update, context: WijkContext) -> None:
    """📄 The month as a file: a line per category, then the totals; then ⬅️ Back to the month."""
    _ = context.gettext
    await query(update).answer()
    month, figures = await figures_of(update, context)
    rows: list[list[object]] = [[_("Kind of help"), _("Requests"), _("Offers")]]
    rows += [[_(post_text.CATEGORY_NAMES[c]), asked, offered] for c, asked, offered in figures.per_category()]
    rows += [
        [],
        [_("New posts"), figures.total],
        [_("Reactions"), figures.reactions],
        [_("Helped"), figures.helped],
        [_("Hours exchanged"), hours(figures.halves, context.language)],
    ]
    await context.bot.send_document(
        chat_id(update),
        InputFile(spreadsheet(rows), filename=file_name(_, N_("help"), month_key(month), extension="csv")),
        caption=month_title(context, month),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "month", month_key(month)))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(reports_button, pattern=on("reports")),
        CallbackQueryHandler(quiet_button, pattern=on("quiet")),
        CallbackQueryHandler(post_button, pattern=on("post")),
        CallbackQueryHandler(month_button, pattern=on("month")),
        CallbackQueryHandler(csv_button, pattern=on("csv")),
    ]
