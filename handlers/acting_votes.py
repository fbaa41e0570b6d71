"""🧾 Act for this member → 🗳️ Vote with their choice: an organiser casts the vote a member told them at the
desk, by phone or on paper (issue 13).

Their open votes (only those they may vote on), then the vote's options exactly as their own ballot has
them (a budget: tick projects within the budget, then ✅ Send), then "is this what they said?", then the
vote is cast by storage/votes.py with for_member_by: the rules of the member's own tap, the audit entry and
their message in one transaction. What was chosen travels only in the buttons (a mask of the options'
positions), never in the answers kept for the organiser: a secret vote keeps no more than the member's own
ballot would (storage/votes.py _helped).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, vote_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.i18n import N_
from bot.incoming import query, tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import just_acted, show, tapped_twice
from handlers import acting
from handlers.voting import chosen_words
from storage import votes
from storage.audit import Acting
from storage.members import Member
from storage.tally import BUDGET
from storage.votes import Answer, Card, Cast, Listed, Vote

AREA = "act4v"
# Why the member's vote cannot be cast (now), as the organiser reads it.
REFUSALS = {
    Answer.ALREADY_VOTED: N_("{name} has already voted on {title}. Nothing changed."),
    Answer.CLOSED: N_("This vote is closed. Nothing changed."),
    Answer.NOT_OPEN: N_("This vote is not open yet."),
    Answer.NOT_ELIGIBLE: N_("{name} cannot vote on {title}. Only members who were members when it opened can vote."),
}
SECRET = N_("This vote is secret. Nobody can see in the bot what {name} chose.")


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def mask_of(vote: Vote, chosen: frozenset[int]) -> int:
    """The chosen options as one number for a button: bit n-1 for the option at position n."""
    return sum(1 << (option.position - 1) for option in vote.options if option.id in chosen)


def ticked(vote: Vote, mask: int) -> frozenset[int]:
    """The options a button's mask names; a bit for no option of this vote: a forged button."""
    chosen = frozenset(option.id for option in vote.options if mask >> (option.position - 1) & 1)
    if mask_of(vote, chosen) != mask:
        raise callbacks.StaleButton(f"mask {mask} is not of vote {vote.id}")
    return chosen


def refusal(card: Card, now_open: Answer | None) -> Answer | None:
    """Why this member's vote cannot be cast now (None: it can), as the transaction that casts it decides too."""
    if now_open is not None:
        return now_open
    if not card.eligible:
        return Answer.NOT_ELIGIBLE
    if card.voted or card.counted:
        return Answer.ALREADY_VOTED
    return None


def to_list(member: Member) -> str:
    return callbacks.pack(AREA, "list", member.id, 0)


async def show_votes(update: Update, context: WijkContext, member: Member, page: int) -> None:
    """The open votes this member may vote on, soonest deadline first, 5 a page; ✅ where they voted."""
    _ = context.gettext
    if await acting.with_reason(update, context, member) is None:
        return
    now = context.now()
    listed = votes.open_for_member(context.db, member.id, now, page, voters_only=True)
    if not listed.items and page:  # an old ▶️: the list got shorter since
        listed = votes.open_for_member(context.db, member.id, now, 0, voters_only=True)

    def line(item: Listed) -> InlineKeyboardButton:
        mark = "✅" if item.voted else "🗳️"
        left = vote_text.time_left(_, context.language, item.vote.closes_at, now)
        label = f"{mark} {vote_text.on_a_button(item.vote.title)} · {left}"
        return button(label, AREA, "vote", member.id, item.vote.id, 0)

    name = acting.name_of(member)
    if listed.items:
        text = _("🗳️ On which vote does {name} want to vote?").format(name=name)
        if any(item.voted for item in listed.items):
            text += "\n" + _("✅ means they voted already.")
    else:
        text = _("🗳️ There is no open vote that {name} can vote on.").format(name=name)
    rows = paged(listed, line, AREA, "list", member.id)
    await show(update, context, text, inline([*rows, nav_row(_, callbacks.pack(acting.AREA, "what", member.id))]))


