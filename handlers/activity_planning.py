"""📣 Organise → 📅 New activity: step by step, a preview exactly as members see it, then publish.

Each step asks one thing; quick answers are buttons, the rest is typed and
checked. ⬅️ Back goes one step back; from the preview, ✏️ Change jumps to one
step and comes back. Nothing is published before ✅.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import activity_text, callbacks, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_day
from bot.i18n import N_, Translate
from bot.incoming import query, text
from bot.keyboards import button, in_rows, inline, nav_row, typed_text
from bot.never_stuck import EXPLAIN
from bot.replies import edit, show
from handlers.activities import link
from handlers.activity_admin import show_admin_card
from storage import activities
from storage.activities import Activity, Plan

AREA = "plan"
TITLE, DESCRIPTION, DAY, START, END, PLACE, PLACES, COST, BRING = (
    "title",
    "description",
    "day",
    "start",
    "end",
    "place",
    "places",
    "cost",
    "bring",
)
ORDER = (TITLE, DESCRIPTION, DAY, START, END, PLACE, PLACES, COST, BRING)
PREVIEW = "preview"
WEEKS = (1, 2, 4, 8, 12)
# What ❓ says on each step (bot/never_stuck.py).
EXPLANATIONS = {
    TITLE: N_(
        "The name members see in the list, like Soup evening.\nKeep it short. You can change it before you publish."
    ),
    DESCRIPTION: N_("Tell what happens and who it is for.\nShort sentences help members who read little."),
    DAY: N_("Tap the day of the activity.\nLater than that? Tap 📆 Another day and type the date."),
    START: N_("Type the time it starts, with a colon, like 14:00 or 9:30."),
    END: N_("Type the time it ends, like 16:00. It must be after the start."),
    PLACE: N_("Tap the community centre, or type the address.\nMembers see it on the activity."),
    PLACES: N_("How many people can come? Type a number.\nWhen it is full, others can join a waiting list."),
    COST: N_("What members pay, in euros, like 2,50.\nTap 🆓 Free when it costs nothing."),
    BRING: N_("Something members need to bring, like a plate.\nNothing needed? Tap ⏭️ Nothing."),
    PREVIEW: N_("This is what members will see.\n✏️ Change fixes one answer.\nNothing goes out until you tap ✅."),
}


@dataclass(frozen=True)
class Step:
    question: str
    read: Callable[[str, WijkContext], object]  # typed text -> value to keep; raises validation.Invalid
    choices: Callable[[Translate, WijkContext], list[InlineKeyboardButton]]
    label: str  # the field's name on the ✏️ Change screen


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def pick(label: str, step: str, value: str) -> InlineKeyboardButton:
    """A quick answer to one step: its button is plan:<step>:<value>, valid in that step only."""
    return button(label, AREA, step, value)


def day_choices(_: Translate, context: WijkContext) -> list[InlineKeyboardButton]:
    """Today and the six days after it."""
    today = context.now().astimezone(context.settings.timezone).date()
    days = [today + timedelta(days=n) for n in range(7)]
    choices = [pick(format_day(d, context.language), DAY, d.strftime("%Y%m%d")) for d in days]
    return choices + [pick("📆 " + _("Another day"), DAY, "other")]


def read_day(text: str, context: WijkContext) -> str:
    return validation.day(text, context.now().astimezone(context.settings.timezone).date()).isoformat()


def moment(context: WijkContext, day: str, at: str) -> datetime:
    """A day and time as organisers mean them (local), in UTC."""
    local = datetime.combine(date.fromisoformat(day), time.fromisoformat(at), context.settings.timezone)
    return local.astimezone(UTC)


def read_start(text: str, context: WijkContext) -> str:
    at = validation.clock_time(text).isoformat("minutes")
    if moment(context, draft(context)[DAY], at) <= context.now():
        raise validation.Invalid(N_("That time has passed. Please choose a later time."))
    return at


def read_end(text: str, context: WijkContext) -> str:
    at = validation.clock_time(text).isoformat("minutes")
    if at <= draft(context)[START]:
        raise validation.Invalid(N_("The end must be after the start."))
    return at


STEPS: dict[str, Step] = {
    TITLE: Step(
        N_("What is the activity called? At most 80 characters."),
        lambda text, c: validation.title(text),
        lambda _, c: [],
        N_("Title"),
    ),
    DESCRIPTION: Step(
        N_("Describe the activity in a few sentences. At most 1000 characters."),
        lambda text, c: validation.description(text),
        lambda _, c: [],
        N_("Description"),
    ),
    DAY: Step(N_("Which day? Tap a day, or type it like 12-12 or 12-12-2026."), read_day, day_choices, N_("Day")),
    START: Step(N_("What time does it start? For example 14:00."), read_start, lambda _, c: [], N_("Start")),
    END: Step(N_("What time does it end? For example 16:00."), read_end, lambda _, c: [], N_("End")),
    PLACE: Step(
        N_("Where is it? Tap the button, or type the place."),
        lambda text, c: validation.place(text),
        lambda _, c: [pick("📍 " + c.settings.community_centre, PLACE, "centre")],  # 🏠 is the menu
        N_("Place"),
    ),
    PLACES: Step(
        N_("How many places are there? Type a number, or tap No limit."),
        lambda text, c: validation.places(text),
        lambda _, c: [pick("♾️ " + _("No limit"), PLACES, "none")],
        N_("Places"),
    ),
    COST: Step(
        N_("What does it cost in euros? Type an amount like 2,50, or tap Free."),
        lambda text, c: validation.euros(text),
        lambda _, c: [pick("🆓 " + _("Free"), COST, "free")],
        N_("Cost"),
    ),
    BRING: Step(
        N_("What should people bring? Type it, or tap Nothing."),
        lambda text, c: validation.bring(text),
        lambda _, c: [pick("⏭️ " + _("Nothing"), BRING, "none")],
        N_("Bring"),
    ),
}


def picked_value(context: WijkContext, step: str, value: object) -> object:
    """The value behind a quick-answer button (the codec read a day as a date)."""
    if isinstance(value, date):
        return value.isoformat()
    return {PLACE: context.settings.community_centre, PLACES: None, COST: 0, BRING: None}[step]


async def ask(update: Update, context: WijkContext, step: str, error: str = "") -> str:
    _ = context.gettext
    spec = STEPS[step]
    question = _(spec.question)
    back = callbacks.pack(AREA, "back", step)
    rows = in_rows(spec.choices(_, context)) + [nav_row(_, back, EXPLAIN)]
    await show(update, context, f"{error}\n\n{question}".strip(), inline(rows))
    return step


async def next_after(update: Update, context: WijkContext, step: str) -> str:
    """The next question, or back to the preview when a single answer was being changed."""
    plan = draft(context)
    if plan.get("editing"):
        if step == DAY and moment(context, plan[DAY], plan[START]) <= context.now():
            return await ask(update, context, START)
        if step in (DAY, START) and plan[END] <= plan[START]:
            return await ask(update, context, END)
        return await preview(update, context)
    later = ORDER[ORDER.index(step) + 1 :]
    return await ask(update, context, later[0]) if later else await preview(update, context)


def answering(step: str) -> Callable:
    """The handler for a typed answer to one step."""

    @requires(Need.ORGANISER)
    async def typed(update: Update, context: WijkContext) -> object:
        try:
            draft(context)[step] = STEPS[step].read(text(update), context)
        except validation.Invalid as invalid:
            return await ask(update, context, step, invalid.text(context.gettext))
        return await next_after(update, context, step)

    typed.__name__ = f"{step}_text"
    return typed


@requires(Need.ORGANISER)
async def pick_button(update: Update, context: WijkContext) -> object:
    """A quick answer: a day, the community centre, no limit, free or nothing to bring."""
    tapped = callbacks.parse(query(update).data)
    step, value = tapped.action, tapped.args[0]
    if value == "other":  # another day: typed
        _ = context.gettext
        back_to_days = nav_row(_, callbacks.pack(AREA, "days"), EXPLAIN)
        await show(update, context, "📆 " + _("Type the day like 12-12 or 12-12-2026."), inline([back_to_days]))
        return DAY
    draft(context)[step] = picked_value(context, step, value)
    return await next_after(update, context, step)


@requires(Need.ORGANISER)
async def days_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back from typing another day: the day buttons again."""
    return await ask(update, context, DAY)


