"""📣 Organise → activities: who comes and waits, cancel, who was there, and the month overview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import activity_text, callbacks, i18n
from bot.access import Need, requires
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name, spreadsheet
from bot.formatting import format_member_no, format_when
from bot.i18n import N_, Translate
from bot.incoming import chat_id, query, tapped
from bot.keyboards import arrows, button, inline, nav_row, paged
from bot.replies import show, way_on_after_files
from handlers.activities import existing, host_of, link
from storage import activities
from storage.activities import GOING, OFFERED, WAITING, Activity, Person

AREA = "org"
RECENT = timedelta(days=14)  # past activities stay in the list this long, for ticking attendance
# 👥 Who comes is a text, not buttons: 20 names a page stay far below Telegram's 4096 characters.
NAMES_A_PAGE = 20


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """🗂️ Activities: the last two weeks and what is coming, cancelled ones marked."""
    _ = context.gettext
    now = context.now()
    found = activities.recent_and_upcoming(context.db, now - RECENT, now, tapped(update).int_arg(0))
    tz = context.settings.timezone

    def line(a: Activity) -> InlineKeyboardButton:
        return button(
            ("🚫 " if a.cancelled else "") + activity_text.list_line(_, a, context.language, tz), AREA, "act", a.id
        )

    text = _("🗂️ Activities") if found.items else _("📅 There are no activities planned yet.")
    rows = paged(found, line, AREA, "acts") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


async def show_admin_card(update: Update, context: WijkContext, activity_id: int, toast: str | None = None) -> None:
    _ = context.gettext
    activity = existing(context, activity_id)
    text = activity_text.card(
        _,
        activity,
        context.language,
        context.settings.timezone,
        is_open=activity.open_at(context.now()),
        host=host_of(context, activity),
    )
    text += "\n\n" + coming_and_waiting(context.language, activity)
    text += "\n🔗 " + link(context.bot.username, activity.id)
    rows = [
        [
            button("👥 " + _("Who comes"), AREA, "who", activity.id),
            button("📄 " + _("As a file"), AREA, "actcsv", activity.id),
        ]
    ]
    if not activity.cancelled:  # paper for the desk and the notice board (handlers/paper.py)
        on_paper = [button("📄 " + _("List"), "paper", "list", activity.id)]
        if activity.starts_at > context.now():
            on_paper.append(button("🖼️ " + _("Poster"), "paper", "poster", activity.id))
        rows.append(on_paper)
    if not activity.cancelled and activity.starts_at > context.now():
        rows.append(
            [
                button("✏️ " + _("Change"), AREA, "actedit", activity.id),
                button("🚫 " + _("Cancel"), AREA, "cancel", activity.id),
            ]
        )
    if not activity.cancelled and activity.starts_at <= context.now():
        rows.append([button("✔️ " + _("Who was there"), AREA, "attend", activity.id, 0)])
    rows.append(nav_row(_, callbacks.pack(AREA, "acts", 0)))
    await show(update, context, text, inline(rows), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """One activity as organisers see it."""
    await show_admin_card(update, context, tapped(update).int_arg(0))


def coming_and_waiting(language: str, activity: Activity) -> str:
    """How many come (a place offered counts) and how many wait, in words that fit the number."""
    ngettext = i18n.plural(language)
    coming, waiting = activity.going + activity.offered, activity.waiting
    return (
        ngettext("{count} person comes", "{count} people come", coming).format(count=coming)
        + " · "
        + ngettext("{count} person waits", "{count} people wait", waiting).format(count=waiting)
    )


def organiser_or_host(context: WijkContext, activity_id: int) -> Activity:
    """👥 Who comes and ✔️ who was there are for organisers, and for the member who hosts this activity
    (issue 14, handlers/hosting.py); another member's button (forged) no longer works."""
    activity = existing(context, activity_id)
    member = context.known_member
    if not (member.is_organiser or activity.host_id == member.id):
        raise callbacks.StaleButton(f"member {member.id} neither organises nor hosts activity {activity_id}")
    return activity


def card_data(context: WijkContext, activity_id: int) -> str:
    """⬅️ Back from these lists: to the organiser's card of the activity, or the host's."""
    return callbacks.pack(AREA if context.known_member.is_organiser else "host", "act", activity_id)


def name(_: Translate, person: Person) -> str:
    return f"{i18n.kept_apart(escape(person.first_name or '?'))} ({format_member_no(_, person.member_no)})"


