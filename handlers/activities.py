"""📅 Activities for members: browse, sign up or off, the waiting list, offers, calendar file."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import activity_text, callbacks
from bot.access import Need, refusal, requires
from bot.calendar_file import ics
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name
from bot.formatting import format_short_when
from bot.i18n import N_
from bot.incoming import chat_id, query, text
from bot.keyboards import ACTIVITIES, button, inline, menu_label_pattern, nav_row, paged
from bot.replies import reply_with_menu, show, way_on_after_files
from storage import activities, members
from storage.activities import GOING, OFFERED, WAITING, Activity, Answer, Card
from storage.members import ACTIVE

AREA = "act"
LIST, MINE = "list", "mine"  # the two lists a card can be opened from


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def tapped_id(update: Update) -> int:
    return callbacks.parse(query(update).data).int_arg(0)


async def show_list(update: Update, context: WijkContext, page: int) -> None:
    """Upcoming activities, soonest first, 5 a page, each with day, time and places left."""
    _ = context.gettext
    upcoming = activities.upcoming(context.db, context.now(), page)
    if not upcoming.items and page:  # an old ▶️: the list got shorter since
        page = 0
        upcoming = activities.upcoming(context.db, context.now(), page)
    tz = context.settings.timezone

    def line(a: Activity) -> InlineKeyboardButton:
        return button(activity_text.list_line(_, a, context.language, tz), AREA, "open", a.id, LIST, page)

    text = _("📅 Activities. Tap one to see more.") if upcoming.items else _("📅 There are no activities planned yet.")
    rows = paged(upcoming, line, AREA, "list") + [
        [button("📋 " + _("My activities"), AREA, "mine", 0)],
        nav_row(_, None),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def activities_text(update: Update, context: WijkContext) -> None:
    """📅 Activities from the main menu."""
    await show_list(update, context, 0)


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️ or ⬅️ Back to the list."""
    await show_list(update, context, tapped_id(update))


def existing(context: WijkContext, activity_id: int) -> Activity:
    """The activity behind a button or link; gone means the button no longer works."""
    activity = activities.get(context.db, activity_id)
    if activity is None:
        raise callbacks.StaleButton(f"activity {activity_id} is gone")
    return activity


def shown(card: Card | None, activity_id: int) -> Card:
    """The card behind a button or link; gone means the button no longer works."""
    if card is None:
        raise callbacks.StaleButton(f"activity {activity_id} is gone")
    return card


def host_of(context: WijkContext, activity: Activity) -> str | None:
    """The member who hosts the activity, as its card names them (issue 14); None when the organisers do."""
    if activity.host_id is None:
        return None
    host = members.get(context.db, activity.host_id)
    return activity_text.host_name(context.gettext, host.first_name if host else None)


