"""💬 Conversations about a post, relayed by the bot: react, reply, share a contact, end, block.

💬 React on another member's post card and ↩️ Reply on a relayed message ask
for one typed message (a short persistent conversation), then storage/talks.py
stores and relays it through the outbox. Nobody sees the other's Telegram
account unless they choose 📱 Share my contact. Ending, blocking and sharing ask
once more. Every tap re-checks the talk in the database: a button for someone
else's talk is stale, one for an ended talk or a removed post is answered kindly.
Questions asked from a relayed message come as a new message, so the message
itself stays readable.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_when, shortened
from bot.i18n import N_, Translate
from bot.incoming import query, text
from bot.keyboards import button, inline, nav_row, paged, typed_text
from bot.replies import send, show
from bot.talk_notices import name_or_member, talk_buttons
from bot.timing import deliver_at
from handlers import helping
from storage import members, posts, talks
from storage.talks import Outcome, Talk

AREA = "talk"
WRITING = "writing"
WHY_NOT = {
    Outcome.NOT_DELIVERED: N_("Sorry, your message could not be delivered. Look for other help under 🔎 Look around."),
    Outcome.POST_GONE: N_("This post is no longer up. Nothing was sent."),
    Outcome.OWN_POST: N_("This is your own post."),
    Outcome.YOU_BLOCKED: N_("You blocked this member. You cannot send them messages."),
    Outcome.ENDED: N_("This conversation has ended. Nothing was sent."),
    Outcome.NOT_YOURS: N_("This conversation has ended. Nothing was sent."),
}
QUESTIONS = {
    "end": N_("End the conversation with {name} about “{title}”?"),
    "block": N_(
        "Block {name}? You will not get their messages any more.\n{name} is only told that the conversation has ended."
    ),
    "share": N_("Share your contact with {name}?\n{name} gets a link to your Telegram account and can write to you."),
}
YES = {"end": N_("✋ Yes, end it"), "block": N_("🚫 Yes, block"), "share": N_("📱 Yes, share")}
DONE = {
    "endok": N_("✋ The conversation has ended. {name} is told."),
    "blockok": N_("🚫 You blocked {name}. {name} is told that the conversation has ended."),
    "shareok": N_("📱 Done. {name} gets a link to your Telegram account."),
}


def tapped_id(update: Update) -> int:
    return callbacks.parse(query(update).data).int_arg(0)


def to_the_talk(talk_id: int) -> str:
    return callbacks.pack(AREA, "show", talk_id)


def to_the_post(post_id: int) -> str:
    """⬅️ Back from a first reaction: the post's card (handlers/browsing.py); 🤝 when the draft is gone."""
    return callbacks.pack("browse", "card", post_id, 0) if post_id else helping.menu_data()


async def beside(update: Update, context: WijkContext, text: str, markup: InlineKeyboardMarkup) -> None:
    """Answer a tap with a new message: the post card or relayed message it was on stays as it is."""
    await query(update).answer()
    await send(update, context, text, markup)


async def refuse(
    update: Update, context: WijkContext, outcome: Outcome, back: str | None, *, in_place: bool = False
) -> int:
    """Say kindly why nothing happened; changes nothing. Beside a tapped card or message, unless `in_place`
    (the answer to one of our own questions)."""
    _ = context.gettext
    said, markup = _(WHY_NOT[outcome]), inline([nav_row(_, back or helping.menu_data())])
    if update.callback_query and not in_place:
        await beside(update, context, said, markup)
    else:
        await show(update, context, said, markup)
    return ConversationHandler.END


async def ask(update: Update, context: WijkContext, question: str, back: str) -> str:
    """Ask for the message, beside the card or message the tap came from."""
    _ = context.gettext
    await beside(update, context, question, inline([nav_row(_, back)]))
    return WRITING


@requires(Need.ACTIVE)
async def start_button(update: Update, context: WijkContext) -> object:
    """💬 React on another member's post card: first the message, which only the author gets."""
    _ = context.gettext
    post_id, me = tapped_id(update), context.known_member.id
    post = posts.get(context.db, post_id)
    if post is None or not post.live(context.now()):
        return await refuse(update, context, Outcome.POST_GONE, None)
    if post.member_id == me:
        return await refuse(update, context, Outcome.OWN_POST, None)
    if talks.blocked(context.db, me, post.member_id or 0):
        return await refuse(update, context, Outcome.YOU_BLOCKED, None)
    context.answers[AREA] = {"post": post_id}
    question = _("💬 Write your message to {name} about “{title}”.\nOnly {name} gets it. At most 1000 characters.")
    name = name_or_member(_, post.member_name)
    return await ask(update, context, question.format(name=name, title=escape(post.title)), to_the_post(post_id))


