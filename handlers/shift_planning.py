"""📣 Organise → 🙋 Shifts → ➕ New shift: task, what to do, day, time, places, how many weeks; a preview; ✅ Publish.

Weekly shifts become one shift a date, so each can be taken on its own. ⬅️ Back goes one step back; from the
preview ✏️ Change jumps to one step and comes back. Nothing is published before ✅.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot import callbacks, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import format_clock, format_day, format_when
from bot.i18n import N_, Translate
from bot.incoming import query, tapped
from bot.keyboards import button, inline, nav_row
from bot.replies import edit, show
from bot.step_flow import Step, StepFlow, no_choices, tap_only
from handlers.shift_admin import menu_button
from storage import shifts

AREA = "shiftorg"
TASK, DESCRIPTION, DAY, TIME, PLACES, WEEKS = "task", "description", "day", "time", "places", "weeks"
SPANS = ("0900-1300", "1300-1700", "1700-2100")  # the time buttons: common shifts
REPEATS = (1, 4, 8, 12)
MAX_TASK, MAX_DESCRIPTION, MAX_PLACES = 40, 300, 50
_SPAN = re.compile(r"^\s*(.+?)\s*(?:-|–|—|tot|to)\s*(.+?)\s*$", re.IGNORECASE)


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
    if moment(context, FLOW.draft(context)[DAY], span[:4]) <= context.now():
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


def time_passed(context: WijkContext) -> str | None:
    """After a new day: the time again when it has passed on that day."""
    plan = FLOW.draft(context)
    return TIME if TIME in plan and moment(context, plan[DAY], plan[TIME][:4]) <= context.now() else None


def weeks_label(_: Translate, language: str, weeks: int) -> str:
    ngettext = i18n.plural(language)
    return _("Once") if weeks == 1 else ngettext("{weeks} week", "{weeks} weeks", weeks).format(weeks=weeks)


STEPS: dict[str, Step] = {
    TASK: Step(
        N_("What is the task? For example Bar or Reception. At most 40 characters."),
        lambda typed, c: validation.one_line(typed, MAX_TASK, N_("Please type the name of the task.")),
        no_choices,
        N_("Task"),
    ),
    DESCRIPTION: Step(
        N_("What does a volunteer do? Write a few short sentences."),
        lambda typed, c: validation.lines(typed, MAX_DESCRIPTION, N_("Please write a few words about the task.")),
        no_choices,
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
        recheck=time_passed,
    ),
    TIME: Step(
        N_("What time? Tap a time, or type it like 13:00-17:00."),
        read_span,
        lambda _, c: [button(span_label(span), AREA, TIME, span) for span in SPANS],
        N_("Time"),
        per_row=3,
    ),
    PLACES: Step(
        N_("How many volunteers are needed? Tap a number, or type it."),
        read_places,
        lambda _, c: [button(str(n), AREA, PLACES, n) for n in range(1, 6)],
        N_("Places"),
        per_row=3,
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


@requires(Need.ORGANISER)
async def pick_button(update: Update, context: WijkContext) -> object:
    """A quick answer: a day, a time, a number of places or of weeks."""
    _ = context.gettext
    args = tapped(update)
    step, value = args.action, args.args[0]
    if value == "other":
        return await FLOW.another_day(update, context)
    if step == TIME and moment(context, FLOW.draft(context)[DAY], str(value)[:4]) <= context.now():
        return await FLOW.ask(update, context, TIME, _("That time has passed. Please choose a later time."))
    if step == WEEKS and value not in REPEATS:
        raise callbacks.MalformedCallback(query(update).data)
    return await FLOW.answer(update, context, step, value.isoformat() if isinstance(value, date) else value)


def planned(context: WijkContext) -> shifts.Plan:
    plan = FLOW.draft(context)
    return shifts.Plan(
        task=plan[TASK],
        description=plan[DESCRIPTION],
        starts_at=moment(context, plan[DAY], plan[TIME][:4]),
        ends_at=moment(context, plan[DAY], plan[TIME][5:]),
        places=plan[PLACES],
    )


async def preview(update: Update, context: WijkContext) -> None:
    """The shift as members will see it, and what to do with it."""
    _ = context.gettext
    plan, weeks = planned(context), FLOW.draft(context)[WEEKS]
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
    publish = button("✅ " + _("Yes, publish"), AREA, "publish")
    await show(update, context, "\n".join(lines), inline(FLOW.preview_rows(_, publish)))


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> str | int:
    """✅ Yes, publish: members can take the shift now."""
    _ = context.gettext
    plan = planned(context)
    if plan.starts_at <= context.now():
        return await FLOW.change(update, context, TIME, _("That time has passed. Please choose a later time."))
    weeks = FLOW.draft(context)[WEEKS]
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


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


# ⬅️ Back at the first step: 🙋 Shifts again, as the other flows go back to where ➕ was
FLOW = StepFlow(AREA, STEPS, preview=preview, stopped=N_("Stopped. Nothing was published."), out=menu_button, day=DAY)


def handlers() -> list[BaseHandler]:
    states = FLOW.states(pick_button, CallbackQueryHandler(publish_button, pattern=on("publish")))
    return [FLOW.conversation("plan_shift", states)]
