"""📣 Organise → 📅 New activity: step by step, a preview exactly as members see it, then publish.

Each step asks one thing; quick answers are buttons, the rest is typed and
checked. ⬅️ Back goes one step back; from the preview, ✏️ Change jumps to one
step and comes back. Nothing is published before ✅.

A member proposing an activity to host (🙌 Take part → 💡, issue 14) takes the same steps: the draft says
so (PROPOSING). Then only rooms free at that time are offered, a time at which the chosen room is not free
is refused (storage/rooms.py's rule), there is no weekly repeat, and ✅ sends it to the organisers
(storage/hosting.py) instead of publishing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot import activity_text, callbacks, i18n, validation
from bot.access import Need, allowed, requires
from bot.context import Handler, R, WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation, planning_steps
from bot.formatting import format_day
from bot.i18n import N_, Translate
from bot.incoming import query, text
from bot.keyboards import button, in_rows, inline, nav_row
from bot.never_stuck import EXPLAIN
from bot.replies import edit, show
from handlers.activities import link
from handlers.activity_admin import show_admin_card
from storage import activities, hosting, rooms
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
ROOM = "room"  # the draft's room id, when the place is one of the building's rooms
PROPOSING = "proposing"  # in the draft: a member proposes an activity to host (issue 14)
AGAIN = "again"  # in the draft: the proposal an organiser asked about, changed to send it again
TIMES = (DAY, START, END)
ROOM_NOT_FREE = N_("This room is not free at that time. Please choose another place or time.")
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


def proposing(context: WijkContext) -> bool:
    """Is this a member's proposal to host an activity, rather than an organiser's plan?"""
    return bool(context.answers.get(AREA, {}).get(PROPOSING))


def planner(handler: Handler[R]) -> Handler[R | int]:
    """For a step both take: organisers plan; a member takes the same steps to propose an activity."""

    @functools.wraps(handler)
    async def checked(update: Update, context: WijkContext) -> R | int:
        if not await allowed(update, context, Need.ACTIVE if proposing(context) else Need.ORGANISER):
            return ConversationHandler.END
        return await handler(update, context)

    return checked


def organisers_only(context: WijkContext) -> None:
    """A button of the organiser's flow (publish, repeat) in a member's proposal no longer works."""
    if proposing(context):
        raise callbacks.StaleButton("not in a member's proposal")


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


def room_choices(context: WijkContext) -> list[InlineKeyboardButton]:
    """The building's rooms (storage/rooms.py): an activity in one occupies it, so members cannot rent it then.
    A member proposing sees only the rooms free at the time they chose."""
    found = rooms.listed(context.db, 0, only_active=True).items
    if proposing(context):
        found = [room for room in found if free_at_that_time(context, room)]
    return [button("🚪 " + room.name, AREA, "room", room.id) for room in found]


def free_at_that_time(context: WijkContext, room: rooms.Room) -> bool:
    """Is the room free from the draft's start to its end, by storage/rooms.py's rule (open then, enough
    notice, nothing booked or planned there, cleaning time included)?"""
    plan, tz = draft(context), context.settings.timezone
    start, end = moment(context, plan[DAY], plan[START]), moment(context, plan[DAY], plan[END])
    occupied = rooms.busy(context.db, room.id, date.fromisoformat(plan[DAY]), tz)
    return room.active and rooms.fits(room, start, end, tz, context.now(), occupied)


def room_refused(context: WijkContext) -> bool:
    """A member's proposal in a room that is not free at its time (once day, start and end make sense).
    Organisers are not held to it here: publishing checks the room (activities.RoomTaken)."""
    plan = draft(context)
    if not (proposing(context) and plan.get(ROOM) and all(step in plan for step in TIMES)):
        return False
    if plan[END] <= plan[START] or moment(context, plan[DAY], plan[START]) <= context.now():
        return False  # the next question fixes that first (next_after); the room is checked then
    room = rooms.get(context.db, plan[ROOM])
    return room is None or not free_at_that_time(context, room)


def answered(context: WijkContext, step: str, value: object) -> bool:
    """Keep an answer; a place typed or tapped (not a room) means the activity is in no room. A time at which
    the room of a member's proposal is not free is refused: the answer before stays, and False says so."""
    plan = draft(context)
    before = plan.get(step)
    plan[step] = value
    if step == PLACE:
        plan.pop(ROOM, None)
    if step in TIMES and room_refused(context):
        plan[step] = before
        return False
    return True


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
        lambda _, c: [pick("📍 " + c.settings.community_centre, PLACE, "centre"), *room_choices(c)],  # 🏠: menu
        N_("Place"),
    ),
    PLACES: Step(
        N_("How many places are there? Type a number, or tap No limit."),
        lambda text, c: read_places(text, c),
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
    return {PLACE: context.settings.community_centre, PLACES: room_capacity(context), COST: 0, BRING: None}[step]


def room_capacity(context: WijkContext) -> int | None:
    """How many people fit in the chosen room: the most places an activity there has ("No limit" included)."""
    room = rooms.get(context.db, draft(context)[ROOM]) if draft(context).get(ROOM) else None
    return room.capacity if room else None


def read_places(text: str, context: WijkContext) -> int:
    number = validation.places(text)
    most = room_capacity(context)
    if most is not None and number > most:
        raise validation.Invalid(N_("The room has space for at most {count} people."), count=most)
    return number


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
        most = room_capacity(context)
        if step == PLACE and most is not None and (plan.get(PLACES) is None or plan[PLACES] > most):
            return await ask(update, context, PLACES)  # a room chosen later: the places must fit in it
        if step == DAY and moment(context, plan[DAY], plan[START]) <= context.now():
            return await ask(update, context, START)
        if step in (DAY, START) and plan[END] <= plan[START]:
            return await ask(update, context, END)
        return await preview(update, context)
    later = ORDER[ORDER.index(step) + 1 :]
    return await ask(update, context, later[0]) if later else await preview(update, context)


def answering(step: str) -> Callable:
    """The handler for a typed answer to one step."""

    @planner
    async def typed(update: Update, context: WijkContext) -> object:
        try:
            kept = answered(context, step, STEPS[step].read(text(update), context))
        except validation.Invalid as invalid:
            return await ask(update, context, step, invalid.text(context.gettext))
        if not kept:
            return await ask(update, context, step, context.gettext(ROOM_NOT_FREE))
        return await next_after(update, context, step)

    typed.__name__ = f"{step}_text"
    return typed


@planner
async def pick_button(update: Update, context: WijkContext) -> object:
    """A quick answer: a day, the community centre, no limit, free or nothing to bring."""
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    step, value = tapped.action, tapped.args[0]
    if value == "other":  # another day: typed
        back_to_days = nav_row(_, callbacks.pack(AREA, "days"), EXPLAIN)
        await show(update, context, "📆 " + _("Type the day like 12-12 or 12-12-2026."), inline([back_to_days]))
        return DAY
    if not answered(context, step, picked_value(context, step, value)):
        return await ask(update, context, step, _(ROOM_NOT_FREE))
    return await next_after(update, context, step)


@planner
async def room_button(update: Update, context: WijkContext) -> object:
    """🚪 One of the building's rooms as the place: the activity occupies it (checked again when published).
    In a member's proposal the room must be free then (it was when the buttons were made)."""
    room = rooms.get(context.db, callbacks.parse(query(update).data).int_arg(0))
    if room is None or not room.active:
        return await ask(update, context, PLACE)
    if proposing(context) and not free_at_that_time(context, room):
        return await ask(update, context, PLACE, context.gettext(ROOM_NOT_FREE))
    answered(context, PLACE, room.name)
    draft(context)[ROOM] = room.id
    return await next_after(update, context, PLACE)


@planner
async def days_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back from typing another day: the day buttons again."""
    return await ask(update, context, DAY)


@planner
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
        room_id=plan.get(ROOM),
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
    draft(context)["editing"] = False
    if proposing(context):
        return await proposal_preview(update, context, plan)
    weeks = draft(context).get("weeks", 1)
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


async def proposal_preview(update: Update, context: WijkContext, plan: Plan) -> str:
    """A member's proposal as members will see it once published, with them as host; then ✅ Send."""
    _ = context.gettext
    member = context.known_member
    shown = Activity(id=0, cancelled=False, created_by=None, host_id=member.id, **vars(plan))
    host = activity_text.host_name(_, member.first_name)
    text = (
        _("When an organiser publishes it, members will see this:")
        + "\n\n"
        + activity_text.card(_, shown, context.language, context.settings.timezone, host=host)
    )
    rows = [
        [button("✅ " + _("Send to the organisers"), AREA, "send")],
        [button("✏️ " + _("Change"), AREA, "change")],
        [button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW), EXPLAIN),
    ]
    await show(update, context, text, inline(rows))
    return PREVIEW