async def show_card(
    update: Update, context: WijkContext, card: Card, toast: str | None = None, back: tuple[str, int] = (LIST, 0)
) -> None:
    """One activity with what the member can do now; ⬅️ Back goes to the list it was opened from."""
    _ = context.gettext
    activity, status = card.activity, card.status
    is_open = activity.open_at(context.now())
    text = activity_text.card(
        _,
        activity,
        context.language,
        context.settings.timezone,
        status=status,
        is_open=is_open,
        host=host_of(context, activity),
    )
    rows = []
    if status == GOING:
        text += "\n\n✅ " + _("You are coming.")
    elif status == WAITING:
        text += "\n\n⏳ " + _("You are on the waiting list: number {position}.").format(position=card.position)
    elif status == OFFERED:
        text += "\n\n🎉 " + _("A place is held for you. Do you want it?")
    if is_open:
        if status is None and activity.places_left == 0:
            rows.append([button("⏳ " + _("Join the waiting list"), AREA, "yes", activity.id)])
        elif status is None:
            rows.append([button("✅ " + _("I'm coming"), AREA, "yes", activity.id)])
        elif status == OFFERED:
            rows.append(
                [
                    button("✅ " + _("Yes, I'm coming"), AREA, "claim", activity.id),
                    button("❌ " + _("No"), AREA, "decline", activity.id),
                ]
            )
        elif status == WAITING:
            rows.append([button("❌ " + _("Off the waiting list"), AREA, "leave", activity.id)])
        else:
            rows.append([button("❌ " + _("I can't come"), AREA, "no", activity.id)])
        rows.append([button("📆 " + _("In my calendar"), AREA, "ics", activity.id)])
    rows.append(nav_row(_, callbacks.pack(AREA, *back)))
    await show(update, context, text, inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    """An activity from a message: its card."""
    activity_id = tapped_id(update)
    await show_card(
        update, context, shown(activities.card(context.db, activity_id, context.known_member.id), activity_id)
    )


@requires(Need.ACTIVE)
async def open_button(update: Update, context: WijkContext) -> None:
    """An activity from 📅 Activities or 📋 My activities: its card, with ⬅️ Back to that page."""
    tapped = callbacks.parse(query(update).data)
    activity_id, origin, page = tapped.int_arg(0), tapped.str_arg(1), tapped.int_arg(2)
    card = shown(activities.card(context.db, activity_id, context.known_member.id), activity_id)
    await show_card(update, context, card, back=(origin, page))


async def answered(update: Update, context: WijkContext, activity_id: int, result: activities.Rsvp) -> None:
    """Tell the member how their tap ended; the sender sends what others must hear now."""
    _ = context.gettext
    card = shown(result.card, activity_id)
    toast = {
        Answer.GOING: _("✅ You are coming. See you there!"),
        Answer.ALREADY_GOING: _("✅ You are coming. See you there!"),
        Answer.WAITING: _("⏳ It is full. You are number {position} on the waiting list."),
        Answer.ALREADY_WAITING: _("⏳ It is full. You are number {position} on the waiting list."),
        Answer.CLOSED: _("You can no longer sign up for this activity."),
        Answer.CANCELLED: _("This activity does not go on."),
        Answer.STARTED: _("This activity has started. Your place stays as it is."),
        Answer.TAKEN: _("Sorry, the place is already taken."),
        Answer.HELD: _("A place is held for you. Do you want it?"),
        Answer.LEFT: _("OK, you are off the list."),
        Answer.NOT_LISTED: _("You were not on the list."),
    }[result.answer].format(position=card.position)
    context.wake_sender()
    await show_card(update, context, card, toast=toast)


@requires(Need.ACTIVE)
async def yes_button(update: Update, context: WijkContext) -> None:
    """✅ I'm coming: a place, or the waiting list when it is full."""
    activity_id = tapped_id(update)
    result = activities.rsvp(context.db, activity_id, context.known_member.id, context.now(), context.timing)
    await answered(update, context, activity_id, result)


@requires(Need.ACTIVE)
async def claim_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, I'm coming on an offered place."""
    activity_id = tapped_id(update)
    result = activities.accept_offer(context.db, activity_id, context.known_member.id, context.now(), context.timing)
    await answered(update, context, activity_id, result)


@requires(Need.ACTIVE)
async def no_button(update: Update, context: WijkContext) -> None:
    """❌ I can't come (also from a reminder): giving a place away cannot be undone, so ask once (UX.md)."""
    _ = context.gettext
    activity_id = tapped_id(update)
    card = shown(activities.card(context.db, activity_id, context.known_member.id), activity_id)
    if card.status != GOING or not card.activity.open_at(context.now()):
        await leave_button(update, context)  # no place to give away: off the list, or told why not
        return
    text = _("Are you sure? Your place then goes to someone else.\n\n{title}").format(title=escape(card.activity.title))
    rows = [
        [button("✅ " + _("Yes, I can't come"), AREA, "leave", activity_id)],
        [button("↩️ " + _("No, I will come"), AREA, "card", activity_id)],
        nav_row(_, callbacks.pack(AREA, LIST, 0)),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def leave_button(update: Update, context: WijkContext) -> None:
    """Off the list (after the question, or from the waiting list), or ❌ No to an offer: the place moves on."""
    activity_id = tapped_id(update)
    result = activities.withdraw(context.db, activity_id, context.known_member.id, context.now(), context.timing)
    await answered(update, context, activity_id, result)


@requires(Need.ACTIVE)
@files_once
async def calendar_button(update: Update, context: WijkContext) -> None:
    """📆 In my calendar: an .ics file, then ⬅️ Back to the activity."""
    _ = context.gettext
    activity = existing(context, tapped_id(update))
    if activity.cancelled:
        await query(update).answer(_("This activity does not go on."))
        return
    await query(update).answer()
    data = ics(activity, context.settings.timezone, context.now(), context.bot.username)
    await context.bot.send_document(
        chat_id(update),
        InputFile(data, filename=file_name(_, N_("activity"), activity.id, extension="ics")),
        caption=_("Open this file to put the activity in your calendar."),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "card", activity.id))


@requires(Need.ACTIVE)
async def mine_button(update: Update, context: WijkContext) -> None:
    """📋 My activities: what I signed up for, and my place on a waiting list."""
    _ = context.gettext
    page = tapped_id(update)
    mine = activities.of_member(context.db, context.known_member.id, context.now(), page)
    if not mine.items and page:  # an old ▶️: the list got shorter since
        page = 0
        mine = activities.of_member(context.db, context.known_member.id, context.now(), page)
    tz = context.settings.timezone

    def line(card: Card) -> InlineKeyboardButton:
        activity = card.activity
        mark = {GOING: "✅", WAITING: "⏳", OFFERED: "🎉"}.get(card.status or "", "")
        when = format_short_when(activity.starts_at, context.language, tz)
        label = f"{mark} {activity_text.button_title(activity)} · {when}"
        if card.position:
            label += " · " + _("waiting list {position}").format(position=card.position)
        return button(label, AREA, "open", activity.id, MINE, page)

    text = _("📋 My activities") if mine.items else _("📋 You have not signed up for anything yet.")
    rows = paged(mine, line, AREA, "mine") + [nav_row(_, callbacks.pack(AREA, "list", 0))]
    await show(update, context, text, inline(rows))


LINK_PREFIX = "act_"
POSTER_LINK = "poster"  # in the answers: the activity of the link that brought someone who was no member yet


def link(bot_username: str, activity_id: int) -> str:
    """A link for posters and other chats that opens the activity's card."""
    return f"https://t.me/{bot_username}?start={LINK_PREFIX}{activity_id}"


async def start_link_command(update: Update, context: WijkContext) -> None:
    """/start act_<id>, from a link t.me/<bot>?start=act_<id> on a poster: the activity's card.

    Someone who is not a member (yet) sees what it is, and how to become one to sign up."""
    activity_id = int(text(update).split()[1].removeprefix(LINK_PREFIX))
    member = context.member
    if member is not None and member.status == ACTIVE:
        await show_card(update, context, shown(activities.card(context.db, activity_id, member.id), activity_id))
        return
    activity = existing(context, activity_id)
    _ = context.gettext
    tz = context.settings.timezone
    card = activity_text.card(_, activity, context.language, tz, is_open=activity.open_at(context.now()))
    hint = refusal(context, Need.ACTIVE) or ""
    context.answers[POSTER_LINK] = activity.id  # once they are a member, they can come back to it
    await reply_with_menu(update, context, card + "\n\n" + hint)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("start", start_link_command, filters.Regex(rf"^/start {LINK_PREFIX}\d{{1,9}}$")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(yes_button, pattern=on("yes")),
        CallbackQueryHandler(claim_button, pattern=on("claim")),
        CallbackQueryHandler(no_button, pattern=on("no")),
        CallbackQueryHandler(leave_button, pattern=on("decline", "leave")),
        CallbackQueryHandler(open_button, pattern=on("open")),
        CallbackQueryHandler(calendar_button, pattern=on("ics")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
    ]


def main_menu_button() -> BaseHandler:
    """📅 Activities in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(ACTIVITIES)), activities_text)
