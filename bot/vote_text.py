"""How a vote reads: its deadline as people say it, its options, its card and its result.

Used by the member's card, the organisers' screens and the messages the bot
sends by itself, so a result reads the same everywhere. Text that people
wrote (titles, options, notes) is escaped.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from bot import i18n
from bot.formatting import format_items, format_money, format_when, shortened
from bot.i18n import N_, Translate
from storage.tally import ABSTAIN, AGAINST, BUDGET, FOR, FOR_AGAINST, Outcome
from storage.votes import Option, Vote

SHORT_TEXT = 300  # characters of a vote's text on its card; 📖 Read more shows the rest
ON_A_BUTTON = 40
WORDS = {FOR: N_("For"), AGAINST: N_("Against"), ABSTAIN: N_("Abstain")}
MARKS = {FOR: "✅", AGAINST: "❌", ABSTAIN: "⚪"}


def money(cents: int, language: str) -> str:
    return format_money(Decimal(cents) / 100, language)


def option_label(_: Translate, vote: Vote, option: Option, language: str, *, html: bool = True) -> str:
    """An option as a member reads it: For / Against / Abstain in their language, a project with its amount.

    Escaped for a message (`html`); as it is for a button or a pop-up, which Telegram shows as plain text."""
    if vote.kind == FOR_AGAINST:
        return f"{MARKS.get(option.label, '')} {_(WORDS.get(option.label, option.label))}".strip()
    label = escape(option.label) if html else option.label
    if vote.kind == BUDGET and option.amount_cents is not None:
        return f"{label} · {money(option.amount_cents, language)}"
    return label


def on_a_button(text: str) -> str:
    return shortened(text, ON_A_BUTTON)


def time_left(_: Translate, language: str, closes_at: datetime, now: datetime) -> str:
    """Like "nog 3 dagen" or "nog 5 uur": whole days while more than a day is left."""
    ngettext = i18n.plural(language)
    seconds = max(0, int((closes_at - now).total_seconds()))
    if seconds >= 2 * 86400:
        days = seconds // 86400
        return ngettext("{count} day left", "{count} days left", days).format(count=days)
    if seconds >= 3600:
        hours = seconds // 3600
        return ngettext("{count} hour left", "{count} hours left", hours).format(count=hours)
    minutes = max(1, seconds // 60)
    return ngettext("{count} minute left", "{count} minutes left", minutes).format(count=minutes)


def deadline(_: Translate, vote: Vote, language: str, tz: ZoneInfo, now: datetime) -> str:
    """Like "nog 3 dagen, tot vrijdag 12 december, 20:00"."""
    return _("{left}, until {when}").format(
        left=time_left(_, language, vote.closes_at, now), when=format_when(vote.closes_at, language, tz)
    )


def short_body(vote: Vote) -> tuple[str, bool]:
    """The vote's text for its card, cut at a word when long; and whether it was cut."""
    if len(vote.body) <= SHORT_TEXT:
        return escape(vote.body), False
    cut = vote.body[:SHORT_TEXT].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return escape(cut) + "…", True


def rules(_: Translate, vote: Vote, language: str) -> list[str]:
    """How this vote counts, in one or two short lines."""
    lines = [
        "🔒 " + _("Secret vote: nobody sees what you chose.")
        if vote.secret
        else "👁️ " + _("Open vote: organisers see what you chose.")
    ]
    if vote.kind == FOR_AGAINST:
        lines.append(
            _("Adopted with two thirds of the votes for and against.")
            if vote.majority == "two_thirds"
            else _("Adopted with more than half of the votes for and against.")
        )
    if vote.kind == BUDGET and vote.budget_cents is not None:
        lines.append(
            "💶 "
            + _("Budget: {amount}. Choose projects up to that amount.").format(
                amount=money(vote.budget_cents, language)
            )
        )
    if vote.quorum_percent:
        lines.append(_("At least {percent}% of the members must vote.").format(percent=vote.quorum_percent))
    return lines


def notes(vote: Vote) -> list[str]:
    """A budget's projects with the organisers' note on whether each can be done."""
    return [f"ℹ️ {escape(o.label)}: {escape(o.note)}" for o in vote.options if vote.kind == BUDGET and o.note]


def turnout(_: Translate, vote: Vote) -> str:
    """Like "Gestemd: 45 van 120 (38%)"."""
    percent = round(100 * vote.voted / vote.eligible) if vote.eligible else 0
    return _("Voted: {voted} of {eligible} ({percent}%)").format(
        voted=vote.voted, eligible=vote.eligible, percent=percent
    )


def counts(_: Translate, vote: Vote, language: str) -> list[str]:
    """One line per option with its votes; a funded project is marked, with what became of it."""
    lines = []
    for option in vote.options:
        mark = "💶 " if option.funded else ""
        lines.append(f"{mark}{i18n.isolate(option_label(_, vote, option, language), language)}: {option.votes}")
        if option.funded and option.outcome:
            lines.append("   ↳ " + escape(option.outcome))
    return lines


def outcome(_: Translate, vote: Vote, language: str) -> str:
    """What was decided, in one line: adopted, not adopted, a tie, the winner, what is funded."""
    result = vote.result()
    if result.outcome is Outcome.NO_QUORUM:
        return _("Too few members voted ({needed} were needed). Nothing is decided.").format(
            needed=result.quorum_needed
        )
    if result.outcome is Outcome.NO_VOTES:
        return _("Nobody chose an option. Nothing is decided.")
    if result.outcome is Outcome.ADOPTED:
        return "✅ " + _("Adopted.")
    if result.outcome is Outcome.REJECTED:
        return "❌ " + _("Not adopted.")
    if result.outcome is Outcome.TIE and vote.kind == FOR_AGAINST:
        return "⚖️ " + _("It is a tie: as many votes for as against. Not adopted.")
    if result.outcome is Outcome.TIE:
        names = format_items([escape(w.label) for w in result.winners], language)
        return "⚖️ " + _("It is a tie between: {options}.").format(options=names)
    if result.outcome is Outcome.WINNER:
        return "🏆 " + _("Chosen: {option}.").format(option=escape(result.winners[0].label))
    funded = format_items([escape(p.label) for p in result.funded], language)
    if not funded:
        return _("No project is funded.")
    text = "💶 " + _("Funded: {projects}. Left over: {amount}.").format(
        projects=funded, amount=money(result.left_cents, language)
    )
    if result.tied:  # a tie is said as one: the order of the list decided it
        text += "\n⚖️ " + _("{projects}: as many votes as a funded project, but the money ran out.").format(
            projects=format_items([escape(p.label) for p in result.tied], language)
        )
    return text


def result(_: Translate, vote: Vote, language: str) -> str:
    """The result block: turnout, quorum, the counts and what was decided."""
    lines = ["📊 <b>" + (_("Result") if vote.closed_at else _("Results so far")) + "</b>", turnout(_, vote)]
    needed = vote.result().quorum_needed
    if needed:
        reached = _("reached") if vote.voted >= needed else _("not reached")
        lines.append(_("Quorum: {needed} votes, {reached}.").format(needed=needed, reached=reached))
    lines += counts(_, vote, language)
    if vote.closed_at:
        lines.append(outcome(_, vote, language))
    return "\n".join(lines)


def heading(vote: Vote) -> str:
    return "🗳️ <b>" + escape(vote.title) + "</b>"
