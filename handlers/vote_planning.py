"""📣 Organise → 🗳️ Votes → ➕ New vote: step by step, a preview exactly as members see it, then open it.

As handlers/activity_planning.py: each step asks one thing; quick answers are
buttons, the rest is typed and checked. ⬅️ Back goes one step back; from the
preview, ✏️ Change jumps to one step and comes back. Nothing is opened before ✅.
A member's proposal can be put to a vote from its card (vplan:prop), and a
waiting proposal can become a project of a neighbourhood budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from babel.numbers import format_percent
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, i18n, validation, vote_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_day, format_when
from bot.i18n import N_, Translate
from bot.incoming import query, text
from bot.keyboards import button, in_rows, inline, nav_row, paged, typed_text
from bot.never_stuck import EXPLAIN
from bot.replies import edit, show
from bot.timing import QUIET_FROM, QUIET_UNTIL
from storage import members, proposals, votes
from storage.members import ACTIVE
from storage.tally import ABSTAIN, AGAINST, BUDGET, CHOICE, FOR, FOR_AGAINST, HALF, TWO_THIRDS
from storage.votes import Option, Plan, PlannedOption, Vote

AREA = "vplan"
KIND, TITLE, BODY, OPTIONS, BUDGET_TOTAL = "kind", "title", "body", "options", "budget"
PROJECTS, AMOUNT, NOTE = "projects", "amount", "note"  # a budget's projects: a name, then its amount and a note
OPENS, OPEN_AT, CLOSES, CLOSE_AT = "opens", "openat", "closes", "closeat"
QUORUM, MAJORITY, SECRET, RESULTS = "quorum", "majority", "secret", "results"
PREVIEW = "preview"
PROJECT = "project"  # the budget project being added: its name, then its amount, then its note
PROPOSAL = "proposal"  # the member's proposal this vote is about
NOW = "now"
MAX_TITLE = validation.MAX_TITLE
MAX_BODY = 2000
MAX_OPTION = 60
MAX_PROJECT = validation.MAX_TITLE  # as long as a proposal's title: one can become a project
MIN_OPTIONS, MAX_OPTIONS, MAX_PROJECTS = 2, 6, 12
MAX_BUDGET_EUROS = 1_000_000
# What ❓ says on each step (bot/never_stuck.py).
EXPLANATIONS = {
    KIND: N_(
        "✅ For / against: yes or no.\n🔢 One choice: pick one of a few options.\n"
        "💶 Budget: choose projects that fit the money."
    ),
    TITLE: N_("The title members see in the list of votes.\nKeep it short and clear."),
    BODY: N_("Explain in plain words what members vote on.\nWhat happens when it is adopted?"),
    OPTIONS: N_("Type one option and send it. Then type the next one.\nWhen you have 2 to 6, tap ✔️ Done."),
    BUDGET_TOTAL: N_("The money members can divide, in euros.\nType a number like 5000."),
    PROJECTS: N_(
        "Type the name of one project. Then you type what it costs.\nTap ✔️ Done when all projects are on the list."
    ),
    AMOUNT: N_("Type what this project costs in euros, like 750."),
    NOTE: N_("A short note helps members choose: can it be done, and how?\nNo note? Tap ⏭️ No note."),
    OPENS: N_("When can members start to vote?\nTap ▶️ Now, or tap a day."),
    OPEN_AT: N_("Type the time the vote opens, like 09:00."),
    CLOSES: N_("The last day members can vote. Tap a day."),
    CLOSE_AT: N_("Type the time the vote closes, like 20:00.\nNot at night: from 08:00 to 21:00."),
    QUORUM: N_("How many members must vote for the result to count.\nDo fewer vote? Then the result does not count."),
    MAJORITY: N_("More than half: most votes win.\nTwo thirds: at least 2 of every 3 votes must be yes."),
    SECRET: N_("🔒 Secret: nobody sees who voted what.\n👁️ Open: organisers see who voted what."),
    RESULTS: N_(
        "🙈 Hidden: everyone sees the result at the close.\n📊 Visible: members see the count during the vote."
    ),
    PREVIEW: N_("This is what members will see.\n✏️ Change fixes one answer.\nNothing opens until you tap ✅."),
}
SHORTEST = timedelta(hours=1)  # a vote is open at least this long
QUORUM_CHOICES = (0, 10, 25, 50)


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


# ----- reading what the organiser types --------------------------------------------------------------


def read_body(typed: str, context: WijkContext) -> str:
    """What members vote on: several lines of at most 2000 characters."""
    return validation.lines(typed, MAX_BODY, N_("Please write what members vote on."))


def not_listed(name: str, listed: list[str]) -> str:
    """An option or project that is not on the list yet (capitals and spaces do not make it another one)."""
    if name.casefold() in (other.casefold() for other in listed):
        raise validation.Invalid(N_("“{name}” is already on the list. Please type another one."), name=escape(name))
    return name


def read_option(typed: str, context: WijkContext) -> str:
    options = draft(context).get(OPTIONS, [])
    if len(options) >= MAX_OPTIONS:
        raise validation.Invalid(
            N_("There can be at most {maximum} options. Tap ✔️ Done, or remove the last one."), maximum=MAX_OPTIONS
        )
    return not_listed(validation.one_line(typed, MAX_OPTION, N_("Please type the option.")), options)


def read_project(typed: str, context: WijkContext) -> str:
    """The name of a new project."""
    room_for_a_project(context)
    name = validation.one_line(typed, MAX_PROJECT, N_("Please type the name of the project."))
    return not_listed(name, [project["label"] for project in draft(context).get(PROJECTS, [])])


def room_for_a_project(context: WijkContext) -> None:
    if len(draft(context).get(PROJECTS, [])) >= MAX_PROJECTS:
        raise validation.Invalid(
            N_("There can be at most {maximum} projects. Tap ✔️ Done, or remove the last one."), maximum=MAX_PROJECTS
        )


def read_budget(typed: str, context: WijkContext) -> int:
    cents = validation.amount(typed, MAX_BUDGET_EUROS, language=context.language)
    if any(project["amount"] > cents for project in draft(context).get(PROJECTS, [])):
        raise validation.Invalid(N_("A project on the list costs more than that. Please type a larger budget."))
    return cents


def read_amount(typed: str, context: WijkContext) -> int:
    """What one project costs: more than 0, and not more than the whole budget."""
    cents = validation.amount(typed, MAX_BUDGET_EUROS, language=context.language)
    budget = draft(context)[BUDGET_TOTAL]
    if cents > budget:
        raise validation.Invalid(
            N_("One project cannot cost more than the whole budget of {budget}."),
            budget=vote_text.money(budget, context.language),
        )
    return cents


def read_note(typed: str, context: WijkContext) -> str:
    if not typed.strip():
        raise validation.Invalid(N_("Please type a short note, or tap ⏭️ No note."))
    return validation.bring(typed)  # one line of at most 200 characters


def read_quorum(typed: str, context: WijkContext) -> int:
    number = typed.strip().rstrip("%").strip()
    if not (number.isascii() and number.isdigit() and int(number) <= 100):
        raise validation.Invalid(N_("Please type a percentage from 0 to 100, like 25."))
    return int(number)


def live_results(live: bool, context: WijkContext) -> bool:
    """Counts that move while a secret vote runs would tell who chose what: its results wait for the close."""
    if live and draft(context).get(SECRET):
        raise validation.Invalid(N_("A secret vote shows its results only at the close. Tap 🙈."))
    return live


def tap_a_button(typed: str, context: WijkContext) -> object:
    """A step answered only with its buttons."""
    raise validation.Invalid(N_("Please tap one of the buttons."))


# ----- times ---------------------------------------------------------------------------------------------


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


def moment(context: WijkContext, day: str, at: str) -> datetime:
    """A day and time as organisers mean them (local), in UTC."""
    local = datetime.combine(date.fromisoformat(day), time.fromisoformat(at), context.settings.timezone)
    return local.astimezone(UTC)


def opening(context: WijkContext) -> datetime:
    plan = draft(context)
    return context.now() if plan[OPENS] == NOW else moment(context, plan[OPENS], plan[OPEN_AT])


def opening_day(context: WijkContext) -> date:
    opens = draft(context).get(OPENS, NOW)
    return today(context) if opens == NOW else date.fromisoformat(opens)


def closing(context: WijkContext) -> datetime:
    plan = draft(context)
    return moment(context, plan[CLOSES], plan[CLOSE_AT])


def read_open_day(typed: str, context: WijkContext) -> str:
    return validation.day(typed, today(context)).isoformat()


def pick_open_day(value: object, context: WijkContext) -> str:
    """▶️ Now, or a day button (from today on: an old button may show a day that has passed)."""
    if value == NOW:
        return NOW
    assert isinstance(value, date)
    if value < today(context):
        raise validation.Invalid(N_("That day has passed. Please choose a day from today on."))
    return value.isoformat()


def read_open_at(typed: str, context: WijkContext) -> str:
    at = validation.clock_time(typed).isoformat("minutes")
    if moment(context, draft(context)[OPENS], at) <= context.now():
        raise validation.Invalid(N_("That time has passed. Please choose a later time."))
    return at


def checked_close_day(day: date, context: WijkContext) -> str:
    if day < max(opening_day(context), today(context)):
        raise validation.Invalid(N_("The vote cannot close before it opens. Please choose a later day."))
    return day.isoformat()


def read_close_day(typed: str, context: WijkContext) -> str:
    return checked_close_day(validation.day(typed, today(context)), context)


def pick_close_day(value: object, context: WijkContext) -> str:
    assert isinstance(value, date)
    return checked_close_day(value, context)


def read_close_at(typed: str, context: WijkContext) -> str:
    """A deadline members must act on never ends at night (UX.md), and a vote is open at least an hour."""
    at = validation.clock_time(typed)
    if not QUIET_UNTIL <= at <= QUIET_FROM:
        raise validation.Invalid(N_("A vote cannot end at night. Please choose a time from 08:00 to 21:00."))
    if moment(context, draft(context)[CLOSES], at.isoformat("minutes")) < opening(context) + SHORTEST:
        raise validation.Invalid(N_("The vote must be open for at least an hour. Please choose a later time."))
    return at.isoformat("minutes")


def times_problem(context: WijkContext) -> tuple[str, str] | None:
    """Before the preview and at ✅: the step to ask again and why, when time has moved on or an answer changed."""
    plan = draft(context)
    if plan[OPENS] != NOW and date.fromisoformat(plan[OPENS]) < today(context):
        return OPENS, N_("That day has passed. Please choose a day from today on.")
    if plan[OPENS] != NOW and opening(context) <= context.now():
        return OPEN_AT, N_("That time has passed. Please choose a later time.")
    if closing(context) <= context.now():
        return CLOSES, N_("That deadline has passed. Please choose a new day and time.")
    if closing(context) < opening(context) + SHORTEST:
        return CLOSES, N_("The vote must be open for at least an hour. Please choose a later deadline.")
    return None


# ----- the steps --------------------------------------------------------------------------------------------


def pick(label: str, step: str, value: str | int) -> InlineKeyboardButton:
    """A quick answer to one step: its button is vplan:<step>:<value>, valid in that step only."""
    return button(label, AREA, step, value)


def day_buttons(context: WijkContext, step: str, first: date) -> list[InlineKeyboardButton]:
    """Seven days from `first`, then 📆 Another day."""
    _ = context.gettext
    days = [first + timedelta(days=n) for n in range(7)]
    labels = [pick(format_day(d, context.language), step, d.strftime("%Y%m%d")) for d in days]
    return labels + [pick("📆 " + _("Another day"), step, "other")]


def quorum_buttons(_: Translate, context: WijkContext) -> list[InlineKeyboardButton]:
    """The usual quorum (the setting) first and marked, then no quorum and a few common ones."""
    usual = context.settings.quorum_percent

    def label(percent: int) -> str:
        said = (
            _("No quorum") if percent == 0 else format_percent(percent / 100, locale=context.language)
        )  # "%10" in Turkish
        return "⭐ " + _("{choice} (usual)").format(choice=said) if percent == usual else said

    percents = [usual, *(percent for percent in QUORUM_CHOICES if percent != usual)]
    return [pick(label(percent), QUORUM, percent) for percent in percents]


def listed_options(_: Translate, context: WijkContext) -> str:
    options = draft(context).get(OPTIONS, [])
    if not options:
        return ""
    lines = [f"{n}. {escape(option)}" for n, option in enumerate(options, start=1)]
    return "\n".join(["🔢 " + _("Options so far:"), *lines])


def listed_projects(_: Translate, context: WijkContext) -> str:
    plan = draft(context)
    language = context.language
    lines = ["💶 " + _("Budget: {amount}").format(amount=vote_text.money(plan[BUDGET_TOTAL], language))]
    projects = plan.get(PROJECTS, [])
    if projects:
        lines.append(_("Projects so far:"))
    for n, project in enumerate(projects, start=1):
        lines.append(f"{n}. {escape(project['label'])} · {vote_text.money(project['amount'], language)}")
        if project["note"]:
            lines.append("   ℹ️ " + escape(project["note"]))
    return "\n".join(lines)


def list_buttons(step: str, minimum: int) -> Callable[[Translate, WijkContext], list[InlineKeyboardButton]]:
    """✔️ Done once there are enough, and ↩️ to take the last one off."""

    def choices(_: Translate, context: WijkContext) -> list[InlineKeyboardButton]:
        listed = draft(context).get(step, [])
        made = [button("➕ " + _("From a proposal"), AREA, "props", 0)] if step == PROJECTS else []
        if len(listed) >= minimum:
            made.append(button("✔️ " + _("Done"), AREA, "done"))
        if listed:
            made.append(button("↩️ " + _("Remove the last one"), AREA, "undo"))
        return made

    return choices


def no_choices(_: Translate, context: WijkContext) -> list[InlineKeyboardButton]:
    return []


@dataclass(frozen=True)
class Step:
    question: str  # may name the project being added: {name}
    label: str  # the field's name on the ✏️ Change screen
    read: Callable[[str, WijkContext], object] = tap_a_button  # typed text -> value to keep; raises Invalid
    choices: Callable[[Translate, WijkContext], list[InlineKeyboardButton]] = no_choices
    pick: Callable[[object, WijkContext], object] = lambda value, context: value  # a quick answer -> value to keep
    shows: Callable[[Translate, WijkContext], str] = lambda _, context: ""  # what is on the list so far


STEPS: dict[str, Step] = {
    KIND: Step(
        N_(
            "🗳️ New vote. What kind of vote is it?\n\n"
            "✅ For / against: yes or no to one proposal.\n"
            "🔢 One choice: members choose one of 2 to 6 options.\n"
            "💶 Neighbourhood budget: members choose projects that fit in a budget."
        ),
        N_("Kind"),
        choices=lambda _, c: [
            pick("✅ " + _("For / against"), KIND, FOR_AGAINST),
            pick("🔢 " + _("One choice"), KIND, CHOICE),
            pick("💶 " + _("Neighbourhood budget"), KIND, BUDGET),
        ],
    ),
    TITLE: Step(
        N_("What is the title of the vote? At most 80 characters."),
        N_("Title"),
        read=lambda typed, c: validation.one_line(typed, MAX_TITLE, N_("Please type a title for the vote.")),
    ),
    BODY: Step(
        N_("What do members vote on? Explain it in a few sentences. At most 2000 characters."),
        N_("Text"),
        read=read_body,
    ),
    OPTIONS: Step(
        N_("Type an option, one at a time. At most 60 characters each. You need 2 to 6 options."),
        N_("Options"),
        read=read_option,
        choices=list_buttons(OPTIONS, MIN_OPTIONS),
        shows=listed_options,
    ),
    BUDGET_TOTAL: Step(
        N_("What is the whole budget in euros? Type an amount like 5000 or 2.500,00."),
        N_("Budget"),
        read=read_budget,
    ),
    PROJECTS: Step(
        N_("Type the name of a project, or tap ➕ From a proposal. At most 12 projects."),
        N_("Projects"),
        read=read_project,
        choices=list_buttons(PROJECTS, MIN_OPTIONS),
        shows=listed_projects,
    ),
    AMOUNT: Step(
        N_("How much does “{name}” cost? Type an amount like 750 or 1.250,00."),
        N_("Projects"),
        read=read_amount,
    ),
    NOTE: Step(
        N_("A short note on “{name}”: can it be done, and how? At most 200 characters. Or tap ⏭️ No note."),
        N_("Projects"),
        read=read_note,
        choices=lambda _, c: [pick("⏭️ " + _("No note"), NOTE, "none")],
        pick=lambda value, c: None,
    ),
    OPENS: Step(
        N_("When does the vote open? Tap ▶️ Now or a day, or type a day like 12-12."),
        N_("Opens"),
        read=read_open_day,
        choices=lambda _, c: [pick("▶️ " + _("Now"), OPENS, NOW), *day_buttons(c, OPENS, today(c))],
        pick=pick_open_day,
    ),
    OPEN_AT: Step(N_("At what time does it open? For example 09:00."), N_("Opens"), read=read_open_at),
    CLOSES: Step(
        N_("On which day does the vote close? Tap a day, or type it like 12-12 or 12-12-2026."),
        N_("Deadline"),
        read=read_close_day,
        choices=lambda _, c: day_buttons(c, CLOSES, opening_day(c) + timedelta(days=1)),
        pick=pick_close_day,
    ),
    CLOSE_AT: Step(
        N_("At what time does it close? For example 20:00. Choose a time from 08:00 to 21:00, not at night."),
        N_("Deadline"),
        read=read_close_at,
    ),
    QUORUM: Step(
        N_("How many members must vote for the result to count? Tap a choice, or type a percentage from 0 to 100."),
        N_("Quorum"),
        read=read_quorum,
        choices=quorum_buttons,
    ),
    MAJORITY: Step(
        N_("When is the proposal adopted?"),
        N_("Majority"),
        choices=lambda _, c: [
            pick(_("More than half"), MAJORITY, HALF),
            pick(_("Two thirds"), MAJORITY, TWO_THIRDS),
        ],
    ),
    SECRET: Step(
        N_("Is the vote secret or open?"),
        N_("Secret or open"),
        choices=lambda _, c: [
            pick("🔒 " + _("Secret"), SECRET, "secret"),
            pick("👁️ " + _("Open (organisers see who voted what)"), SECRET, "open"),
        ],
        pick=lambda value, c: value == "secret",
    ),
    RESULTS: Step(
        N_("When can members see the results?"),
        N_("Results"),
        choices=lambda _, c: [
            pick("🙈 " + _("Hidden until the close"), RESULTS, "hidden"),
            pick("📊 " + _("Visible during the vote"), RESULTS, "live"),
        ],
        pick=lambda value, c: live_results(value == "live", c),
    ),
}
ASKED_AFTER = {OPEN_AT: OPENS, CLOSE_AT: CLOSES, NOTE: AMOUNT}  # steps asked right after another, as a pair
PICKED = (KIND, NOTE, OPENS, CLOSES, QUORUM, MAJORITY, SECRET, RESULTS)  # steps with quick answers


def order(plan: dict) -> list[str]:
    """The steps of this vote, in order: they depend on its kind and on whether it opens now."""
    kind = plan.get(KIND, "")
    steps = [KIND, TITLE, BODY, *{CHOICE: [OPTIONS], BUDGET: [BUDGET_TOTAL, PROJECTS]}.get(kind, [])]
    steps += [OPENS] if plan.get(OPENS) == NOW else [OPENS, OPEN_AT]
    steps += [CLOSES, CLOSE_AT, QUORUM]
    steps += [MAJORITY] if kind == FOR_AGAINST else []
    return steps + [SECRET, RESULTS]


def first_missing(plan: dict) -> str | None:
    """The first step without an answer (a list needs two), or None when all are there."""
    for step in order(plan):
        answered = len(plan.get(step, [])) >= MIN_OPTIONS if step in (OPTIONS, PROJECTS) else step in plan
        if not answered:
            return step
    return None


async def ask(update: Update, context: WijkContext, step: str, before: str = "") -> str:
    """One step's question, under what is on its list so far and an error or a word of explanation."""
    _ = context.gettext
    spec = STEPS[step]
    project = draft(context).get(PROJECT) or {}
    question = _(spec.question).format(name=escape(project.get("label", "")))
    back = callbacks.pack(AREA, "back", step)
    rows = in_rows(spec.choices(_, context)) + [nav_row(_, back, EXPLAIN)]
    parts = [before, spec.shows(_, context), question]
    await show(update, context, "\n\n".join(part for part in parts if part), inline(rows))
    return step


