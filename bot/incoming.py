"""What an update brings, narrowed once: a handler gets what its registration guarantees.

PTB types every part of an update as optional, because an update can be many
things. A CallbackQueryHandler's update always has a callback query, a
MessageHandler with a TEXT filter always has a text, and a private chat always
has a user and a chat. These accessors say so in one place; if the guarantee is
ever broken, the error handler logs UnexpectedUpdate and the member hears that
something went wrong.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot import callbacks


class UnexpectedUpdate(TypeError):
    """An update without what its handler was registered for."""


def query(update: Update) -> CallbackQuery:
    """The tapped button."""
    if update.callback_query is None:
        raise UnexpectedUpdate("a button handler got an update without a callback query")
    return update.callback_query


def tapped(update: Update) -> callbacks.Callback:
    """The tapped button's data, as the codec reads it (a handler's pattern made sure it reads)."""
    return callbacks.parse(query(update).data)


def message(update: Update) -> Message:
    """The message someone sent."""
    if update.message is None:
        raise UnexpectedUpdate("a message handler got an update without a message")
    return update.message


def text(update: Update) -> str:
    """The text someone typed."""
    typed = message(update).text
    if typed is None:
        raise UnexpectedUpdate("a text handler got a message without text")
    return typed


def chat_id(update: Update) -> int:
    """The chat to answer in."""
    if update.effective_chat is None:
        raise UnexpectedUpdate("an update without a chat")
    return update.effective_chat.id


def user_id(update: Update) -> int:
    """The Telegram user who sent it."""
    if update.effective_user is None:
        raise UnexpectedUpdate("an update without a user")
    return update.effective_user.id
