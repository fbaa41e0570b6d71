"""📣 Organise → 🎯 Campaigns: start a crowdfunding campaign step by step (title, what it is for, goal, end date,
keep it all or all or nothing, a photo or ⏭️), see it as members will, ✅ Publish; every campaign with its
progress; a campaign's pledges with ✅ Received (one tap, logged; the member is thanked) or ✖️ Lapsed (asked once).

Nothing is published before ✅. Two organisers confirming the same pledge at once count it once
(storage/campaigns.py decide).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, payments, validation
from bot.access import Need, requires
from bot.campaign_notices import card
from bot.context import WijkContext
from bot.formatting import format_day, format_member_no
from bot.i18n import N_, Translate
from bot.incoming import message, query, tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.need_notices import organiser_part
from bot.payment_text import MEMBER_LEFT
from bot.replies import edit, just_acted, show
from bot.step_flow import Step, StepFlow, no_choices, tap_only
from bot.vote_text import money
from handlers.campaigns import found_campaign
from storage import campaign_needs, campaigns
from storage.campaigns import Campaign, Outcome, Pledge

AREA = "camporg"
TITLE, PURPOSE, GOAL, END, KIND, PHOTO = "title", "purpose", "goal", "end", "kind", "photo"
LONGEST = timedelta(days=366)  # a campaign's last day is at most a year away
GOALS = (500, 1000, 2500, 5000)  # euros on the goal buttons
WEEKS = (2, 4, 6, 8)  # end dates on buttons: this many weeks from today
MAX_TITLE, MAX_PURPOSE, MOST_EUROS = 60, 500, 100_000
ENDS_AT = time(20, 0)  # a campaign ends on its last day at 20:00, before quiet hours (UX.md: never in the night)
KINDS = {"keep": N_("Keep it all"), "all": N_("All or nothing")}
STATUS = {
    campaigns.PLEDGED: N_("waiting for payment"),
    campaigns.RECEIVED: N_("received"),
    campaigns.LAPSED: N_("lapsed"),
}


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


def read_end(typed: str, context: WijkContext) -> str:
    """The last day, from tomorrow on."""
    day = validation.day(typed, today(context))
    if day <= today(context):
        raise validation.Invalid(N_("Please choose a day from tomorrow on."))
    if day > today(context) + LONGEST:
        raise validation.Invalid(N_("A campaign lasts at most a year. Please choose an earlier day."))
    return day.isoformat()


STEPS: dict[str, Step] = {
    TITLE: Step(
        N_("What is the campaign called? For example New benches. At most 60 characters."),
        lambda typed, c: validation.one_line(typed, MAX_TITLE, N_("Please type the name of the campaign.")),
        no_choices,
        N_("Name"),
    ),
    PURPOSE: Step(
        N_("What is the money for? Write a few short sentences."),
        lambda typed, c: validation.lines(typed, MAX_PURPOSE, N_("Please write what the money is for.")),
        no_choices,
        N_("What it is for"),
    ),
    GOAL: Step(
        N_("How much money is needed? Tap an amount, or type it in euros."),
        lambda typed, c: validation.amount(typed, MOST_EUROS, language=c.language),
        lambda _, c: [button(money(euros * 100, c.language), AREA, GOAL, euros) for euros in GOALS],
        N_("Goal"),
    ),
    END: Step(
        N_("What is the last day? Tap a day, or type it like 12-12 or 12-12-2026."),
        read_end,
        lambda _, c: [
            *(
                button(format_day(d, c.language), AREA, END, d.strftime("%Y%m%d"))
                for d in (today(c) + timedelta(weeks=n) for n in WEEKS)
            ),
            button("📆 " + _("Another day"), AREA, END, "other"),
        ],
        N_("Last day"),
    ),
    KIND: Step(
        N_(
            "Keep it all: members pay at once, and all money is used.\n"
            "All or nothing: members only pay when the goal is reached.\n"
            "Which one do you choose?"
        ),
        tap_only,
        lambda _, c: [button(_(words), AREA, KIND, key) for key, words in KINDS.items()],
        N_("Kind"),
    ),
    PHOTO: Step(
        N_("Send a photo for the campaign, or tap Skip."),
        tap_only,
        lambda _, c: [button("⏭️ " + _("Skip"), AREA, PHOTO, "skip")],
        N_("Photo"),
    ),
}


def ends_at(context: WijkContext, day: str) -> datetime:
    """The last day at 20:00 local, in UTC."""
    return datetime.combine(date.fromisoformat(day), ENDS_AT, context.settings.timezone).astimezone(UTC)


@requires(Need.ORGANISER)
async def photo_message(update: Update, context: WijkContext) -> object:
    """The photo step: the biggest size of the photo sent."""
    return await FLOW.answer(update, context, PHOTO, message(update).photo[-1].file_id)


@requires(Need.ORGANISER)
async def pick_button(update: Update, context: WijkContext) -> object:
    """A quick answer: a goal, a last day, the kind, or ⏭️ no photo."""
    _ = context.gettext
    args = tapped(update)
    step, value = args.action, args.args[0]
    if value == "other":
        return await FLOW.another_day(update, context)
    answer: int | str | None = value if isinstance(value, str) else None  # the kind: keep or all
    if step == GOAL:
        answer = value * 100 if isinstance(value, int) and value in GOALS else None
    elif step == END:
        answer = value.isoformat() if isinstance(value, date) and value > today(context) else None
    elif step == PHOTO:
        answer = ""  # no photo
    if answer is None:
        return await FLOW.ask(update, context, step, _("Please tap one of the buttons."))
    return await FLOW.answer(update, context, step, answer)


def planned(context: WijkContext) -> campaigns.Plan:
    plan = FLOW.draft(context)
    return campaigns.Plan(
        title=plan[TITLE],
        purpose=plan[PURPOSE],
        goal_cents=plan[GOAL],
        ends_at=ends_at(context, plan[END]),
        all_or_nothing=plan[KIND] == "all",
        photo=plan[PHOTO] or None,
    )


def as_published(plan: campaigns.Plan) -> Campaign:
    """The campaign as it will be just after ✅ Publish: nothing pledged yet."""
    return Campaign(
        0, **vars(plan), status=campaigns.OPEN, pledged_cents=0, received_cents=0, supporters=0, reached=False
    )


async def preview(update: Update, context: WijkContext) -> None:
    """The campaign as members will see it, and what to do with it."""
    _ = context.gettext
    plan = planned(context)
    shown = card(_, context.language, as_published(plan), context.settings.timezone, context.now(), [])
    lines = [_("This is how members will see it:"), "", shown, ""]
    lines.append(_("Kind: {kind}").format(kind=_(KINDS[FLOW.draft(context)[KIND]])))
    lines.append("🖼️ " + (_("With a photo.") if plan.photo else _("Without a photo.")))
    publish = button("✅ " + _("Yes, publish"), AREA, "publish")
    await show(update, context, "\n".join(lines), inline(FLOW.preview_rows(_, publish)))


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> str | int:
    """✅ Yes, publish: members can pledge now (logged)."""
    _ = context.gettext
    plan = planned(context)
    if plan.ends_at <= context.now():
        return await FLOW.change(update, context, END, _("That day has passed. Please choose a later day."))
    campaign = campaigns.create(context.db, plan, context.known_member.id, context.now())
    context.answers.pop(AREA, None)
    await query(update).answer("✅")
    done = "✅ " + _("Published.") + "\n" + _("Members see it under 🙌 Take part → 🎯 Crowdfunding.")
    rows = [[button("🎯 " + campaign.title, AREA, "card", campaign.id)]]
    rows += [[button("➕ " + _("Ask for help or things"), "need", "new", campaign.id)], nav_row(_, menu_data())]
    await edit(update, done, inline(rows))
    return ConversationHandler.END


def menu_data() -> str:
    return callbacks.pack(AREA, "menu")


async def show_list(update: Update, context: WijkContext, page: int) -> None:
    """Every campaign, the newest first."""
    _ = context.gettext
    found = campaigns.every(context.db, page)
    text = "🎯 " + _("Campaigns") + "\n"
    text += _("Choose a campaign to see its pledges.") if found.items else _("There are no campaigns yet.")

    def label(c: Campaign) -> str:
        done = "🏁 " if c.status == campaigns.CLOSED else "🎯 "
        return done + c.title + " · " + money(c.pledged_cents, context.language)

    rows = [[button("➕ " + _("New campaign"), AREA, "new")]]
    rows += paged(found, lambda c: button(label(c), AREA, "card", c.id), AREA, "list")
    await show(update, context, text, inline(rows + [nav_row(_, callbacks.pack("org", "menu"))]))


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🎯 Campaigns from 📣 Organise."""
    await show_list(update, context, 0)


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    await show_list(update, context, tapped(update).int_arg(0))


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A campaign for organisers."""
    await show_organiser_card(update, context, found_campaign(context, tapped(update).int_arg(0)))


async def show_organiser_card(
    update: Update, context: WijkContext, campaign: Campaign, toast: str | None = None
) -> None:
    """The member's card, what came in, what it asks for besides money, and its pledges."""
    _ = context.gettext
    shown = card(_, context.language, campaign, context.settings.timezone, context.now(), [])
    lines = [shown, "", _("Received: {amount}").format(amount=money(campaign.received_cents, context.language))]
    lines.append(_("Kind: {kind}").format(kind=_(KINDS["all" if campaign.all_or_nothing else "keep"])))
    needs = campaign_needs.of_campaign(context.db, campaign.id)
    need_lines, need_rows = organiser_part(_, context.language, campaign.id, needs, campaign.open_at(context.now()))
    lines += need_lines
    rows = [[button("📋 " + _("Pledges"), AREA, "pledges", campaign.id, 0)], *need_rows]
    if campaign.open_at(context.now()):
        rows.append([button("🏁 " + _("End now"), AREA, "close", campaign.id)])
    await show(update, context, "\n".join(lines), inline([*rows, nav_row(_, menu_data())]), toast=toast)


