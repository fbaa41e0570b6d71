"""Help and things a crowdfunding campaign asks for (issue 15; storage/campaign_needs.py).

Organisers: ➕ Ask for help or things (kind, what, how many; a preview with ✅/✏️/✖️), 📋 Who pledged (names,
member numbers and phones: a list to call), and 📅 Make a shift of a help need: a day and a time on buttons, a
preview, ✅ — every pledger is put on it and told. Members: 🙋 I help (one tap), 📦 I bring (how many: 1, 2, 3
or typed, not more than still wanted), ↩️ Withdraw, on the campaign's card (handlers/campaigns.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_clock, format_day, format_member_no, format_when
from bot.i18n import N_, Translate
from bot.incoming import tapped, text
from bot.keyboards import arrows, button, in_rows, inline, nav_row, typed_text
from bot.need_notices import line
from bot.replies import send, show
from bot.step_flow import Step, StepFlow, no_choices, tap_only
from handlers.campaign_admin import show_organiser_card
from handlers.campaigns import found_campaign, show_card
from storage import campaign_needs, shifts
from storage.campaign_needs import HELP, THING, Adding, Pledging, Shifting
from storage.campaigns import Campaign

AREA = "need"  # also where the organiser's draft of a need is kept (bot/step_flow.py)
COUNT = "need_count"  # the member's typed number of things (state and draft)
KIND, TEXT, WANTED = "kind", "text", "wanted"
QUICK_WANTED = (1, 2, 3, 5, 10)
MAX_TEXT, MOST_WANTED = 60, 100
QUICK_BRING = (1, 2, 3)
SHIFT_DAYS = 14  # the day buttons of 📅 Make a shift: from tomorrow on
SPANS = ("0900-1300", "1300-1700", "1700-2100")  # as handlers/shift_planning.py
KINDS = {HELP: ("🙋", N_("Help")), THING: ("📦", N_("Things"))}
ENDED = N_("This campaign has ended. Nothing was changed.")
FULL = N_("Sorry, that is more than is still needed. Nothing was changed.")


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def found_need(context: WijkContext, need_id: int) -> campaign_needs.Need:
    need = campaign_needs.get(context.db, need_id)
    if need is None:
        raise callbacks.StaleButton(f"no need {need_id}")
    return need


def organiser_card(campaign_id: int) -> str:
    return callbacks.pack("camporg", "card", campaign_id)


# Members


async def card_saying(update: Update, context: WijkContext, campaign: Campaign, words: str) -> None:
    """The campaign's card again with what happened: a pop-up after a tap; after typing, which gets no
    pop-up, a message above the card."""
    if update.callback_query is None:
        await send(update, context, words, None)
        await show_card(update, context, campaign)
    else:
        await show_card(update, context, campaign, words)


async def pledged(
    update: Update, context: WijkContext, done: campaign_needs.Pledged, thanks: str, now_a_shift: str
) -> None:
    """The campaign's card again, saying what happened; `now_a_shift` when the help became a shift."""
    _ = context.gettext
    if done.need is None or done.campaign is None:
        raise callbacks.StaleButton("no such need")
    words = {
        Pledging.PLEDGED: thanks,
        Pledging.ALREADY: thanks,  # a double tap: what the first one did
        Pledging.FULL: _(FULL),
        Pledging.CLOSED: _(now_a_shift if done.need.shift_id else ENDED),
    }
    await card_saying(update, context, done.campaign, words[done.outcome])


async def give(update: Update, context: WijkContext, need_id: int, kind: str, amount: int) -> None:
    """A pledge of this kind of need (a forged id of the other kind is no need), checked as it is stored; a
    double tap pledges once and hears the same thanks."""
    context.answers.pop(COUNT, None)
    done = campaign_needs.pledge(context.db, need_id, kind, context.known_member.id, amount, context.now())
    thanks = "✅ " + context.gettext("Thank you! The organisers can see it.")
    await pledged(
        update, context, done, thanks, N_("This help is a volunteer shift now: see 🙌 Take part → 🙋 Volunteer.")
    )


