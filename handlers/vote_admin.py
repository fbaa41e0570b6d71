"""📣 Organise → 🗳️ Votes: running votes with turnout, 🔔 reminders, who voted what, results, archive, CSV.

Every tap reads the vote again, so a card always shows the vote as it is now:
a vote that closed meanwhile shows its result, a reminder goes out only while
the vote is open, and who voted what is never offered for a secret vote (the
storage gives nothing for one either), nor while results are hidden. Two short flows share one conversation:
🔔 a reminder with an optional personal line, and ✍️ what became of a funded
project. Both show a preview with ✅ / ✏️ / ✖️ before anything goes out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape, unescape

from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, i18n, validation, vote_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.double_taps import files_once
from bot.exports import file_name, spreadsheet
from bot.formatting import format_member_no, format_short_when, format_when
from bot.i18n import N_, Translate
from bot.incoming import chat_id, query, tapped, text
from bot.keyboards import arrows, button, inline, nav_row, paged, typed_text
from bot.replies import show, way_on_after_files
from storage import proposals, votes
from storage.tally import BUDGET, FOR_AGAINST
from storage.votes import CastBallot, Option, Vote

AREA = "vorg"
TYPING, CHECKING = "typing", "checking"  # the steps of the flow
REMIND, OUTCOME = "remind", "outcome"  # what the flow is writing (the draft's "kind")
MAX_TEXT = 300  # a personal line under a reminder, or what became of a project
# 👥 Who voted what is a text: 20 lines a page, each at most this long, stay below Telegram's 4096 characters.
NAMES_A_PAGE = 20
MAX_WHO_LINE = 180


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def card_data(vote_id: int) -> str:
    return callbacks.pack(AREA, "card", vote_id)


def existing(context: WijkContext, vote_id: int) -> Vote:
    """The vote behind a button; gone (or forged) means the button no longer works."""
    vote = votes.get(context.db, vote_id)
    if vote is None:
        raise callbacks.StaleButton(f"vote {vote_id} is gone")
    return vote


# ----- 🗳️ Votes, the lists -----------------------------------------------------------------------


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🗳️ Votes under 📣 Organise: a new vote, the running ones, proposals waiting, the archive."""
    _ = context.gettext
    waiting = proposals.waiting_count(context.db)
    rows = [
        [button("➕ " + _("New vote"), "vplan", "new")],
        [button("🗂️ " + _("Running votes"), AREA, "list", 0)],
        [button("💡 " + _("Proposals ({count} waiting)").format(count=waiting), "review", "list", 0)],
        [button("📚 " + _("Archive"), AREA, "archive", 0)],
        nav_row(_, callbacks.pack("org", "menu")),
    ]
    await show(update, context, "🗳️ " + _("Votes and proposals") + "\n" + _("What do you want to do?"), inline(rows))


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """🗂️ Running votes: open and planned, soonest deadline first, with turnout."""
    _ = context.gettext
    page = tapped(update).int_arg(0)
    running = votes.running_page(context.db, page)
    if not running.items and page:  # an old ▶️: the list got shorter since
        running = votes.running_page(context.db, 0)

    def line(vote: Vote) -> InlineKeyboardButton:
        deadline = format_short_when(vote.closes_at, context.language, context.settings.timezone)
        label = f"{vote_text.on_a_button(vote.title)} · {vote.result().turnout_percent}% · {deadline}"
        return button(("🕒 " if vote.opened_at is None else "") + label, AREA, "card", vote.id)

    text = _("Running votes. Tap one to see more.") if running.items else _("No votes are running now.")
    rows = paged(running, line, AREA, "list") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, "🗂️ " + text, inline(rows))


@requires(Need.ORGANISER)
async def archive_button(update: Update, context: WijkContext) -> None:
    """📚 Archive: closed votes, latest first; each opens its card with the result."""
    _ = context.gettext
    page = tapped(update).int_arg(0)
    closed = votes.closed_page(context.db, page)
    if not closed.items and page:
        closed = votes.closed_page(context.db, 0)

    def line(vote: Vote) -> InlineKeyboardButton:
        when = format_short_when(vote.closed_at or vote.closes_at, context.language, context.settings.timezone)
        return button(f"{vote_text.on_a_button(vote.title)} · {when}", AREA, "card", vote.id)

    text = _("Closed votes. Tap one to see the result.") if closed.items else _("No vote has closed yet.")
    rows = paged(closed, line, AREA, "archive") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, "📚 " + text, inline(rows))