@requires(Need.ORGANISER)
async def start_button(update: Update, context: WijkContext) -> None:
    """🗳️ Vote with their choice."""
    await show_votes(update, context, acting.acted_for(context, tapped(update).int_arg(0)), 0)


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️, or ⬅️ Back to their votes."""
    data = tapped(update)
    await show_votes(update, context, acting.acted_for(context, data.int_arg(0)), data.int_arg(1))


async def show_refusal(update: Update, context: WijkContext, member: Member, vote: Vote, why: Answer) -> None:
    _ = context.gettext
    text = _(REFUSALS[why]).format(name=acting.name_of(member), title=escape(vote.title))
    await show(update, context, text, inline([nav_row(_, to_list(member))]))


async def open_card(update: Update, context: WijkContext, member: Member, vote_id: int) -> Card | None:
    """The vote as this member's ballot has it; None when it cannot be cast (then that is shown)."""
    card = votes.card(context.db, vote_id, member.id)
    if card is None:
        raise callbacks.StaleButton(f"vote {vote_id} is gone")
    why = refusal(card, votes.refusal(card.vote, context.now()))
    if why is not None:
        await show_refusal(update, context, member, card.vote, why)
        return None
    return card


async def show_ballot(
    update: Update, context: WijkContext, member: Member, vote: Vote, chosen: frozenset[int], toast: str | None = None
) -> None:
    """The vote and its options as the member's own ballot shows them; a budget with the ticks so far."""
    _ = context.gettext
    language, name = context.language, acting.name_of(member)
    lines = [vote_text.heading(vote), vote_text.short_body(vote)[0], ""]
    lines.append("⏳ " + vote_text.deadline(_, vote, language, context.settings.timezone, context.now()))
    lines += vote_text.rules(_, vote, language)[1:]  # its first line speaks to the voter; the organiser's is below
    lines += vote_text.notes(vote)
    if vote.secret:
        lines.append("🔒 " + _(SECRET).format(name=name))
    lines.append("")
    mask = mask_of(vote, chosen)
    rows = []
    for option in vote.options:
        label = vote_text.option_label(_, vote, option, language, html=False)
        if vote.kind == BUDGET:
            mark = "☑️ " if option.id in chosen else "⬜ "
            rows.append([button(mark + label, AREA, "tick", member.id, vote.id, mask, option.position)])
        else:
            rows.append([button(label, AREA, "sure", member.id, vote.id, 1 << (option.position - 1))])
    if vote.kind == BUDGET:
        spent = sum(option.amount_cents or 0 for option in vote.options if option.id in chosen)
        lines.append(_("Tick the projects {name} chose. Then tap ✅ Send.").format(name=name))
        lines.append(
            _("Chosen: {spent}. Left: {left}.").format(
                spent=vote_text.money(spent, language), left=vote_text.money((vote.budget_cents or 0) - spent, language)
            )
        )
        if chosen:
            rows.append([button("✅ " + _("Send"), AREA, "sure", member.id, vote.id, mask)])
    else:
        lines.append(_("Tap what {name} chose.").format(name=name))
    rows.append(nav_row(_, to_list(member)))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ORGANISER)
async def vote_button(update: Update, context: WijkContext) -> None:
    """A vote from their list (or ⬅️ Back to it, with the projects ticked so far)."""
    data = tapped(update)
    member = acting.acted_for(context, data.int_arg(0))
    if await acting.with_reason(update, context, member) is None:
        return
    card = await open_card(update, context, member, data.int_arg(1))
    if card is not None:
        await show_ballot(update, context, member, card.vote, ticked(card.vote, data.int_arg(2)))


@requires(Need.ORGANISER)
async def tick_button(update: Update, context: WijkContext) -> None:
    """A budget project on or off, within the budget; nothing is stored until ✅ Yes."""
    _ = context.gettext
    data = tapped(update)
    member, position = acting.acted_for(context, data.int_arg(0)), data.int_arg(3)
    card = await open_card(update, context, member, data.int_arg(1))
    if card is None:
        return
    vote, chosen = card.vote, ticked(card.vote, data.int_arg(2))
    option = next((o for o in vote.options if o.position == position), None)
    if vote.kind != BUDGET or option is None:
        raise callbacks.StaleButton(f"no project {position} on vote {vote.id}")
    after = chosen ^ {option.id}
    spent = sum(o.amount_cents or 0 for o in vote.options if o.id in after)
    if spent > (vote.budget_cents or 0):
        left = (vote.budget_cents or 0) - card.spent_cents(chosen)
        toast = _("That does not fit. There is {left} left. Take something off first.").format(
            left=vote_text.money(left, context.language)
        )
        await show_ballot(update, context, member, vote, chosen, toast)
        return
    await show_ballot(update, context, member, vote, after)


