"""The emulated Bot API: chats, messages, keyboards and updates, kept like Telegram does.

It answers the methods wijkbot uses and refuses what Telegram refuses, with
Telegram's own error answers. Anything else is refused loudly and recorded in
`unknown_methods`, so a test notices. Telegram's flood limits are only enforced
on request (`enforce_limits`), so a test never fails on how fast a machine is.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.telegram_emulation.html import EntityError, visible_text

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64
MAX_BUTTONS = 100
# Values of these parameters are plain strings; every other one is JSON.
_STRING_PARAMETERS = {
    "text",
    "caption",
    "parse_mode",
    "callback_query_id",
    "language_code",
    "action",
    "url",
    "file_id",
    "photo",
}
# Calls that put a new message in a chat: the ones Telegram's flood limits count.
SENDS = {"sendMessage", "sendPhoto", "sendDocument"}


class ApiError(Exception):
    """An error answer, exactly as Telegram would give it."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict:
        body = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(problem: str) -> ApiError:
    return ApiError(400, f"Bad Request: {problem}")


@dataclass(frozen=True)
class Event:
    """Something the person sees happen in their chat."""

    kind: str  # "message", "edit", "delete", "toast", "document" or "photo"
    message: dict | None = None
    text: str = ""


@dataclass
class Chat:
    user: dict
    messages: dict[int, dict] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None
    next_message_id: int = 1
    blocked: bool = False

    def new_message_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id - 1


@dataclass
class Hold:
    """Calls of a method that wait: `arrived` is set when one comes in, they go on once `released` is set."""

    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits: `per_second` new messages in any second, one a chat per `same_chat_seconds`."""

    per_second: int = 30
    same_chat_seconds: float = 1.0


class _Flood:
    """The sends of the last second, overall and per chat, to refuse one over the limits with 429."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.refused: Counter[str] = Counter()  # "overall" or "same_chat": how many sends were refused
        self._recent: deque[float] = deque()
        self._chat_sent_at: dict[object, float] = {}

    def check(self, chat_id: object) -> None:
        """Raise 429 with retry_after (whole seconds, as Telegram) when a send to this chat now is too many."""
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        chat_free_at = self._chat_sent_at.get(chat_id, -math.inf) + self.limits.same_chat_seconds
        wait, reason = 0.0, ""
        if len(self._recent) >= self.limits.per_second:
            wait, reason = self._recent[0] + 1.0 - now, "overall"
        elif now < chat_free_at:
            wait, reason = chat_free_at - now, "same_chat"
        if reason:
            self.refused[reason] += 1
            retry_after = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    def sent(self, chat_id: object) -> None:
        now = time.monotonic()
        self._recent.append(now)
        self._chat_sent_at[chat_id] = now


@dataclass
class _Failure:
    method: str | None
    error: ApiError
    times: int


def decode_parameters(raw: dict[str, str]) -> dict[str, Any]:
    """Bot API parameters arrive as strings; all but the plain-text ones are JSON."""
    decoded: dict[str, Any] = {}
    for name, value in raw.items():
        if name in _STRING_PARAMETERS:
            decoded[name] = value
            continue
        try:
            decoded[name] = json.loads(value)
        except ValueError:
            decoded[name] = value
    return decoded


def _shown(message: dict) -> str:
    """What a person reads of a message: its text, or the caption of its photo or document."""
    return message.get("text") or message.get("caption") or ""


