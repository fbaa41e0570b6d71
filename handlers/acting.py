"""📣 Organise → 👥 a member's card → 🧾 Act for this member: what an organiser does for a member who asked
at the desk, by phone or on paper (issue 13). Votes and help requests have their own modules
(handlers/acting_votes.py, handlers/acting_help.py); here: activities, their details and phone number.

First how the member asked (🧾 at the desk, 📞 by phone, 📄 on paper): kept in the organiser's answers for
this one member and logged with every act. Then 📅 sign them up for an activity or ✖️ sign them off from
one, by exactly the rules of the member's own taps (storage/activities.py rsvp and withdraw with
for_member_by): the act, its audit entry and the member's message are one transaction. Every tap reads the
member and the activity again, so a stale, forged or second tap changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import activity_text, callbacks, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_member_no, format_short_when
from bot.i18n import N_
from bot.incoming import tapped, text
from bot.keyboards import button, inline, nav_row, paged, typed_text
from bot.member_text import details
from bot.replies import show
from handlers import calls
from storage import activities, members
from storage.activities import GOING, OFFERED, WAITING, Activity, Answer, Card, Rsvp
from storage.audit import REASONS, Acting
from storage.members import ACTIVE, Member

AREA = "act4"
PHONE = "phone"  # the one typed step: a new phone number
SIGNED_UP_MARKS = {GOING: "✅", WAITING: "⏳", OFFERED: "🎉"}
# How the member asked: the buttons of the first question (storage/audit.py REASONS).
REASON_LABELS = {"desk": ("🧾", N_("At the desk")), "phone": ("📞", N_("By phone")), "paper": ("📄", N_("On paper"))}
# What came of a tap on an activity, as the organiser reads it.
RESULTS = {
    Answer.GOING: N_("✅ {name} is coming to {title}."),
    Answer.ALREADY_GOING: N_("✅ {name} was already coming to {title}. Nothing changed."),
    Answer.WAITING: N_("⏳ {title} is full. {name} is number {position} on the waiting list."),
    Answer.ALREADY_WAITING: N_("⏳ {name} was already on the waiting list of {title}. Nothing changed."),
    Answer.HELD: N_("🎉 A place is held for {name} at {title}. Nothing changed."),
    Answer.CLOSED: N_("You can no longer sign up for this activity."),
    Answer.CANCELLED: N_("This activity does not go on."),
    Answer.STARTED: N_("This activity has started. The lists stay as they are."),
    Answer.LEFT: N_("✖️ {name} is off the list of {title}."),
    Answer.NOT_LISTED: N_("{name} was not on the list of {title}. Nothing changed."),
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def acted_for(context: WijkContext, member_id: int) -> Member:
    """The member behind a button; one who is gone or not active (any more) makes it a stale button."""
    member = members.get(context.db, member_id)
    if member is None or member.status != ACTIVE:
        raise callbacks.StaleButton(f"member {member_id} is not active")
    return member


def kept_reason(context: WijkContext, member_id: int) -> str | None:
    """How this member asked, as the organiser said it in this flow; None when not said for them."""
    kept = context.answers.get(AREA)
    if isinstance(kept, dict) and kept.get("member") == member_id and kept.get("reason") in REASONS:
        return str(kept["reason"])
    return None


def name_of(member: Member) -> str:
    """Escaped, and kept apart when written in Arabic letters (also in lines built here, not in a catalog)."""
    return str(i18n.kept_apart(escape(member.first_name or "")))


def back_to_card(member: Member) -> str:
    return callbacks.pack("org", "card", member.id)


def done_rows(context: WijkContext, member: Member) -> list[list[InlineKeyboardButton]]:
    """The way on after an act: 📞 back to the member's call when calls wait for them (handlers/calls.py: tick
    ✅ Called there), ⬅️ Back to their card and 🏠."""
    _ = context.gettext
    waiting = calls.to_say(context, member.id)  # what still holds: a vote they just cast is off the list
    call = [[button("📞 " + _("Back to the call"), "call", "card", member.id, 0)]] if waiting else []
    return [*call, nav_row(_, back_to_card(member))]


async def ask_reason(update: Update, context: WijkContext, member: Member) -> None:
    """The first question: how the member asked."""
    _ = context.gettext
    text = _("🧾 How did {name} ask?").format(name=name_of(member))
    rows = [
        [button(f"{mark} {_(label)}", AREA, "how", member.id, reason)]
        for reason, (mark, label) in REASON_LABELS.items()
    ]
    await show(update, context, text, inline([*rows, nav_row(_, back_to_card(member))]))


@requires(Need.ORGANISER)
async def start_button(update: Update, context: WijkContext) -> None:
    """🧾 Act for this member, on their card."""
    await ask_reason(update, context, acted_for(context, tapped(update).int_arg(0)))


@requires(Need.ORGANISER)
async def how_button(update: Update, context: WijkContext) -> None:
    """🧾 / 📞 / 📄: kept for this member, then what to do."""
    data = tapped(update)
    member = acted_for(context, data.int_arg(0))
    context.answers[AREA] = {"member": member.id, "reason": data.str_arg(1)}
    await show_choices(update, context, member)


async def show_choices(update: Update, context: WijkContext, member: Member) -> None:
    _ = context.gettext
    text = f"🧾 {name_of(member)} · {format_member_no(_, member.member_no)}\n" + _("What do you want to do for them?")
    rows = [
        [button("📅 " + _("Sign up for an activity"), AREA, "acts", member.id, 0)],
        [button("✖️ " + _("Sign off from an activity"), AREA, "mine", member.id, 0)],
        [button("🗳️ " + _("Vote with their choice"), "act4v", "start", member.id)],  # handlers/acting_votes.py
        [button("🤝 " + _("Ask for help for them"), "act4h", "start", member.id)],  # handlers/acting_help.py
        [button("👤 " + _("Their details"), AREA, "info", member.id)],
        *done_rows(context, member)[:-1],  # 📞 back to their call, when one waits
        nav_row(_, callbacks.pack(AREA, "start", member.id)),
    ]
    await show(update, context, text, inline(rows))


async def with_reason(update: Update, context: WijkContext, member: Member) -> Acting | None:
    """Who acts and how the member asked; when that was not said for this member (another member's flow,
    answers gone), the question is asked again and nothing is done."""
    reason = kept_reason(context, member.id)
    if reason is None:
        await ask_reason(update, context, member)
        return None
    return Acting(context.known_member.id, reason)


@requires(Need.ORGANISER)
async def what_button(update: Update, context: WijkContext) -> None:
    """⬅️ Back to what to do for the member."""
    member = acted_for(context, tapped(update).int_arg(0))
    if await with_reason(update, context, member) is not None:
        await show_choices(update, context, member)


@requires(Need.ORGANISER)
async def activities_button(update: Update, context: WijkContext) -> None:
    """📅 Sign up for an activity: the upcoming ones, soonest first, 5 a page."""
    _ = context.gettext
    data = tapped(update)
    member, page = acted_for(context, data.int_arg(0)), data.int_arg(1)
    if await with_reason(update, context, member) is None:
        return
    upcoming = activities.upcoming(context.db, context.now(), page)
    if not upcoming.items and page:  # an old ▶️: the list got shorter since
        upcoming = activities.upcoming(context.db, context.now(), 0)
    tz = context.settings.timezone

    def line(activity: Activity) -> InlineKeyboardButton:
        """Marked when they are on its lists already: ✅ coming, ⏳ waiting, 🎉 a place held for them."""
        card = activities.card(context.db, activity.id, member.id)
        mark = SIGNED_UP_MARKS.get(card.status or "", "") if card else ""
        label = activity_text.list_line(_, activity, context.language, tz)
        return button(f"{mark} {label}".strip(), AREA, "in", member.id, activity.id)

    if upcoming.items:
        text = _("📅 Sign {name} up for which activity?").format(name=name_of(member))
    else:
        text = _("📅 There are no activities planned yet.")
    rows = paged(upcoming, line, AREA, "acts", member.id)
    await show(update, context, text, inline([*rows, nav_row(_, callbacks.pack(AREA, "what", member.id))]))


@requires(Need.ORGANISER)
async def mine_button(update: Update, context: WijkContext) -> None:
    """✖️ Sign off from an activity: the member's coming activities, soonest first, 5 a page."""
    _ = context.gettext
    data = tapped(update)
    member, page = acted_for(context, data.int_arg(0)), data.int_arg(1)
    if await with_reason(update, context, member) is None:
        return
    theirs = activities.of_member(context.db, member.id, context.now(), page)
    if not theirs.items and page:  # an old ▶️: the list got shorter since
        theirs = activities.of_member(context.db, member.id, context.now(), 0)
    tz = context.settings.timezone

    def line(card: Card) -> InlineKeyboardButton:
        mark = SIGNED_UP_MARKS.get(card.status or "", "")
        when = format_short_when(card.activity.starts_at, context.language, tz)
        label = f"{mark} {activity_text.button_title(card.activity)} · {when}"
        return button(label, AREA, "off", member.id, card.activity.id)

    if theirs.items:
        text = _("✖️ Sign {name} off from which activity?").format(name=name_of(member))
    else:
        text = _("{name} has not signed up for any activity.").format(name=name_of(member))
    rows = paged(theirs, line, AREA, "mine", member.id)
    await show(update, context, text, inline([*rows, nav_row(_, callbacks.pack(AREA, "what", member.id))]))


