"""🗳️ Votes for members: open votes, a card per vote, voting with one tap, voting as a proxy, the archive.

Every tap re-checks in one transaction (storage/votes.py) that the vote is
open, the option is one of its own and the member may vote; the card shown
afterwards is the one that transaction read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks, vote_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import format_items, format_short_when, format_when
from bot.i18n import Translate
from bot.incoming import tapped
from bot.keyboards import VOTES, button, inline, menu_label_pattern, nav_row, paged
from bot.never_stuck import explain_step
from bot.replies import show
from storage import votes
from storage.tally import BUDGET
from storage.votes import Answer, Card, Cast, Listed, Proxy, Vote

AREA = "vote"


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


async def show_votes(update: Update, context: WijkContext, page: int) -> None:
    """Open votes, soonest deadline first, 5 a page; proposals and the archive under them."""
    _ = context.gettext
    member_id = context.known_member.id
    listed = votes.open_for_member(context.db, member_id, context.now(), page)
    if not listed.items and page:  # an old ▶️: the list got shorter since
        page = 0
        listed = votes.open_for_member(context.db, member_id, context.now(), page)

    def line(item: Listed) -> InlineKeyboardButton:
        mark = "✅" if item.voted else ("🗳️" if item.eligible else "🚫")
        left = vote_text.time_left(_, context.language, item.vote.closes_at, context.now())
        return button(f"{mark} {vote_text.on_a_button(item.vote.title)} · {left}", AREA, "open", item.vote.id, page)

    if listed.items:
        text = _("🗳️ Votes. Tap a vote to read it and to vote.\n✅ means you voted.")
        if not all(item.eligible for item in listed.items):
            text += "\n" + _("🚫 means you cannot vote on it: you were not a member yet when it opened.")
    else:
        text = _("🗳️ There is no vote open now.")
    rows = paged(listed, line, AREA, "list") + [
        [button("💡 " + _("Make a proposal"), "prop", "new"), button("📋 " + _("My proposals"), "prop", "mine", 0)],
        [button("📚 " + _("Earlier votes"), AREA, "archive", 0)],
        nav_row(_, None),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def votes_text(update: Update, context: WijkContext) -> None:
    """🗳️ Votes from the main menu."""
    await show_votes(update, context, 0)


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️, or ⬅️ Back to the open votes."""
    data = tapped(update)
    await show_votes(update, context, data.int_arg(0) if data.args else 0)


def shown(card: Card | None, vote_id: int) -> Card:
    """The card behind a button; gone means the button no longer works."""
    if card is None:
        raise callbacks.StaleButton(f"vote {vote_id} is gone")
    return card


def chosen_words(_: Translate, vote: Vote, choices: frozenset[int], language: str, *, html: bool = True) -> str:
    labels = [vote_text.option_label(_, vote, o, language, html=html) for o in vote.options if o.id in choices]
    return format_items(labels, language)


def my_vote_lines(_: Translate, context: WijkContext, card: Card) -> list[str]:
    """Where the member stands: may they vote, did they, through whom, and until when they can change it."""
    vote, language = card.vote, context.language
    until = format_when(vote.closes_at, language, context.settings.timezone)
    if not card.eligible:
        since = format_when(vote.opened_at or vote.opens_at, language, context.settings.timezone)
        return [
            "🚫 "
            + _("You cannot vote on this. Only members who were members when it opened ({when}) can vote.").format(
                when=since
            )
        ]
    lines = []
    if card.voted and card.cast_by_proxy:
        lines.append(
            "🤝 "
            + _("Your proxy voted for you: {choice}. If you vote yourself, your own vote counts.").format(
                choice=chosen_words(_, vote, card.choices, language)
            )
        )
    elif card.voted and vote.kind == BUDGET:
        lines.append(
            _("Your choice: {choice}. You can change this until {when}.").format(
                choice=chosen_words(_, vote, card.choices, language), when=until
            )
        )
        lines.append(
            _("Chosen: {spent}. Left: {left}.").format(
                spent=vote_text.money(card.spent_cents(), language),
                left=vote_text.money((vote.budget_cents or 0) - card.spent_cents(), language),
            )
        )
    elif card.voted:
        lines.append(
            _("Your vote: {choice}. You can change this until {when}.").format(
                choice=chosen_words(_, vote, card.choices, language), when=until
            )
        )
    elif vote.kind == BUDGET:
        lines.append(_("Tap the projects you want. Your choice counts at once."))
    else:
        lines.append(_("Tap your choice."))
    if card.given is not None:
        name = escape(card.given.holder_name or _("a member"))
        if card.given.status == "asked":
            lines.append("🤝 " + _("You asked {name} to vote for you. {name} has not answered yet.").format(name=name))
        elif card.given.status == "accepted":
            lines.append("🤝 " + _("{name} votes for you.").format(name=name))
    for held in card.held:
        lines.append("🤝 " + _("You vote for {name} too.").format(name=escape(held.giver_name or _("a member"))))
    return lines


