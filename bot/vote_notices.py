"""The messages the bot sends by itself about votes, proxies and proposals (bot/notices.py asks here).

Each is composed when it goes out, from the database as it is then: a
reminder to someone who voted meanwhile, a proxy request that was taken back
or a proposal someone already decided is not sent. Messages about a proxy
never say what was chosen.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import i18n, vote_text
from bot.config import Settings
from bot.formatting import format_when
from bot.i18n import N_, Translate
from bot.keyboards import button, inline, main_menu, nav_row
from storage import members, proposals, votes
from storage.db import Database
from storage.members import ACTIVE, Member
from storage.outbox import Claimed
from storage.votes import Vote

PROXY_NEWS = {
    "proxy_accepted": N_("🤝 {holder} will vote for you on: {title}."),
    "proxy_refused": N_(
        "{holder} does not want to vote for you on: {title}. You can vote yourself, or ask someone else."
    ),
    "proxy_used": N_(
        "🤝 {holder} voted for you on: {title}.\nYou can still vote yourself until {until}. Then your own vote counts."
    ),
    "proxy_dropped": N_("{giver} voted on: {title}. Your vote for them no longer counts."),
    "proxy_withdrawn": N_("{giver} no longer asks you to vote for them on: {title}."),
    "proxy_lapsed": N_("The proxy for {title} has ended: the other member left the cooperative."),
}
PROPOSAL_NEWS = {
    "proposal_voting": N_("🗳️ Good news: your proposal “{title}” is put to a vote."),
    "proposal_asked": N_(
        "❓ An organiser has a question about your proposal “{title}”:\n{answer}\n\n"
        "Tap 💡 to make a new proposal with your answer."
    ),
    "proposal_declined": N_("Your proposal “{title}” is not put to a vote. The reason:\n{answer}"),
}
VOTE_KINDS = {"vote_opened", "vote_reminder", "vote_nudge", "vote_result"}
KINDS = VOTE_KINDS | set(PROXY_NEWS) | {"proxy_asked", "proposal_card"} | set(PROPOSAL_NEWS)
# Not essential: a member who paused messages does not get these. The automatic reminder and the
# result still go out (as for activities, the one reminder is kept).
NOT_ESSENTIAL = {"vote_opened", "vote_nudge"}

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> tuple[int, str, Markup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    member = members.get(db, message.member_id) if message.member_id else None
    if member is None or member.telegram_id is None:
        return None
    _ = i18n.translator(member.language)
    if message.kind.startswith("proposal_"):
        made = _about_proposal(_, message, member, db)
    else:
        vote = votes.get(db, message.vote_id) if message.vote_id else None
        if vote is None:
            return None
        if message.kind in VOTE_KINDS:
            made = _about_vote(_, message, member, vote, settings, now)
        else:
            made = _about_proxy(_, message, member, vote, db, settings, now)
    return (member.telegram_id, *made) if made else None


def _about_vote(
    _: Translate, message: Claimed, member: Member, vote: Vote, settings: Settings, now: datetime
) -> tuple[str, Markup] | None:
    language = member.language
    if message.kind == "vote_result":
        if vote.closed_at is None:
            return None
        text = vote_text.heading(vote) + "\n\n" + vote_text.result(_, vote, language)
        return text, way_on(_, [button("🗳️ " + _("Show the vote"), "vote", "card", vote.id)])
    if not vote.open_at(now) or member.status != ACTIVE:
        return None
    deadline = vote_text.deadline(_, vote, language, settings.timezone, now)
    vote_now = button("🗳️ " + _("Vote now"), "vote", "card", vote.id)
    if message.kind == "vote_opened":  # with the menu that now has 🗳️ Votes (UX.md: it appears while a vote is open)
        text = _("🗳️ New vote: {title}\n{deadline}\n\nTap 🗳️ Votes below to vote.").format(
            title=escape(vote.title), deadline=deadline
        )
        return text, main_menu(_, member)
    if message.voted:  # a reminder, but they voted meanwhile
        return None
    text = _("⏰ You have not voted yet on: {title}\n{deadline}").format(title=escape(vote.title), deadline=deadline)
    line = message.payload.get("line")
    if message.kind == "vote_nudge" and line:
        text += "\n\n💬 " + escape(line)
    return text, way_on(_, [vote_now])


def way_on(_: Translate, first: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """What the message is about, and 🏠 Menu under it (UX.md: every message has a way on)."""
    return inline([first, nav_row(_, None)] if first else [nav_row(_, None)])


def _about_proxy(
    _: Translate, message: Claimed, member: Member, vote: Vote, db: Database, settings: Settings, now: datetime
) -> tuple[str, Markup] | None:
    proxy = votes.proxy(db, message.payload["proxy"])
    if proxy is None:
        return None
    names = {
        "giver": escape(proxy.giver_name or _("A member")),
        "holder": escape(proxy.holder_name or _("A member")),
        "title": escape(vote.title),
    }
    if message.kind == "proxy_lapsed":
        return _(PROXY_NEWS["proxy_lapsed"]).format(**names), way_on(_, [])
    if not vote.open_at(now):
        return None
    deadline = vote_text.deadline(_, vote, member.language, settings.timezone, now)
    if message.kind == "proxy_asked":
        if proxy.status != "asked":
            return None
        text = _("🤝 {giver} asks you to vote for them on: {title}\n{deadline}").format(deadline=deadline, **names)
        fixed = vote.option(proxy.option_id) if proxy.option_id else None
        if fixed is not None:
            choice = vote_text.option_label(_, vote, fixed, member.language)
            text += "\n" + _("They want you to vote: {choice}.").format(choice=choice)
        text += "\n\n" + _("Will you do it?")
        return text, way_on(
            _, [button("✅ " + _("Yes"), "proxy", "yes", proxy.id), button("❌ " + _("No"), "proxy", "no", proxy.id)]
        )
    until = format_when(vote.closes_at, member.language, settings.timezone)
    text = _(PROXY_NEWS[message.kind]).format(until=until, **names)
    first = [button("🗳️ " + _("Show the vote"), "vote", "card", vote.id)]
    if message.kind == "proxy_accepted" and proxy.status == "accepted":  # the giver can still take it back
        first.append(button("🤝 " + _("Take back my proxy"), "proxy", "undo", proxy.id))
    return text, way_on(_, first)


def _about_proposal(_: Translate, message: Claimed, member: Member, db: Database) -> tuple[str, Markup] | None:
    proposal = proposals.get(db, message.payload["proposal"])
    if proposal is None:
        return None
    if message.kind == "proposal_card":
        if proposal.status != proposals.PENDING or not member.is_organiser or member.status != ACTIVE:
            return None
        rows = proposal_buttons(_, proposal.id) + [nav_row(_, None)]
        return proposal_card(_, proposal), inline(rows)
    text = _(PROPOSAL_NEWS[message.kind]).format(title=escape(proposal.title), answer=escape(proposal.answer or ""))
    if message.kind == "proposal_asked":
        return text, way_on(_, [button("💡 " + _("Make a proposal"), "prop", "new")])
    return text, way_on(_, [button("📋 " + _("My proposals"), "prop", "mine", 0)])


def proposal_card(_: Translate, proposal: proposals.Proposal) -> str:
    """A member's proposal as organisers read it."""
    name = escape(proposal.member_name) if proposal.member_name else _("a member who has left")
    return "\n".join(
        [
            "💡 " + _("Proposal from {name}").format(name=name),
            f"<b>{escape(proposal.title)}</b>",
            escape(proposal.body),
            "",
            _("Why: {reason}").format(reason=escape(proposal.reason)),
        ]
    )


def proposal_buttons(_: Translate, proposal_id: int) -> list[list]:
    """What an organiser can do with a proposal (handlers/proposal_review.py, handlers/vote_planning.py)."""
    return [
        [button("🗳️ " + _("Put to a vote"), "vplan", "prop", proposal_id)],
        [button("❓ " + _("Ask a question"), "review", "ask", proposal_id)],
        [button("✖️ " + _("Decline"), "review", "decline", proposal_id)],
    ]