@requires(Need.ACTIVE)
async def who_button(update: Update, context: WijkContext) -> None:
    """👥 Who comes, and who waits in what order: the counts on top, then one page of names, with ◀️ ▶️."""
    _ = context.gettext
    args = tapped(update)
    activity_id, page = args.int_arg(0), (args.int_arg(1) if args.action == "whopage" else 0)
    activity = organiser_or_host(context, activity_id)
    listed = activities.listed_page(context.db, activity_id, page, NAMES_A_PAGE)
    if not listed.items and page > 0:  # the lists got shorter since this page was shown
        listed = activities.listed_page(context.db, activity_id, 0, NAMES_A_PAGE)
    lines = [f"<b>{escape(activity.title)}</b>", coming_and_waiting(context.language, activity)]
    coming = [person for person, _place in listed.items if person.status in (GOING, OFFERED)]
    waiting = [(person, place) for person, place in listed.items if person.status == WAITING]
    if coming:
        lines += ["", "✅ " + _("Who comes")]
        offered = f" ({_('place offered')})"
        lines += [f"• {name(_, person)}{offered if person.status == OFFERED else ''}" for person in coming]
    if waiting:
        lines += ["", "⏳ " + _("Waiting list")]
        lines += [f"{place}. {name(_, person)}" for person, place in waiting]
    rows = arrows(listed, AREA, "whopage", activity_id) + [nav_row(_, card_data(context, activity_id))]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ORGANISER)
@files_once
async def csv_button(update: Update, context: WijkContext) -> None:
    """📄 Who comes and who waits, as a file for Excel or LibreOffice; then ⬅️ Back to the activity."""
    _ = context.gettext
    activity_id = tapped(update).int_arg(0)
    activity = existing(context, activity_id)
    await query(update).answer()
    listed = await activities.people(context.db, activity_id)
    rows: list[list[object]] = [[_("List"), _("Place in line"), _("Number"), _("First name")]]
    for status, label in ((GOING, _("Coming")), (OFFERED, _("place offered")), (WAITING, _("Waiting list"))):
        on_list = [p for p in listed if p.status == status]
        for position, person in enumerate(on_list, start=1):
            rows.append([label, position, format_member_no(_, person.member_no), person.first_name or ""])
    await context.bot.send_document(
        chat_id(update),
        InputFile(spreadsheet(rows), filename=file_name(_, N_("activity"), activity_id, extension="csv")),
        caption=escape(activity.title),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "act", activity_id))