@planner
async def send_button(update: Update, context: WijkContext) -> str | int:
    """✅ Send to the organisers: the member's proposal is stored and every organiser gets it (storage/hosting.py).
    The flow ends here, so a second tap sends nothing."""
    _ = context.gettext
    if not proposing(context):
        raise callbacks.StaleButton("no proposal to send")
    plan = planned(context)
    draft(context)["editing"] = True
    if plan.starts_at <= context.now():
        return await ask(update, context, START, _("That time has passed. Please choose a later time."))
    if room_refused(context):  # taken since the room was chosen
        return await ask(update, context, PLACE, _(ROOM_NOT_FREE))
    again = draft(context).get(AGAIN)
    context.answers.pop(AREA, None)
    sent = hosting.propose(context.db, context.known_member.id, plan, context.now(), again=again)
    rows = [[button("📋 " + _("My proposals"), "host", "mine", 0)], nav_row(_, callbacks.pack("host", "menu"))]
    if sent is None:  # sent again meanwhile, from another message: nothing changed
        await edit(update, _("This proposal can no longer be changed."), inline(rows))
        return ConversationHandler.END
    context.wake_sender()
    await query(update).answer("✅")
    done = _("✅ Sent: {title}.\nThe organisers get your proposal. You will hear from them here.")
    await edit(update, done.format(title=escape(plan.title)), inline(rows))
    return ConversationHandler.END


