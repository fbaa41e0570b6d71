"""📣 Organise → 🙋 Shifts → ➕ New shift: task, what to do, day, time, places, how many weeks; a preview; ✅ Publish.

Weekly shifts become one shift a date, so each can be taken on its own. ⬅️ Back goes one step back; from the
preview ✏️ Change jumps to one step and comes back. Nothing is published before ✅.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot import callbacks, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation, planning_steps
from bot.formatting import format_clock, format_day, format_when
from bot.i18n import N_, Translate
from bot.incoming import query, tapped, text
from bot.keyboards import button, in_rows, inline, nav_row
from bot.replies import edit, show
from storage import shifts

AREA = "shiftorg"
TASK, DESCRIPTION, DAY, TIME, PLACES, WEEKS = "task", "description", "day", "time", "places", "weeks"
ORDER = (TASK, DESCRIPTION, DAY, TIME, PLACES, WEEKS)
PREVIEW = "preview"
SPANS = ("0900-1300", "1300-1700", "1700-2100")  # the time buttons: common shifts
REPEATS = (1, 4, 8, 12)
MAX_TASK, MAX_DESCRIPTION, MAX_PLACES = 40, 300, 50
_SPAN = re.compile(r"^\s*(.+?)\s*(?:-|–|—|tot|to)\s*(.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    question: str
    read: Callable[[str, WijkContext], object]  # typed text -> value to keep; raises validation.Invalid
    choices: Callable[[Translate, WijkContext], list[InlineKeyboardButton]]
    label: str  # the answer's name on the ✏️ Change screen


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


def span_label(span: str) -> str:
    return f"{int(span[:2])}:{span[2:4]}–{int(span[5:7])}:{span[7:]}"


def read_span(typed: str, context: WijkContext) -> str:
    """A time span typed like 13:00-17:00, kept as "1300-1700"; it must end after it starts, and not have passed."""
    match = _SPAN.match(validation.western(typed))
    if not match:
        raise validation.Invalid(N_("Please type the time like 13:00-17:00."))
    start, end = (validation.clock_time(part) for part in match.groups())
    if end <= start:
        raise validation.Invalid(N_("The end must be after the start."))
    span = f"{start:%H%M}-{end:%H%M}"
    if moment(context, draft(context)[DAY], span[:4]) <= context.now():
        raise validation.Invalid(N_("That time has passed. Please choose a later time."))
    return span


def read_places(typed: str, context: WijkContext) -> int:
    """How many volunteers: 1 to MAX_PLACES (a shift has no "no limit", so the hint names the range)."""
    try:
        number = validation.places(typed)
    except validation.Invalid:
        number = 0
    if not 1 <= number <= MAX_PLACES:
        raise validation.Invalid(N_("Please type a number from 1 to {maximum}."), maximum=MAX_PLACES)
    return number


def tap_only(typed: str, context: WijkContext) -> object:
    """A step answered with a button only."""
    raise validation.Invalid(N_("Please tap one of the buttons."))


def weeks_label(_: Translate, language: str, weeks: int) -> str:
    return (
        _("Once") if weeks == 1 else i18n.plural(language)("{weeks} week", "{weeks} weeks", weeks).format(weeks=weeks)
    )


STEPS: dict[str, Step] = {
    TASK: Step(
        N_("What is the task? For example Bar or Reception. At most 40 characters."),
        lambda typed, c: validation.one_line(typed, MAX_TASK, N_("Please type the name of the task.")),
        lambda _, c: [],
        N_("Task"),
    ),
    DESCRIPTION: Step(
        N_("What does a volunteer do? Write a few short sentences."),
        lambda typed, c: validation.lines(typed, MAX_DESCRIPTION, N_("Please write a few words about the task.")),
        lambda _, c: [],
        N_("Description"),
    ),
    DAY: Step(
        N_("Which day? Tap a day, or type it like 12-12 or 12-12-2026."),
        lambda typed, c: validation.day(typed, today(c)).isoformat(),
        lambda _, c: [
            *(
                button(format_day(d, c.language), AREA, DAY, d.strftime("%Y%m%d"))
                for d in (today(c) + timedelta(days=n) for n in range(7))
            ),
            button("📆 " + _("Another day"), AREA, DAY, "other"),
        ],
        N_("Day"),
    ),
    TIME: Step(
        N_("What time? Tap a time, or type it like 13:00-17:00."),
        read_span,
        lambda _, c: [button(span_label(span), AREA, TIME, span) for span in SPANS],
        N_("Time"),
    ),
    PLACES: Step(
        N_("How many volunteers are needed? Tap a number, or type it."),
        read_places,
        lambda _, c: [button(str(n), AREA, PLACES, n) for n in range(1, 6)],
        N_("Places"),
    ),
    WEEKS: Step(
        N_("Once, or every week at the same time? Each week can be taken on its own."),
        tap_only,
        lambda _, c: [button(weeks_label(_, c.language, n), AREA, WEEKS, n) for n in REPEATS],
        N_("Weeks"),
    ),
}


def moment(context: WijkContext, day: str, at: str) -> datetime:
    """A day and a time ("1300") as organisers mean them (local), in UTC."""
    local = datetime.combine(date.fromisoformat(day), time(int(at[:2]), int(at[2:])), context.settings.timezone)
    return local.astimezone(UTC)


async def ask(update: Update, context: WijkContext, step: str, error: str = "") -> str:
    _ = context.gettext
    spec = STEPS[step]
    rows = in_rows(spec.choices(_, context), 3 if step in (PLACES, TIME) else 2)
    rows.append(nav_row(_, callbacks.pack(AREA, "back", step)))
    await show(update, context, f"{error}\n\n{_(spec.question)}".strip(), inline(rows))
    return step


async def next_after(update: Update, context: WijkContext, step: str) -> str:
    """The next question, or back to the preview when one answer was being changed."""
    plan = draft(context)
    if step == DAY and TIME in plan and moment(context, plan[DAY], plan[TIME][:4]) <= context.now():
        return await ask(update, context, TIME)
    if plan.get("editing"):
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
    """A quick answer: a day, a time, a number of places or of weeks."""
    _ = context.gettext
    args = tapped(update)
    step, value = args.action, args.args[0]
    if value == "other":
        rows = [nav_row(_, callbacks.pack(AREA, "days"))]
        await show(update, context, "📆 " + _("Type the day like 12-12 or 12-12-2026."), inline(rows))
        return DAY
    if step == TIME and moment(context, draft(context)[DAY], str(value)[:4]) <= context.now():
        return await ask(update, context, TIME, _("That time has passed. Please choose a later time."))
    if step == WEEKS and value not in REPEATS:
        raise callbacks.MalformedCallback(query(update).data)
    draft(context)[step] = value.isoformat() if isinstance(value, date) else value
    return await next_after(update, context, step)


@requires(Need.ORGANISER)
async def days_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back from typing another day: the day buttons again."""
    return await ask(update, context, DAY)