async def show_result(update: Update, context: WijkContext, member: Member, activity_id: int, result: Rsvp) -> None:
    """What happened, with ⬅️ Back to the member's card; the sender sends what others must hear now."""
    _ = context.gettext
    if result.answer is Answer.NO_MEMBER:
        raise callbacks.StaleButton(f"member {member.id} is no longer active")
    if result.card is None:
        raise callbacks.StaleButton(f"activity {activity_id} is gone")
    context.wake_sender()
    text = _(RESULTS[result.answer]).format(
        name=name_of(member), title=escape(result.card.activity.title), position=result.card.position
    )
    await show(update, context, text, inline(done_rows(context, member)))


@requires(Need.ORGANISER)
async def in_button(update: Update, context: WijkContext) -> None:
    """An activity from the list: the member gets a place, or a place on the waiting list."""
    data = tapped(update)
    member, activity_id = acted_for(context, data.int_arg(0)), data.int_arg(1)
    acting = await with_reason(update, context, member)
    if acting is not None:
        result = activities.rsvp(context.db, activity_id, member.id, context.now(), context.timing, acting)
        if result.answer in (Answer.HELD, Answer.ALREADY_WAITING):  # a held place, or one free in the last hours
            taken = activities.accept_offer(context.db, activity_id, member.id, context.now(), context.timing, acting)
            result = taken if taken.answer is Answer.GOING else result  # they may not tap (no Telegram): take it
        await show_result(update, context, member, activity_id, result)