def keep(context: WijkContext, step: str, value: object) -> str | None:
    """Store an answer. Returns the step to ask next when that is not simply the next one."""
    plan = draft(context)
    if step == OPTIONS:
        plan.setdefault(OPTIONS, []).append(value)
        return OPTIONS
    if step == PROJECTS:
        plan[PROJECT] = {"label": value, PROPOSAL: None}
        return AMOUNT
    if step == AMOUNT:
        plan[PROJECT]["amount"] = value
        return NOTE
    if step == NOTE:
        plan.setdefault(PROJECTS, []).append({**plan.pop(PROJECT), "note": value})
        return PROJECTS
    if step == KIND and plan.get(KIND) != value:  # another kind: other options
        for other in (OPTIONS, BUDGET_TOTAL, PROJECTS, MAJORITY):
            plan.pop(other, None)
    plan[step] = value
    if step == OPENS:
        plan.pop(OPEN_AT, None)
        return None if value == NOW else OPEN_AT
    return CLOSE_AT if step == CLOSES else None


async def next_after(update: Update, context: WijkContext, step: str, then: str | None = None) -> str:
    """The next question (`then`, when the answer says so), or the preview when one answer was being changed."""
    if then is not None:
        return await ask(update, context, then)
    plan = draft(context)
    if plan.get("editing"):
        return await settle(update, context)
    steps = order(plan)
    later = steps[steps.index(step) + 1 :]
    return await ask(update, context, later[0]) if later else await settle(update, context)


