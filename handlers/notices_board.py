"""📌 Announcements (from ❓ Help) and ✅ Understood: a member finds the organisers' messages again.

The list holds the last 5 announcements that reached this member and are still current (not expired,
not withdrawn), newest first; each opens as the member got it, in their language (bot/announcement_notices.py
words it the same way). ✅ Understood, on the message itself or here, is recorded once by the database
(storage/announcements.confirm): a second tap changes nothing, and a button for an announcement the member
did not get, or one that was withdrawn, is stale.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import announcement_notices, callbacks
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import format_short_when, format_when, shortened
from bot.incoming import query
from bot.keyboards import button, inline, nav_row
from bot.replies import show, unless_unchanged
from handlers.menu import menu_command
from storage import announcements
from storage.announcements import Current

AREA = "board"
LABEL = 40  # characters of an announcement on its button


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def list_data() -> str:
    """📌 Announcements: the button in ❓ Help (handlers/menu.py) and ⬅️ Back from one announcement."""
    return callbacks.pack(AREA, "list")


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """📌 Announcements: the current ones, a button each."""
    _ = context.gettext
    items = announcements.current(context.db, context.known_member.id, context.now())
    if not items:
        text = "📌 " + _("There are no announcements for you now.")
    else:
        text = "📌 " + _("Announcements from the organisers. Tap one to read it.")
    tz = context.settings.timezone

    def label(item: Current) -> str:
        words = item.announcement.text_for(item.language).split("\n", 1)[0]
        return f"{format_short_when(item.sent_at, context.language, tz)} · {shortened(words, LABEL)}"

    rows = [[button(label(item), AREA, "show", item.announcement.id)] for item in items]
    await show(update, context, text, inline([*rows, nav_row(_, callbacks.pack("nav", "help"))]))


async def _show_one(update: Update, context: WijkContext, announcement_id: int) -> None:
    """One announcement as the member got it, with when; ✅ Understood while they did not tap it."""
    _ = context.gettext
    items = announcements.current(context.db, context.known_member.id, context.now())
    item = next((item for item in items if item.announcement.id == announcement_id), None)
    if item is None:  # not theirs, withdrawn, or no longer current
        raise callbacks.StaleButton(f"announcement {announcement_id} is not current for this member")
    words, _buttons = announcement_notices.shown(item.announcement, context.language, item.language)
    sent = _("Sent on {when}.").format(when=format_when(item.sent_at, context.language, context.settings.timezone))
    rows = []
    if item.announcement.confirm and not item.confirmed:
        rows.append([button("✅ " + _("Understood"), AREA, "okshow", item.announcement.id)])
    elif item.announcement.confirm:
        sent += "\n✅ " + _("You said you understood it.")
    await show(update, context, f"{words}\n\n<i>{sent}</i>", inline([*rows, nav_row(_, list_data())]))


@requires(Need.ACTIVE)
async def show_button(update: Update, context: WijkContext) -> None:
    """An announcement from the list."""
    await _show_one(update, context, callbacks.parse(query(update).data).int_arg(0))


def _confirm(update: Update, context: WijkContext) -> int:
    """Record ✅ Understood (once); a button for an announcement this member did not get is stale."""
    announcement_id = callbacks.parse(query(update).data).int_arg(0)
    if not announcements.confirm(context.db, announcement_id, context.known_member.id, context.now()):
        raise callbacks.StaleButton(f"announcement {announcement_id} did not reach this member")
    return announcement_id


@requires(Need.ACTIVE)
async def ok_button(update: Update, context: WijkContext) -> None:
    """✅ Understood on the announcement itself: thanks, and the button goes (🏠 Menu stays)."""
    announcement_id = _confirm(update, context)
    _ = context.gettext
    tapped = query(update)
    await tapped.answer(_("Thank you! The organisers can see that you read it."))
    on_it = announcements.delivered_message(context.db, announcement_id, context.known_member.id)
    if tapped.message is not None and tapped.message.message_id == on_it:  # not another message's buttons
        await unless_unchanged(tapped.edit_message_reply_markup(inline([nav_row(_, None)])))


@requires(Need.ACTIVE)
async def ok_shown_button(update: Update, context: WijkContext) -> None:
    """✅ Understood in 📌 Announcements: recorded, and the announcement shown again."""
    await _show_one(update, context, _confirm(update, context))


async def menu_button(update: Update, context: WijkContext) -> None:
    """🏠 Menu under an announcement that asks for ✅ Understood: the main menu, and ✅ stays."""
    tapped = query(update)
    await tapped.answer()
    understood = announcement_notices.understood_row(context.gettext, callbacks.parse(tapped.data).int_arg(0))
    await unless_unchanged(tapped.edit_message_reply_markup(inline([understood])))
    await menu_command(update, context)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(show_button, pattern=on("show")),
        CallbackQueryHandler(ok_button, pattern=on("ok")),
        CallbackQueryHandler(ok_shown_button, pattern=on("okshow")),
    ]
