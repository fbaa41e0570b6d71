"""⏱️ The time bank: hours for help, as members and organisers use them.

- After ✅ Helped on a free or swap request, its author taps how many hours the
  help took (bot/hour_text.py post_hour_buttons, on the screen of
  handlers/my_posts.py); the helper is credited and hears it.
- ⏱️ My hours (from 👤 My details): given, received, the balance and the last
  transfers. ➕ Give hours thanks someone without a post ("Ann helped me on
  Sunday"), or gives hours to the cooperative for a group effort. Typing a
  name and typing a note are the steps of one persistent conversation; the
  member and the hours travel in the buttons, and every tap re-checks them.
  Nothing moves before ✅ on the preview.
- Organisers see every transfer and correct one (a correcting transfer,
  logged; both sides hear it).

With WIJKBOT_TIMEBANK=off none of it shows, and an old button says so kindly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, hour_text, validation
from bot.access import Need, requires
from bot.context import Handler, R, WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_short_when
from bot.i18n import N_, Translate
from bot.incoming import query, tapped, text
from bot.keyboards import button, inline, nav_row, paged, typed_text
from bot.replies import reply_with_menu, show
from handlers.organise import MAX_QUERY, MEMBER_NUMBER
from storage import hours, talks
from storage.hours import Answer, Transfer

AREA = "hours"
NOTE, NUMBER, NAME = "note", "number", "name"  # the steps that are typed: a note; someone else's number and name
NAMED = "hours_named"  # in the answers: {"number": n}, then {"member": id, "first_name": as typed}
DRAFT = "hours"  # in the answers: {"to": member id or COOPERATIVE, "halves": n, "note": text or None}
COOPERATIVE = 0  # in callback data: the cooperative's account
LAST = 5  # transfers shown under ⏱️ My hours
LABEL = 40  # characters of a transfer on an organiser's button
# Why a tap on the hours of a post did nothing; said in a short pop-up.
POST_REFUSALS = {
    Answer.GONE: N_("This is not your post, or it no longer exists."),
    Answer.NOT_YOURS: N_("This is not your post, or it no longer exists."),
    Answer.NOT_FOR_HOURS: N_("Hours are only for free help or a swap, after ✅ Helped."),
    Answer.NOT_A_MEMBER: N_("The one who helped you is no longer a member. No hours were given."),
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def mine() -> str:
    """⏱️ My hours, where the way back from giving leads."""
    return callbacks.pack(AREA, "mine")


def timebank(handler: Handler[R]) -> Handler[R | int]:
    """The time bank is switched off (WIJKBOT_TIMEBANK=off): a kind word instead, and no flow stays open."""

    @functools.wraps(handler)
    async def checked(update: Update, context: WijkContext) -> R | int:
        if context.settings.timebank:
            return await handler(update, context)
        _ = context.gettext
        words = _("We do not use the time bank here.")
        if update.callback_query:
            await update.callback_query.answer(words)
        else:
            await reply_with_menu(update, context, words)
        context.answers.pop(DRAFT, None)
        return ConversationHandler.END

    return checked


# ----- hours for a post --------------------------------------------------------------------------


def thanked(_: Translate, language: str, transfer: Transfer) -> str:
    """What the one who was helped reads after giving hours."""
    name = hour_text.side(_, transfer.to_member_id, transfer.to_name)
    return "\n".join(
        (
            "✅ "
            + _("{hours} for {name}. Thank you!").format(hours=hour_text.hours(language, transfer.now), name=name),
            _("{name} gets a message.").format(name=name),
        )
    )


@requires(Need.ACTIVE)
@timebank
async def post_button(update: Update, context: WijkContext) -> None:
    """½ … 8 under a request that got ✅ Helped: the helper is credited, once per post."""
    _ = context.gettext
    data = tapped(update)
    answer, transfer = hours.for_post(
        context.db, data.int_arg(0), context.known_member.id, data.int_arg(1), context.now()
    )
    if transfer is None:
        await query(update).answer(_(POST_REFUSALS.get(answer, POST_REFUSALS[Answer.GONE])))
        return
    toast = "✅"
    if answer is Answer.ALREADY:
        toast = _("You already gave hours for this help.")
    else:
        context.wake_sender()
    rows = [[button("⏱️ " + _("My hours"), AREA, "mine")], nav_row(_, callbacks.pack("mypost", "list", 0))]
    await show(update, context, thanked(_, context.language, transfer), inline(rows), toast=toast)


# ----- ⏱️ My hours -----------------------------------------------------------------------------


def line(_: Translate, context: WijkContext, transfer: Transfer, member_id: int) -> str:
    """One transfer as the member sees it: when, how many hours, and who helped whom."""
    amount = hour_text.hours(context.language, transfer.now)
    if transfer.to_member_id == member_id:
        if transfer.from_member_id is None:
            words = _("➕ {hours}: from the cooperative").format(hours=amount)
        else:
            name = hour_text.side(_, transfer.from_member_id, transfer.from_name)
            words = _("➕ {hours}: you helped {name}").format(hours=amount, name=name)
    elif transfer.to_member_id is None:
        words = _("➖ {hours}: to the cooperative").format(hours=amount)
    else:
        name = hour_text.side(_, transfer.to_member_id, transfer.to_name)
        words = _("➖ {hours}: {name} helped you").format(hours=amount, name=name)
    return "\n".join(
        [format_short_when(transfer.created_at, context.language, context.settings.timezone)]
        + [words]
        + about(_, transfer)
    )


def about(_: Translate, transfer: Transfer) -> list[str]:
    """The post it was for, the note, and whether an organiser corrected it: a line each."""
    lines = []
    if transfer.post_title:  # empty once its author left
        lines.append("📋 " + escape(transfer.post_title))
    if transfer.note:
        lines.append("💬 " + escape(transfer.note))
    if transfer.corrected:
        lines.append("✏️ " + _("Corrected by an organiser."))
    return lines


@requires(Need.ACTIVE)
@timebank
async def mine_button(update: Update, context: WijkContext) -> None:
    """⏱️ My hours: given, received, the balance and the last transfers; ➕ Give hours."""
    _ = context.gettext
    member_id = context.known_member.id
    account = hours.balance(context.db, member_id)
    parts = ["⏱️ " + _("My hours"), hour_text.account(_, context.language, account)]
    if account.balance < 0:
        parts.append(_("That is fine. You can always ask for help."))
    last = hours.last_of_member(context.db, member_id, LAST)
    if last:
        parts += [_("The last hours:")] + [line(_, context, transfer, member_id) for transfer in last]
    else:
        parts.append(_("No hours yet. When someone helps you, you can thank them with hours."))
    rows = [[button("➕ " + _("Give hours"), AREA, "give")], nav_row(_, callbacks.pack("me", "show"))]
    await show(update, context, "\n\n".join(parts), inline(rows))


# ----- ➕ giving hours: to whom ------------------------------------------------------------------


def cooperative_button(_: Translate) -> list[InlineKeyboardButton]:
    return [button("🏘️ " + _("The cooperative / a group effort"), AREA, "to", COOPERATIVE)]


def partner_button(partner: talks.Partner) -> InlineKeyboardButton:
    return button("🙏 " + partner.first_name, AREA, "to", partner.id)


async def ask_who(update: Update, context: WijkContext, page: int) -> None:
    """The members this member talked with through 💬 (newest first, 5 a page), and the cooperative.

    Only they are offered: the member list is for organisers, so nobody can look up other members here."""
    _ = context.gettext
    found = talks.partners(context.db, context.known_member.id, page)
    parts = ["➕ " + _("Give hours"), _("Who helped you?")]
    if not found.items:
        parts.append(_("Here you find the members you talked with through 💬. You have not talked with anyone yet."))
    parts.append(_("Or give hours to the cooperative, for a group effort."))
    rows = paged(found, partner_button, AREA, "found")
    rows += [[button("🔢 " + _("Someone else"), AREA, "other")], cooperative_button(_), nav_row(_, mine())]
    await show(update, context, "\n\n".join(parts), inline(rows))


async def ask_number(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    question = _("What is their member number? They find it under 👤 My details.")
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, callbacks.pack(AREA, "give"))]))
    return NUMBER


@requires(Need.ACTIVE)
@timebank
async def other_button(update: Update, context: WijkContext) -> str:
    """🔢 Someone else: a member one did not talk with here, known by their number and first name."""
    context.answers.pop(NAMED, None)
    return await ask_number(update, context)


@requires(Need.ACTIVE)
@timebank
async def number_text(update: Update, context: WijkContext) -> str:
    """Their member number; then their first name."""
    _ = context.gettext
    number = MEMBER_NUMBER.fullmatch(text(update).strip())
    if number is None:
        return await ask_number(update, context, _("Please type the number only, like 42."))
    context.answers[NAMED] = {"number": int(number[1])}
    question = _("And their first name?")
    await show(update, context, question, inline([nav_row(_, callbacks.pack(AREA, "other"))]))
    return NAME


@requires(Need.ACTIVE)
@timebank
async def name_text(update: Update, context: WijkContext) -> object:
    """Their first name: when number and name belong together, how many hours?"""
    _ = context.gettext
    typed = text(update).strip()
    named = context.answers.get(NAMED) or {}
    member_id = hours.named(context.db, named.get("number", 0), typed) if len(typed) <= MAX_QUERY else None
    if member_id is None or member_id == context.known_member.id:
        context.answers.pop(NAMED, None)
        return await ask_number(update, context, _("We did not find a member with that number and name."))
    context.answers[NAMED] = {"member": member_id, "first_name": typed}
    await ask_hours(update, context, member_id)
    return ConversationHandler.END


@requires(Need.ACTIVE)
@timebank
async def give_button(update: Update, context: WijkContext) -> None:
    """➕ Give hours, or ✏️ Change on the preview: who helped?"""
    context.answers.pop(DRAFT, None)
    await ask_who(update, context, 0)


@requires(Need.ACTIVE)
@timebank
async def found_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️ through the members talked with."""
    await ask_who(update, context, tapped(update).int_arg(0))