async def settle(update: Update, context: WijkContext) -> str:
    """To the preview once every answer is there and the times still hold; else ask that step (again)."""
    plan = draft(context)
    missing = first_missing(plan)
    problem = (missing, "") if missing else times_problem(context)
    if problem is None:
        return await preview(update, context)
    plan["editing"] = True  # after that answer, back here
    step, why = problem
    return await ask(update, context, step, context.gettext(why) if why else "")


def answering(step: str) -> Callable:
    """The handler for a typed answer to one step."""

    @requires(Need.ORGANISER)
    async def typed(update: Update, context: WijkContext) -> object:
        try:
            value = STEPS[step].read(text(update), context)
        except validation.Invalid as invalid:
            return await ask(update, context, step, invalid.text(context.gettext))
        return await next_after(update, context, step, keep(context, step, value))

    typed.__name__ = f"{step}_text"
    return typed


@requires(Need.ORGANISER)
async def pick_button(update: Update, context: WijkContext) -> object:
    """A quick answer: a kind, a day, a quorum, a majority, secret or open, when results show, no note."""
    tapped = callbacks.parse(query(update).data)
    step, value = tapped.action, tapped.args[0]
    if value == "other":  # another day: typed
        _ = context.gettext
        back_to_days = nav_row(_, callbacks.pack(AREA, "days"), EXPLAIN)
        await show(update, context, "📆 " + _("Type the day like 12-12 or 12-12-2026."), inline([back_to_days]))
        return step
    try:
        kept = STEPS[step].pick(value, context)
    except validation.Invalid as invalid:
        return await ask(update, context, step, invalid.text(context.gettext))
    return await next_after(update, context, step, keep(context, step, kept))


