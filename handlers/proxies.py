"""🤝 Proxies: give your vote on one vote to another member, accept or refuse one, take it back."""

from __future__ import annotations

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler]:
    return []