@planner
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: which answer?"""
    _ = context.gettext
    steps = ORDER  # of a published activity too: everyone on its lists is told
    fields = [button(_(STEPS[step].label), AREA, "edit", step) for step in steps]
    rows = in_rows(fields, 3) + [nav_row(_, callbacks.pack(AREA, "preview"), EXPLAIN)]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@planner
async def edit_button(update: Update, context: WijkContext) -> str:
    """One answer to change; then back to the preview."""
    step = callbacks.parse(query(update).data).str_arg(0)
    draft(context)["editing"] = True
    return await ask(update, context, step)


@planner
async def preview_button(update: Update, context: WijkContext) -> str:
    return await preview(update, context)


@requires(Need.ORGANISER)
async def repeat_button(update: Update, context: WijkContext) -> str:
    """🔁 Repeat weekly: how many times in all."""
    organisers_only(context)
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
    organisers_only(context)
    weeks = callbacks.parse(query(update).data).int_arg(0)
    if weeks not in WEEKS:
        raise callbacks.MalformedCallback(query(update).data)
    draft(context)["weeks"] = weeks
    return await preview(update, context)


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> str | int:
    """✅ Yes, publish: now members can see it and sign up."""
    organisers_only(context)
    _ = context.gettext
    plan = planned(context)
    if plan.starts_at <= context.now():
        draft(context)["editing"] = True
        return await ask(update, context, START, _("That time has passed. Please choose a later time."))
    if draft(context).get("activity_id"):
        return await save_changes(update, context, plan)
    try:
        published = activities.create(
            context.db,
            plan,
            created_by=context.known_member.id,
            now=context.now(),
            weeks=draft(context).get("weeks", 1),
            tz=context.settings.timezone,
        )
    except activities.RoomTaken as taken:
        return await room_taken(update, context, taken)
    context.answers.pop(AREA, None)
    await query(update).answer("✅")
    text = _("✅ Published: {title}.\nShare this link on posters and in other chats:\n{link}").format(
        title=escape(plan.title), link=link(context.bot.username, published[0].id)
    )
    await edit(update, text, done_row(context))
    return ConversationHandler.END


async def room_taken(update: Update, context: WijkContext, taken: activities.RoomTaken) -> str:
    """The room is booked or in use then: nothing was published or changed; the place is asked again."""
    _ = context.gettext
    days = ", ".join(
        format_day(start.astimezone(context.settings.timezone).date(), context.language) for start in taken.starts
    )
    draft(context)["editing"] = True
    return await ask(
        update, context, PLACE, _("The room is in use then: {days}. Choose another place or time.").format(days=days)
    )


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
        try:
            result = activities.update(context.db, activity_id, now=context.now(), timing=context.timing, **changes)
        except activities.RoomTaken as taken:
            return await room_taken(update, context, taken)
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
        ROOM: activity.room_id,
        PLACES: activity.capacity,
        COST: activity.cost_cents,
        BRING: activity.bring,
    }
    return await change_button(update, context)


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is published, changed or sent."""
    _ = context.gettext
    said = _("Stopped. Nothing was sent.") if proposing(context) else _("Stopped. Nothing was published or changed.")
    return await end_conversation(update, context, said, AREA)


