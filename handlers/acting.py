"""📣 Organise → 👥 a member's card → 🧾 Act for this member: what an organiser does for a member who asked
at the desk, by phone or on paper (issue 13).

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
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import activity_text, callbacks, i18n
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import format_member_no, format_short_when
from bot.i18n import N_
from bot.incoming import tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show
from storage import activities, members
from storage.activities import GOING, OFFERED, WAITING, Activity, Answer, Card, Rsvp
from storage.audit import REASONS, Acting
from storage.members import ACTIVE, Member

AREA = "act4"
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
        return button(activity_text.list_line(_, activity, context.language, tz), AREA, "in", member.id, activity.id)

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
        mark = {GOING: "✅", WAITING: "⏳", OFFERED: "🎉"}.get(card.status or "", "")
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
    await show(update, context, text, inline([nav_row(_, back_to_card(member))]))


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


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(start_button, pattern=on("start")),
        CallbackQueryHandler(how_button, pattern=on("how")),
        CallbackQueryHandler(what_button, pattern=on("what")),
        CallbackQueryHandler(activities_button, pattern=on("acts")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(in_button, pattern=on("in")),
        CallbackQueryHandler(off_button, pattern=on("off")),
        CallbackQueryHandler(offok_button, pattern=on("offok")),
    ]