@requires(Need.ACTIVE)
async def help_button(update: Update, context: WijkContext) -> None:
    """🙋 I help: one tap pledges one person."""
    await give(update, context, tapped(update).int_arg(0), HELP, 1)


def thing_need(context: WijkContext, need_id: int) -> campaign_needs.Need:
    """A need for things: how many is asked only of those."""
    need = found_need(context, need_id)
    if need.kind == HELP:
        raise callbacks.StaleButton(f"need {need.id} asks for help")
    return need


async def refused(update: Update, context: WijkContext, need: campaign_needs.Need) -> bool:
    """An older card or screen: the campaign ended, or others brought the rest meanwhile. Then nobody is asked
    how many: the card says why, and the typing ends."""
    campaign = found_campaign(context, need.campaign_id)
    open_now = campaign.open_at(context.now())
    if open_now and need.left:
        return False
    context.answers.pop(COUNT, None)
    await card_saying(update, context, campaign, context.gettext(FULL if open_now else ENDED))
    return True


async def counting(update: Update, context: WijkContext, ask: Callable[..., Awaitable[str]]) -> object:
    """The tapped need, still open and wanted, is the one a typed number is for; then `ask` how many."""
    need = thing_need(context, tapped(update).int_arg(0))
    if await refused(update, context, need):
        return ConversationHandler.END
    context.answers[COUNT] = {"need": need.id}
    return await ask(update, context, need)


@requires(Need.ACTIVE)
async def bring_button(update: Update, context: WijkContext) -> object:
    """📦 I bring: how many? Only numbers still wanted, tapped or typed."""
    return await counting(update, context, ask_bring)


async def ask_bring(update: Update, context: WijkContext, need: campaign_needs.Need, error: str = "") -> str:
    """The numbers to tap (and ✍️ another); after a refused typed number, the refusal above them."""
    _ = context.gettext
    lines = [error, ""] if error else []
    lines += [line(_, context.language, need), "", _("How many do you bring? Tap a number, or type it.")]
    numbers = [button(str(n), AREA, "amt", need.id, n) for n in QUICK_BRING if n <= need.left]
    rows = [numbers, [button("✍️ " + _("Another number"), AREA, "other", need.id)]]
    rows.append(nav_row(_, callbacks.pack("camp", "card", need.campaign_id)))
    await show(update, context, "\n".join(lines), inline([row for row in rows if row]))
    return COUNT


@requires(Need.ACTIVE)
async def amount_button(update: Update, context: WijkContext) -> None:
    """1, 2 or 3 things."""
    args = tapped(update)
    await give(update, context, args.int_arg(0), THING, args.int_arg(1))


async def ask_count(update: Update, context: WijkContext, need: campaign_needs.Need) -> str:
    """✍️ Another number: what may be typed."""
    _ = context.gettext
    question = _("How many do you bring? Type a number from 1 to {most}.").format(most=max(need.left, 1))
    await show(update, context, question, inline([nav_row(_, callbacks.pack(AREA, "bring", need.id))]))
    return COUNT


@requires(Need.ACTIVE)
async def other_button(update: Update, context: WijkContext) -> object:
    """✍️ Another number: typed."""
    return await counting(update, context, ask_count)


@requires(Need.ACTIVE)
async def count_text(update: Update, context: WijkContext) -> object:
    """The typed number: from 1 to what is still wanted (the pledge checks it again)."""
    need = campaign_needs.get(context.db, context.answers.get(COUNT, {}).get("need", 0))
    if need is None:
        return await leave_count(update, context)
    if await refused(update, context, need):
        return ConversationHandler.END
    typed = validation.western(text(update)).strip()
    if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) <= need.left):
        invalid = validation.Invalid(N_("Please type a number from 1 to {most}."), most=need.left)
        return await ask_bring(update, context, need, invalid.text(context.gettext))
    await give(update, context, need.id, THING, int(typed))
    return ConversationHandler.END


async def leave_count(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu while typing the number."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was changed."), COUNT)


