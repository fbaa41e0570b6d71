"""Run a real Application against the emulator, and act as the people who use it.

`LocalBot` starts the Application the way `wijkbot run` does (bot/lifecycle.py),
inside the caller's event loop. `Person` sends texts and taps buttons by their label,
then waits until the bot has handled that update, and reads what came back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

from bot.lifecycle import serving
from bot.telegram_emulation.server import Chat, Event, TelegramEmulator


class ButtonNotFound(AssertionError):
    """The person looked for a button that is not on their screen."""


class LocalBot:
    """An Application polling the emulator; use as an async context manager."""

    def __init__(
        self,
        application: Application,
        emulator: TelegramEmulator,
        *,
        after_update: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        """`after_update` runs once the bot handled an update, e.g. to send what the update queued."""
        self.application = application
        self.emulator = emulator
        self.after_update = after_update
        self._people: dict[int, Person] = {}
        self._running = contextlib.AsyncExitStack()

    async def __aenter__(self) -> LocalBot:
        await self._running.enter_async_context(serving(self.application))
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._running.__aexit__(*exc_info)
        if self.emulator.unknown_methods and exc_info[0] is None:
            raise AssertionError(f"the bot called unknown Bot API methods: {self.emulator.unknown_methods}")

    async def settle(self, update_id: int) -> None:
        """Wait until the bot has fetched this update and handled everything it fetched."""
        await self.emulator.wait_until_fetched(update_id)
        await self.application.update_queue.join()
        if self.after_update is not None:
            await self.after_update()

    def person(self, first_name: str, *, user_id: int, language_code: str | None = "nl") -> Person:
        """Someone with a Telegram account who talks to the bot."""
        if user_id not in self._people:
            user = {"id": user_id, "is_bot": False, "first_name": first_name}
            if language_code:
                user["language_code"] = language_code
            self._people[user_id] = Person(self, user)
        return self._people[user_id]


class Person:
    """One Telegram user's side of the chat."""

    def __init__(self, local_bot: LocalBot, user: dict) -> None:
        self.local_bot = local_bot
        self.user = user
        self.chat: Chat = local_bot.emulator.chat_for(user)
        self._seen = len(self.chat.events)  # after a restart, only what comes next is new
        self.replies: list[Event] = []

    @property
    def id(self) -> int:
        return self.user["id"]

    async def send(self, text: str) -> None:
        """Type a message and send it."""
        await self._act(self.local_bot.emulator.user_sends(self.user, text))

    async def send_photo(self, caption: str = "") -> None:
        """Send a photo, with a caption or without."""
        await self._act(self.local_bot.emulator.user_sends_photo(self.user, caption))

    async def send_other(self, kind: str) -> None:
        """Send a voice message, sticker, location, contact, video note or document (see user_sends_other)."""
        await self._act(self.local_bot.emulator.user_sends_other(self.user, kind))

    async def edit_last(self, text: str) -> None:
        """Change the text of the newest message this person sent."""
        mine = [m for m in self.chat.messages.values() if not m["from"].get("is_bot") and "text" in m]
        await self._act(self.local_bot.emulator.user_edits(self.user, mine[-1]["message_id"], text))

    async def tap(self, label: str) -> None:
        """Tap a button by its label: an inline button on the newest message that has it, else the keyboard."""
        for message in reversed(list(self.chat.messages.values())):
            for button in _inline_buttons(message):
                if button["text"] == label and "callback_data" in button:
                    await self.press(button["callback_data"], message["message_id"])
                    return
        if label in self.keyboard:
            await self.send(label)
            return
        raise ButtonNotFound(f"no button {label!r}; on screen: {self.buttons}")

    async def tap_on(self, message: dict, label: str) -> None:
        """Tap a button of a message as it looked when the person saw it: to replay an old, stale button."""
        for button in _inline_buttons(message):
            if button["text"] == label and "callback_data" in button:
                await self.press(button["callback_data"], message["message_id"])
                return
        raise ButtonNotFound(f"no button {label!r} on that message")

    async def press(self, data: str, message_id: int | None = None) -> None:
        """Send callback data as if from a button; any data, to forge or replay one."""
        if message_id is None:
            message_id = self.last_message["message_id"]
        await self._act(self.local_bot.emulator.user_presses(self.user, message_id, data))

    async def _act(self, sending: Awaitable[int]) -> None:
        update_id = await sending
        await self.local_bot.settle(update_id)
        self.look()

    def look(self) -> list[Event]:
        """Look at the phone: what arrived since the last action or look becomes `replies`."""
        self.replies = self.chat.events[self._seen :]
        self._seen = len(self.chat.events)
        return self.replies

    # ----- what the person sees ------------------------------------------------

    @property
    def texts(self) -> list[str]:
        """The texts of the messages and edits (captions of photos and documents) since the last action or look."""
        return [event.text for event in self.replies if event.kind in ("message", "edit", "document", "photo")]

    @property
    def last_text(self) -> str:
        texts = self.texts
        if not texts:
            raise AssertionError("the bot did not answer the last action")
        return texts[-1]

    @property
    def toasts(self) -> list[str]:
        return [event.text for event in self.replies if event.kind == "toast"]

    @property
    def last_message(self) -> dict:
        """The newest message in the chat from the bot."""
        for message in reversed(list(self.chat.messages.values())):
            if message["from"].get("is_bot"):
                return message
        raise AssertionError("the bot has sent nothing yet")

    @property
    def keyboard(self) -> list[str]:
        """The labels of the reply keyboard under the text field."""
        return [label for row in self.chat.reply_keyboard or [] for label in row]

    @property
    def inline_labels(self) -> list[str]:
        """The labels of the buttons under the newest bot message."""
        return [button["text"] for button in _inline_buttons(self.last_message)]

    @property
    def buttons(self) -> list[str]:
        return self.inline_labels + self.keyboard


def _inline_buttons(message: dict) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]