@requires(Need.ORGANISER)
async def back_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back: one step back; from the first step, or while changing one answer, to where you came from."""
    step = callbacks.parse(query(update).data).str_arg(0)
    if step == PREVIEW:
        activity_id = draft(context).get("activity_id")
        if activity_id:  # changing a published activity: back to its card, nothing changed
            context.answers.pop(AREA, None)
            await show_admin_card(update, context, activity_id)
            return ConversationHandler.END
        return await ask(update, context, ORDER[-1])
    if draft(context).get("editing"):
        return await preview(update, context)
    index = ORDER.index(step)
    if index == 0:
        return await leave(update, context)
    return await ask(update, context, ORDER[index - 1])


def planned(context: WijkContext) -> Plan:
    plan = draft(context)
    return Plan(
        title=plan[TITLE],
        description=plan[DESCRIPTION],
        starts_at=moment(context, plan[DAY], plan[START]),
        ends_at=moment(context, plan[DAY], plan[END]),
        place=plan[PLACE],
        capacity=plan[PLACES],
        cost_cents=plan[COST],
        bring=plan[BRING],
    )


async def preview(update: Update, context: WijkContext) -> str:
    """The activity exactly as members will see it, and what to do with it."""
    _ = context.gettext
    plan = planned(context)
    published = activities.get(context.db, draft(context)["activity_id"]) if draft(context).get("activity_id") else None
    if published is not None:  # as it will be: with the people who come and wait now
        shown = replace(published, **vars(plan))
    else:
        shown = Activity(id=0, cancelled=False, created_by=None, **vars(plan))
    weeks = draft(context).get("weeks", 1)
    draft(context)["editing"] = False
    text = (
        _("This is how members will see it:")
        + "\n\n"
        + activity_text.card(_, shown, context.language, context.settings.timezone)
    )
    if weeks > 1:
        text += "\n\n🔁 " + _("Every week, {weeks} times.").format(weeks=weeks)
    if draft(context).get("activity_id"):
        text += "\n\n" + _("Everyone who comes or waits gets a message about the change.")
        rows = [
            [button("✅ " + _("Yes, save and tell them"), AREA, "publish")],
            [button("✏️ " + _("Change"), AREA, "change")],
        ]
    else:
        rows = [
            [button("✅ " + _("Yes, publish"), AREA, "publish")],
            [button("✏️ " + _("Change"), AREA, "change"), button("🔁 " + _("Repeat weekly"), AREA, "repeat")],
        ]
    rows.append([button("✖️ " + _("Stop"), AREA, "stop")])
    rows.append(nav_row(_, callbacks.pack(AREA, "back", PREVIEW), EXPLAIN))
    await show(update, context, text, inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: which answer?"""
    _ = context.gettext
    steps = ORDER  # of a published activity too: everyone on its lists is told
    fields = [button(_(STEPS[step].label), AREA, "edit", step) for step in steps]
    rows = in_rows(fields, 3) + [nav_row(_, callbacks.pack(AREA, "preview"), EXPLAIN)]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def edit_button(update: Update, context: WijkContext) -> str:
    """One answer to change; then back to the preview."""
    step = callbacks.parse(query(update).data).str_arg(0)
    draft(context)["editing"] = True
    return await ask(update, context, step)


