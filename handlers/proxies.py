"""🤝 Proxies: give your vote on one vote to another member, accept or refuse one, take it back.

Giving: the member types a name or a member number. That one typed step is a
persistent conversation, which also shows the pages of members found, so they
can type another name there. After that, every step is a button that carries
the vote, the member asked and the choice: each tap re-checks the database and
nothing half-finished is kept. Nothing is sent before ✅ on the preview.
The member asked answers with the buttons of the message storage wrote for
them (bot/vote_notices.py). Taking a proxy back asks once more (UX.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, i18n, vote_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_member_no
from bot.i18n import N_, Translate
from bot.incoming import query, tapped, text
from bot.keyboards import button, inline, nav_row, paged, typed_text
from bot.persistence import SEARCH_TEXT
from bot.replies import show
from handlers.organise import MAX_QUERY, MEMBER_NUMBER, searches
from storage import members, votes
from storage.members import ACTIVE, Member
from storage.tally import BUDGET
from storage.votes import Answer, Candidate, Card, Proxy, Vote

AREA = "proxy"
WHO = "who"  # the conversation's one state: typing a name or number, or paging through who was found
DRAFT = "proxy"  # in the answers: the vote whose proxy is being given
FREE = 0  # in callback data: no fixed choice, the member asked chooses

# Why a member cannot give their vote away, and what they can do.
REFUSALS = {
    Answer.GONE: N_("This vote no longer exists."),
    Answer.NOT_OPEN: N_("This vote is not open yet."),
    Answer.CLOSED: N_("This vote is closed."),
    Answer.NOT_ELIGIBLE: N_("You cannot vote on this: you were not a member yet when it opened."),
    Answer.ALREADY_VOTED: N_("You already voted. Your own vote counts."),
    Answer.ALREADY_GIVEN: N_("You already asked someone to vote for you. You can see it on the vote card."),
    Answer.GIVER_HOLDS: N_("You vote for someone else on this vote, so you cannot give your vote away."),
    Answer.NO_OPTION: N_("This choice is not on this vote. Please choose again."),
    # Something about the member asked: choose another one.
    Answer.SELF: N_("You cannot ask yourself. Choose another member."),
    Answer.HOLDER_NOT_ELIGIBLE: N_("{name} cannot vote on this vote. Choose another member."),
    Answer.HOLDER_GAVE: N_("{name} lets someone else vote for them. Choose another member."),
    Answer.HOLDER_FULL: N_("{name} already votes for someone else. Choose another member."),
}
CHOOSE_ANOTHER = {Answer.SELF, Answer.HOLDER_NOT_ELIGIBLE, Answer.HOLDER_GAVE, Answer.HOLDER_FULL}
# Why the member asked cannot say yes (the request stays: they can still say no).
CANNOT_ACCEPT = {
    Answer.HOLDER_GAVE: N_("You let someone else vote for you on this vote. So you cannot vote for {giver}."),
    Answer.HOLDER_FULL: N_("You already vote for someone else on this vote. You cannot vote for {giver} too."),
    Answer.GIVER_HOLDS: N_("{giver} now votes for someone else, so {giver} cannot give their vote away."),
}
REFUSED = N_("OK. You do not vote for {giver} on: {title}. {giver} hears it.")
# A request that ended before this tap, by what became of it.
ENDED = {
    "refused": REFUSED,
    "withdrawn": N_("{giver} no longer asks you to vote for them on: {title}."),
    "dropped": N_("{giver} voted on: {title}. You do not need to vote for them."),
    "lapsed": N_("This request has ended. Nothing changes."),
}
USED = N_("{name} already voted for you. Vote yourself: then your own vote counts.")
TAKEN_BACK = N_("↩️ Taken back. {name} no longer votes for you. You can vote yourself, or ask someone else.")


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def to_the_card(_: Translate, vote_id: int) -> list[InlineKeyboardButton]:
    """⬅️ Back to the vote's card (handlers/voting.py), and 🏠 Menu."""
    return nav_row(_, callbacks.pack("vote", "card", vote_id))


def giver_problem(card: Card | None, now: datetime) -> Answer | None:
    """Why this member cannot give their vote away, told before they type a name."""
    if card is None:
        return Answer.GONE
    problem = votes.refusal(card.vote, now)
    if problem is not None:
        return problem
    if not card.eligible:
        return Answer.NOT_ELIGIBLE
    if card.given is not None:
        return Answer.ALREADY_GIVEN
    if card.voted:
        return Answer.ALREADY_VOTED
    if card.held:
        return Answer.GIVER_HOLDS
    return None