# ----- a vote's card ----------------------------------------------------------------------------


def state_lines(_: Translate, vote: Vote, context: WijkContext) -> list[str]:
    """When it opens and closes, the turnout, and the result where it may be seen."""
    language, tz, now = context.language, context.settings.timezone, context.now()
    if vote.closed_at is not None:
        closed = "🏁 " + _("Closed on {when}.").format(when=format_when(vote.closed_at, language, tz))
        return [closed, vote_text.result(_, vote, language)]
    lines = []
    if vote.opened_at is None:
        lines.append("🕒 " + _("Opens on {when}.").format(when=format_when(vote.opens_at, language, tz)))
    if vote.closes_at > now:
        lines.append("⏰ " + vote_text.deadline(_, vote, language, tz, now))
    else:
        lines.append("⏰ " + _("The deadline has passed. The result follows in a minute."))
    if vote.opened_at is None:
        return lines
    if vote.results_shown():
        return [*lines, vote_text.result(_, vote, language)]
    return [*lines, vote_text.turnout(_, vote), _("Results are hidden until the close.")]


def outcome_button_of(_: Translate, vote: Vote, option: Option) -> InlineKeyboardButton:
    label = "✍️ " + _("What became of {project}").format(project=vote_text.on_a_button(option.label))
    return button(label, AREA, "outcome", vote.id, option.id)


def card_buttons(_: Translate, vote: Vote, context: WijkContext) -> list[list[InlineKeyboardButton]]:
    rows = []
    if vote.open_at(context.now()):
        rows.append([button("🔔 " + _("Remind"), AREA, "remind", vote.id)])
    if vote.closed_at is not None and vote.kind == BUDGET:
        rows += [[outcome_button_of(_, vote, option)] for option in vote.options if option.funded]
    files = [button("📄 " + _("As a file"), AREA, "csv", vote.id)]
    if shows_who(vote):
        files.insert(0, button("👥 " + _("Who voted what"), AREA, "who", vote.id, 0))
    back = callbacks.pack(AREA, "list", 0) if vote.closed_at is None else callbacks.pack(AREA, "archive", 0)
    return [*rows, files, nav_row(_, back)]


def shows_who(vote: Vote) -> bool:
    """Who voted what: never for a secret vote, and for an open one only where results may be seen
    (hidden results cannot be read early, not even by organisers)."""
    return not vote.secret and vote.opened_at is not None and vote.results_shown()


