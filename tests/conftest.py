"""Shared fixtures: a real bot on a real SQLite file, talking to the local Telegram emulation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Settings, load_settings
from bot.telegram_emulation.local_bot import LocalBot
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import TelegramEmulator

TOKEN = "123456:test-token_for-wijkbot"
ORGANISER_TELEGRAM_ID = 900


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    environ = {"BOT_TOKEN": TOKEN, "WIJKBOT_DB": str(tmp_path / "wijkbot.db"),
               "ORGANISER_IDS": str(ORGANISER_TELEGRAM_ID), **overrides}
    return load_settings(environ, env_file=tmp_path / "no.env")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def emulator() -> TelegramEmulator:
    return TelegramEmulator(TOKEN)


@pytest.fixture
async def local_bot(settings: Settings, emulator: TelegramEmulator) -> AsyncIterator[LocalBot]:
    application = build_application(settings, request=lambda: EmulatedRequest(emulator))
    async with LocalBot(application, emulator) as running:
        yield running