@requires(Need.ORGANISER)
async def back_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back: one step back; from the first step out of the flow; while changing one answer, to the preview."""
    step = tapped(update).str_arg(0)
    if step == PREVIEW:
        return await ask(update, context, ORDER[-1])
    if draft(context).get("editing"):
        return await preview(update, context)
    index = ORDER.index(step)
    if index == 0:
        return await leave(update, context)
    return await ask(update, context, ORDER[index - 1])


def planned(context: WijkContext) -> shifts.Plan:
    plan = draft(context)
    return shifts.Plan(
        task=plan[TASK],
        description=plan[DESCRIPTION],
        starts_at=moment(context, plan[DAY], plan[TIME][:4]),
        ends_at=moment(context, plan[DAY], plan[TIME][5:]),
        places=plan[PLACES],
    )


async def preview(update: Update, context: WijkContext) -> str:
    """The shift as members will see it, and what to do with it."""
    _ = context.gettext
    plan, weeks = planned(context), draft(context)[WEEKS]
    draft(context)["editing"] = False
    tz = context.settings.timezone
    lines = [
        _("This is how members will see it:"),
        "",
        f"🙋 <b>{escape(plan.task)}</b>",
        "🕑 "
        + format_when(plan.starts_at, context.language, tz)
        + "–"
        + format_clock(plan.ends_at, context.language, tz),
        "",
        escape(plan.description),
        "",
        _("Places: {count}").format(count=plan.places),
    ]
    if weeks > 1:
        lines.append("🔁 " + _("Every week, {weeks} times.").format(weeks=weeks))
    rows = [
        [button("✅ " + _("Yes, publish"), AREA, "publish")],
        [button("✏️ " + _("Change"), AREA, "change"), button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW)),
    ]
    await show(update, context, "\n".join(lines), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: which answer?"""
    _ = context.gettext
    fields = [button(_(STEPS[step].label), AREA, "edit", step) for step in ORDER]
    rows = in_rows(fields, 3) + [nav_row(_, callbacks.pack(AREA, "preview"))]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def edit_button(update: Update, context: WijkContext) -> str:
    draft(context)["editing"] = True
    return await ask(update, context, tapped(update).str_arg(0))


@requires(Need.ORGANISER)
async def preview_button(update: Update, context: WijkContext) -> str:
    return await preview(update, context)


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> str | int:
    """✅ Yes, publish: members can take the shift now."""
    _ = context.gettext
    plan = planned(context)
    if plan.starts_at <= context.now():
        draft(context)["editing"] = True
        return await ask(update, context, TIME, _("That time has passed. Please choose a later time."))
    weeks = draft(context)[WEEKS]
    shifts.create(
        context.db,
        plan,
        created_by=context.known_member.id,
        now=context.now(),
        weeks=weeks,
        tz=context.settings.timezone,
    )
    context.answers.pop(AREA, None)
    await query(update).answer("✅")
    ngettext = i18n.plural(context.language)
    done = ngettext("✅ Published: {count} shift.", "✅ Published: {count} shifts.", weeks).format(count=weeks)
    await edit(update, done + "\n" + _("Members see it under 🙌 Take part."), inline([nav_row(_, menu_data())]))
    return ConversationHandler.END


def menu_data() -> str:
    return callbacks.pack(AREA, "menu")


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is published."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was published."), AREA)


@requires(Need.ORGANISER)
async def new_shift_button(update: Update, context: WijkContext) -> str:
    """➕ New shift from 🙋 Shifts."""
    context.answers[AREA] = {}
    return await ask(update, context, TASK)


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def handlers() -> list[BaseHandler]:
    states = planning_steps(AREA, ORDER, answering, pick_button, back_button)
    states[DAY].append(CallbackQueryHandler(days_button, pattern=on("days")))
    states[PREVIEW] = [
        CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", PREVIEW)),
        CallbackQueryHandler(publish_button, pattern=on("publish")),
        CallbackQueryHandler(change_button, pattern=on("change")),
        CallbackQueryHandler(edit_button, pattern=on("edit")),
        CallbackQueryHandler(preview_button, pattern=on("preview")),
        CallbackQueryHandler(leave, pattern=on("stop")),
    ]
    return [
        persistent_conversation(
            "plan_shift",
            entry_points=[CallbackQueryHandler(new_shift_button, pattern=on("new"))],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
        )
    ]