@requires(Need.ORGANISER)
async def preview_button(update: Update, context: WijkContext) -> str:
    return await preview(update, context)


@requires(Need.ORGANISER)
async def repeat_button(update: Update, context: WijkContext) -> str:
    """🔁 Repeat weekly: how many times in all."""
    _ = context.gettext
    ngettext = i18n.plural(context.language)
    choices = [
        button(_("Once") if n == 1 else ngettext("{weeks} week", "{weeks} weeks", n).format(weeks=n), AREA, "weeks", n)
        for n in WEEKS
    ]
    rows = in_rows(choices, 3) + [nav_row(_, callbacks.pack(AREA, "preview"), EXPLAIN)]
    await show(update, context, _("How many weeks in a row?"), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def weeks_button(update: Update, context: WijkContext) -> str:
    weeks = callbacks.parse(query(update).data).int_arg(0)
    if weeks not in WEEKS:
        raise callbacks.MalformedCallback(query(update).data)
    draft(context)["weeks"] = weeks
    return await preview(update, context)


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> str | int:
    """✅ Yes, publish: now members can see it and sign up."""
    _ = context.gettext
    plan = planned(context)
    if plan.starts_at <= context.now():
        draft(context)["editing"] = True
        return await ask(update, context, START, _("That time has passed. Please choose a later time."))
    if draft(context).get("activity_id"):
        return await save_changes(update, context, plan)
    published = activities.create(
        context.db, plan, created_by=context.known_member.id, now=context.now(), weeks=draft(context).get("weeks", 1)
    )
    context.answers.pop(AREA, None)
    await query(update).answer("✅")
    text = _("✅ Published: {title}.\nShare this link on posters and in other chats:\n{link}").format(
        title=escape(plan.title), link=link(context.bot.username, published[0].id)
    )
    await edit(update, text, done_row(context))
    return ConversationHandler.END


def done_row(context: WijkContext) -> InlineKeyboardMarkup:
    """After publishing or changing: ⬅️ Back to 📣 Organise, and 🏠 Menu."""
    return inline([nav_row(context.gettext, callbacks.pack("org", "menu"))])


async def save_changes(update: Update, context: WijkContext, plan: Plan) -> str | int:
    """A published activity changed: store it and tell everyone on its lists (in the morning, at night)."""
    _ = context.gettext
    activity_id = draft(context)["activity_id"]
    current = activities.get(context.db, activity_id)
    changes = {
        field: getattr(plan, field)
        for field in sorted(activities.CHANGEABLE)
        if current is not None and getattr(plan, field) != getattr(current, field)
    }
    if current is not None and changes:
        result = activities.update(context.db, activity_id, now=context.now(), timing=context.timing, **changes)
        if result.coming is not None:  # fewer places than people coming: ask again
            draft(context)["editing"] = True
            ngettext = i18n.plural(context.language)
            error = ngettext(
                "{count} person is already coming. There must be at least that many places.",
                "{count} people are already coming. There must be at least that many places.",
                result.coming,
            ).format(count=result.coming)
            return await ask(update, context, PLACES, error)
        current = result.activity
    context.answers.pop(AREA, None)
    await query(update).answer()
    if current is None or not current.open_at(context.now()):
        await edit(update, _("This activity can no longer be changed."), done_row(context))
        return ConversationHandler.END
    if not changes:
        text = _("Nothing was changed.")
    elif current.going + current.offered + current.waiting:
        context.wake_sender()
        text = _("✅ Changed. Everyone who comes or waits gets a message.")
    else:
        text = _("✅ Changed.")
    await edit(update, text, done_row(context))
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def change_activity_button(update: Update, context: WijkContext) -> object:
    """✏️ Change on a published activity: the same steps, filled in with what it is now."""
    _ = context.gettext
    activity = activities.get(context.db, callbacks.parse(query(update).data).int_arg(0))
    if activity is None or activity.cancelled or activity.starts_at <= context.now():
        await query(update).answer(_("This activity can no longer be changed."))
        return ConversationHandler.END
    tz = context.settings.timezone
    start, end = activity.starts_at.astimezone(tz), activity.ends_at.astimezone(tz)
    context.answers[AREA] = {
        "activity_id": activity.id,
        TITLE: activity.title,
        DESCRIPTION: activity.description,
        DAY: start.date().isoformat(),
        START: start.time().isoformat("minutes"),
        END: end.time().isoformat("minutes"),
        PLACE: activity.place,
        PLACES: activity.capacity,
        COST: activity.cost_cents,
        BRING: activity.bring,
    }
    return await change_button(update, context)


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is published or changed."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. Nothing was published or changed."), AREA)


