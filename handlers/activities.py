"""📅 Activities for members: browse, sign up or off, the waiting list, offers, calendar file."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import activity_text, callbacks, scheduler
from bot.access import Need, requires
from bot.calendar_file import ics
from bot.context import WijkContext
from bot.formatting import format_when
from bot.keyboards import ACTIVITIES, button, inline, nav_row, paged, starts_with
from bot.replies import show
from storage import activities
from storage.activities import GOING, OFFERED, WAITING, Activity, Answer

AREA = "act"


def on(action: str) -> str:
    return callbacks.pattern(AREA, action)


async def existing(context: WijkContext, activity_id: int) -> Activity:
    """The activity behind a button or link; gone means the button no longer works."""
    activity = await activities.get(context.db, activity_id)
    if activity is None:
        raise callbacks.StaleButton(f"activity {activity_id} is gone")
    return activity


def tapped_id(update: Update) -> int:
    return callbacks.parse(update.callback_query.data, args=1).int_arg(0)


async def show_list(update: Update, context: WijkContext, page: int) -> None:
    """Upcoming activities, soonest first, 5 a page, each with day, time and places left."""
    _ = context.gettext
    upcoming = await activities.upcoming(context.db, context.now())
    tz = context.settings.timezone

    def line(a: Activity) -> InlineKeyboardButton:
        return button(activity_text.list_line(_, a, context.language, tz), AREA, "card", a.id)

    text = _("📅 Activities. Tap one to see more.") if upcoming else _("📅 There are no activities planned yet.")
    rows = paged(upcoming, page, line, AREA, "list") + [[button("📋 " + _("My activities"), AREA, "mine", 0)], nav_row(_, None)]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def activities_text(update: Update, context: WijkContext) -> None:
    """📅 Activities from the main menu."""
    await show_list(update, context, 0)


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️ or ⬅️ Back to the list."""
    await show_list(update, context, tapped_id(update))