def recipient(context: WijkContext, to: int) -> str:
    """The name (for a text in HTML) of who gets the hours: the cooperative, or a member this member
    talked with. Anyone else (a forged button, or someone who left) no longer works, and is never named."""
    _ = context.gettext
    if to == COOPERATIVE:
        return _("the cooperative")
    named = context.answers.get(NAMED) or {}
    if named.get("member") == to:  # named right by number and first name
        return escape(named["first_name"])
    partner = talks.partner(context.db, context.known_member.id, to)
    if partner is None:
        raise callbacks.StaleButton(f"member {to} is not someone this member talked with")
    return hour_text.side(_, to, partner.first_name)


# ----- ➕ giving hours: how many, a note, the preview -----------------------------------------------


@requires(Need.ACTIVE)
@timebank
async def to_button(update: Update, context: WijkContext) -> None:
    """A member from the list, or the cooperative: how many hours?"""
    _ = context.gettext
    await ask_hours(update, context, tapped(update).int_arg(0))


async def ask_hours(update: Update, context: WijkContext, to: int) -> None:
    _ = context.gettext
    name = recipient(context, to)
    if to == COOPERATIVE:
        question = _("How many hours do you give to the cooperative?")
    else:
        question = _("How many hours did {name} help you?").format(name=name)
    rows = hour_text.hour_buttons("amount", to) + [nav_row(_, callbacks.pack(AREA, "give"))]
    await show(update, context, "➕ " + question, inline(rows))


