"""A PTB BaseRequest that hands each Bot API call to the emulator, in process."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.telegram_emulation.server import TelegramEmulator


def split_bot_url(url: str) -> tuple[str, str]:
    """'<root>/bot<token>/<method>' -> (token, method)."""
    path = urlsplit(url).path
    prefix, _, method = path.rpartition("/")
    token = prefix.rpartition("/bot")[2]
    return token, method


def read_files(request_data: RequestData | None) -> dict[str, tuple]:
    """The uploaded files as name -> (filename, bytes, mime type)."""
    if not request_data or not request_data.contains_files:
        return {}
    files = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        if hasattr(content, "read"):
            content = content.read()
        files[name] = (filename, content, mime_type)
    return files


class EmulatedRequest(BaseRequest):
    """Talks to a TelegramEmulator instead of the network."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open: the emulator lives in this process."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        token, api_method = split_bot_url(url)
        raw = request_data.json_parameters if request_data else {}
        status, body = await self.emulator.call(token, api_method, raw, read_files(request_data))
        return status, json.dumps(body).encode("utf-8")