def asking(step: str) -> Callable:
    """A button that shows one step's question again (⬅️ Back from typing another day, or from the proposals)."""

    @requires(Need.ORGANISER)
    async def again(update: Update, context: WijkContext) -> str:
        return await ask(update, context, step)

    again.__name__ = f"{step}_again_button"
    return again


@requires(Need.ORGANISER)
async def back_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back: one step back; from the first step, or while changing one answer, to where you came from."""
    step = callbacks.parse(query(update).data).str_arg(0)
    plan = draft(context)
    if step in ASKED_AFTER:  # a time goes back to its day, also while changing one answer
        return await ask(update, context, ASKED_AFTER[step])
    if step == AMOUNT:  # this project is not added
        plan.pop(PROJECT, None)
        return await ask(update, context, PROJECTS)
    steps = order(plan)
    if step == PREVIEW:
        return await ask(update, context, steps[-1])
    if plan.get("editing"):
        return await settle(update, context)
    index = steps.index(step)
    if index == 0:
        return await leave(update, context)
    return await ask(update, context, steps[index - 1])


def done_button(step: str) -> Callable:
    """✔️ Done with the options or the projects."""

    @requires(Need.ORGANISER)
    async def done(update: Update, context: WijkContext) -> str:
        if len(draft(context).get(step, [])) < MIN_OPTIONS:  # an old button
            _ = context.gettext
            enough = _("Please add at least {minimum} options.") if step == OPTIONS else ""
            enough = enough or _("Please add at least {minimum} projects.")
            return await ask(update, context, step, enough.format(minimum=MIN_OPTIONS))
        return await next_after(update, context, step)

    done.__name__ = f"{step}_done_button"
    return done


def undo_button(step: str) -> Callable:
    """↩️ Remove the last option or project."""

    @requires(Need.ORGANISER)
    async def undo(update: Update, context: WijkContext) -> str:
        listed = draft(context).get(step, [])
        if listed:
            listed.pop()
        return await ask(update, context, step)

    undo.__name__ = f"{step}_undo_button"
    return undo


@requires(Need.ORGANISER)
async def proposals_button(update: Update, context: WijkContext) -> str:
    """➕ From a proposal: the members' proposals that wait for an organiser, 5 a page."""
    _ = context.gettext
    page = proposals.waiting_page(context.db, callbacks.parse(query(update).data).int_arg(0))
    rows = paged(page, lambda p: button(vote_text.on_a_button(p.title), AREA, "fromprop", p.id), AREA, "props")
    rows.append(nav_row(_, callbacks.pack(AREA, "projects"), EXPLAIN))
    said = _("Which proposal becomes a project?") if page.items else _("No member proposals are waiting.")
    await show(update, context, "💡 " + said, inline(rows))
    return PROJECTS