def option_rows(_: Translate, context: WijkContext, vote: Vote, choices: frozenset[int], *target: int) -> list[list]:
    """The options as big buttons, the chosen ones marked; `target` is the giver when voting as a proxy."""
    pick, tick = ("pickfor", "tickfor") if target else ("pick", "tick")
    rows = []
    for option in vote.options:
        label = vote_text.option_label(_, vote, option, context.language, html=False)
        if vote.kind == BUDGET:
            rows.append(
                [button(("☑️ " if option.id in choices else "⬜ ") + label, AREA, tick, vote.id, *target, option.id)]
            )
        else:
            rows.append(
                [button(("👉 " if option.id in choices else "") + label, AREA, pick, vote.id, *target, option.id)]
            )
    return rows


async def show_card(update: Update, context: WijkContext, card: Card, toast: str | None = None, page: int = 0) -> None:
    """One vote with what the member can do now; ⬅️ Back to the list it came from."""
    _ = context.gettext
    vote, now, language, tz = card.vote, context.now(), context.language, context.settings.timezone
    body, cut = vote_text.short_body(vote)
    lines = [vote_text.heading(vote), body, ""]
    is_open = vote.open_at(now)
    if is_open:
        lines.append("⏳ " + vote_text.deadline(_, vote, language, tz, now))
    elif vote.closed_at is None and vote.opened_at is not None:
        lines.append("⏳ " + _("The vote is closed. The result follows soon."))
    elif vote.closed_at is None:
        lines.append("⏳ " + _("This vote opens {when}.").format(when=format_when(vote.opens_at, language, tz)))
    else:
        lines.append("🔚 " + _("Closed on {when}.").format(when=format_when(vote.closed_at, language, tz)))
    lines += vote_text.rules(_, vote, language)
    lines += vote_text.notes(vote)
    rows = []
    if is_open:
        lines += ["", *my_vote_lines(_, context, card)]
        if card.eligible:
            rows += option_rows(_, context, vote, card.choices if not card.cast_by_proxy else frozenset())
            rows += [
                [
                    button(
                        "🤝 " + _("Vote for {name}").format(name=h.giver_name or "?"), AREA, "for", vote.id, h.giver_id
                    )
                ]
                for h in card.held
            ]
            if card.given is not None and card.given.status != "used":  # a used one can no longer be taken back
                rows.append([button("🤝 " + _("Take back my proxy"), "proxy", "undo", card.given.id)])
            elif not card.voted and not card.held:
                rows.append([button("🤝 " + _("Let someone vote for me"), "proxy", "give", vote.id)])
    elif card.counted and vote.closed_at is not None:
        lines += ["", "✅ " + _("Your vote counted.")]
    if vote.results_shown() and vote.opened_at is not None:
        lines += ["", vote_text.result(_, vote, language)]
    if cut:
        rows.append([button("📖 " + _("Read more"), AREA, "more", vote.id)])
    back = callbacks.pack(AREA, "list", page) if vote.closed_at is None else callbacks.pack(AREA, "archive", 0)
    explain = callbacks.pack(AREA, "explain", vote.id) if is_open and card.eligible else None
    rows.append(nav_row(_, back, explain))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def explain_button(update: Update, context: WijkContext) -> None:
    """❓ under a ballot: how to vote on it, in a pop-up of at most 3 lines."""
    _ = context.gettext
    vote = votes.get(context.db, tapped(update).int_arg(0))
    if vote is None:
        raise callbacks.StaleButton("the vote is gone")
    if vote.kind == BUDGET:
        how = _("Tap the projects you want, as long as the money lasts.\nTap a project again to take it off.")
    else:
        how = _("Tap the choice you want.\nYou can change it until the vote closes.")
    who = _("Nobody sees what you chose.") if vote.secret else _("Organisers see what you chose.")
    await explain_step(update, context, f"❓ {how}\n{who}")


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    """A vote from a message (a reminder, a proxy's news): its card."""
    vote_id = tapped(update).int_arg(0)
    await show_card(update, context, shown(votes.card(context.db, vote_id, context.known_member.id), vote_id))