async def show_card(update: Update, context: WijkContext, vote_id: int, toast: str | None = None) -> None:
    """One vote as organisers see it: its text, rules, times, turnout and (where allowed) the result."""
    _ = context.gettext
    vote = existing(context, vote_id)
    body, _cut = vote_text.short_body(vote)
    lines = [vote_text.heading(vote), body, "", *vote_text.rules(_, vote, context.language), ""]
    lines += state_lines(_, vote, context)
    if vote.secret:
        lines += ["", "🔒 " + _("Secret vote: nobody can see who voted what.")]
    await show(update, context, "\n".join(lines), inline(card_buttons(_, vote, context)), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A vote from a list, or ⬅️ Back to it."""
    await show_card(update, context, tapped(update).int_arg(0))


# ----- 👥 who voted what, 📄 as a file ------------------------------------------------------------


def choice_words(_: Translate, vote: Vote, labels: tuple[str, ...]) -> str:
    """What a ballot chose, as plain text: For / Against / Abstain in the reader's language, else the labels."""
    if vote.kind == FOR_AGAINST:
        return ", ".join(_(vote_text.WORDS.get(label, label)) for label in labels)
    return ", ".join(labels)


def who_line(_: Translate, vote: Vote, ballot: CastBallot) -> str:
    """Like "member 0042 Ann: For — cast by Bob (proxy)"; escaped, and cut when very long (a big budget)."""
    who = _("(account deleted)") if ballot.name is None else f"{format_member_no(_, ballot.member_no)} {ballot.name}"
    line = f"{who}: {choice_words(_, vote, ballot.choices)}"
    if ballot.by_proxy:
        line += " — " + _("cast by {name} (proxy)").format(name=ballot.by_proxy)
    if len(line) > MAX_WHO_LINE:
        line = line[: MAX_WHO_LINE - 1] + "…"
    return escape(line)


@requires(Need.ORGANISER)
async def who_button(update: Update, context: WijkContext) -> None:
    """👥 Who voted what, for a vote that is not secret: a page of lines with ◀️ ▶️, then ⬅️ Back to the card."""
    _ = context.gettext
    args = tapped(update)
    vote = existing(context, args.int_arg(0))
    if not shows_who(vote):  # the button is not offered; an old or forged one changes nothing
        hidden = (
            _("Secret vote: nobody can see who voted what.")
            if vote.secret
            else _("Results are hidden until the close.")
        )
        await show_card(update, context, vote.id, toast=hidden)
        return
    listed = await votes.ballots_page(context.db, vote.id, args.int_arg(1), NAMES_A_PAGE)
    if not listed.items and listed.number:  # an old ▶️: the list got shorter since
        listed = await votes.ballots_page(context.db, vote.id, 0, NAMES_A_PAGE)
    lines = [vote_text.heading(vote), vote_text.turnout(_, vote), ""]
    lines += [who_line(_, vote, ballot) for ballot in listed.items] or [_("Nobody has voted yet.")]
    rows = arrows(listed, AREA, "who", vote.id) + [nav_row(_, card_data(vote.id))]
    await show(update, context, "\n".join(lines), inline(rows))


def vote_rows(_: Translate, vote: Vote, ballots: list[CastBallot], context: WijkContext) -> list[list[object]]:
    """The vote as a spreadsheet: its times, the votes per option (where they may be seen), turnout,
    quorum and outcome, and for a vote that is not secret who voted what. Plain text, no HTML."""
    language, tz = context.language, context.settings.timezone

    def yes_no(flag: bool) -> str:
        return _("yes") if flag else _("no")

    result = vote.result()
    budget = vote.kind == BUDGET
    rows: list[list[object]] = [
        [_("Vote"), vote.title],
        [_("Secret vote"), yes_no(vote.secret)],
        [_("Opens"), format_when(vote.opens_at, language, tz)],
        [_("Deadline"), format_when(vote.closes_at, language, tz)],
        [_("Closed"), format_when(vote.closed_at, language, tz) if vote.closed_at else ""],
        [],
    ]
    if vote.results_shown():
        rows.append(
            [_("Option"), _("Number of votes"), *([_("Amount"), _("Funded"), _("What became of it")] if budget else [])]
        )
        for option in vote.options:
            row: list[object] = [choice_words(_, vote, (option.label,)), option.votes]
            if budget:
                funded = "" if option.funded is None else yes_no(option.funded)
                row += [vote_text.money(option.amount_cents or 0, language), funded, option.outcome or ""]
            rows.append(row)
    else:
        rows.append([_("Results are hidden until the close.")])
    rows += [
        [],
        [_("Voted"), vote.voted],
        [_("Could vote"), vote.eligible],
        [_("Turnout"), f"{result.turnout_percent}%"],
        [_("Quorum needed"), result.quorum_needed],
        [_("Quorum reached"), yes_no(result.quorum_reached)],
    ]
    if vote.closed_at is not None:
        rows.append([_("Outcome"), unescape(vote_text.outcome(_, vote, language))])
    if ballots and not vote.secret:
        rows += [[], [_("Number"), _("First name"), _("Choice"), _("Cast by (proxy)")]]
        rows += [
            [
                "" if b.name is None else format_member_no(_, b.member_no),
                _("(account deleted)") if b.name is None else b.name,
                choice_words(_, vote, b.choices),
                b.by_proxy or "",
            ]
            for b in ballots
        ]
    return rows


@requires(Need.ORGANISER)
@files_once
async def csv_button(update: Update, context: WijkContext) -> None:
    """📄 The vote as a file for Excel or LibreOffice; never who chose what in a secret vote."""
    _ = context.gettext
    vote = existing(context, tapped(update).int_arg(0))
    await query(update).answer()
    ballots = await votes.open_ballots(context.db, vote.id) if shows_who(vote) else []
    data = spreadsheet(vote_rows(_, vote, ballots, context))
    name = file_name(_, N_("vote"), vote.id, extension="csv")
    await context.bot.send_document(chat_id(update), InputFile(data, filename=name), caption=vote_text.heading(vote))
    await way_on_after_files(update, context, card_data(vote.id))


# ----- 🔔 a reminder, ✍️ what became of a project: type, check, then ✅ ------------------------------


def draft(context: WijkContext) -> dict:
    """What the flow is writing: its kind, the vote (and project), and the text typed so far."""
    found = context.answers.get(AREA)
    if not isinstance(found, dict) or "vote" not in found:
        raise callbacks.StaleButton("no reminder or outcome is being written")
    return found


def read_text(typed: str) -> str:
    """A personal line or an outcome: one line of at most 300 characters, checked as every typed line is."""
    return validation.one_line(typed, MAX_TEXT, N_("Please type a few words."))


@requires(Need.ORGANISER)
async def remind_button(update: Update, context: WijkContext) -> object:
    """🔔 Remind: only while the vote is open and someone has not voted."""
    _ = context.gettext
    vote = existing(context, tapped(update).int_arg(0))
    refused = None
    if vote.opened_at is None:
        refused = _("This vote is not open yet. You can send a reminder once it opens.")
    elif not vote.open_at(context.now()):
        refused = _("This vote is closed. A reminder is no longer possible.")
    elif vote.voted >= vote.eligible:
        refused = _("Everyone has voted already.")
    elif votes.reminded_lately(context.db, vote.id, context.now()):  # a tap too many must not flood the members
        refused = _("A reminder went out less than an hour ago. Please wait a little.")
    if refused:
        await show_card(update, context, vote.id, toast=refused)
        return ConversationHandler.END
    context.answers[AREA] = {"kind": REMIND, "vote": vote.id}
    return await ask(update, context)


@requires(Need.ORGANISER)
async def outcome_button(update: Update, context: WijkContext) -> object:
    """✍️ What became of a project that the closed budget vote funded."""
    args = tapped(update)
    vote = existing(context, args.int_arg(0))
    option = vote.option(args.int_arg(1))
    if vote.closed_at is None or option is None or not option.funded:
        raise callbacks.StaleButton(f"option {args.int_arg(1)} of vote {vote.id} is not a funded project")
    context.answers[AREA] = {"kind": OUTCOME, "vote": vote.id, "option": option.id}
    return await ask(update, context)


async def ask(update: Update, context: WijkContext, error: str = "") -> str:
    """The question of the flow; ⬅️ Back goes to the vote's card."""
    _ = context.gettext
    written = draft(context)
    rows = []
    if written["kind"] == REMIND:
        question = "🔔 " + _("Add a personal line? Type it (at most 300 characters), or tap ⏭️ Without a line.")
        rows.append([button("⏭️ " + _("Without a line"), AREA, "noline")])
    else:
        option = existing(context, written["vote"]).option(written["option"])
        assert option is not None
        question = "✍️ " + _("What became of “{project}”? Type it in at most 300 characters.").format(
            project=escape(option.label)
        )
        if option.outcome:
            question += "\n" + _("Now it says: {outcome}").format(outcome=escape(option.outcome))
    rows.append(nav_row(_, card_data(written["vote"])))
    await show(update, context, f"{error}\n\n{question}".strip(), inline(rows))
    return TYPING


@requires(Need.ORGANISER)
async def text_typed(update: Update, context: WijkContext) -> object:
    """The personal line or the outcome was typed: check it, then the preview."""
    try:
        draft(context)["text"] = read_text(text(update))
    except validation.Invalid as invalid:
        return await ask(update, context, invalid.text(context.gettext))
    return await preview(update, context)


@requires(Need.ORGANISER)
async def no_line_button(update: Update, context: WijkContext) -> object:
    """⏭️ Without a line: the reminder as it is."""
    written = draft(context)
    if written["kind"] != REMIND:  # what became of a project is always typed
        raise callbacks.StaleButton("no line to leave out")
    written["text"] = None
    return await preview(update, context)


def reminder_text(_: Translate, vote: Vote, line: str | None, context: WijkContext) -> str:
    """The reminder as members get it (the words of bot/vote_notices.py, in the organiser's language)."""
    deadline = vote_text.deadline(_, vote, context.language, context.settings.timezone, context.now())
    reminder = _("⏰ You have not voted yet on: {title}\n{deadline}").format(
        title=escape(vote.title), deadline=deadline
    )
    return reminder + ("\n\n💬 " + escape(line) if line else "")


async def preview(update: Update, context: WijkContext) -> object:
    """What members will get or read, and ✅ / ✏️ Change / ✖️ Stop."""
    _ = context.gettext
    written = draft(context)
    vote = existing(context, written["vote"])
    if written["kind"] == REMIND:
        if not vote.open_at(context.now()):
            return await closed_meanwhile(update, context, vote.id)
        waiting = vote.eligible - vote.voted
        ngettext = i18n.plural(context.language)
        goes_to = ngettext(
            "It goes to {count} member who has not voted yet.",
            "It goes to {count} members who have not voted yet.",
            waiting,
        ).format(count=waiting)
        shown = _("Members will get this message:") + "\n\n" + reminder_text(_, vote, written["text"], context)
        shown += "\n\n" + goes_to
        save = "✅ " + _("Send")
    else:
        with_outcome = tuple(
            replace(o, outcome=written["text"]) if o.id == written["option"] else o for o in vote.options
        )
        shown = _("Members will see this on the vote's card:") + "\n\n"
        shown += vote_text.result(_, replace(vote, options=with_outcome), context.language)
        save = "✅ " + _("Save")
    rows = [
        [button(save, AREA, "save")],
        [button("✏️ " + _("Change"), AREA, "retype")],
        [button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "retype")),
    ]
    await show(update, context, shown, inline(rows))
    return CHECKING


