"""`wijkbot run` as a real process: settings errors, long polling over HTTP, a clean stop."""

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.telegram_emulation.http import EmulatorHttpServer
from bot.telegram_emulation.server import TelegramEmulator
from storage.db import migration_files
from tests.conftest import TOKEN

OUR_SETTINGS = (
    "BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "WIJKBOT_DB",
    "ORGANISER_IDS",
    "WIJKBOT_TIMEZONE",
    "WIJKBOT_DEFAULT_LANGUAGE",
)


def environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OUR_SETTINGS}
    return {**env, **settings}


async def start_wijkbot(tmp_path: Path, **settings: str) -> asyncio.subprocess.Process:
    """The installed `wijkbot` command, next to this Python."""
    return await asyncio.create_subprocess_exec(
        Path(sys.executable).with_name("wijkbot"),
        "run",
        cwd=tmp_path,
        env=environment(**settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def eventually(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    """Wait for another process to do something; fail with `what` if it never happens."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"gave up waiting for: {what}")
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_TIMEZONE": "Nowhere/Town"}, "WIJKBOT_TIMEZONE"),
        ({"BOT_TOKEN": TOKEN, "ORGANISER_IDS": "olga"}, "ORGANISER_IDS"),
    ],
)
async def test_a_missing_or_wrong_setting_prints_one_line_and_exits_2(tmp_path: Path, settings, named) -> None:
    process = await start_wijkbot(tmp_path, **settings)
    stdout, stderr = await process.communicate()
    assert process.returncode == 2
    lines = stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wijkbot: {named}: "), lines
    assert stdout == b""


@pytest.mark.parametrize("where", ["folder", "missing folder", "file as folder"])
async def test_a_data_file_that_cannot_be_is_named_before_anything_starts(tmp_path: Path, where: str) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")
    db_path = {
        "folder": tmp_path,
        "missing folder": tmp_path / "missing" / "data.db",
        "file as folder": tmp_path / "notes.txt" / "data.db",
    }[where]
    emulator = TelegramEmulator(TOKEN)
    async with EmulatorHttpServer(emulator) as server:
        process = await start_wijkbot(
            tmp_path, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, WIJKBOT_DB=str(db_path)
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    lines = stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wijkbot: WIJKBOT_DB: "), lines
    assert stdout == b""
    assert emulator.calls == []  # checked with the settings: not even a question to Telegram first


async def test_a_token_that_telegram_refuses_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    async with EmulatorHttpServer(TelegramEmulator(TOKEN)) as server:
        process = await start_wijkbot(tmp_path, BOT_TOKEN="42:not-our-bot", TELEGRAM_API_BASE_URL=server.base_url)
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert [line for line in stderr.decode().splitlines() if "wijkbot:" in line] == [
        "wijkbot: BOT_TOKEN: Telegram does not accept this token; check it with @BotFather"
    ]
    assert "Traceback" not in stderr.decode()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
async def test_run_polls_the_configured_server_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    emulator = TelegramEmulator(TOKEN)
    ann = {"id": 1, "is_bot": False, "first_name": "Ann", "language_code": "en"}
    db_path = tmp_path / "data.db"
    async with EmulatorHttpServer(emulator) as server:
        process = await start_wijkbot(
            tmp_path, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, WIJKBOT_DB=str(db_path)
        )
        try:
            await eventually(lambda: "nl" in emulator.commands, "the bot registers its commands")
            await emulator.user_sends(ann, "/start")
            chat = emulator.chat_for(ann)
            await eventually(lambda: bool(chat.events), "an answer to /start")
            assert chat.events[0].text.startswith("Welcome to the neighbourhood bot")  # her phone's language
        finally:
            process.send_signal(stop)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migration_files())


async def test_run_logs_at_info_but_not_the_schedulers_routine(tmp_path: Path) -> None:
    emulator = TelegramEmulator(TOKEN)
    ann = {"id": 1, "is_bot": False, "first_name": "Ann", "language_code": "en"}
    async with EmulatorHttpServer(emulator) as server:
        process = await start_wijkbot(
            tmp_path, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, WIJKBOT_DB=str(tmp_path / "data.db")
        )
        try:
            await emulator.user_sends(ann, "/start")
            chat = emulator.chat_for(ann)
            # Updates are handled only once the application has started: by then the start-up
            # catch-up has run, the repeating job is added and the scheduler runs.
            await eventually(lambda: bool(chat.events), "an answer to /start")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert " INFO telegram.ext.Application: Application started" in log  # INFO lines are still logged
    assert [line for line in log.splitlines() if " INFO apscheduler" in line] == []


async def test_a_stop_while_the_bot_starts_up_still_closes_everything(tmp_path: Path) -> None:
    emulator = TelegramEmulator(TOKEN)
    db_path = tmp_path / "data.db"
    async with EmulatorHttpServer(emulator) as server:
        starting = emulator.hold("deleteWebhook")  # the bot is in the middle of starting to poll
        process = await start_wijkbot(
            tmp_path, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, WIJKBOT_DB=str(db_path)
        )
        try:
            await asyncio.wait_for(starting.arrived.wait(), 20)
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.2)
        finally:
            starting.released.set()
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert not was_left_open(db_path)


def was_left_open(db_path: Path) -> bool:
    """A database whose last connection was closed has no WAL file left beside it."""
    return Path(f"{db_path}-wal").exists()


async def test_a_data_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("some notes, not a database")
    async with EmulatorHttpServer(TelegramEmulator(TOKEN)) as server:
        process = await start_wijkbot(
            tmp_path, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, WIJKBOT_DB=str(tmp_path / "notes.db")
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert [line for line in stderr.decode().splitlines() if line.startswith("wijkbot:")] == [
        f"wijkbot: WIJKBOT_DB: cannot use {tmp_path / 'notes.db'} as the data file: file is not a database"
    ]
    assert "Traceback" not in stderr.decode()