def holder_problem(holder: Member | None, card: Card, giver_id: int, max_proxies: int) -> Answer | None:
    """Why this member cannot be asked, told as soon as they are chosen (`card`: the vote as they see it)."""
    if holder is not None and holder.id == giver_id:
        return Answer.SELF
    if holder is None or holder.status != ACTIVE or not card.eligible:
        return Answer.HOLDER_NOT_ELIGIBLE
    if card.given is not None:
        return Answer.HOLDER_GAVE
    if len(card.held) >= max_proxies:
        return Answer.HOLDER_FULL
    return None


async def refused(update: Update, context: WijkContext, answer: Answer, vote_id: int, name: str = "") -> int:
    """Say plainly why it cannot be done and what the member can do; the flow ends."""
    _ = context.gettext
    sentence = _(REFUSALS[answer]).format(name=escape(name))
    rows = [[button("👥 " + _("Choose another member"), AREA, "give", vote_id)]] if answer in CHOOSE_ANOTHER else []
    await show(update, context, sentence, inline(rows + [to_the_card(_, vote_id)]))
    return ConversationHandler.END


# ----- giving: who --------------------------------------------------------------------------------


async def ask_who(update: Update, context: WijkContext, vote: Vote, error: str = "") -> str:
    _ = context.gettext
    parts = [
        "🤝 " + escape(vote.title),
        error,
        _("Who should vote for you? Type their name or member number."),
        _("They vote for you on this vote only. You can take it back until they vote."),
    ]
    await show(update, context, "\n\n".join(part for part in parts if part), inline([to_the_card(_, vote.id)]))
    return WHO


@requires(Need.ACTIVE)
async def give_button(update: Update, context: WijkContext) -> object:
    """🤝 Let someone vote for me (on the vote card), or ✏️ Change: who should it be?"""
    vote_id = tapped(update).int_arg(0)
    card = votes.card(context.db, vote_id, context.known_member.id)
    problem = giver_problem(card, context.now())
    if problem is not None or card is None:
        context.answers.pop(DRAFT, None)
        return await refused(update, context, problem or Answer.GONE, vote_id)
    context.answers[DRAFT] = vote_id
    return await ask_who(update, context, card.vote)


@requires(Need.ACTIVE)
async def who_text(update: Update, context: WijkContext) -> object:
    """A name or member number was typed: the members found who can vote on this vote."""
    _ = context.gettext
    vote_id = context.answers.get(DRAFT)
    vote = votes.get(context.db, vote_id) if isinstance(vote_id, int) else None
    if vote is None:
        return await leave(update, context)
    problem = votes.refusal(vote, context.now())
    if problem is not None:  # it closed while they were typing
        context.answers.pop(DRAFT, None)
        return await refused(update, context, problem, vote.id)
    typed = unicodedata.normalize("NFC", text(update).strip())
    if len(typed) > MAX_QUERY:
        error = _("This is too long. Write it in at most {maximum} characters.").format(maximum=MAX_QUERY)
        return await ask_who(update, context, vote, error)
    if not any(char.isalnum() for char in typed):
        return await ask_who(update, context, vote, _("Type at least one letter or number."))
    searches(context)[SEARCH_TEXT] = typed
    await show_found(update, context, vote.id, 0)
    return WHO


def person_button(_: Translate, vote_id: int, found: Candidate) -> InlineKeyboardButton:
    label = f"{i18n.kept_apart(found.first_name)} · {format_member_no(_, found.member_no)}"
    return button(label, AREA, "to", vote_id, found.id)


async def show_found(update: Update, context: WijkContext, vote_id: int, page: int) -> None:
    """The members found, 5 a page: a member number finds that member, other text searches first names.

    Only who can vote on this vote, is active and is not the member themself."""
    _ = context.gettext
    typed = searches(context).get(SEARCH_TEXT)
    back = callbacks.pack(AREA, "give", vote_id)
    if typed is None:  # the bot restarted: chat data lives in memory only
        again = _("Sorry, I no longer have your search.") + "\n" + _("Type the name or member number again.")
        await show(update, context, again, inline([to_the_card(_, vote_id)]))
        return
    number = MEMBER_NUMBER.fullmatch(typed)
    me = context.known_member.id
    if number:
        found = await votes.candidates(context.db, vote_id, me, page, member_no=int(number.group(1)))
    else:
        found = await votes.candidates(context.db, vote_id, me, page, name=typed)
    if found.total:
        heading = _("Found for “{query}”: {count}").format(query=escape(typed), count=found.total)
        hint = _("Tap who should vote for you. Or type another name.")
    else:
        heading = _("Nobody found for “{query}”.").format(query=escape(typed))
        hint = _("Only members who can vote on this are found. Type another name or a member number.")
    rows = paged(found, lambda m: person_button(_, vote_id, m), AREA, "found", vote_id)
    await show(update, context, heading + "\n" + hint, inline(rows + [nav_row(_, back)]))