@requires(Need.ACTIVE)
async def withdraw_button(update: Update, context: WijkContext) -> None:
    """↩️ Withdraw: the member's own pledge (pledging again is one tap)."""
    need_id = tapped(update).int_arg(0)
    done = campaign_needs.withdraw(context.db, need_id, context.known_member.id, context.now())
    if done.outcome is Pledging.ALREADY:
        raise callbacks.StaleButton(f"no pledge to need {need_id}")
    now_a_shift = N_("This help is a volunteer shift now. Give your place back under 📋 My shifts.")
    await pledged(update, context, done, "↩️ " + context.gettext("Withdrawn."), now_a_shift)


# Organisers: ➕ Ask for help or things


def read_text(typed: str, context: WijkContext) -> str:
    return validation.one_line(typed, MAX_TEXT, N_("Please type what is needed."))


def read_wanted(typed: str, context: WijkContext) -> int:
    typed = validation.western(typed).strip()
    if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) <= MOST_WANTED):
        raise validation.Invalid(N_("Please type a number from 1 to {most}."), most=MOST_WANTED)
    return int(typed)


def kind_choices(_: Translate, context: WijkContext) -> list[InlineKeyboardButton]:
    return [button(emoji + " " + _(words), AREA, KIND, kind) for kind, (emoji, words) in KINDS.items()]


def wanted_choices(_: Translate, context: WijkContext) -> list[InlineKeyboardButton]:
    return [button(str(n), AREA, WANTED, n) for n in QUICK_WANTED]


STEPS: dict[str, Step] = {
    KIND: Step(N_("What do you ask for: help from people, or things?"), tap_only, kind_choices, N_("Kind")),
    TEXT: Step(
        N_("What is needed? For example: paint the fence on Saturday, or tins of paint. At most 60 characters."),
        read_text,
        no_choices,
        N_("What is needed"),
    ),
    WANTED: Step(
        N_("How many are needed? Tap a number, or type it."), read_wanted, wanted_choices, N_("How many"), per_row=5
    ),
}


@requires(Need.ORGANISER)
async def pick_button(update: Update, context: WijkContext) -> object:
    """A quick answer: the kind, or how many."""
    args = tapped(update)
    return await FLOW.answer(update, context, args.action, args.args[0])


def planned(context: WijkContext) -> campaign_needs.Need:
    """The need as members will see it just after ✅: nobody pledged yet."""
    plan = FLOW.draft(context)
    return campaign_needs.Need(0, plan["campaign"], plan[KIND], plan[TEXT], plan[WANTED], 0, None)


async def preview(update: Update, context: WijkContext) -> None:
    _ = context.gettext
    lines = [_("This is how members will see it:"), "", line(_, context.language, planned(context))]
    rows = FLOW.preview_rows(_, button("✅ " + _("Yes, add"), AREA, "add"))
    await show(update, context, "\n".join(lines), inline(rows))


async def back_to_card(update: Update, context: WijkContext) -> None:
    """⬅️ Back at the first step: the campaign's organiser card, where ➕ was."""
    await show_organiser_card(update, context, found_campaign(context, FLOW.draft(context).get("campaign", 0)))


FLOW = StepFlow(AREA, STEPS, preview=preview, stopped=N_("Stopped. Nothing was added."), out=back_to_card)


@requires(Need.ORGANISER)
async def new_button(update: Update, context: WijkContext) -> str | int:
    """➕ Ask for help or things, from a campaign's organiser card."""
    campaign = found_campaign(context, tapped(update).int_arg(0))
    if not campaign.open_at(context.now()):  # an older card: asking comes to nothing now
        _ = context.gettext
        text = _("This campaign has ended. Nothing was added.")
        await show(update, context, text, inline([nav_row(_, organiser_card(campaign.id))]))
        return ConversationHandler.END
    context.answers[AREA] = {"campaign": campaign.id}
    return await FLOW.ask(update, context, KIND)


