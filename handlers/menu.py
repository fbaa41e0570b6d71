"""The main menu and ❓ Help, reachable from anywhere."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks
from bot.context import WijkContext
from bot.incoming import query
from bot.keyboards import HELP, MENU, button, inline, menu_label_pattern, menu_words, nav_row
from bot.replies import edit, reply_with_menu, send
from storage.members import ACTIVE


async def menu_command(update: Update, context: WijkContext) -> None:
    """/menu, "menu" or 🏠: show the main menu."""
    _ = context.gettext
    await reply_with_menu(update, context, _("What do you want to do? Tap a button."))


async def menu_button(update: Update, context: WijkContext) -> None:
    """🏠 Menu under a message: the main menu."""
    await query(update).answer()
    await edit(update)
    await menu_command(update, context)


async def help_command(update: Update, context: WijkContext) -> None:
    """❓ Help or /help: what the bot can do for this person, in at most six short lines: for a member, one for
    each button of their menu."""
    _ = context.gettext
    member = context.member
    if member is not None and member.status == ACTIVE and member.is_organiser:  # the menu shows 📣 Organise
        text = _(
            "📅 Activities: see what is on and sign up.\n"
            "🤝 Help & services: ask for help or offer it.\n"
            "🗳️ Votes: vote on neighbourhood plans, when a vote is open.\n"
            "🙌 Take part: volunteering, rooms, shares, crowdfunding.\n"
            "👤 My details: see, change or delete what we keep.\n"
            "📣 Organise: plan activities and votes, see who takes part."
        )
    elif member is not None and member.status == ACTIVE:
        text = _(
            "📅 Activities: see what is on and sign up.\n"
            "🤝 Help & services: ask for help or offer it.\n"
            "🗳️ Votes: vote on neighbourhood plans, when a vote is open.\n"
            "🙌 Take part: volunteering, rooms, shares, crowdfunding.\n"
            "👤 My details: see, change or delete what we keep.\n"
            "Buttons gone? Type menu."
        )
    elif member is not None and member.signed_up:
        text = _(
            "With this bot you take part in your neighbourhood.\n"
            "📅 Activities: see what is on and sign up.\n"
            "👤 My details: see, change or delete what we keep.\n"
            "Buttons gone? Type menu.\n"
            "Questions? Ask at the desk of the community centre."
        )
    else:
        text = _(
            "With this bot you take part in your neighbourhood.\n"
            "📝 Sign up: become a member.\n"
            "🌐 Language: choose your language.\n"
            "Buttons gone? Type menu.\n"
            "Questions? Ask at the desk of the community centre."
        )
    if member is not None and member.status == ACTIVE:  # an idea can be proposed also while no vote is open
        rows = [
            [button("💡 " + _("Make a proposal"), "prop", "new"), button("📋 " + _("My proposals"), "prop", "mine", 0)],
            [button("📚 " + _("Earlier votes"), "vote", "archive", 0)],  # results, also when no vote is open
            [button("📌 " + _("Announcements"), "board", "list")],  # the organisers' messages (notices_board)
            nav_row(_, None),
        ]
        await send(update, context, text, inline(rows))
        return
    await reply_with_menu(update, context, text)


async def help_button(update: Update, context: WijkContext) -> None:
    """⬅️ Back to ❓ Help (from 📌 Announcements)."""
    await query(update).answer()
    await help_command(update, context)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("menu", menu_command),
        CallbackQueryHandler(menu_button, pattern=callbacks.pattern("nav", "menu")),
        CallbackQueryHandler(help_button, pattern=callbacks.pattern("nav", "help")),
        CommandHandler("help", help_command),
        MessageHandler(filters.Regex(menu_label_pattern(MENU)) | filters.Regex(menu_words()), menu_command),
    ]


def main_menu_button() -> BaseHandler:
    """❓ Help in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(HELP)), help_command)