@requires(Need.ORGANISER)
async def new_activity_button(update: Update, context: WijkContext) -> str:
    """📅 New activity from 📣 Organise."""
    context.answers[AREA] = {}
    return await ask(update, context, TITLE)


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def handlers() -> list[BaseHandler]:
    # Each step answers only its own buttons: an old button of another step, or forged data, is stale.
    states: States = {
        step: [
            MessageHandler(typed_text(), answering(step)),
            CallbackQueryHandler(pick_button, pattern=on(step)),
            CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", step)),
        ]
        for step in ORDER
    }
    states[DAY].append(CallbackQueryHandler(days_button, pattern=on("days")))
    states[PREVIEW] = [
        CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", PREVIEW)),
        CallbackQueryHandler(publish_button, pattern=on("publish")),
        CallbackQueryHandler(change_button, pattern=on("change")),
        CallbackQueryHandler(edit_button, pattern=on("edit")),
        CallbackQueryHandler(preview_button, pattern=on("preview")),
        CallbackQueryHandler(repeat_button, pattern=on("repeat")),
        CallbackQueryHandler(weeks_button, pattern=on("weeks")),
        CallbackQueryHandler(leave, pattern=on("stop")),
    ]
    return [
        persistent_conversation(
            "plan_activity",
            entry_points=[
                CallbackQueryHandler(new_activity_button, pattern=callbacks.pattern("org", "newact")),
                CallbackQueryHandler(change_activity_button, pattern=callbacks.pattern("org", "actedit")),
            ],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
            explanations=EXPLANATIONS,
        )
    ]
