"""Scheduled work: the database says what is due; one repeating job looks every minute.

Nothing lives only in PTB's JobQueue. Reminders and notices are rows in the
outbox, written when someone signs up or something changes, and sent by the
one sender (bot/sender.py). The job only moves on offers nobody answered in
time, opens and closes votes whose time has come, ends posts past their end,
writes the alerts of new requests and plans the weekly digest (in short
batches, from where the last run stopped), deletes outbox rows past their use
and sign-ups left unfinished for a week, and wakes the sender. So a restart,
also after hours away, sends what became due once.
"""

from __future__ import annotations

from telegram.ext import Application, CallbackContext

from bot import campaign_live
from bot.context import runtime_of
from bot.persistence import forget_user
from storage import activities, campaigns, help_news, members, outbox, posts, rooms, shifts, votes

INTERVAL_SECONDS = 60


def due_work(application: Application) -> None:
    """Expire offers, open and close votes, end posts, write alerts and the digest, clean up the outbox and
    old unfinished sign-ups (short, indexed work), then wake the sender."""
    runtime = runtime_of(application)
    now = runtime.clock()
    activities.expire_offers(runtime.database, now, runtime.timing)
    votes.open_due(runtime.database, now)  # also when the bot was down at that moment: each once
    votes.close_due(runtime.database, now)
    posts.end_due(runtime.database, now)  # help and service posts past their end, a batch a minute
    help_news.send_alerts(runtime.database, now)  # new requests' alerts to their followers, in short batches
    help_news.plan_digest(  # the weekly digest: a batch of followers a minute, each member once a week
        runtime.database, now, runtime.settings.timezone, runtime.settings.digest_day, runtime.settings.digest_time
    )
    rooms.expire_unanswered(runtime.database, now)  # a room request nobody answered in time: the hours go back
    shifts.ask_for_gaps(runtime.database, now)  # 48 hours before, a free place is asked of the task's volunteers
    campaigns.close_due(runtime.database, now)  # campaigns past their last day close; supporters hear the result
    outbox.clean_up(runtime.database, now)
    for telegram_id in members.forget_stale_visitors(runtime.database, now):  # unfinished sign-ups, after 7 days
        forget_user(application, telegram_id)
    runtime.outbox_sender.wake()


async def scheduled_work_job(context: CallbackContext) -> None:
    """The repeating job."""
    due_work(context.application)


def start(application: Application) -> None:
    """Catch up at once after a (re)start, then every minute.

    APScheduler skips a run that is more than a second late; a late run here
    must still happen (the database says what is due), so it never misfires.
    A job added before the application starts runs first one interval late,
    hence the first catch-up here.
    """
    due_work(application)
    job_queue = application.job_queue
    assert job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    job_queue.run_repeating(
        scheduled_work_job,
        interval=INTERVAL_SECONDS,
        first=INTERVAL_SECONDS,
        name="scheduled_work",
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
    job_queue.run_repeating(  # campaign cards on members' screens follow the campaign (a round at most every 20 s)
        campaign_live.edit_cards_job,
        interval=campaign_live.ROUND_EVERY,
        first=campaign_live.ROUND_EVERY,
        name="campaign_cards",
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
