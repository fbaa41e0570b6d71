"""📣 Organise → 🧾 Desk → 📞 Who to call: what the bot would have told members without Telegram (issue 13).

A list of calls, oldest first, 5 a page; a call shows who, their phone number when they gave one, and what
to tell them, with ✅ Called and 🧾 Act for them (sign them up for the place that came free, vote with their
choice). A call that no longer holds (the activity was cancelled, the place went) leaves the list when the
list is read, so the count is what is left to do.
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
from bot.formatting import format_member_no
from bot.incoming import tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show
from storage import calls, talks
from storage.calls import Call
from storage.paging import Page

AREA = "call"
ICONS = {"reminder_day": "⏰", "offer": "🎉", "open_offer": "🎉", "activity_changed": "✏️"}
ICONS |= {"activity_cancelled": "🚫", "vote_opened": "🗳️", "vote_reminder": "🗳️", talks.MESSAGE: "💬"}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def said(context: WijkContext, call: Call) -> Said | None:
    return call_list.what_to_say(
        context.gettext, call.message, context.db, context.settings, context.language, context.now()
    )


def open_page(context: WijkContext, page: int) -> tuple[Page[Call], dict[int, Said]]:
    """A page of calls that still hold, with what to say; the ones that no longer hold are put aside first."""
    while True:
        found = calls.open_calls(context.db, context.now(), page)
        if not found.items and page:  # an old ▶️: the list got shorter since
            found, page = calls.open_calls(context.db, context.now(), 0), 0
        words = {call.message.id: said(context, call) for call in found.items}
        gone = [outbox_id for outbox_id, what in words.items() if what is None]
        if not gone:
            return found, {outbox_id: what for outbox_id, what in words.items() if what is not None}
        calls.put_aside(context.db, gone, context.now())


def waiting(context: WijkContext) -> int:
    """How many calls are left to make (for 🧾 Desk's button)."""
    return open_page(context, 0)[0].total or 0


def who(_: i18n.Translate, call: Call) -> str:
    return f"{i18n.kept_apart(escape(call.first_name))} · {format_member_no(_, call.member_no)}"


async def show_list(update: Update, context: WijkContext, page: int, toast: str | None = None) -> None:
    _ = context.gettext
    found, words = open_page(context, page)

    def line(call: Call) -> InlineKeyboardButton:
        label = f"{ICONS.get(call.message.kind, '📞')} {call.first_name} · {words[call.message.id].about}"
        return button(label, AREA, "card", call.message.id, calls.check(call.message.key))

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


def open_call(context: WijkContext, outbox_id: int, key_check: int) -> tuple[Call, Said]:
    """A call still to make and what to say; one done, put aside or gone makes a stale button."""
    call = calls.get(context.db, outbox_id, key_check, context.now())
    what = said(context, call) if call else None
    if call is None or what is None:
        if call is not None:
            calls.put_aside(context.db, [outbox_id], context.now())
        raise callbacks.StaleButton(f"call {outbox_id} is done or no longer holds")
    return call, what


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """One call: who, their number, what to tell them."""
    _ = context.gettext
    data = tapped(update)
    call, what = open_call(context, data.int_arg(0), data.int_arg(1))
    phone = _("Phone: {phone}").format(phone=escape(call.phone)) if call.phone else _("No phone number known.")
    text = "\n".join([f"📞 {who(_, call)}", phone, "", _("Tell them:"), what.text])
    rows = [
        [button("✅ " + _("Called"), AREA, "done", call.message.id, calls.check(call.message.key))],
        [button("🧾 " + _("Act for them"), "act4", "start", call.member_id)],
        nav_row(_, callbacks.pack(AREA, "list", 0)),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def done_button(update: Update, context: WijkContext) -> None:
    """✅ Called: off the list, with who did it; a second tap (or another organiser's) changes nothing."""
    _ = context.gettext
    data = tapped(update)
    first = calls.called(context.db, data.int_arg(0), data.int_arg(1), context.known_member.id, context.now())
    toast = "✅ " + _("Done") if first else _("This call was already done.")
    await show_list(update, context, 0, toast)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(done_button, pattern=on("done")),
    ]