@requires(Need.ORGANISER)
async def close_button(update: Update, context: WijkContext) -> None:
    """🏁 End now: first say what happens, for it cannot be undone."""
    _ = context.gettext
    campaign = found_campaign(context, tapped(update).int_arg(0))
    if not campaign.open_at(context.now()):
        raise callbacks.StaleButton(f"campaign {campaign.id} has ended")
    lines = [_("End “{title}” now?").format(title=escape(campaign.title)), _("Every supporter hears the result.")]
    if campaign.all_or_nothing and not campaign.reached:
        lines.append(_("The goal is not reached, so nobody pays."))
    lines.append(_("This cannot be undone."))
    rows = [
        [button("🏁 " + _("Yes, end it now"), AREA, "closeok", campaign.id)],
        [button("↩️ " + _("No"), AREA, "card", campaign.id)],
        nav_row(_, callbacks.pack(AREA, "card", campaign.id)),
    ]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ORGANISER)
async def close_confirmed_button(update: Update, context: WijkContext) -> None:
    """🏁 Yes, end it now: it closes as on its last day (logged); supporters get the result."""
    _ = context.gettext
    campaign_id = tapped(update).int_arg(0)
    ended = campaigns.end_now(context.db, campaign_id, context.known_member.id, context.now())
    if ended:
        context.wake_sender()
    toast = _("Ended. Every supporter gets a message.")
    if not ended and not context.double_tap:  # another organiser, or its last day came
        toast = _("This campaign has ended already.")
    await show_organiser_card(update, context, found_campaign(context, campaign_id), toast)