@requires(Need.ORGANISER)
async def cancel_button(update: Update, context: WijkContext) -> None:
    """🚫 Cancel: first say who will be told."""
    _ = context.gettext
    activity = existing(context, tapped(update).int_arg(0))
    if not activity.open_at(context.now()):
        await show_admin_card(update, context, activity.id, toast=not_cancelled(context, activity))
        return
    people = activity.going + activity.offered + activity.waiting
    ngettext = i18n.plural(context.language)
    told = ngettext(
        "{count} person who comes or waits gets a message.", "{count} people who come or wait get a message.", people
    )
    text = _("Cancel “{title}”?").format(title=escape(activity.title)) + "\n" + told.format(count=people)
    rows = [
        [button("🚫 " + _("Yes, cancel it"), AREA, "cancelok", activity.id)],
        [button("↩️ " + _("No"), AREA, "act", activity.id)],
        nav_row(_, callbacks.pack(AREA, "act", activity.id)),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def cancel_confirmed_button(update: Update, context: WijkContext) -> None:
    """🚫 Yes, cancel it: everyone who comes or waits is told."""
    _ = context.gettext
    activity_id = tapped(update).int_arg(0)
    if activities.cancel(context.db, activity_id, now=context.now()) is None:
        await show_admin_card(
            update, context, activity_id, toast=not_cancelled(context, existing(context, activity_id))
        )
        return
    context.wake_sender()
    await show_admin_card(update, context, activity_id, toast=_("Cancelled."))


def not_cancelled(context: WijkContext, activity: Activity) -> str:
    """Why an activity cannot be cancelled (any more)."""
    _ = context.gettext
    if activity.cancelled:
        return _("This was already so.")
    return _("This activity has started. It can no longer be cancelled.")


@requires(Need.ACTIVE)
async def attendance_button(update: Update, context: WijkContext) -> None:
    """✔️ Who was there: tick everyone who came."""
    args = tapped(update)
    await show_attendance(update, context, args.int_arg(0), args.int_arg(1))


async def show_attendance(update: Update, context: WijkContext, activity_id: int, page: int) -> None:
    _ = context.gettext
    activity = organiser_or_host(context, activity_id)
    if activity.starts_at > context.now() or activity.cancelled:
        raise callbacks.StaleButton("attendance only for what took place")
    going = activities.going_page(context.db, activity_id, page)

    def toggle(entry: tuple[Person, bool]) -> InlineKeyboardButton:
        person, here = entry
        mark = ("☑️ " if here else "⬜ ") + name(_, person)
        return button(mark, AREA, "mark", activity_id, person.member_id, page, 0 if here else 1)  # what a tap sets

    text = _("Who was there? Tap everyone who came.\nThere: {present} of {count}").format(
        present=activities.present_count(context.db, activity_id), count=activity.going
    )
    rows = paged(going, toggle, AREA, "attend", activity_id)
    rows.append(nav_row(_, card_data(context, activity_id)))
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def mark_button(update: Update, context: WijkContext) -> None:
    """Tick or untick one person."""
    args = tapped(update)
    activity_id, member_id, page, here = args.int_arg(0), args.int_arg(1), args.int_arg(2), args.int_arg(3) == 1
    organiser_or_host(context, activity_id)
    if activities.set_attendance(context.db, activity_id, member_id, context.now(), here) is None:
        raise callbacks.StaleButton("not on the list")
    await show_attendance(update, context, activity_id, page)


def month_bounds(context: WijkContext, month: date) -> tuple[datetime, datetime]:
    """The first moment of a month and of the next, in local time, as UTC."""
    tz = context.settings.timezone
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (
        datetime.combine(month, datetime.min.time(), tz).astimezone(UTC),
        datetime.combine(following, datetime.min.time(), tz).astimezone(UTC),
    )


def tapped_month(update: Update, context: WijkContext) -> date:
    """The month in the button (yyyymm), or this month for the button in the menu."""
    value = tapped(update).args[0]
    if isinstance(value, date):
        return value
    return context.now().astimezone(context.settings.timezone).date().replace(day=1)


def month_key(month: date) -> str:
    return month.strftime("%Y%m")


def month_rows(_: Translate, area: str, month: date) -> list[list[InlineKeyboardButton]]:
    """Under a month overview: ◀️ ▶️ to the month before and after (area:month:yyyymm), 📄 As a file
    (area:monthcsv:yyyymm), ⬅️ Back to the area's menu and 🏠."""
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return [
        [button("◀️", area, "month", month_key(previous)), button("▶️", area, "month", month_key(following))],
        [button("📄 " + _("As a file"), area, "monthcsv", month_key(month))],
        nav_row(_, callbacks.pack(area, "menu")),
    ]


@requires(Need.ORGANISER)
async def month_button(update: Update, context: WijkContext) -> None:
    """📈 Month overview: activities held, attendance, unique and new participants, for funders."""
    _ = context.gettext
    month = tapped_month(update, context)
    report = await activities.month_report(context.db, *month_bounds(context, month), context.now())
    text = "\n".join(
        [
            "📈 " + format_date(month, "LLLL y", locale=context.language),
            _("Activities held: {count}").format(count=report.activities_held),
            _("Attendance: {count}").format(count=report.attendance),
            _("Different participants: {count}").format(count=report.unique_participants),
            _("New participants: {count}").format(count=report.new_participants),
        ]
    )
    await show(update, context, text, inline(month_rows(_, AREA, month)))


@requires(Need.ORGANISER)
@files_once
async def month_csv_button(update: Update, context: WijkContext) -> None:
    """📄 The month overview as a file: one line per activity, then the totals; then ⬅️ Back to the month."""
    _ = context.gettext
    month = tapped_month(update, context)
    start, end = month_bounds(context, month)
    await query(update).answer()
    rows: list[list[object]] = [[_("Day"), _("Activity"), _("Coming"), _("Attendance")]]
    for activity, present in await activities.held_between(context.db, start, end, context.now()):
        rows.append(
            [
                format_when(activity.starts_at, context.language, context.settings.timezone),
                activity.title,
                activity.going,
                present,
            ]
        )
    report = await activities.month_report(context.db, start, end, context.now())
    rows += [
        [],
        [_("Activities held"), report.activities_held],
        [_("Attendance"), report.attendance],
        [_("Different participants"), report.unique_participants],
        [_("New participants"), report.new_participants],
    ]
    await context.bot.send_document(
        chat_id(update),
        InputFile(spreadsheet(rows), filename=file_name(_, N_("overview"), month_key(month), extension="csv")),
        caption="📈 " + format_date(month, "LLLL y", locale=context.language),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "month", month_key(month)))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(list_button, pattern=on("acts")),
        CallbackQueryHandler(card_button, pattern=on("act")),
        CallbackQueryHandler(who_button, pattern=on("who", "whopage")),
        CallbackQueryHandler(csv_button, pattern=on("actcsv")),
        CallbackQueryHandler(cancel_button, pattern=on("cancel")),
        CallbackQueryHandler(cancel_confirmed_button, pattern=on("cancelok")),
        CallbackQueryHandler(attendance_button, pattern=on("attend")),
        CallbackQueryHandler(mark_button, pattern=on("mark")),
        CallbackQueryHandler(month_button, pattern=on("month")),
        CallbackQueryHandler(month_csv_button, pattern=on("monthcsv")),
    ]