@requires(Need.ORGANISER)
async def off_button(update: Update, context: WijkContext) -> None:
    """One of their activities: giving a place away cannot be undone, so ask once (UX.md)."""
    _ = context.gettext
    data = tapped(update)
    member, activity_id = acted_for(context, data.int_arg(0)), data.int_arg(1)
    card = activities.card(context.db, activity_id, member.id)
    if card is None:
        raise callbacks.StaleButton(f"activity {activity_id} is gone")
    if card.status is None or not card.activity.open_at(context.now()):
        await offok_button(update, context)  # nothing to give away: told why not
        return
    text = _("Sign {name} off from {title}?").format(name=name_of(member), title=escape(card.activity.title))
    if card.status in (GOING, OFFERED):
        text += "\n" + _("Their place then goes to someone else.")
    back = callbacks.pack(AREA, "mine", member.id, 0)
    rows = [
        [button("✅ " + _("Yes"), AREA, "offok", member.id, activity_id)],
        [InlineKeyboardButton("↩️ " + _("No"), callback_data=back)],
        nav_row(_, back),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def offok_button(update: Update, context: WijkContext) -> None:
    """✅ Yes: the member is off the list, and a freed place is offered to the next one waiting."""
    data = tapped(update)
    member, activity_id = acted_for(context, data.int_arg(0)), data.int_arg(1)
    acting = await with_reason(update, context, member)
    if acting is not None:
        result = activities.withdraw(context.db, activity_id, member.id, context.now(), context.timing, acting)
        await show_result(update, context, member, activity_id, result)


@requires(Need.ORGANISER)
async def info_button(update: Update, context: WijkContext) -> None:
    """👤 Their details, as they would see them under 👤 My details, and what they signed up for: read out
    at the desk or on the phone. Logged, as personal data was shown for them."""
    _ = context.gettext
    member = acted_for(context, tapped(update).int_arg(0))
    acting = await with_reason(update, context, member)
    if acting is None:
        return
    members.shown_for(context.db, member.id, acting, context.now())
    lines = [details(_, member, context.language, context.settings.timezone), "", _("Signed up for:")]
    theirs = activities.of_member(context.db, member.id, context.now(), 0)
    for card in theirs.items:
        when = format_short_when(card.activity.starts_at, context.language, context.settings.timezone)
        lines.append(f"{SIGNED_UP_MARKS.get(card.status or '', '')} {escape(card.activity.title)} · {when}")
    if not theirs.items:
        lines.append(_("nothing coming"))
    elif theirs.has_next:
        lines.append("…")
    rows = [
        [button("📞 " + _("Change phone number"), AREA, "phone", member.id)],
        nav_row(_, callbacks.pack(AREA, "what", member.id)),
    ]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ORGANISER)