@requires(Need.ACTIVE)
async def found_button(update: Update, context: WijkContext) -> object:
    """◀️ ▶️ through the members found, or ⬅️ Back to them: typing another name still works there."""
    data = tapped(update)
    vote_id = data.int_arg(0)
    problem = votes.refusal(votes.get(context.db, vote_id), context.now())
    if problem is not None:
        context.answers.pop(DRAFT, None)
        return await refused(update, context, problem, vote_id)
    context.answers[DRAFT] = vote_id
    await show_found(update, context, vote_id, data.int_arg(1))
    return WHO


# ----- giving: the choice and the preview ----------------------------------------------------------


def asked(context: WijkContext, vote_id: int, holder_id: int) -> tuple[Member | None, Card | None, Answer | None]:
    """The member asked, the vote as they see it, and why they cannot be asked (None: they can)."""
    holder = members.get(context.db, holder_id)
    card = votes.card(context.db, vote_id, holder_id)
    problem = votes.refusal(card.vote if card else None, context.now())
    if problem is None and card is not None:
        problem = holder_problem(holder, card, context.known_member.id, context.settings.max_proxies)
    return holder, card, problem


def name_of(member: Member | None) -> str:
    return (member.first_name if member else None) or "?"


@requires(Need.ACTIVE)
async def to_button(update: Update, context: WijkContext) -> None:
    """A member from the list: for a for/against or choice vote, may they choose, or should they vote one thing?"""
    _ = context.gettext
    data = tapped(update)
    vote_id, holder_id = data.int_arg(0), data.int_arg(1)
    holder, card, problem = asked(context, vote_id, holder_id)
    if problem is not None or card is None:
        await refused(update, context, problem or Answer.GONE, vote_id, name_of(holder))
        return
    vote = card.vote
    if vote.kind == BUDGET:
        await preview(update, context, vote, holder, FREE)
        return
    name = escape(name_of(holder))
    question = "🤝 " + escape(vote.title) + "\n\n" + _("What should {name} vote for you?").format(name=name)
    rows = [
        [
            button(
                _("Vote {choice} for me").format(choice=on_a_button(_, context, vote, option.id)),
                *(AREA, "fix", vote_id, holder_id, option.id),
            )
        ]
        for option in vote.options
    ]
    rows.append([button("🤔 " + _("They may choose"), AREA, "fix", vote_id, holder_id, FREE)])
    rows.append(nav_row(_, callbacks.pack(AREA, "found", vote_id, 0)))
    await show(update, context, question, inline(rows))


def choice_words(_: Translate, context: WijkContext, vote: Vote, option_id: int, *, html: bool = True) -> str:
    option = vote.option(option_id)
    return vote_text.option_label(_, vote, option, context.language, html=html) if option else "?"


def on_a_button(_: Translate, context: WijkContext, vote: Vote, option_id: int) -> str:
    """An option on a button: not HTML, and short."""
    return vote_text.on_a_button(choice_words(_, context, vote, option_id, html=False))


def fixable(vote: Vote, option_id: int) -> bool:
    """Can the giver fix this choice? An option of this vote, and not a budget (its ballot is a set)."""
    return vote.kind != BUDGET and vote.option(option_id) is not None


@requires(Need.ACTIVE)
async def fix_button(update: Update, context: WijkContext) -> None:
    """A fixed choice, or 🤔 They may choose: the preview."""
    data = tapped(update)
    vote_id, holder_id, option_id = data.int_arg(0), data.int_arg(1), data.int_arg(2)
    holder, card, problem = asked(context, vote_id, holder_id)
    if problem is None and card is not None and option_id != FREE and not fixable(card.vote, option_id):
        problem = Answer.NO_OPTION
    if problem is not None or card is None:
        await refused(update, context, problem or Answer.GONE, vote_id, name_of(holder))
        return
    await preview(update, context, card.vote, holder, option_id)