@requires(Need.ACTIVE)
async def open_button(update: Update, context: WijkContext) -> None:
    """A vote from the list (or the archive): its card, with ⬅️ Back to that page."""
    data = tapped(update)
    vote_id, page = data.int_arg(0), data.int_arg(1)
    card = shown(votes.card(context.db, vote_id, context.known_member.id), vote_id)
    await show_card(update, context, card, page=page)


@requires(Need.ACTIVE)
async def more_button(update: Update, context: WijkContext) -> None:
    """📖 Read more: the vote's whole text."""
    _ = context.gettext
    vote_id = tapped(update).int_arg(0)
    vote = votes.get(context.db, vote_id)
    if vote is None:
        raise callbacks.StaleButton(f"vote {vote_id} is gone")
    text = vote_text.heading(vote) + "\n\n" + escape(vote.body)
    await show(update, context, text, inline([nav_row(_, callbacks.pack(AREA, "card", vote_id))]))


def answer_toast(_: Translate, context: WijkContext, cast: Cast, giver: Proxy | None = None) -> str:
    """What a vote tap did, in a short pop-up."""
    card = cast.card
    assert card is not None
    vote = card.vote
    choices = giver.choices if giver is not None else card.choices
    words = {
        Answer.VOTED: _("Your vote: {choice}."),
        Answer.CHANGED: _("Your vote: {choice}."),
        Answer.SAME: _("Your vote: {choice}."),
        Answer.UNTICKED: _("Taken off."),
        Answer.OVER_BUDGET: _("That does not fit. You have {left} left. Take something off first."),
        Answer.CLOSED: _("This vote is closed."),
        Answer.NOT_OPEN: _("This vote is not open yet."),
        Answer.NOT_ELIGIBLE: _("You cannot vote on this vote."),
        Answer.NOT_PROXY: _("You no longer vote for this member. They took it back or voted themselves."),
        Answer.FIXED: _("You were asked to vote: {fixed}."),
    }
    if cast.answer not in words:
        raise callbacks.StaleButton(f"vote tap ended {cast.answer}")
    fixed = vote.option(giver.option_id) if giver is not None and giver.option_id else None
    text = words[cast.answer].format(
        choice=chosen_words(_, vote, choices, context.language, html=False),
        left=vote_text.money((vote.budget_cents or 0) - card.spent_cents(choices), context.language),
        fixed=vote_text.option_label(_, vote, fixed, context.language, html=False) if fixed else "",
    )
    if cast.dropped is not None:
        name = cast.dropped.holder_name or _("your proxy")
        text += " " + _("Your own vote counts now, not the vote of {name}.").format(name=name)
    return text


@requires(Need.ACTIVE)
async def pick_button(update: Update, context: WijkContext) -> None:
    """A vote with one tap, or a changed vote; a budget project ticked on or off."""
    _ = context.gettext
    data = tapped(update)
    vote_id, option_id = data.int_arg(0), data.int_arg(1)
    act = votes.tick if data.action == "tick" else votes.cast
    cast = act(context.db, vote_id, context.known_member.id, option_id, context.now())
    if cast.card is None or cast.answer in (Answer.GONE, Answer.NO_OPTION):
        raise callbacks.StaleButton(f"no option {option_id} on vote {vote_id}")
    if cast.dropped is not None:
        context.wake_sender()
    await show_card(update, context, cast.card, toast=answer_toast(_, context, cast))


def held_proxy(card: Card, giver_id: int) -> Proxy | None:
    return next((p for p in card.held if p.giver_id == giver_id), None)