def who(_: Translate, pledge: Pledge, first: bool = False) -> str:
    """The supporter as organisers see them (the name also of anonymous ones, for the bookkeeping); `first`: at
    the start of a title or a line, so "a former member" starts with a capital."""
    name = pledge.first_name or _("a former member")
    if first:
        name = name[:1].upper() + name[1:]
    return ("🙈 " if pledge.anonymous else "") + name


async def show_pledges(
    update: Update, context: WijkContext, campaign_id: int, page: int, toast: str | None = None
) -> None:
    """A campaign's pledges: those that wait for the money first."""
    _ = context.gettext
    campaign = found_campaign(context, campaign_id)
    found = campaigns.pledges(context.db, campaign.id, page)
    text = "📋 " + _("Pledges for “{title}”").format(title=escape(campaign.title)) + "\n"
    text += _("Tap a pledge to mark the payment.") if found.items else _("Nobody pledged yet.")
    text += "\n🙈 " + _("= anonymous: other members do not see the name.")

    def label(p: Pledge) -> str:
        return " · ".join([who(_, p, first=True), money(p.amount_cents, context.language), _(STATUS[p.status])])

    rows = paged(found, lambda p: button(label(p), AREA, "pledge", p.id, page), AREA, "pledges", campaign.id)
    await show(
        update, context, text, inline(rows + [nav_row(_, callbacks.pack(AREA, "card", campaign.id))]), toast=toast
    )


