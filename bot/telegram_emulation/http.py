"""The emulator behind a small HTTP server on loopback, for `wijkbot run` against it.

Speaks just enough HTTP/1.1 for a Bot API client: POST or GET to
/bot<token>/<method> with form, JSON or multipart bodies, keep-alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl, urlsplit

from bot.telegram_emulation.request import split_bot_url
from bot.telegram_emulation.server import TelegramEmulator


def parse_body(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, tuple]]:
    """The parameters and uploaded files of a request body."""
    if content_type.startswith("application/json"):
        data = json.loads(body or b"{}")
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}, {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        params: dict[str, str] = {}
        files: dict[str, tuple] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            filename = part.get_filename()
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                payload = b""
            if filename is not None:
                files[name] = (filename, payload, part.get_content_type())
            else:
                params[name] = payload.decode("utf-8")
        return params, files
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), {}


class EmulatorHttpServer:
    """Serves one emulator on 127.0.0.1; use as an async context manager."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task] = set()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def __aenter__(self) -> EmulatorHttpServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None, "asyncio serves each connection in a task"
        self._connections.add(task)
        try:
            while request := await self._read_request(reader):
                path, content_type, body = request
                token, method = split_bot_url(path)
                params, files = parse_body(content_type, body)
                params.update(parse_qsl(urlsplit(path).query))
                status, answer = await self.emulator.call(token, method, params, files)
                payload = json.dumps(answer).encode("utf-8")
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, bytes] | None:
        request_line = await reader.readline()
        if not request_line.strip():
            return None
        _, path, _ = request_line.decode("latin-1").split(" ", 2)
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        return path, headers.get("content-type", ""), body