@requires(Need.ORGANISER)
async def from_proposal_button(update: Update, context: WijkContext) -> str:
    """A waiting proposal becomes a project: its title as the name; then its amount and a note."""
    _ = context.gettext
    proposal = proposals.get(context.db, callbacks.parse(query(update).data).int_arg(0))
    if proposal is None or proposal.status != proposals.PENDING:
        return await ask(
            update, context, PROJECTS, _("This proposal is no longer waiting: an organiser decided on it.")
        )
    try:
        room_for_a_project(context)
        not_listed(proposal.title, [project["label"] for project in draft(context).get(PROJECTS, [])])
    except validation.Invalid as invalid:
        return await ask(update, context, PROJECTS, invalid.text(_))
    draft(context)[PROJECT] = {"label": proposal.title, PROPOSAL: proposal.id}
    return await ask(update, context, AMOUNT)


# ----- the preview and opening ------------------------------------------------------------------------------


def planned(context: WijkContext) -> Plan:
    """The vote as answered so far (every step answered), with the opening at this moment."""
    plan = draft(context)
    kind = plan[KIND]
    if kind == CHOICE:
        options = tuple(PlannedOption(label) for label in plan[OPTIONS])
    elif kind == BUDGET:
        options = tuple(PlannedOption(p["label"], p["amount"], p["note"], p[PROPOSAL]) for p in plan[PROJECTS])
    else:
        options = (PlannedOption(FOR), PlannedOption(AGAINST), PlannedOption(ABSTAIN))
    return Plan(
        title=plan[TITLE],
        body=plan[BODY],
        kind=kind,
        secret=plan[SECRET],
        live_results=plan[RESULTS],
        quorum_percent=plan[QUORUM],
        majority=plan.get(MAJORITY, HALF),
        opens_at=opening(context),
        closes_at=closing(context),
        options=options,
        budget_cents=plan[BUDGET_TOTAL] if kind == BUDGET else None,
        proposal_id=plan.get(PROPOSAL),
    )