@requires(Need.ORGANISER)
async def pledges_button(update: Update, context: WijkContext) -> None:
    args = tapped(update)
    await show_pledges(update, context, args.int_arg(0), args.int_arg(1))


def found_pledge(context: WijkContext, pledge_id: int) -> Pledge:
    pledge = campaigns.get_pledge(context.db, pledge_id)
    if pledge is None:
        raise callbacks.StaleButton(f"no pledge {pledge_id}")
    return pledge


@requires(Need.ORGANISER)
async def pledge_button(update: Update, context: WijkContext) -> None:
    args = tapped(update)
    await show_pledge(update, context, found_pledge(context, args.int_arg(0)), args.int_arg(1))


async def show_pledge(update: Update, context: WijkContext, pledge: Pledge, page: int) -> None:
    """A pledge: who, how much, the reference; ✅ Received or ✖️ Lapsed while it waits, and ✅ Received when
    the money came after it lapsed (found by its reference, handlers/payment_search.py)."""
    _ = context.gettext
    campaign = found_campaign(context, pledge.campaign_id)  # named: 🔎 may have found the pledge from anywhere
    lines = [
        "💶 " + escape(who(_, pledge, first=True)) + " · " + format_member_no(_, pledge.member_no),
        "🎯 " + escape(campaign.title),
        _("Amount: {amount}").format(amount=money(pledge.amount_cents, context.language)),
        _("Reference: {reference}").format(reference=f"<code>{payments.grouped(pledge.reference or '')}</code>"),
        _(STATUS[pledge.status]),
    ]
    rows = []
    if pledge.status == campaigns.PLEDGED:
        rows.append(
            [
                button("✅ " + _("Received"), AREA, "got", pledge.id, page),
                button("✖️ " + _("Lapsed"), AREA, "lapse", pledge.id, page),
            ]
        )
    elif pledge.status == campaigns.LAPSED and pledge.left:  # no thank-you, no count: the money goes back
        lines.append("⚠️ " + _(MEMBER_LEFT))
    elif pledge.status == campaigns.LAPSED and campaign.pays_now():
        lines.append(_("Did the payment come after all? Tap ✅ Received."))
        rows.append([button("✅ " + _("Received"), AREA, "got", pledge.id, page)])
    rows.append(nav_row(_, callbacks.pack(AREA, "pledges", pledge.campaign_id, page)))
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ORGANISER)
async def lapse_button(update: Update, context: WijkContext) -> None:
    """✖️ Lapsed: asked once, the member is told."""
    _ = context.gettext
    args = tapped(update)
    pledge = found_pledge(context, args.int_arg(0))
    if pledge.status != campaigns.PLEDGED:  # an old card: received or lapsed meanwhile, its card says which
        await pledge_button(update, context)
        return
    text = _("Has the pledge of {name} lapsed? They get a message.").format(name=escape(who(_, pledge)))
    rows = [
        [button("✖️ " + _("Yes, lapsed"), AREA, "lapseok", pledge.id, args.int_arg(1))],
        nav_row(_, callbacks.pack(AREA, "pledge", pledge.id, args.int_arg(1))),
    ]
    await show(update, context, text, inline(rows))


