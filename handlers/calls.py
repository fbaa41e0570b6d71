"""📣 Organise → 🧾 Desk → 📞 Who to call: what the bot would have told members without Telegram (issue 13).

One line per member, the nearest deadline first (a place held for them until 11:00 before a vote open for
a week), 5 a page. A member's card has their phone number and language and everything to tell them in one
call, with ✅ Called and 🧾 Act for them (take the place that came free, vote with their choice). A call that
no longer holds (the activity was cancelled, the place went) leaves the list when the list is read, so the
count is what is left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import call_list, callbacks, i18n
from bot.access import Need, requires
from bot.call_list import Said
from bot.context import WijkContext
from bot.formatting import format_member_no, format_when
from bot.incoming import tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show
from storage import calls, talks
from storage.calls import Callee
from storage.outbox import Claimed
from storage.paging import Page

AREA = "call"
ICONS = {"reminder_day": "⏰", "offer": "🎉", "open_offer": "🎉", "activity_changed": "✏️"}
ICONS |= {"activity_cancelled": "🚫", "vote_opened": "🗳️", "vote_reminder": "🗳️", talks.MESSAGE: "💬"}
ToSay = list[tuple[Claimed, Said]]


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def to_say(context: WijkContext, member_id: int) -> ToSay:
    """What to tell a member now, the nearest deadline first; calls that no longer hold, or that an newer
    call says again, are put aside."""
    while True:
        waiting = calls.of_member(context.db, member_id, context.now())
        said = [(message, say(context, message)) for message in waiting]
        gone = [message.id for message, what in said if what is None]
        gone += repeated([message for message, what in said if what is not None])
        if not gone:
            return [(message, what) for message, what in said if what is not None]
        calls.put_aside(context.db, gone, context.now())


def say(context: WijkContext, message: Claimed) -> Said | None:
    return call_list.what_to_say(
        context.gettext, message, context.db, context.settings, context.language, context.now()
    )


def repeated(messages: list[Claimed]) -> list[int]:
    """The older of two calls with the same news (an activity changed twice): the newest says it all.
    Messages from neighbours are each their own."""
    newest: set[tuple[str, int | None, int | None]] = set()
    older = []
    for message in sorted(messages, key=lambda m: (m.deliver_at, m.id), reverse=True):
        topic = (message.kind, message.activity_id, message.vote_id)
        if message.kind != talks.MESSAGE and topic in newest:
            older.append(message.id)
        newest.add(topic)
    return older


def open_page(context: WijkContext, page: int) -> tuple[Page[Callee], dict[int, ToSay]]:
    """A page of members to call, with what to tell each; members with nothing left to tell drop off."""
    while True:
        found = calls.people(context.db, context.now(), page)
        if not found.items and page:  # an old ▶️: the list got shorter since
            found, page = calls.people(context.db, context.now(), 0), 0
        words = {person.member_id: to_say(context, person.member_id) for person in found.items}
        if all(words.values()):
            return found, words


def waiting(context: WijkContext) -> int:
    """How many members are left to call (for 🧾 Desk's button)."""
    return open_page(context, 0)[0].total or 0


async def show_list(update: Update, context: WijkContext, page: int, toast: str | None = None) -> None:
    _ = context.gettext
    found, words = open_page(context, page)

    def line(person: Callee) -> InlineKeyboardButton:
        first, said = words[person.member_id][0]
        more = f" +{person.calls - 1}" if person.calls > 1 else ""
        label = f"{ICONS.get(first.kind, '📞')} {person.first_name} · {said.about}{more}"
        return button(label, AREA, "card", person.member_id, found.number)

    if found.items:
        text = "📞 " + _("Who to call: {count}").format(count=found.total) + "\n" + _("Tap a call to see what to say.")
    else:
        text = _("📞 Nobody to call now.") + "\n" + _("Messages for members without Telegram come here.")
    rows = paged(found, line, AREA, "list")
    await show(update, context, text, inline([*rows, nav_row(_, callbacks.pack("desk", "menu"))]), toast=toast)


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """📞 Who to call, or ◀️ ▶️ through them."""
    await show_list(update, context, tapped(update).int_arg(0))


def card_of(context: WijkContext, member_id: int) -> tuple[Callee, ToSay]:
    """A member with calls to make and what to tell them; nothing left to tell makes a stale button."""
    said = to_say(context, member_id)
    person = calls.callee(context.db, member_id, context.now()) if said else None
    if person is None:
        raise callbacks.StaleButton(f"nothing to tell member {member_id} by phone")
    return person, said


async def show_card(update: Update, context: WijkContext, member_id: int, page: int, toast: str | None = None) -> None:
    """Who, their number and language, and everything to tell them in one call."""
    _ = context.gettext
    person, said = card_of(context, member_id)
    who = f"{i18n.kept_apart(escape(person.first_name))} · {format_member_no(_, person.member_no)}"
    phone = _("Phone: {phone}").format(phone=escape(person.phone)) if person.phone else _("No phone number known.")
    language = _("Language: {language}").format(language=i18n.language_name(person.language, context.language))
    lines = [f"📞 {who}", phone, language, "", _("Tell them:")]
    for number, (_message, what) in enumerate(said, start=1):
        lines += ["", f"{number}. {what.text}" if len(said) > 1 else what.text]
    if person.calls > len(said):
        lines += ["", _("After ✅ Called you see the rest.")]
    done = calls.check([message.key for message, _what in said])
    rows = [
        [button("✅ " + _("Called"), AREA, "done", person.member_id, done, page)],
        [button("🧾 " + _("Act for them"), "act4", "start", person.member_id)],
        nav_row(_, callbacks.pack(AREA, "list", page)),
    ]
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A member from the list: what to tell them."""
    data = tapped(update)
    await show_card(update, context, data.int_arg(0), data.int_arg(1))


@requires(Need.ORGANISER)
async def done_button(update: Update, context: WijkContext) -> None:
    """✅ Called: the calls on the card are done, with who did it; then the member's other calls, if any.
    When the card is no longer what is to be said (something came in or went meanwhile), it is shown
    again; when another organiser called just before, this one is told who."""
    _ = context.gettext
    data = tapped(update)
    member_id, shown, page = data.int_arg(0), data.int_arg(1), data.int_arg(2)
    said = to_say(context, member_id)
    if not said:
        last = calls.last_called(context.db, member_id)
        if last is None:
            raise callbacks.StaleButton(f"nothing to tell member {member_id} by phone")
        when = format_when(last[1], context.language, context.settings.timezone)
        toast = _("{name} called them already, on {when}.").format(name=last[0], when=when)
        await show_list(update, context, page, toast=toast)
        return
    if calls.check([message.key for message, _what in said]) != shown:
        await show_card(update, context, member_id, page, toast=_("Something changed. Please look again."))
        return
    calls.called(context.db, [message.id for message, _what in said], context.known_member.id, context.now())
    if to_say(context, member_id):  # more than one card's worth: the rest
        await show_card(update, context, member_id, page, toast="✅ " + _("Done"))
    else:
        await show_list(update, context, page, toast="✅ " + _("Done"))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(done_button, pattern=on("done")),
    ]