async def preview(update: Update, context: WijkContext, vote: Vote, holder: Member | None, option_id: int) -> None:
    """What will be asked, before anything is sent (UX.md): ✅ / ✏️ / ✖️."""
    _ = context.gettext
    name = escape(name_of(holder))
    number = format_member_no(_, holder.member_no if holder else None)
    lines = [
        "🤝 "
        + _("You ask {name} ({number}) to vote for you on: {title}.").format(
            name=name, number=number, title=escape(vote.title)
        ),
        _("They choose themselves.")
        if option_id == FREE
        else _("They vote: {choice}.").format(choice=choice_words(_, context, vote, option_id)),
        "",
        _("{name} gets a message and can say yes or no.").format(name=name),
    ]
    holder_id = holder.id if holder else 0
    back = (
        callbacks.pack(AREA, "found", vote.id, 0)
        if vote.kind == BUDGET
        else callbacks.pack(AREA, "to", vote.id, holder_id)
    )
    rows = [
        [
            button(
                "✅ " + _("Yes, ask {name}").format(name=name_of(holder)), AREA, "send", vote.id, holder_id, option_id
            )
        ],
        [button("✏️ " + _("Change"), AREA, "give", vote.id), button("✖️ " + _("Stop"), AREA, "stop", vote.id)],
        nav_row(_, back),
    ]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ACTIVE)
async def send_button(update: Update, context: WijkContext) -> None:
    """✅ Yes: the member asked gets the request; a double tap changes nothing."""
    _ = context.gettext
    data = tapped(update)
    vote_id, holder_id, option_id = data.int_arg(0), data.int_arg(1), data.int_arg(2)
    me = context.known_member.id
    holder = members.get(context.db, holder_id)
    if holder is None or holder.status != ACTIVE:
        await refused(update, context, Answer.HOLDER_NOT_ELIGIBLE, vote_id, name_of(holder))
        return
    answer, _asked = votes.give_proxy(
        context.db, vote_id, me, holder_id, option_id or None, context.now(), max_proxies=context.settings.max_proxies
    )
    if answer is Answer.ALREADY_GIVEN:  # a double tap: the request to this member is there already
        card = votes.card(context.db, vote_id, me)
        if card is not None and card.given is not None and card.given.holder_id == holder_id:
            answer = Answer.ASKED
    if answer is not Answer.ASKED:
        await refused(update, context, answer, vote_id, name_of(holder))
        return
    context.wake_sender()
    context.answers.pop(DRAFT, None)
    name = escape(name_of(holder))
    done = "✅ " + _("We asked {name}. You hear it when {name} answers.").format(name=name)
    await show(update, context, done, inline([to_the_card(_, vote_id)]), toast="✅")


@requires(Need.ACTIVE)
async def stop_button(update: Update, context: WijkContext) -> None:
    """✖️ Stop on the preview: nothing is sent."""
    _ = context.gettext
    context.answers.pop(DRAFT, None)
    vote_id = tapped(update).int_arg(0)
    await show(update, context, _("Stopped. Nothing was sent."), inline([to_the_card(_, vote_id)]))


async def leave(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu while typing a name: nothing is sent."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was sent."), DRAFT)


# ----- answering a request --------------------------------------------------------------------------


def accepted_text(_: Translate, context: WijkContext, vote: Vote, proxy: Proxy) -> str:
    giver = escape(proxy.giver_name or _("A member"))
    lines = ["🤝 " + _("Thank you! You vote for {giver} on: {title}.").format(giver=giver, title=escape(vote.title))]
    if proxy.option_id is not None and vote.option(proxy.option_id) is not None:
        choice = choice_words(_, context, vote, proxy.option_id)
        lines.append(_("They want you to vote: {choice}.").format(choice=choice))
    lines.append(_("Vote for them on the vote card before it closes."))
    return "\n".join(lines)


