"""The `wijkbot` command: `wijkbot run` for real, `wijkbot demo` in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sqlite3
import sys
from collections.abc import Iterator

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application
from bot.config import SettingError, Settings, load_settings
from bot.demo import DEFAULT_DEMO_DB, demo_settings, run_demo
from bot.lifecycle import serve_until_signal


async def check_telegram(settings: Settings) -> None:
    """Ask the server who we are, so a wrong token or address is one clear line."""
    try:
        async with Bot(settings.bot_token, base_url=f"{settings.api_base_url}/bot"):
            pass
    except InvalidToken:
        raise SettingError("BOT_TOKEN", "Telegram does not accept this token; check it with @BotFather") from None
    except NetworkError as error:
        raise SettingError("TELEGRAM_API_BASE_URL", f"cannot reach {settings.api_base_url}: {error}") from None


def run() -> int:
    """Long polling until Ctrl-C or SIGTERM."""
    settings = load_settings()
    asyncio.run(check_telegram(settings))
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # APScheduler says at INFO whenever it adds or runs a job: twice a minute for the one repeating job.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    with data_file_named("WIJKBOT_DB", settings):
        asyncio.run(serve_until_signal(build_application(settings)))
    return 0


@contextlib.contextmanager
def data_file_named(setting: str, settings: Settings) -> Iterator[None]:
    """A data file SQLite cannot use (not a database, not readable) is one clear line that names it."""
    try:
        yield
    except sqlite3.Error as error:
        raise SettingError(setting, f"cannot use {settings.db_path} as the data file: {error}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wijkbot", description="The Telegram bot of our neighbourhood cooperative.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot on Telegram (needs BOT_TOKEN)")
    demo = commands.add_parser("demo", help="chat with the bot in this terminal: no token, no network")
    demo.add_argument("--db", default=DEFAULT_DEMO_DB, help=f"database file of the demo (default {DEFAULT_DEMO_DB})")
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return run()
        settings = demo_settings(args.db)
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.WARNING)
        try:
            with data_file_named("--db", settings):
                return asyncio.run(run_demo(settings, sys.stdin, sys.stdout))
        except KeyboardInterrupt:  # Ctrl-C: the demo stopped cleanly on the way out
            print()
            return 0
    except SettingError as error:
        print(f"wijkbot: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
