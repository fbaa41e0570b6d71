"""The one codec for callback data: short ASCII "area:action:id[:arg]".

Telegram allows at most 64 bytes. A button is never trusted: parse() refuses
anything malformed, and handlers re-check the database on every press.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_.-]+$")


class StaleButton(ValueError):
    """A button that no longer works: its object is gone, or its data makes no sense.

    Handlers raise it; the error handler answers "this button no longer works"
    and shows the menu."""


class MalformedCallback(StaleButton):
    """Callback data that we did not make, or no longer understand."""


@dataclass(frozen=True)
class Callback:
    area: str
    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int) -> int:
        value = self.args[index]
        if not value.isdigit():
            raise MalformedCallback(f"argument {index} is not a number")
        return int(value)


def pack(area: str, action: str, *args: str | int) -> str:
    """Callback data for a button; raises ValueError when Telegram would refuse it."""
    parts = [area, action, *(str(arg) for arg in args)]
    for part in parts:
        if not _PART.match(part):
            raise ValueError(f"callback part {part!r} must be short ASCII without ':'")
    data = ":".join(parts)
    if len(data.encode("ascii")) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def parse(data: str | None, *, args: int = 0) -> Callback:
    """Read callback data made by pack() with exactly `args` arguments; else MalformedCallback."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        raise MalformedCallback("empty or too long")
    parts = data.split(":")
    if len(parts) < 2 or not all(_PART.match(part) for part in parts):
        raise MalformedCallback(f"not area:action[:args]: {data!r}")
    if len(parts) != 2 + args:
        raise MalformedCallback(f"expected {args} arguments: {data!r}")
    return Callback(parts[0], parts[1], tuple(parts[2:]))


def pattern(area: str, action: str) -> str:
    """An anchored regex for CallbackQueryHandler matching one area and action."""
    return rf"^{re.escape(area)}:{re.escape(action)}(:|$)"