def _text_length(text: str) -> int:
    """Telegram counts UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class TelegramEmulator:
    """One bot's view of Telegram, in memory."""

    def __init__(self, token: str, *, username: str = "wijkbot_demo_bot") -> None:
        self.token = token
        bot_id = int(token.split(":", 1)[0])
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Wijkbot",
            "username": username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.chats: dict[int, Chat] = {}
        self.commands: dict[str, list[dict]] = {}
        self.calls: list[tuple[str, dict]] = []
        self.unknown_methods: list[str] = []
        self.documents: dict[str, bytes] = {}
        self.photos: dict[str, bytes] = {}  # file_id -> bytes, of the photos people sent
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._open_queries: dict[str, int] = {}
        self._failures: list[_Failure] = []
        self._held: dict[str, Hold] = {}
        self._confirmed_offset = 0
        self._flood: _Flood | None = None
        self._changed = asyncio.Condition()
        self._methods: dict[str, Callable[[dict], Any]] = {
            "getMe": lambda p: self.bot_user,
            "deleteWebhook": lambda p: True,
            "setMyCommands": self._set_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "editMessageCaption": self._edit_message_caption,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._send_chat_action,
        }

    # ----- what the person does -------------------------------------------------

    def chat_for(self, user: dict) -> Chat:
        return self.chats.setdefault(user["id"], Chat(user=user))

    async def user_sends(self, user: dict, text: str) -> int:
        """The person sends a text; returns the update id."""
        entities = []
        if text.startswith("/"):
            command = text.split()[0]
            entities = [{"type": "bot_command", "offset": 0, "length": _text_length(command)}]
        return await self._user_message(user, text=text, **({"entities": entities} if entities else {}))

    async def user_sends_photo(self, user: dict, caption: str = "", content: bytes = b"photo") -> int:
        """The person sends a photo (with a caption); returns the update id. The bot may send it on by file_id."""
        return await self._user_message(
            user, photo=self._new_photo(content), **({"caption": caption} if caption else {})
        )

    async def user_sends_other(self, user: dict, kind: str) -> int:
        """The person sends what is not text: "voice", "sticker", "location", "contact", "video_note" or
        "document", with what Telegram puts in such a message; returns the update id."""
        file = {"file_id": f"{kind}-{time.time_ns()}", "file_unique_id": kind}
        contents: dict[str, dict[str, Any]] = {
            "voice": {"voice": {**file, "duration": 3}},
            "video_note": {"video_note": {**file, "length": 240, "duration": 3}},
            "sticker": {
                "sticker": {
                    **file,
                    **{"type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False},
                    "emoji": "👍",
                }
            },
            "location": {"location": {"latitude": 52.37, "longitude": 4.89}},
            "contact": {"contact": {"phone_number": "+31600000000", "first_name": user["first_name"]}},
            "document": {"document": {**file, "file_name": "letter.pdf"}},
        }
        return await self._user_message(user, **contents[kind])

    async def _user_message(self, user: dict, **content: Any) -> int:
        chat = self.chat_for(user)
        message = {
            "message_id": chat.new_message_id(),
            "date": int(time.time()),
            "chat": self._chat_json(user),
            "from": user,
            **content,
        }
        chat.messages[message["message_id"]] = message
        return await self._add_update({"message": message})

    async def user_edits(self, user: dict, message_id: int, text: str) -> int:
        """The person changes the text of a message they sent; returns the update id."""
        message = {**self.chat_for(user).messages[message_id], "text": text, "edit_date": int(time.time())}
        self.chat_for(user).messages[message_id] = message
        return await self._add_update({"edited_message": message})

    def user_deletes(self, user: dict, message_id: int) -> None:
        """The person deletes a message in their chat: Telegram sends the bot no update, and later edits of it
        answer "message to edit not found"."""
        chat = self.chat_for(user)
        chat.events.append(Event("delete", chat.messages.pop(message_id), ""))

    async def user_presses(self, user: dict, message_id: int, data: str) -> int:
        """The person taps an inline button (or sends any callback data, to forge one)."""
        chat = self.chat_for(user)
        query_id = str(next(self._query_ids))
        self._open_queries[query_id] = user["id"]
        query = {"id": query_id, "from": user, "chat_instance": str(user["id"]), "data": data}
        if message_id in chat.messages:
            query["message"] = chat.messages[message_id]
        return await self._add_update({"callback_query": query})

    async def _add_update(self, payload: dict) -> int:
        update_id = next(self._update_ids)
        async with self._changed:
            self._updates.append({"update_id": update_id, **payload})
            self._changed.notify_all()
        return update_id

    @property
    def unanswered_queries(self) -> list[str]:
        """Button taps the bot has not answered yet (the person sees a spinner)."""
        return list(self._open_queries)

    @property
    def pending_updates(self) -> list[dict]:
        """Updates the bot has not confirmed yet."""
        return list(self._updates)

    async def wait_until_fetched(self, update_id: int) -> None:
        """Wait until the bot has fetched an update and asked for the ones after it."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._confirmed_offset > update_id)

    # ----- what goes wrong, on request ---------------------------------------

    def block(self, user_id: int) -> None:
        """The person blocks the bot: every send to them answers 403."""
        self.chats[user_id].blocked = True

    def hold(self, method: str) -> Hold:
        """Calls of `method` wait until released: to see what is in flight when the bot stops."""
        self._held[method] = Hold()
        return self._held[method]

    def enforce_limits(self, limits: Limits | None = Limits()) -> None:
        """From now on, answer a send over Telegram's flood limits with 429 (None: stop enforcing)."""
        self._flood = _Flood(limits) if limits else None

    @property
    def refused_for_flooding(self) -> Counter[str]:
        """Sends answered 429 by the enforced limits, by reason: "overall" or "same_chat"."""
        return self._flood.refused if self._flood else Counter()

    def fail_next(self, method: str | None = None, *, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next call(s) of a method (or any method) with 429 Too Many Requests."""
        error = ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        self._failures.append(_Failure(method, error, times))

    # ----- the Bot API ---------------------------------------------------------

    async def call(
        self, token: str, method: str, raw: dict[str, str], files: dict[str, tuple] | None = None
    ) -> tuple[int, dict]:
        """Answer one Bot API request: (HTTP status, JSON body)."""
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        params = decode_parameters(raw)
        self.calls.append((method, params))
        if method in self._held:
            self._held[method].arrived.set()
            await self._held[method].released.wait()
        result: Any
        try:
            self._injected_failure(method)
            if self._flood and method in SENDS:
                self._flood.check(params.get("chat_id"))
            if method == "getUpdates":
                result = await self._get_updates(params)
            elif method == "sendDocument":
                result = self._send_document(params, files or {})
            elif method == "sendPhoto":
                result = self._send_photo(params, files or {})
            elif method in self._methods:
                result = self._methods[method](params)
            else:
                self.unknown_methods.append(method)
                raise ApiError(404, f"Not Found: the emulation does not know method {method}")
        except ApiError as error:
            return error.code, error.body()
        if self._flood and method in SENDS:
            self._flood.sent(params.get("chat_id"))
        return 200, {"ok": True, "result": result}

    def _injected_failure(self, method: str) -> None:
        for failure in self._failures:
            if failure.method in (None, method) and method != "getUpdates":
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                raise failure.error

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        async with self._changed:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                self._confirmed_offset = max(self._confirmed_offset, offset)
                self._changed.notify_all()
            if not self._updates and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._updates)), timeout)
            return self._updates[:limit]

    def _set_my_commands(self, params: dict) -> bool:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise bad_request("too many commands")
        self.commands[params.get("language_code", "")] = commands
        return True

    def _chat(self, params: dict) -> Chat:
        chat = self.chats.get(params.get("chat_id", 0))
        if chat is None:
            raise bad_request("chat not found")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _chat_json(self, user: dict) -> dict:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def _shown_text(self, params: dict, name: str, limit: int) -> str:
        text = params.get(name) or ""
        if params.get("parse_mode") == "HTML":
            try:
                text = visible_text(text)
            except EntityError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        if name == "text" and not text.strip():
            raise bad_request("message text is empty")
        if _text_length(text) > limit:
            raise bad_request("message is too long" if name == "text" else "message caption is too long")
        return text

    def _inline_keyboard(self, markup: Any) -> dict | None:
        """Check an inline keyboard as Telegram does; None for other markups."""
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        buttons = [button for row in markup["inline_keyboard"] for button in row]
        if len(buttons) > MAX_BUTTONS:
            raise bad_request("reply markup is too long")
        for button in buttons:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
        return {"inline_keyboard": markup["inline_keyboard"]}

    def _apply_reply_keyboard(self, chat: Chat, markup: Any) -> None:
        if not isinstance(markup, dict):
            return
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if sum(len(row) for row in rows) > MAX_BUTTONS:
                raise bad_request("reply markup is too long")
            chat.reply_keyboard = [[b["text"] if isinstance(b, dict) else b for b in row] for row in rows]
        elif markup.get("remove_keyboard"):
            chat.reply_keyboard = None

    def _new_bot_message(self, chat: Chat, params: dict, **content: Any) -> dict:
        markup = params.get("reply_markup")
        inline = self._inline_keyboard(markup)
        self._apply_reply_keyboard(chat, markup)
        message = {
            "message_id": chat.new_message_id(),
            "date": int(time.time()),
            "chat": self._chat_json(chat.user),
            "from": self.bot_user,
            **content,
        }
        if inline:
            message["reply_markup"] = inline
        chat.messages[message["message_id"]] = message
        return message

    def _send_message(self, params: dict) -> dict:
        chat = self._chat(params)
        text = self._shown_text(params, "text", MAX_TEXT)
        message = self._new_bot_message(chat, params, text=text)
        chat.events.append(Event("message", message, text))
        return message

    def _send_document(self, params: dict, files: dict[str, tuple]) -> dict:
        chat = self._chat(params)
        caption = self._shown_text(params, "caption", MAX_CAPTION)
        if "document" not in files:
            raise bad_request("there is no document in the request")
        filename, content, mime_type = files["document"]
        file_id = f"doc{len(self.calls)}"
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        message = self._new_bot_message(chat, params, document=document, **({"caption": caption} if caption else {}))
        chat.events.append(Event("document", message, caption))
        self.documents[file_id] = content
        return message

    def _new_photo(self, content: bytes) -> list[dict]:
        """A photo as Telegram gives it: its sizes, here one."""
        file_id = f"photo{len(self.photos) + 1}"
        self.photos[file_id] = content
        return self._photo_sizes(file_id)

    def _photo_sizes(self, file_id: str) -> list[dict]:
        size = {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960}
        return [size | {"file_size": len(self.photos[file_id])}]

    def _send_photo(self, params: dict, files: dict[str, tuple]) -> dict:
        """A photo by the file_id of one that was sent before (wijkbot sends on what an organiser sent it), or
        uploaded (a QR code the bot made): its bytes are kept in `photos` under a new file_id."""
        chat = self._chat(params)
        caption = self._shown_text(params, "caption", MAX_CAPTION)
        if "photo" in files:
            sizes = self._new_photo(files["photo"][1])
        elif params.get("photo") in self.photos:
            sizes = self._photo_sizes(params["photo"])
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        message = self._new_bot_message(chat, params, photo=sizes, **({"caption": caption} if caption else {}))
        chat.events.append(Event("photo", message, caption))
        return message

    def _bot_message(self, params: dict, action: str) -> tuple[Chat, dict]:
        chat = self._chat(params)
        message = chat.messages.get(params.get("message_id", 0))
        if message is None or message["from"]["id"] != self.bot_user["id"]:
            raise bad_request(f"message to {action} not found")
        return chat, message

    def _edit(self, params: dict, field: str | None) -> dict:
        """Edit the text or the caption (`field`) and the inline keyboard, or (field None) only the keyboard."""
        chat, message = self._bot_message(params, "edit")
        inline = self._inline_keyboard(params.get("reply_markup"))
        if field == "text" and "text" not in message:
            raise bad_request("there is no text in the message to edit")
        if field == "caption" and "photo" not in message and "document" not in message:
            raise bad_request("there is no caption in the message to edit")
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        if field is not None:
            edited.pop(field, None)
            if value := self._shown_text(params, field, MAX_TEXT if field == "text" else MAX_CAPTION):
                edited[field] = value
        if all(edited.get(f) == message.get(f) for f in ("text", "caption")) and inline == message.get("reply_markup"):
            raise bad_request(
                "message is not modified: specified new message content and reply markup"
                " are exactly the same as a current content and reply markup of the message"
            )
        edited["edit_date"] = int(time.time())
        if inline:
            edited["reply_markup"] = inline
        chat.messages[message["message_id"]] = edited
        chat.events.append(Event("edit", edited, _shown(edited)))
        return edited

    def _edit_message_text(self, params: dict) -> dict:
        return self._edit(params, "text")

    def _edit_message_caption(self, params: dict) -> dict:
        return self._edit(params, "caption")

    def _edit_message_reply_markup(self, params: dict) -> dict:
        return self._edit(params, None)

    def _answer_callback_query(self, params: dict) -> bool:
        query_id = params.get("callback_query_id", "")
        user_id = self._open_queries.pop(query_id, None)
        if user_id is None:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        if params.get("text"):
            self.chats[user_id].events.append(Event("toast", None, params["text"]))
        return True

    def _delete_message(self, params: dict) -> bool:
        chat = self._chat(params)
        message = chat.messages.pop(params.get("message_id", 0), None)
        if message is None:
            raise bad_request("message to delete not found")
        chat.events.append(Event("delete", message, _shown(message)))
        return True

    def _send_chat_action(self, params: dict) -> bool:
        self._chat(params)
        return True