async def show_card(update: Update, context: WijkContext, activity_id: int, toast: str | None = None) -> None:
    """One activity with what the member can do now."""
    _ = context.gettext
    activity = await existing(context, activity_id)
    tz = context.settings.timezone
    text = activity_text.card(_, activity, context.language, tz)
    mine = await activities.status_of(context.db, activity_id, context.member.id)
    status, position = mine or (None, None)
    open_ = not activity.cancelled and activity.starts_at > context.now()
    rows = []
    if status == GOING:
        text += "\n\n✅ " + _("You are coming.")
    elif status == WAITING:
        text += "\n\n⏳ " + _("You are on the waiting list: number {position}.").format(position=position)
    elif status == OFFERED:
        text += "\n\n🎉 " + _("A place is held for you. Do you want it?")
    if open_:
        if status is None:
            rows.append([button("✅ " + _("I'm coming"), AREA, "yes", activity_id)])
        elif status == OFFERED:
            rows.append([button("✅ " + _("Yes, I'm coming"), AREA, "claim", activity_id),
                         button("❌ " + _("No"), AREA, "decline", activity_id)])
        else:
            rows.append([button("❌ " + _("I can't come"), AREA, "no", activity_id)])
        rows.append([button("📆 " + _("In my calendar"), AREA, "ics", activity_id)])
    rows.append(nav_row(_, callbacks.pack(AREA, "list", 0)))
    await show(update, context, text, inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    """An activity from a list or a message: its card."""
    await show_card(update, context, tapped_id(update))


async def answered(update: Update, context: WijkContext, activity_id: int, result: activities.Rsvp) -> None:
    """Tell the member how their tap ended, plan reminders and tell others what changed for them."""
    _ = context.gettext
    toast = {
        Answer.GOING: _("✅ You are coming. See you there!"),
        Answer.ALREADY_GOING: _("✅ You are coming. See you there!"),
        Answer.WAITING: _("⏳ It is full. You are number {position} on the waiting list."),
        Answer.ALREADY_WAITING: _("⏳ It is full. You are number {position} on the waiting list."),
        Answer.CLOSED: _("You can no longer sign up for this activity."),
        Answer.GONE: _("Sorry, the place is already taken."),
    }[result.answer].format(position=result.position)
    await show_card(update, context, activity_id, toast=toast)
    await after_change(context, activity_id)


async def after_change(context: WijkContext, activity_id: int) -> None:
    """After the member has their answer: plan their reminders and send what others must hear now."""
    activity = await activities.get(context.db, activity_id)
    if activity is not None:
        await scheduler.plan_activity(context.db, context.settings, activity, context.now())
    await scheduler.send_due(context.bot, context.db, context.settings, context.now())


@requires(Need.ACTIVE)
async def yes_button(update: Update, context: WijkContext) -> None:
    """✅ I'm coming: a place, or the waiting list when it is full."""
    activity_id = tapped_id(update)
    result = await activities.rsvp(context.db, activity_id, context.member.id, context.now())
    await answered(update, context, activity_id, result)


@requires(Need.ACTIVE)
async def claim_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, I'm coming on an offered place."""
    activity_id = tapped_id(update)
    result = await activities.accept_offer(context.db, activity_id, context.member.id, context.now())
    await answered(update, context, activity_id, result)


@requires(Need.ACTIVE)
async def no_button(update: Update, context: WijkContext) -> None:
    """❌ I can't come (also from a reminder), or ❌ No to an offer: the place goes to the next one."""
    _ = context.gettext
    activity_id = tapped_id(update)
    activity = await existing(context, activity_id)
    offer = scheduler.offer_for(context.settings, activity, context.now())
    was = await activities.withdraw(context.db, activity_id, context.member.id, offer)
    toast = _("OK, you are off the list.") if was else _("You were not on the list.")
    await show_card(update, context, activity_id, toast=toast)
    await after_change(context, activity_id)


@requires(Need.ACTIVE)
async def calendar_button(update: Update, context: WijkContext) -> None:
    """📆 In my calendar: an .ics file."""
    _ = context.gettext
    activity = await existing(context, tapped_id(update))
    await update.callback_query.answer()
    data = ics(activity, context.settings.timezone, context.now(), context.bot.username)
    await context.bot.send_document(
        update.effective_chat.id, InputFile(data, filename=f"activity-{activity.id}.ics"),
        caption=_("Open this file to put the activity in your calendar."),
    )


@requires(Need.ACTIVE)
async def mine_button(update: Update, context: WijkContext) -> None:
    """📋 My activities: what I signed up for, and my place on a waiting list."""
    _ = context.gettext
    mine = await activities.of_member(context.db, context.member.id, context.now())
    tz = context.settings.timezone
    marks = {GOING: "✅", WAITING: "⏳", OFFERED: "🎉"}

    def line(found: tuple[Activity, str, int | None]) -> InlineKeyboardButton:
        activity, status, position = found
        label = f"{marks[status]} {activity.title[:30]} · {format_when(activity.starts_at, context.language, tz)}"
        if position:
            label += " · " + _("waiting list {position}").format(position=position)
        return button(label, AREA, "card", activity.id)

    text = _("📋 My activities") if mine else _("📋 You have not signed up for anything yet.")
    rows = paged(mine, tapped_id(update), line, AREA, "mine") + [nav_row(_, callbacks.pack(AREA, "list", 0))]
    await show(update, context, text, inline(rows))


LINK_PREFIX = "act_"


def link(bot_username: str, activity_id: int) -> str:
    """A link for posters and other chats that opens the activity's card."""
    return f"https://t.me/{bot_username}?start={LINK_PREFIX}{activity_id}"


@requires(Need.ACTIVE)
async def start_link_command(update: Update, context: WijkContext) -> None:
    """/start act_<id>, from a link t.me/<bot>?start=act_<id>: the activity's card."""
    await show_card(update, context, int(context.args[0].removeprefix(LINK_PREFIX)))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("start", start_link_command, filters.Regex(rf"^/start {LINK_PREFIX}\d{{1,9}}$")),
        MessageHandler(filters.Regex(starts_with(ACTIVITIES)), activities_text),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(yes_button, pattern=on("yes")),
        CallbackQueryHandler(claim_button, pattern=on("claim")),
        CallbackQueryHandler(no_button, pattern=on("no")),
        CallbackQueryHandler(no_button, pattern=on("decline")),
        CallbackQueryHandler(calendar_button, pattern=on("ics")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
    ]