async def ask_note(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    draft = context.answers[DRAFT]
    parts = [
        error,
        _("Do you want to add a short note? For example: “Helped me move on Sunday”."),
        _("Type it on one line, at most {maximum} characters. Or tap No note.").format(maximum=hours.MAX_NOTE),
    ]
    rows = [
        [button("⏭️ " + _("No note"), AREA, "skip")],
        nav_row(_, callbacks.pack(AREA, "to", draft["to"])),
    ]
    await show(update, context, "\n\n".join(part for part in parts if part), inline(rows))
    return NOTE


@requires(Need.ACTIVE)
@timebank
async def amount_button(update: Update, context: WijkContext) -> object:
    """The hours were tapped (or ⬅️ Back from the preview): a note?"""
    data = tapped(update)
    to, halves = data.int_arg(0), data.int_arg(1)
    recipient(context, to)
    context.answers[DRAFT] = {"to": to, "halves": halves, "note": None}
    return await ask_note(update, context)


@requires(Need.ACTIVE)
@timebank
async def note_text(update: Update, context: WijkContext) -> object:
    """The note was typed: one line, at most 80 characters."""
    try:
        note = validation.one_line(text(update), hours.MAX_NOTE, N_("Please type a short note. Or tap No note."))
    except validation.Invalid as invalid:
        return await ask_note(update, context, invalid.text(context.gettext))
    draft(context)["note"] = note
    return await preview(update, context)


@requires(Need.ACTIVE)
@timebank
async def skip_button(update: Update, context: WijkContext) -> object:
    """⏭️ No note."""
    draft(context)["note"] = None
    return await preview(update, context)


def draft(context: WijkContext) -> dict:
    """The hours being given; a button of a draft that is gone no longer works."""
    answers = context.answers.get(DRAFT)
    if not isinstance(answers, dict) or not {"to", "halves"} <= answers.keys():
        raise callbacks.StaleButton("no hours being given")
    return answers


async def preview(update: Update, context: WijkContext) -> int:
    """What will happen, before anything moves (UX.md): ✅ / ✏️ / ✖️."""
    _ = context.gettext
    answers = draft(context)
    to, halves, note = answers["to"], answers["halves"], answers["note"]
    name = recipient(context, to)
    amount = hour_text.hours(context.language, halves)
    if to == COOPERATIVE:
        lines = ["⏱️ " + _("You give {hours} to the cooperative, for a group effort.").format(hours=amount)]
    else:
        lines = ["⏱️ " + _("You give {hours} to {name}, to thank them for their help.").format(hours=amount, name=name)]
    if note:
        lines.append("💬 " + escape(note))
    if to != COOPERATIVE:
        lines += ["", _("{name} gets a message.").format(name=name)]
    rows = [
        [button("✅ " + _("Yes, give"), AREA, "send")],
        [button("✏️ " + _("Change"), AREA, "give"), button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "amount", to, halves)),
    ]
    await show(update, context, "\n".join(lines), inline(rows))
    return ConversationHandler.END