@requires(Need.ACTIVE)
async def reply_button(update: Update, context: WijkContext) -> object:
    """↩️ Reply on a relayed message: the answer, which only the other side gets."""
    _ = context.gettext
    talk_id = tapped_id(update)
    outcome, talk = talks.may_write(context.db, talk_id, context.known_member.id)
    if talk is None:
        raise callbacks.StaleButton(f"talk {talk_id} is not this member's")
    if outcome is not Outcome.SENT:
        return await refuse(update, context, outcome, None)
    context.answers[AREA] = {"talk": talk_id}
    question = _("↩️ Write your answer to {name} about “{title}”.\nOnly {name} gets it. At most 1000 characters.")
    name = name_or_member(_, talk.other_name(context.known_member.id))
    return await ask(update, context, question.format(name=name, title=escape(talk.post_title)), to_the_talk(talk_id))


@requires(Need.ACTIVE)
async def message_text(update: Update, context: WijkContext) -> object:
    """The typed message: stored and relayed, or kindly refused when the post or the talk is gone."""
    _ = context.gettext
    draft = context.answers.get(AREA) or {}
    try:
        body = validation.lines(text(update), talks.MAX_MESSAGE, N_("Please type your message."))
    except validation.Invalid as invalid:
        again = invalid.text(_) + "\n\n" + _("Type your message. At most 1000 characters.")
        back = to_the_talk(draft["talk"]) if "talk" in draft else to_the_post(draft.get("post", 0))
        await send(update, context, again, inline([nav_row(_, back)]))
        return WRITING
    context.answers.pop(AREA, None)
    me, now = context.known_member.id, context.now()
    if "post" in draft:
        sent = talks.react(context.db, draft["post"], me, body, now)
    elif "talk" in draft:
        sent = talks.reply(context.db, draft["talk"], me, body, now)
    else:  # the draft was forgotten (the member deleted their data meanwhile)
        sent = talks.Sent(Outcome.ENDED)
    if sent.outcome is not Outcome.SENT or sent.talk is None:
        return await refuse(update, context, sent.outcome, to_the_talk(sent.talk.id) if sent.talk else None)
    context.wake_sender()
    name = name_or_member(_, sent.talk.other_name(me))
    arrives = deliver_at(now, context.settings.timezone)
    other_id = sent.talk.other(me)
    other = members.get(context.db, other_id) if other_id is not None else None
    if other is not None and other.telegram_id is None:  # added at the desk: the call list (handlers/calls.py)
        said = _("✅ Sent. {name} has no Telegram: an organiser passes your message on by phone.").format(name=name)
    elif arrives > now:  # quiet hours (bot/sender.py holds it)
        when = format_when(arrives, context.language, context.settings.timezone)
        said = _("✅ Sent. Nobody gets messages at night, so {name} gets it on {when}.").format(name=name, when=when)
    else:
        said = _("✅ Sent to {name}. You get their answer here.").format(name=name)
    more = [button("✍️ " + _("Write more"), "talk", "reply", sent.talk.id)]  # a second message is one tap away
    await send(update, context, said, inline([more, nav_row(_, to_the_talk(sent.talk.id))]))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu while writing: nothing is sent."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. Nothing was sent."), AREA)


def mine(update: Update, context: WijkContext, talk: Talk | None) -> Talk:
    """The talk, if it is this member's; a button for someone else's talk no longer works."""
    if talk is None or not talk.has(context.known_member.id):
        raise callbacks.StaleButton(f"talk {tapped_id(update)} is not this member's")
    return talk


def talk_label(_: Translate, talk: Talk, me: int) -> str:
    """A conversation on a button: who with, about what; ended ones marked."""
    mark = "💬" if talk.ended_at is None and not talk.post_removed else "⏹️"
    about = shortened(talk.post_title, 30) if talk.post_title else "…"
    return f"{mark} {talk.other_name(me) or _('A member')} · {about}"


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """💬 Conversations (from 🤝): all of mine, open ones first, newest first, 5 a page."""
    await show_talks(update, context, tapped_id(update))


@requires(Need.ACTIVE)
async def about_button(update: Update, context: WijkContext) -> None:
    """💬 Conversations on the card of one of my posts: those about it; ⬅️ Back to the card."""
    tapped = callbacks.parse(query(update).data)
    await show_talks(update, context, tapped.int_arg(1), tapped.int_arg(0))


