"""Start and stop a PTB Application inside the running event loop, with every teardown step always run.

`Application.run_polling` skips the whole teardown (post_stop, shutdown,
post_shutdown) when a stop signal arrives while it is still starting up: the
database then stays open and its reader thread keeps the process alive. Here
a signal only sets an event; start-up finishes, and teardown always follows.
`wijkbot run` and the local Telegram (tests, demo, benchmarks) both use this.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator

from telegram.ext import Application

POLL_TIMEOUT_SECONDS = 10


@contextlib.asynccontextmanager
async def serving(application: Application) -> AsyncIterator[Application]:
    """Initialise, post_init, poll and start; on leaving: stop polling, stop, post_stop, shutdown, post_shutdown."""
    updater = application.updater
    assert updater is not None, "the application polls for updates"
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT_SECONDS)
        await application.start()
        try:
            yield application
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def serve_until_signal(application: Application) -> None:
    """Long polling until Ctrl-C or SIGTERM (for example `systemctl stop`)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stop.set)
    async with serving(application):
        await stop.wait()