@requires(Need.ACTIVE)
async def answer_button(update: Update, context: WijkContext) -> None:
    """✅ Yes / ❌ No to a request to vote for someone: the giver is told. Old or forged taps change nothing."""
    _ = context.gettext
    data = tapped(update)
    proxy_id, accept = data.int_arg(0), data.action == "yes"
    answer, proxy = votes.answer_proxy(
        context.db, proxy_id, context.known_member.id, accept, context.now(), max_proxies=context.settings.max_proxies
    )
    vote = votes.get(context.db, proxy.vote_id) if proxy else None
    if proxy is None or vote is None:  # not theirs, or no such request
        await query(update).answer(_("This request is not for you, or it no longer exists."))
        return
    if answer in (Answer.ACCEPTED, Answer.REFUSED):
        context.wake_sender()
    giver = escape(proxy.giver_name or _("A member"))
    names = {"giver": giver, "title": escape(vote.title)}
    menu = nav_row(_, None)
    toast = None
    if answer is Answer.ACCEPTED:
        toast = None if accept else _("You already said yes.")
        rows = [[button("🗳️ " + _("Show the vote"), "vote", "card", vote.id)], menu]
        await show(update, context, accepted_text(_, context, vote, proxy), inline(rows), toast=toast)
        return
    if answer is Answer.REFUSED:
        sentence = _(REFUSED).format(**names)
    elif answer is Answer.WITHDRAWN:
        sentence = _(ENDED.get(proxy.status, ENDED["lapsed"])).format(**names)
        toast = _("You already said no.") if proxy.status == "refused" else None
    elif answer in CANNOT_ACCEPT:
        sentence = _(CANNOT_ACCEPT[answer]).format(**names)
        say_no = [button("❌ " + _("Say no to {giver}").format(giver=proxy.giver_name or "?"), AREA, "no", proxy.id)]
        await show(update, context, sentence, inline([say_no, menu]))
        return
    else:  # the vote closed, or is not open
        sentence = _(REFUSALS[answer])
    await show(update, context, sentence, inline([menu]), toast=toast)


# ----- taking it back ------------------------------------------------------------------------------


@requires(Need.ACTIVE)
async def undo_button(update: Update, context: WijkContext) -> None:
    """🤝 Take back my proxy: ask once more first (UX.md), unless it can no longer be taken back."""
    _ = context.gettext
    proxy = votes.proxy(context.db, tapped(update).int_arg(0))
    if proxy is None or proxy.giver_id != context.known_member.id:
        await query(update).answer(_("This is not your request, or it no longer exists."))
        return
    vote = votes.get(context.db, proxy.vote_id)
    name = escape(proxy.holder_name or _("A member"))
    problem = votes.refusal(vote, context.now())
    if problem is not None or vote is None:
        said = _(REFUSALS[problem or Answer.GONE])
    elif proxy.status == "used":
        said = _(USED).format(name=name)
    elif proxy.status not in ("asked", "accepted"):
        said = _("This request has already ended.")
    else:
        question = _("Take back your request to {name}? Then {name} cannot vote for you on: {title}.")
        rows = [
            [button("✅ " + _("Yes, take it back"), AREA, "undook", proxy.id)],
            [button("↩️ " + _("No, keep it"), "vote", "card", vote.id)],
            to_the_card(_, vote.id),
        ]
        await show(update, context, question.format(name=name, title=escape(vote.title)), inline(rows))
        return
    await show(update, context, said, inline([to_the_card(_, proxy.vote_id)]))


@requires(Need.ACTIVE)
async def undo_ok_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, take it back: the member asked is told; their vote for the giver no longer counts."""
    _ = context.gettext
    answer, proxy = votes.withdraw_proxy(context.db, tapped(update).int_arg(0), context.known_member.id, context.now())
    if proxy is None:
        await query(update).answer(_("This is not your request, or it no longer exists."))
        return
    name = escape(proxy.holder_name or _("A member"))
    if answer is Answer.WITHDRAWN and proxy.status == "withdrawn":
        context.wake_sender()
        said = _(TAKEN_BACK).format(name=name)
    elif answer is Answer.WITHDRAWN:
        said = _("This request has already ended.")
    elif answer is Answer.USED:
        said = _(USED).format(name=name)
    else:
        said = _(REFUSALS[answer])
    await show(update, context, said, inline([to_the_card(_, proxy.vote_id)]))


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "give_proxy",
            entry_points=[
                CallbackQueryHandler(give_button, pattern=on("give")),
                CallbackQueryHandler(found_button, pattern=on("found")),
            ],
            states={WHO: [MessageHandler(typed_text(), who_text)]},
            fallbacks=leave_handlers(leave, draft=DRAFT),
        ),
        CallbackQueryHandler(to_button, pattern=on("to")),
        CallbackQueryHandler(fix_button, pattern=on("fix")),
        CallbackQueryHandler(send_button, pattern=on("send")),
        CallbackQueryHandler(stop_button, pattern=on("stop")),
        CallbackQueryHandler(answer_button, pattern=on("yes", "no")),
        CallbackQueryHandler(undo_button, pattern=on("undo")),
        CallbackQueryHandler(undo_ok_button, pattern=on("undook")),
    ]