@requires(Need.ORGANISER)
async def sure_button(update: Update, context: WijkContext) -> None:
    """The choice, to check with what the member said."""
    _ = context.gettext
    data = tapped(update)
    member, mask = acting.acted_for(context, data.int_arg(0)), data.int_arg(2)
    card = await open_card(update, context, member, data.int_arg(1))
    if card is None:
        return
    vote, chosen = card.vote, ticked(card.vote, mask)
    if not chosen or (vote.kind != BUDGET and len(chosen) != 1):
        raise callbacks.StaleButton(f"mask {mask} is no choice on vote {vote.id}")
    choice = chosen_words(_, vote, chosen, context.language)
    text = vote_text.heading(vote) + "\n\n"
    text += _("{name} votes: {choice}. Is this what they said?").format(name=acting.name_of(member), choice=choice)
    back = callbacks.pack(AREA, "vote", member.id, vote.id, mask if vote.kind == BUDGET else 0)
    rows = [[button("✅ " + _("Yes"), AREA, "yes", member.id, vote.id, mask)], nav_row(_, back)]
    await show(update, context, text, inline(rows))


def cast_for(context: WijkContext, member: Member, vote: Vote, chosen: frozenset[int], by: Acting) -> Cast:
    """By the storage rules of the member's own tap: one option, or a budget's projects at once."""
    if vote.kind == BUDGET:
        return votes.tick_all(context.db, vote.id, member.id, chosen, context.now(), for_member_by=by)
    if len(chosen) != 1:
        raise callbacks.StaleButton(f"{len(chosen)} choices on vote {vote.id}")
    return votes.cast(context.db, vote.id, member.id, next(iter(chosen)), context.now(), for_member_by=by)


@requires(Need.ORGANISER)
async def yes_button(update: Update, context: WijkContext) -> None:
    """✅ Yes: the vote is cast for them, by the rules of their own tap; then what happened."""
    _ = context.gettext
    data = tapped(update)
    member, vote_id = acting.acted_for(context, data.int_arg(0)), data.int_arg(1)
    acting_by = await acting.with_reason(update, context, member)
    if acting_by is None:
        return
    vote = votes.get(context.db, vote_id)
    if vote is None:
        raise callbacks.StaleButton(f"vote {vote_id} is gone")
    chosen = ticked(vote, data.int_arg(2))
    cast = cast_for(context, member, vote, chosen, acting_by)
    if cast.answer in REFUSALS and just_acted(context, votes.VOTED_FOR, member.id):
        await query(update).answer("✅ " + _("Done"))  # a double tap: the first one's result stays on the screen
        return
    if cast.answer in REFUSALS and tapped_twice(query(update)):
        raise callbacks.StaleButton("a tap on a button the last answer took away")
    if cast.answer in REFUSALS:
        await show_refusal(update, context, member, vote, cast.answer)
        return
    if cast.answer is not Answer.VOTED or cast.card is None:  # gone, no option, member left: forged or stale
        raise callbacks.StaleButton(f"casting for member {member.id} on vote {vote_id} ended {cast.answer}")
    context.wake_sender()
    name = acting.name_of(member)
    if vote.secret:
        text = _("✅ {name} has voted on {title}.").format(name=name, title=escape(vote.title))
        text += "\n🔒 " + _(SECRET).format(name=name)
    else:
        choice = chosen_words(_, vote, chosen, context.language)
        text = _("✅ {name} has voted on {title}: {choice}.").format(name=name, title=escape(vote.title), choice=choice)
    if cast.dropped is not None:
        holder = escape(cast.dropped.holder_name or _("a member"))
        text += "\n🤝 " + _("{holder} no longer votes for them.").format(holder=holder)
    await show(update, context, text, inline(acting.done_rows(context, member)))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(start_button, pattern=on("start")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(vote_button, pattern=on("vote")),
        CallbackQueryHandler(tick_button, pattern=on("tick")),
        CallbackQueryHandler(sure_button, pattern=on("sure")),
        CallbackQueryHandler(yes_button, pattern=on("yes")),
    ]