@requires(Need.ACTIVE)
@timebank
async def send_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, give: the hours move and the other member hears it. The draft goes, so a second tap does nothing."""
    _ = context.gettext
    answers = draft(context)
    context.answers.pop(DRAFT, None)
    to, halves, note = answers["to"], answers["halves"], answers["note"]
    named = context.answers.pop(NAMED, None) or {}
    first_name = named.get("first_name") if named.get("member") == to else None
    _answer, transfer = hours.give(
        context.db, context.known_member.id, to or None, halves, note, context.now(), first_name=first_name
    )
    if transfer is None:  # they left, or were never someone this member talked with (storage checks it)
        raise callbacks.StaleButton(f"no hours could go to {to}")
    context.wake_sender()
    name = hour_text.side(_, transfer.to_member_id, transfer.to_name)
    done = "✅ " + _("Thank you! You gave {hours} to {name}.").format(
        hours=hour_text.hours(context.language, transfer.now), name=name
    )
    rows = [[button("⏱️ " + _("My hours"), AREA, "mine")], nav_row(_, mine())]
    await show(update, context, done, inline(rows), toast="✅")


@requires(Need.ACTIVE)
async def stop_button(update: Update, context: WijkContext) -> None:
    """✖️ Stop on the preview: nothing moves."""
    _ = context.gettext
    context.answers.pop(DRAFT, None)
    await show(update, context, _("Stopped. Nothing was sent."), inline([nav_row(_, mine())]))


async def leave(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu while typing: nothing moves."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was sent."), DRAFT)


# ----- organisers: every transfer, and correcting one ------------------------------------------------


def organisers_menu() -> str:
    """📣 Organise → 🤝 Help & services (handlers/help_admin.py), where the way back from the hours leads."""
    return callbacks.pack("horg", "menu")


def between(_: Translate, context: WijkContext, transfer: Transfer, *, html: bool = True) -> str:
    """Like "Ann → Bert: 2 hours" (Ann was helped, Bert helped)."""
    giver = hour_text.side(_, transfer.from_member_id, transfer.from_name, html=html)
    helper = hour_text.side(_, transfer.to_member_id, transfer.to_name, html=html)
    return f"{giver} → {helper}: {hour_text.hours(context.language, transfer.now)}"


def card(_: Translate, context: WijkContext, transfer: Transfer) -> str:
    when = format_short_when(transfer.created_at, context.language, context.settings.timezone)
    return "\n".join([f"<b>{between(_, context, transfer)}</b>", when, *about(_, transfer)])


@requires(Need.ORGANISER)
@timebank
async def admin_button(update: Update, context: WijkContext) -> None:
    """⏱️ Hours for organisers: every transfer, newest first, 5 a page; tap one to correct it."""
    _ = context.gettext
    page = tapped(update).int_arg(0)
    listed = hours.recent(context.db, page)
    if not listed.items and page:  # an old ▶️: the list got shorter since
        listed = hours.recent(context.db, 0)
    if listed.items:
        heading = _(
            "⏱️ Hours given, newest first.\nFirst the one who was helped, then the helper.\nTap one to correct it."
        )
        shown = "\n\n".join([heading, *(card(_, context, transfer) for transfer in listed.items)])
    else:
        shown = _("⏱️ No hours were given yet.")

    def correct_button(transfer: Transfer) -> InlineKeyboardButton:
        label = "✏️ " + between(_, context, transfer, html=False)
        return button(label[:LABEL], AREA, "fix", transfer.id, listed.number)

    rows = paged(listed, correct_button, AREA, "adm")
    await show(update, context, shown, inline(rows + [nav_row(_, organisers_menu())]))


def original(context: WijkContext, transfer_id: int) -> Transfer:
    """A transfer an organiser can correct: one that is not itself a correction."""
    transfer = hours.get(context.db, transfer_id)
    if transfer is None or transfer.corrects is not None:
        raise callbacks.StaleButton(f"no transfer {transfer_id} to correct")
    return transfer


@requires(Need.ORGANISER)
@timebank
async def fix_button(update: Update, context: WijkContext) -> None:
    """✏️ Correct: how many hours should it be?"""
    _ = context.gettext
    data = tapped(update)
    transfer, page = original(context, data.int_arg(0)), data.int_arg(1)
    shown = "\n\n".join(
        [card(_, context, transfer), _("How many hours should it be? 0 takes it back. Both sides get a message.")]
    )
    rows = hour_text.hour_buttons("set", transfer.id, page, choices=hour_text.CORRECT_HALVES)
    await show(update, context, shown, inline(rows + [nav_row(_, callbacks.pack(AREA, "adm", page))]))


@requires(Need.ORGANISER)
@timebank
async def set_button(update: Update, context: WijkContext) -> None:
    """The new hours: a correcting transfer (logged), and both sides are told. The same again changes nothing."""
    _ = context.gettext
    data = tapped(update)
    transfer_id, page, halves = data.int_arg(0), data.int_arg(1), data.int_arg(2)
    answer, transfer = hours.correct(context.db, transfer_id, context.known_member.id, halves, context.now())
    if transfer is None:
        raise callbacks.StaleButton(f"no transfer {transfer_id} to correct")
    if answer is Answer.DONE:
        context.wake_sender()
        said, toast = "✅ " + _("Corrected. Both sides get a message."), "✅"
    else:
        said, toast = _("It already was this much. Nothing changed."), None
    rows = [nav_row(_, callbacks.pack(AREA, "adm", page))]
    await show(update, context, said + "\n\n" + card(_, context, transfer), inline(rows), toast=toast)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "give_hours",
            entry_points=[
                CallbackQueryHandler(amount_button, pattern=on("amount")),
                CallbackQueryHandler(other_button, pattern=on("other")),
            ],
            states={
                NUMBER: [MessageHandler(typed_text(), number_text)],
                NAME: [MessageHandler(typed_text(), name_text)],
                NOTE: [
                    MessageHandler(typed_text(), note_text),
                    CallbackQueryHandler(skip_button, pattern=on("skip")),
                ],
            },
            fallbacks=[*leave_handlers(leave, draft=DRAFT), CallbackQueryHandler(other_button, pattern=on("other"))],
        ),
        CallbackQueryHandler(give_button, pattern=on("give")),
        CallbackQueryHandler(found_button, pattern=on("found")),
        CallbackQueryHandler(post_button, pattern=on("post")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(to_button, pattern=on("to")),
        CallbackQueryHandler(send_button, pattern=on("send")),
        CallbackQueryHandler(stop_button, pattern=on("stop")),
        CallbackQueryHandler(admin_button, pattern=on("adm")),
        CallbackQueryHandler(fix_button, pattern=on("fix")),
        CallbackQueryHandler(set_button, pattern=on("set")),
    ]