@requires(Need.ORGANISER)
async def add_button(update: Update, context: WijkContext) -> int:
    """✅ Yes, add: members see it on the campaign's card (logged)."""
    _ = context.gettext
    need = planned(context)
    done = campaign_needs.add(
        context.db, need.campaign_id, need.kind, need.text, need.wanted, context.known_member.id, context.now()
    )
    context.answers.pop(AREA, None)
    words = {
        Adding.ADDED: "✅ " + _("Added. Members see it on the campaign."),
        Adding.ENOUGH: _("A campaign asks for at most 5 kinds of help or things. Nothing was added."),
        Adding.CLOSED: _("This campaign has ended. Nothing was added."),
    }
    await show(update, context, words[done], inline([nav_row(_, organiser_card(need.campaign_id))]))
    return ConversationHandler.END


# Organisers: 📋 Who and 📅 Make a shift


@requires(Need.ORGANISER)
async def who_button(update: Update, context: WijkContext) -> None:
    """📋 Who: everyone who pledged, with member number and phone when known: a list to call."""
    _ = context.gettext
    args = tapped(update)
    need = found_need(context, args.int_arg(0))
    found = campaign_needs.pledgers(context.db, need.id, args.int_arg(1))
    lines = ["📋 " + line(_, context.language, need), ""]
    for p in found.items:
        parts = [escape(p.first_name or _("a former member")), format_member_no(_, p.member_no)]
        parts += ["📞 " + escape(p.phone)] if p.phone else []
        parts += [_("brings {count}").format(count=p.amount)] if need.kind != HELP else []
        lines.append("• " + " · ".join(parts))
    if not found.items:
        lines.append(_("Nobody yet."))
    rows = arrows(found, AREA, "who", need.id) + [nav_row(_, organiser_card(need.campaign_id))]
    await show(update, context, "\n".join(lines), inline(rows))


def help_need(context: WijkContext, need_id: int) -> campaign_needs.Need:
    """A help need that is not a shift yet; otherwise the button no longer works."""
    need = found_need(context, need_id)
    if need.kind != HELP or need.shift_id is not None:
        raise callbacks.StaleButton(f"need {need_id} cannot become a shift")
    return need


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


def span_label(span: str) -> str:
    return f"{int(span[:2])}:{span[2:4]}–{int(span[5:7])}:{span[7:]}"


def planned_shift(context: WijkContext, need: campaign_needs.Need, day: date, span: str) -> shifts.Plan:
    """The shift a need becomes: its text as the task, the campaign's name as what to do, its places."""
    tz = context.settings.timezone

    def at(clock: str) -> datetime:
        return datetime.combine(day, time(int(clock[:2]), int(clock[2:])), tz).astimezone(UTC)

    title = found_campaign(context, need.campaign_id).title
    return shifts.Plan(need.text, title, at(span[:4]), at(span[5:]), need.wanted)


def shift_day(context: WijkContext, value: object) -> date:
    """A day from the buttons: from tomorrow on (stale buttons of yesterday no longer work)."""
    if not isinstance(value, date) or not today(context) < value <= today(context) + timedelta(days=SHIFT_DAYS):
        raise callbacks.StaleButton(f"{value} is not a day for a shift")
    return value


@requires(Need.ORGANISER)
async def shift_button(update: Update, context: WijkContext) -> None:
    """📅 Make a shift: which day?"""
    _ = context.gettext
    need = help_need(context, tapped(update).int_arg(0))
    days = [today(context) + timedelta(days=n) for n in range(1, SHIFT_DAYS + 1)]
    choices = [button(format_day(d, context.language), AREA, "shday", need.id, d.strftime("%Y%m%d")) for d in days]
    text = "📅 " + escape(need.text) + "\n" + _("Which day is the shift?")
    await show(update, context, text, inline(in_rows(choices, 2) + [nav_row(_, organiser_card(need.campaign_id))]))