async def show_proxy_card(
    update: Update, context: WijkContext, card: Card, giver_id: int, toast: str | None = None
) -> None:
    """Voting for someone who gave their vote: their choice so far, and the options."""
    _ = context.gettext
    vote = card.vote
    proxy = held_proxy(card, giver_id)
    back = nav_row(_, callbacks.pack(AREA, "card", vote.id))
    if proxy is None or not vote.open_at(context.now()):
        text = _("You no longer vote for this member. They took it back or voted themselves.")
        await show(update, context, text, inline([back]), toast=toast)
        return
    name = escape(proxy.giver_name or _("a member"))
    lines = [vote_text.heading(vote), "🤝 " + _("You vote for {name}.").format(name=name)]
    fixed = vote.option(proxy.option_id) if proxy.option_id else None
    if fixed is not None:
        lines.append(
            _("{name} asked you to vote: {choice}.").format(
                name=name, choice=vote_text.option_label(_, vote, fixed, context.language)
            )
        )
    if proxy.choices:
        lines.append(
            _("Your vote for {name}: {choice}.").format(
                name=name, choice=chosen_words(_, vote, proxy.choices, context.language)
            )
        )
    lines.append("⏳ " + vote_text.deadline(_, vote, context.language, context.settings.timezone, context.now()))
    shown_vote = replace(vote, options=(fixed,)) if fixed is not None else vote  # only the choice they carry
    rows = option_rows(_, context, shown_vote, proxy.choices, giver_id) + [back]
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def for_button(update: Update, context: WijkContext) -> None:
    """🤝 Vote for Ann: the options, to vote for the member who gave their vote."""
    data = tapped(update)
    vote_id, giver_id = data.int_arg(0), data.int_arg(1)
    card = shown(votes.card(context.db, vote_id, context.known_member.id), vote_id)
    await show_proxy_card(update, context, card, giver_id)


@requires(Need.ACTIVE)
async def pick_for_button(update: Update, context: WijkContext) -> None:
    """A vote as a proxy: it counts for the giver, who is told it was used."""
    _ = context.gettext
    data = tapped(update)
    vote_id, giver_id, option_id = data.int_arg(0), data.int_arg(1), data.int_arg(2)
    act = votes.tick if data.action == "tickfor" else votes.cast
    cast = act(context.db, vote_id, context.known_member.id, option_id, context.now(), for_member=giver_id)
    if cast.card is None or cast.answer in (Answer.GONE, Answer.NO_OPTION):
        raise callbacks.StaleButton(f"no option {option_id} on vote {vote_id}")
    context.wake_sender()
    proxy = held_proxy(cast.card, giver_id)
    await show_proxy_card(update, context, cast.card, giver_id, answer_toast(_, context, cast, proxy))


@requires(Need.ACTIVE)
async def archive_button(update: Update, context: WijkContext) -> None:
    """📚 Earlier votes: closed votes, latest first, each with its result."""
    _ = context.gettext
    page = tapped(update).int_arg(0)
    closed = votes.closed_page(context.db, page)
    if not closed.items and page:
        page = 0
        closed = votes.closed_page(context.db, page)

    def line(vote: Vote) -> InlineKeyboardButton:
        assert vote.closed_at is not None
        when = format_short_when(vote.closed_at, context.language, context.settings.timezone)
        return button(f"{vote_text.on_a_button(vote.title)} · {when}", AREA, "past", vote.id, page)

    text = _("📚 Earlier votes. Tap one to see the result.") if closed.items else _("📚 No vote has closed yet.")
    rows = paged(closed, line, AREA, "archive") + [nav_row(_, callbacks.pack(AREA, "list", 0))]
    await show(update, context, text, inline(rows))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(list_button, pattern=on("menu", "list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(open_button, pattern=on("open", "past")),
        CallbackQueryHandler(more_button, pattern=on("more")),
        CallbackQueryHandler(explain_button, pattern=on("explain")),
        CallbackQueryHandler(pick_button, pattern=on("pick", "tick")),
        CallbackQueryHandler(for_button, pattern=on("for")),
        CallbackQueryHandler(pick_for_button, pattern=on("pickfor", "tickfor")),
        CallbackQueryHandler(archive_button, pattern=on("archive")),
    ]


def main_menu_button() -> BaseHandler:
    """🗳️ Votes in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(VOTES)), votes_text)