async def decide(update: Update, context: WijkContext, status: str, done: str) -> None:
    """One decision about a pledge, then its list again with what happened as a toast."""
    _ = context.gettext
    args = tapped(update)
    decision = campaigns.decide(context.db, args.int_arg(0), status, context.known_member.id, context.now())
    if decision.pledge is None:
        raise callbacks.StaleButton(f"no pledge {args.int_arg(0)}")
    action = {campaigns.RECEIVED: campaigns.RECEIVED_ACTION, campaigns.LAPSED: campaigns.LAPSED_ACTION}[status]
    if decision.outcome is Outcome.NOT_YET:
        toast = _("All or nothing: members pay only when the goal is reached. Nothing was changed.")
    elif decision.outcome is Outcome.FAILED:
        toast = _("The campaign closed without reaching its goal, so nobody pays. Nothing was changed.")
    elif decision.outcome is Outcome.LEFT:
        toast = _(MEMBER_LEFT)
    elif decision.outcome is Outcome.DONE or just_acted(context, action, decision.pledge.member_id):
        toast = done  # done now, or by their own first tap moments ago
    elif decision.pledge.decided_by is None:  # lapsed when the campaign closed short, or the member left
        toast = _("The bot did this already. Nothing was changed.")
    else:
        toast = _("Another organiser did this already.")
    await show_pledges(update, context, decision.pledge.campaign_id, args.int_arg(1), toast)


@requires(Need.ORGANISER)
async def received_button(update: Update, context: WijkContext) -> None:
    """✅ Received: one tap, logged; the member is thanked; counted once."""
    await decide(update, context, campaigns.RECEIVED, "✅ " + context.gettext("Received. The member gets a thank-you."))


@requires(Need.ORGANISER)
async def lapsed_button(update: Update, context: WijkContext) -> None:
    """✖️ Yes, lapsed."""
    await decide(update, context, campaigns.LAPSED, context.gettext("Lapsed. The member gets a message."))


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


async def back_to_list(update: Update, context: WijkContext) -> None:
    """⬅️ Back at the first step: every campaign again."""
    await show_list(update, context, 0)


FLOW = StepFlow(AREA, STEPS, preview=preview, stopped=N_("Stopped. Nothing was published."), out=back_to_list, day=END)


def handlers() -> list[BaseHandler]:
    states = FLOW.states(pick_button, CallbackQueryHandler(publish_button, pattern=on("publish")))
    states[PHOTO].insert(0, MessageHandler(filters.PHOTO, photo_message))
    return [
        FLOW.conversation("plan_campaign", states),
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(close_button, pattern=on("close")),
        CallbackQueryHandler(close_confirmed_button, pattern=on("closeok")),
        CallbackQueryHandler(pledges_button, pattern=on("pledges")),
        CallbackQueryHandler(pledge_button, pattern=on("pledge")),
        CallbackQueryHandler(received_button, pattern=on("got")),
        CallbackQueryHandler(lapse_button, pattern=on("lapse")),
        CallbackQueryHandler(lapsed_button, pattern=on("lapseok")),
    ]
