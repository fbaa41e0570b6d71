"""Shared fixtures: a real bot on a real SQLite file, talking to the local Telegram emulation.

Settings can be changed per test with a marker:
    @pytest.mark.settings(WIJKBOT_APPROVAL="organiser")
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.app import build_application, send_outbox_now
from bot.config import Settings, load_settings
from bot.telegram_emulation.local_bot import LocalBot
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import TelegramEmulator

TOKEN = "123456:test-token_for-wijkbot"
ORGANISER_TELEGRAM_ID = 900
# Friday 27 November 2026, 10:00 in Amsterdam.
START_OF_TESTS = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand: no sleeps, no waiting for real time."""

    def __init__(self, now: datetime = START_OF_TESTS) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    environ = {
        "BOT_TOKEN": TOKEN,
        "WIJKBOT_DB": str(tmp_path / "wijkbot.db"),
        "ORGANISER_IDS": str(ORGANISER_TELEGRAM_ID),
        **overrides,
    }
    return load_settings(environ, env_file=tmp_path / "no.env")


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    marker = request.node.get_closest_marker("settings")
    return make_settings(tmp_path, **(marker.kwargs if marker else {}))


@pytest.fixture
def emulator() -> TelegramEmulator:
    return TelegramEmulator(TOKEN)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@contextlib.asynccontextmanager
async def running_bot(settings: Settings, emulator: TelegramEmulator, clock: Clock) -> AsyncIterator[LocalBot]:
    """The real bot, started like `wijkbot run` does; stopping it is a real restart.

    The scheduled work does not run by itself: tests move the clock and call
    journeys.catch_up, so what happens when is certain. After each update the
    outbox is sent, as the sender would do at once.
    """
    # The local Telegram takes any pace (unless a test enforces its limits), so the bot need not spread its
    # messages over real seconds here; tests/test_rate_limit.py tests the pace itself.
    application = build_application(
        settings,
        request=lambda: EmulatedRequest(emulator),
        clock=clock,
        run_scheduler=False,
        pace=FAST_TELEGRAM,
    )
    async with LocalBot(application, emulator, after_update=partial(send_outbox_now, application)) as running:
        yield running


FAST_TELEGRAM = (10_000.0, 0.0)  # messages a second in all, seconds between two to one chat


@pytest.fixture
async def local_bot(settings: Settings, emulator: TelegramEmulator, clock: Clock) -> AsyncIterator[LocalBot]:
    async with running_bot(settings, emulator, clock) as running:
        yield running