@requires(Need.ORGANISER)
async def new_activity_button(update: Update, context: WijkContext) -> str:
    """📅 New activity from 📣 Organise."""
    context.answers[AREA] = {}
    return await ask(update, context, TITLE)


@requires(Need.ACTIVE)
async def propose_button(update: Update, context: WijkContext) -> str:
    """💡 New proposal, from 🙌 Take part → 💡 Propose an activity (handlers/hosting.py): the organiser's steps."""
    context.answers[AREA] = {PROPOSING: True}
    return await ask(update, context, TITLE)


@requires(Need.ACTIVE)
async def again_button(update: Update, context: WijkContext) -> object:
    """✏️ Change and send again, on a proposal an organiser asked about: the same steps, filled in."""
    _ = context.gettext
    proposal = hosting.get(context.db, callbacks.parse(query(update).data).int_arg(0))
    if proposal is None or proposal.member_id != context.known_member.id or proposal.status != hosting.ASKED:
        await query(update).answer(_("This proposal can no longer be changed."))
        return ConversationHandler.END
    plan, tz = proposal.plan, context.settings.timezone
    start, end = plan.starts_at.astimezone(tz), plan.ends_at.astimezone(tz)
    context.answers[AREA] = {
        PROPOSING: True,
        AGAIN: proposal.id,
        TITLE: plan.title,
        DESCRIPTION: plan.description,
        DAY: start.date().isoformat(),
        START: start.time().isoformat("minutes"),
        END: end.time().isoformat("minutes"),
        PLACE: plan.place,
        ROOM: plan.room_id,
        PLACES: plan.capacity,
        COST: plan.cost_cents,
        BRING: plan.bring,
    }
    return await preview(update, context)


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def handlers() -> list[BaseHandler]:
    states = planning_steps(AREA, ORDER, answering, pick_button, back_button)
    states[DAY].append(CallbackQueryHandler(days_button, pattern=on("days")))
    states[PLACE].append(CallbackQueryHandler(room_button, pattern=on("room")))
    states[PREVIEW] = [
        CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", PREVIEW)),
        CallbackQueryHandler(publish_button, pattern=on("publish")),
        CallbackQueryHandler(send_button, pattern=on("send")),
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
                CallbackQueryHandler(propose_button, pattern=callbacks.pattern("host", "new")),
                CallbackQueryHandler(again_button, pattern=callbacks.pattern("host", "again")),
            ],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
            explanations=EXPLANATIONS,
        )
    ]