async def show_talks(update: Update, context: WijkContext, page: int, post_id: int | None = None) -> None:
    _ = context.gettext
    me = context.known_member.id
    found = talks.of_member(context.db, me, page, post_id)
    if not found.items and page:  # an old ▶️: the list got shorter since
        found = talks.of_member(context.db, me, 0, post_id)
    said = _("💬 Your conversations. Tap one to answer.") if found.items else _("💬 You have no conversations yet.")
    more = ("about", post_id) if post_id else ("list",)
    rows = paged(found, lambda talk: button(talk_label(_, talk, me), AREA, "show", talk.id), AREA, *more)
    back = callbacks.pack("mypost", "card", post_id, 0) if post_id else helping.menu_data()
    await show(update, context, said, inline([*rows, nav_row(_, back)]))


@requires(Need.ACTIVE)
async def show_button(update: Update, context: WijkContext) -> None:
    """A conversation, with what can be done in it (⬅️ Back from its steps)."""
    _ = context.gettext
    me = context.known_member.id
    talk = mine(update, context, talks.get(context.db, tapped_id(update)))
    said = _("💬 Conversation with {name} about “{title}”.").format(
        name=name_or_member(_, talk.other_name(me)),
        title=escape(talk.post_title or "…"),  # empty: its author left
    )
    open_talk = talk.ended_at is None and not talk.post_removed and talk.other(me) is not None
    if not open_talk:
        said += "\n" + _("This conversation has ended.")
    rows = talk_buttons(_, talk) if open_talk else []
    await show(update, context, said, inline([*rows, nav_row(_, callbacks.pack(AREA, "list", 0))]))


@requires(Need.ACTIVE)
async def question_button(update: Update, context: WijkContext) -> None:
    """✋ End conversation, 🚫 Block or 📱 Share my contact: asked once more, beside the message."""
    _ = context.gettext
    action, talk_id, me = callbacks.parse(query(update).data).action, tapped_id(update), context.known_member.id
    outcome, talk = talks.may_write(context.db, talk_id, me)
    talk = mine(update, context, talk)
    if outcome is not Outcome.SENT:
        await refuse(update, context, outcome, to_the_talk(talk_id))
        return
    question = _(QUESTIONS[action]).format(name=name_or_member(_, talk.other_name(me)), title=escape(talk.post_title))
    rows = [
        [button(_(YES[action]), AREA, action + "ok", talk_id)],
        [button("↩️ " + _("No"), AREA, "show", talk_id)],
        nav_row(_, to_the_talk(talk_id)),
    ]
    await beside(update, context, question, inline(rows))


def ended_by_this_tap(context: WijkContext, action: str, talk: Talk) -> bool:
    """A double tap on ✋ or 🚫: this member ended it (and blocked), so the answer is the same again."""
    me = context.known_member.id
    if action == "shareok" or talk.ended_by != me:
        return False
    return action == "endok" or talks.blocked(context.db, me, talk.other(me) or 0)


@requires(Need.ACTIVE)
async def confirmed_button(update: Update, context: WijkContext) -> None:
    """✅ to the question: the talk ends (and the other side is blocked), or the contact goes out."""
    _ = context.gettext
    action, talk_id, me = callbacks.parse(query(update).data).action, tapped_id(update), context.known_member.id
    if action == "shareok":
        outcome, talk = talks.share_contact(context.db, talk_id, me, context.now())
    else:
        outcome, talk = talks.end(context.db, talk_id, me, context.now(), block=action == "blockok")
    talk = mine(update, context, talk)
    if outcome is Outcome.SENT:
        context.wake_sender()
    elif not (outcome is Outcome.ENDED and ended_by_this_tap(context, action, talk)):
        await refuse(update, context, outcome, to_the_talk(talk_id), in_place=True)
        return
    said = _(DONE[action]).format(name=name_or_member(_, talk.other_name(me)))
    await show(update, context, said, inline([nav_row(_, to_the_talk(talk_id))]))


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "talk",
            entry_points=[
                CallbackQueryHandler(start_button, pattern=on("start")),
                CallbackQueryHandler(reply_button, pattern=on("reply")),
            ],
            states={WRITING: [MessageHandler(typed_text(), message_text)]},
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(show_button, pattern=on("show")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(about_button, pattern=on("about")),
        CallbackQueryHandler(question_button, pattern=on("end", "block", "share")),
        CallbackQueryHandler(confirmed_button, pattern=on("endok", "blockok", "shareok")),
    ]
