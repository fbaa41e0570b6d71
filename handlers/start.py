"""/start and the language choice: the first thing a newcomer sees."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks, i18n
from bot.context import WijkContext
from bot.incoming import query, user_id
from bot.keyboards import LANGUAGE, language_picker, menu_label_pattern, nav_row
from bot.replies import edit, reply_with_menu, send
from storage import members


async def start_command(update: Update, context: WijkContext) -> None:
    """/start: a newcomer gets the language of their phone when we ship it, or chooses one; anyone
    else gets the menu."""
    if context.member is None and context.telegram_language is not None:
        store_language(update, context, context.telegram_language)
        await welcome(update, context, chosen=False)
        return
    if context.member is None:
        await language_text(update, context)
        return
    _ = context.gettext
    await reply_with_menu(update, context, _("What do you want to do? Tap a button."))


async def language_text(update: Update, context: WijkContext) -> None:
    """🌐 Language: show one button per language, and 🏠 Menu (there is no step to go back to)."""
    _ = context.gettext
    picker = language_picker(nav_row(_, None))
    await send(update, context, f"{LANGUAGE} " + _("Choose your language."), picker)


async def language_button(update: Update, context: WijkContext) -> None:
    """A language button: store the choice, then welcome a newcomer or confirm."""
    language = callbacks.parse(query(update).data).str_arg(0)  # the codec knows only shipped languages
    newcomer = context.member is None
    store_language(update, context, language)
    name = html.escape(i18n.language_name(language))
    await query(update).answer(f"✅ {i18n.language_name(language)}")
    await edit(update, f"{LANGUAGE} {name}")
    if newcomer:
        await welcome(update, context, chosen=True)
        return
    _ = context.gettext
    await reply_with_menu(update, context, _("OK. I now speak {language} with you.").format(language=name))


def store_language(update: Update, context: WijkContext, language: str) -> None:
    """Someone new becomes a visitor with this language (an organiser when configured so)."""
    telegram_id = user_id(update)
    context.member = members.choose_language(
        context.db, telegram_id, language, context.now(), organiser=telegram_id in context.settings.organiser_ids
    )


async def welcome(update: Update, context: WijkContext, *, chosen: bool) -> None:
    """A newcomer's welcome; when the phone's language was taken, it says how to choose another."""
    _ = context.gettext
    text = _(
        "Welcome to the neighbourhood bot of our cooperative!\n"
        "Here you take part in your neighbourhood.\n"
        "Tap 📝 Sign up to become a member."
    )
    if not chosen:
        text += "\n" + _("Another language? Tap 🌐 Language.")
    await reply_with_menu(update, context, text)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("start", start_command),
        CallbackQueryHandler(language_button, pattern=callbacks.pattern("lang", "set")),
    ]


def main_menu_button() -> BaseHandler:
    """🌐 Language in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(LANGUAGE)), language_text)