async def phone_button(update: Update, context: WijkContext) -> object:
    """📞 Change phone number: type it, or tap that there is none."""
    member = acted_for(context, tapped(update).int_arg(0))
    if await with_reason(update, context, member) is None:
        return ConversationHandler.END
    return await ask_phone(update, context, member)


async def ask_phone(update: Update, context: WijkContext, member: Member, error: str = "") -> str:
    _ = context.gettext
    question = _("Type the new phone number of {name}.").format(name=name_of(member))
    rows = [
        [button("🚫 " + _("No phone number"), AREA, "nophone", member.id)],
        nav_row(_, callbacks.pack(AREA, "info", member.id)),
    ]
    await show(update, context, f"{error}\n\n{question}".strip(), inline(rows))
    return PHONE


def phone_for(context: WijkContext) -> Member:
    """The member whose number is being changed (kept with how they asked)."""
    kept = context.answers.get(AREA)
    if not isinstance(kept, dict) or not isinstance(kept.get("member"), int):
        raise callbacks.StaleButton("no member to change the phone number of")
    return acted_for(context, kept["member"])


async def changed_phone(update: Update, context: WijkContext, member: Member, phone: str | None) -> int:
    acting = await with_reason(update, context, member)
    if acting is not None:
        members.set_phone(context.db, member.id, phone, acting, context.now())
        _ = context.gettext
        back = inline([nav_row(_, callbacks.pack(AREA, "info", member.id))])
        await show(update, context, "✅ " + _("The phone number is changed."), back)
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def phone_text(update: Update, context: WijkContext) -> object:
    """The new number was typed."""
    member = phone_for(context)
    try:
        phone = validation.phone(text(update))
    except validation.Invalid as invalid:
        return await ask_phone(update, context, member, invalid.text(context.gettext))
    return await changed_phone(update, context, member, phone)


@requires(Need.ORGANISER)
async def no_phone_button(update: Update, context: WijkContext) -> object:
    """🚫 No phone number: the one known is removed."""
    return await changed_phone(update, context, acted_for(context, tapped(update).int_arg(0)), None)


async def leave_phone(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu while asked for a number: nothing changes."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was changed."), "act4_phone")


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "act4_phone",
            entry_points=[CallbackQueryHandler(phone_button, pattern=on("phone"))],
            states={PHONE: [MessageHandler(typed_text(), phone_text)]},
            fallbacks=[
                CallbackQueryHandler(no_phone_button, pattern=on("nophone")),
                CallbackQueryHandler(info_button, pattern=on("info")),
                *leave_handlers(leave_phone),
            ],
        ),
        CallbackQueryHandler(info_button, pattern=on("info")),
        CallbackQueryHandler(no_phone_button, pattern=on("nophone")),
        CallbackQueryHandler(start_button, pattern=on("start")),
        CallbackQueryHandler(how_button, pattern=on("how")),
        CallbackQueryHandler(what_button, pattern=on("what")),
        CallbackQueryHandler(activities_button, pattern=on("acts")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(in_button, pattern=on("in")),
        CallbackQueryHandler(off_button, pattern=on("off")),
        CallbackQueryHandler(offok_button, pattern=on("offok")),
    ]