@requires(Need.ORGANISER)
async def retype_button(update: Update, context: WijkContext) -> object:
    """✏️ Change, or ⬅️ Back from the preview: the question again."""
    return await ask(update, context)


@requires(Need.ORGANISER)
async def save_button(update: Update, context: WijkContext) -> object:
    """✅ Send the reminder, or save what became of the project. The flow ends here, so a second ✅
    (a double tap) finds no flow and changes nothing."""
    _ = context.gettext
    written = context.answers.pop(AREA, None) or {}
    if "vote" not in written:
        raise callbacks.StaleButton("nothing to send")
    vote_id = written["vote"]
    if written["kind"] == OUTCOME:
        saved = votes.set_outcome(context.db, written["option"], written["text"])
        if saved is None or saved.id != vote_id:
            raise callbacks.StaleButton(f"option {written['option']} is not a funded project")
        await show_card(update, context, vote_id, toast=_("Saved. Members see it on the vote's card."))
        return ConversationHandler.END
    sent = votes.remind(context.db, vote_id, context.now(), written.get("text"))
    if sent is None:
        return await closed_meanwhile(update, context, vote_id)
    context.wake_sender()
    ngettext = i18n.plural(context.language)
    done = ngettext("🔔 The reminder goes to {count} member.", "🔔 The reminder goes to {count} members.", sent).format(
        count=sent
    )
    await show(update, context, done, inline([nav_row(_, card_data(vote_id))]))
    return ConversationHandler.END