def as_opened(plan: Plan) -> Vote:
    """The vote as members will see it once it is open."""
    options = tuple(
        Option(id=n, position=n, label=o.label, amount_cents=o.amount_cents, note=o.note, proposal_id=o.proposal_id)
        for n, o in enumerate(plan.options, start=1)
    )
    return Vote(
        id=0,
        title=plan.title,
        body=plan.body,
        kind=plan.kind,
        secret=plan.secret,
        live_results=plan.live_results,
        quorum_percent=plan.quorum_percent,
        majority=plan.majority,
        budget_cents=plan.budget_cents,
        opens_at=plan.opens_at,
        closes_at=plan.closes_at,
        opened_at=plan.opens_at,
        closed_at=None,
        eligible=0,
        voted=0,
        created_by=None,
        proposal_id=plan.proposal_id,
        options=options,
    )


def vote_card(_: Translate, vote: Vote, language: str, context: WijkContext) -> str:
    """The vote's card as a member reads it when it opens: heading, deadline, text, rules and options."""
    tz = context.settings.timezone
    body, _cut = vote_text.short_body(vote)
    lines = [vote_text.heading(vote), vote_text.deadline(_, vote, language, tz, vote.opens_at), "", body, ""]
    lines += vote_text.rules(_, vote, language) + [""]
    for option in vote.options:
        lines.append("• " + vote_text.option_label(_, vote, option, language))
        if option.note:
            lines.append("   ℹ️ " + escape(option.note))
    return "\n".join(lines)