@requires(Need.ORGANISER)
async def shift_day_button(update: Update, context: WijkContext) -> None:
    """What time?"""
    _ = context.gettext
    args = tapped(update)
    need, day = help_need(context, args.int_arg(0)), shift_day(context, args.args[1])
    stamp = day.strftime("%Y%m%d")
    choices = [button(span_label(span), AREA, "shtime", need.id, stamp, span) for span in SPANS]
    text = "📅 " + escape(need.text) + ", " + format_day(day, context.language) + "\n" + _("What time?")
    await show(update, context, text, inline([choices, nav_row(_, callbacks.pack(AREA, "shift", need.id))]))


@requires(Need.ORGANISER)
async def shift_time_button(update: Update, context: WijkContext) -> None:
    """The shift as it will be made, and who is put on it: ✅ or back."""
    _ = context.gettext
    args = tapped(update)
    need, day, span = help_need(context, args.int_arg(0)), shift_day(context, args.args[1]), args.str_arg(2)
    plan, tz = planned_shift(context, need, day, span), context.settings.timezone
    ngettext = i18n.plural(context.language)
    put_on = ngettext(
        "The {count} person who offered help is put on it. They get a message.",
        "The {count} people who offered help are put on it. They get a message.",
        need.pledged,
    )
    lines = [
        _("This shift will be made:"),
        "",
        f"🙋 <b>{escape(plan.task)}</b>",
        "🕑 "
        + format_when(plan.starts_at, context.language, tz)
        + "–"
        + format_clock(plan.ends_at, context.language, tz),
        _("Places: {count}").format(count=plan.places),
        "",
        put_on.format(count=need.pledged),
    ]
    stamp = day.strftime("%Y%m%d")
    rows = [
        [button("✅ " + _("Yes, make the shift"), AREA, "shok", need.id, stamp, span)],
        nav_row(_, callbacks.pack(AREA, "shday", need.id, stamp)),
    ]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ORGANISER)
async def shift_ok_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, make the shift: the pledgers are put on it and told (logged); a double tap makes one."""
    _ = context.gettext
    args = tapped(update)
    need = found_need(context, args.int_arg(0))
    if need.kind != HELP:
        raise callbacks.StaleButton(f"need {need.id} asks for things")
    plan = planned_shift(context, need, shift_day(context, args.args[1]), args.str_arg(2))
    made = campaign_needs.make_shift(context.db, need.id, plan, context.known_member.id, context.now())
    if made.outcome is Shifting.GONE:
        raise callbacks.StaleButton(f"need {need.id} is gone")
    ngettext = i18n.plural(context.language)  # made now, or by the first of two taps: the same words
    on_it = ngettext(
        "The shift is made. {count} person is on it.", "The shift is made. {count} people are on it.", made.placed
    )
    text = "✅ " + on_it.format(count=made.placed)
    text += "\n" + _("Members see it under 🙌 Take part → 🙋 Volunteer.")
    await show(update, context, text, inline([nav_row(_, organiser_card(need.campaign_id))]))


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "plan_need",
            entry_points=[CallbackQueryHandler(new_button, pattern=on("new"))],
            states=FLOW.states(pick_button, CallbackQueryHandler(add_button, pattern=on("add"))),
            fallbacks=leave_handlers(FLOW.leave, draft=AREA),
        ),
        persistent_conversation(
            "need_count",
            entry_points=[
                CallbackQueryHandler(bring_button, pattern=on("bring")),
                CallbackQueryHandler(other_button, pattern=on("other")),
            ],
            states={COUNT: [MessageHandler(typed_text(), count_text)]},
            fallbacks=leave_handlers(leave_count, draft=COUNT),
        ),
        CallbackQueryHandler(help_button, pattern=on("help")),
        CallbackQueryHandler(amount_button, pattern=on("amt")),
        CallbackQueryHandler(withdraw_button, pattern=on("off")),
        CallbackQueryHandler(who_button, pattern=on("who")),
        CallbackQueryHandler(shift_button, pattern=on("shift")),
        CallbackQueryHandler(shift_day_button, pattern=on("shday")),
        CallbackQueryHandler(shift_time_button, pattern=on("shtime")),
        CallbackQueryHandler(shift_ok_button, pattern=on("shok")),
    ]