async def closed_meanwhile(update: Update, context: WijkContext, vote_id: int) -> int:
    """The vote closed while the reminder was being written: nothing goes out; ⬅️ Back to its card."""
    _ = context.gettext
    context.answers.pop(AREA, None)
    refused = _("This vote is closed. A reminder is no longer possible.")
    await show(update, context, refused, inline([nav_row(_, card_data(vote_id))]))
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def back_to_card_button(update: Update, context: WijkContext) -> int:
    """⬅️ Back from the question, or an older card tapped meanwhile: out of the flow, to that card."""
    context.answers.pop(AREA, None)
    await show_card(update, context, tapped(update).int_arg(0))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is sent or changed."""
    _ = context.gettext
    kind = (context.answers.get(AREA) or {}).get("kind")
    said = _("Stopped. No reminder was sent.") if kind == REMIND else _("Stopped. Nothing was published or changed.")
    return await end_conversation(update, context, said, AREA)


def handlers() -> list[BaseHandler]:
    back_to_card = CallbackQueryHandler(back_to_card_button, pattern=on("card"))
    return [
        persistent_conversation(
            "vote_admin",
            entry_points=[
                CallbackQueryHandler(remind_button, pattern=on("remind")),
                CallbackQueryHandler(outcome_button, pattern=on("outcome")),
            ],
            states={
                TYPING: [
                    MessageHandler(typed_text(), text_typed),
                    CallbackQueryHandler(no_line_button, pattern=on("noline")),
                    back_to_card,
                ],
                CHECKING: [
                    CallbackQueryHandler(save_button, pattern=on("save")),
                    CallbackQueryHandler(retype_button, pattern=on("retype")),
                    CallbackQueryHandler(leave, pattern=on("stop")),
                    back_to_card,
                ],
            },
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(archive_button, pattern=on("archive")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(who_button, pattern=on("who")),
        CallbackQueryHandler(csv_button, pattern=on("csv")),
    ]