async def preview(update: Update, context: WijkContext) -> str:
    """The vote exactly as members will see it, when it opens and closes, who may vote, and what to do with it."""
    _ = context.gettext
    language, tz = context.language, context.settings.timezone
    plan = draft(context)
    plan["editing"] = False
    vote = as_opened(planned(context))
    active = (await members.counts_by_status(context.db))[ACTIVE]
    opens = (
        _("Opens: now, when you tap ✅.")
        if plan[OPENS] == NOW
        else _("Opens: {when}").format(when=format_when(vote.opens_at, language, tz))
    )
    quorum = (
        _("Quorum: {percent}% of the voters.").format(percent=vote.quorum_percent)
        if vote.quorum_percent
        else _("No quorum.")
    )
    facts = [
        "▶️ " + opens,
        "⏹️ " + _("Closes: {when}").format(when=format_when(vote.closes_at, language, tz)),
        "📏 " + quorum,
        "👥 " + _("Who may vote: all members who are active when it opens: {count} now.").format(count=active),
        "",
        "⚠️ " + _("Once the vote is open, nothing can be changed."),
    ]
    if vote.secret:
        facts.append(_("A secret vote cannot become open later."))
    if vote.live_results:
        facts.append(_("Members see the results while the vote runs."))
    else:
        facts.append(_("Hidden results cannot be shown before the close."))
    text = "\n\n".join([_("This is how members will see it:"), vote_card(_, vote, language, context), "\n".join(facts)])
    rows = [
        [button("✅ " + _("Open it"), AREA, "open")],
        [button("✏️ " + _("Change"), AREA, "change"), button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW), EXPLAIN),
    ]
    await show(update, context, text, inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: which answer?"""
    _ = context.gettext
    steps = [step for step in order(draft(context)) if step not in (OPEN_AT, CLOSE_AT)]
    fields = [button(_(STEPS[step].label), AREA, "edit", step) for step in steps]
    rows = in_rows(fields, 3) + [nav_row(_, callbacks.pack(AREA, "preview"), EXPLAIN)]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def edit_button(update: Update, context: WijkContext) -> str:
    """One answer to change; then back to the preview."""
    step = callbacks.parse(query(update).data).str_arg(0)
    if step not in order(draft(context)):  # the options of a kind this vote is not
        raise callbacks.StaleButton(step)
    draft(context)["editing"] = True
    return await ask(update, context, step)


@requires(Need.ORGANISER)
async def preview_button(update: Update, context: WijkContext) -> str:
    return await preview(update, context)


def proposals_in(plan: Plan) -> list[int]:
    return sorted({p for p in (plan.proposal_id, *(o.proposal_id for o in plan.options)) if p is not None})


@requires(Need.ORGANISER)
async def open_button(update: Update, context: WijkContext) -> str | int:
    """✅ Open it: stored, and opened now or at its time; the voters are told through the outbox."""
    _ = context.gettext
    if times_problem(context) is not None:  # the preview was shown a while ago
        return await settle(update, context)
    plan = planned(context)
    asked = proposals_in(plan)
    decided = set(asked) - proposals.still_waiting(context.db, asked)
    if plan.proposal_id in decided:
        context.answers.pop(AREA, None)
        await query(update).answer()
        text = _("An organiser already decided on this proposal. No vote was opened.")
        await edit(update, text, done_row(context))
        return ConversationHandler.END
    if decided:  # a project's proposal was decided meanwhile: it comes off the list
        kept = [p for p in draft(context)[PROJECTS] if p[PROPOSAL] not in decided]
        draft(context)[PROJECTS] = kept
        draft(context)["editing"] = True
        before = _("A proposal on the list is no longer waiting: an organiser decided on it. It was taken off.")
        return await ask(update, context, PROJECTS, before)
    context.answers.pop(AREA, None)  # before anything is awaited: a second tap finds nothing to open
    vote = votes.create(context.db, plan, created_by=context.known_member.id, now=context.now())
    context.wake_sender()
    await query(update).answer("✅")
    await edit(update, opened_text(context, vote, bool(asked)), done_row(context))
    return ConversationHandler.END


def opened_text(context: WijkContext, vote: Vote, about_proposals: bool) -> str:
    _ = context.gettext
    title = escape(vote.title)
    if vote.opened_at is not None:
        ngettext = i18n.plural(context.language)
        text = _("✅ The vote is open: {title}").format(title=title) + "\n"
        text += ngettext(
            "{count} member can vote and gets a message.", "{count} members can vote and get a message.", vote.eligible
        ).format(count=vote.eligible)
    else:
        when = format_when(vote.opens_at, context.language, context.settings.timezone)
        text = _("✅ Planned: {title}\nIt opens {when}. Then every active member gets a message.").format(
            title=title, when=when
        )
    if about_proposals:
        text += "\n" + _("Whoever made the proposal gets a message.")
    return text


def done_row(context: WijkContext) -> InlineKeyboardMarkup:
    """After opening: ⬅️ Back to 📣 Organise → 🗳️ Votes, and 🏠 Menu."""
    return inline([nav_row(context.gettext, callbacks.pack("vorg", "menu"))])


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is opened."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. No vote was opened."), AREA)


@requires(Need.ORGANISER)
async def new_vote_button(update: Update, context: WijkContext) -> str:
    """➕ New vote from 📣 Organise → 🗳️ Votes."""
    context.answers[AREA] = {}
    return await ask(update, context, KIND)


@requires(Need.ORGANISER)
async def proposal_vote_button(update: Update, context: WijkContext) -> object:
    """🗳️ Put to a vote, on a proposal's card: the same steps, with its title and text, for or against."""
    _ = context.gettext
    proposal = proposals.get(context.db, callbacks.parse(query(update).data).int_arg(0))
    if proposal is None or proposal.status != proposals.PENDING:
        await query(update).answer(_("An organiser already decided on this proposal."))
        return ConversationHandler.END
    context.answers[AREA] = {KIND: FOR_AGAINST, TITLE: proposal.title, BODY: proposal.body, PROPOSAL: proposal.id}
    first = first_missing(draft(context))
    assert first is not None
    before = _("🗳️ Put to a vote: {title}\nThe title and text come from the proposal. You can change them later.")
    return await ask(update, context, first, before.format(title=escape(proposal.title)))


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def handlers() -> list[BaseHandler]:
    # Each step answers only its own buttons: an old button of another step, or forged data, is stale.
    states: States = {
        step: [
            MessageHandler(typed_text(), answering(step)),
            CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", step)),
        ]
        + ([CallbackQueryHandler(pick_button, pattern=on(step))] if step in PICKED else [])
        for step in STEPS
    }
    for day_step in (OPENS, CLOSES):
        states[day_step].append(CallbackQueryHandler(asking(day_step), pattern=on("days")))
    for listing in (OPTIONS, PROJECTS):
        states[listing].append(CallbackQueryHandler(done_button(listing), pattern=on("done")))
        states[listing].append(CallbackQueryHandler(undo_button(listing), pattern=on("undo")))
    states[PROJECTS] += [
        CallbackQueryHandler(proposals_button, pattern=on("props")),
        CallbackQueryHandler(from_proposal_button, pattern=on("fromprop")),
        CallbackQueryHandler(asking(PROJECTS), pattern=on("projects")),
    ]
    states[PREVIEW] = [
        CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", PREVIEW)),
        CallbackQueryHandler(open_button, pattern=on("open")),
        CallbackQueryHandler(change_button, pattern=on("change")),
        CallbackQueryHandler(edit_button, pattern=on("edit")),
        CallbackQueryHandler(preview_button, pattern=on("preview")),
        CallbackQueryHandler(leave, pattern=on("stop")),
    ]
    return [
        persistent_conversation(
            "plan_vote",
            entry_points=[
                CallbackQueryHandler(new_vote_button, pattern=on("new")),
                CallbackQueryHandler(proposal_vote_button, pattern=on("prop")),
            ],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
            explanations=EXPLANATIONS,
        )
    ]
