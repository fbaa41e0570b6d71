"""Scheduled work: the database says what is due; a repeating job (and every change) catches up.

Nothing lives only in PTB's JobQueue: reminders, offers and notices are rows
in `notifications`, planned with a unique key, claimed before sending and
dropped when they can no longer arrive in time. So a restart, also after
hours away, sends what became due once, and never twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackContext

from bot import timing
from bot.config import Settings
from bot.context import runtime_of
from bot.notices import render
from storage import activities, members, notifications
from storage.activities import GOING, OFFERED, WAITING, Activity, Offer
from storage.db import Database
from storage.notifications import Notification

logger = logging.getLogger(__name__)
PLANNING_HORIZON = timedelta(hours=26)  # reminders are planned this far ahead
INTERVAL_SECONDS = 60


def offer_for(settings: Settings, activity: Activity, now: datetime) -> Offer:
    """How a place freed now is offered (see bot/timing.py)."""
    found = timing.offer_timing(now, activity.starts_at, settings.timezone, timedelta(hours=settings.claim_hours))
    return Offer(found.to_everyone, found.deliver, found.expires)


async def plan_activity(db: Database, settings: Settings, activity: Activity, now: datetime) -> None:
    """Reminders for everyone coming, and the organiser's notice when it is full. Planning twice changes nothing."""
    tz = settings.timezone
    planned = []
    if activity.starts_at - now <= PLANNING_HORIZON:
        for member_id, since in await activities.going_since(db, activity.id):
            for reminder in timing.reminders(activity.starts_at):
                deliver = timing.deliver_at(reminder.due, tz, activity.starts_at)
                if reminder.due < since or deliver >= reminder.expires:
                    continue  # they signed up after that moment, or quiet hours leave no time for it
                key = f"{reminder.kind}:{activity.id}:{member_id}:{activity.starts_at.isoformat()}"
                planned.append(dict(key=key, kind=reminder.kind, member_id=member_id, activity_id=activity.id,
                                    deliver_at=deliver, expires_at=reminder.expires))
    if activity.places_left == 0 and activity.created_by is not None:
        planned.append(dict(key=f"activity_full:{activity.id}", kind="activity_full", member_id=activity.created_by,
                            activity_id=activity.id, deliver_at=timing.deliver_at(now, tz, activity.starts_at),
                            expires_at=activity.starts_at))
    await notifications.add_many(db, planned)


async def expire_offers(db: Database, settings: Settings, now: datetime) -> None:
    """Offers nobody answered in time move on to the next person."""
    for activity_id, member_id in await activities.expired_offers(db, now):
        activity = await activities.get(db, activity_id)
        await activities.expire_offer(db, activity_id, member_id, now, offer_for(settings, activity, now))


async def still_true(db: Database, notification: Notification) -> bool:
    """Is this message still right to send? A reminder only to someone still coming, an offer only while held."""
    wanted = {"reminder_day": GOING, "reminder_2h": GOING, "offer": OFFERED, "open_offer": WAITING}.get(notification.kind)
    if wanted is None:
        return True
    activity = await activities.get(db, notification.activity_id)
    found = await activities.status_of(db, notification.activity_id, notification.member_id)
    if activity is None or activity.cancelled or found is None or found[0] != wanted:
        return False
    return notification.kind != "open_offer" or bool(activity.places_left)


async def send_due(bot: Bot, db: Database, settings: Settings, now: datetime) -> int:
    """Send what is due; returns how many went out. Stops early when Telegram asks to wait."""
    count = 0
    for notification in await notifications.due(db, now):
        member = await members.get(db, notification.member_id) if notification.member_id else None
        too_late = notification.expires_at is not None and now >= notification.expires_at
        if too_late or member is None or member.telegram_id is None or not await still_true(db, notification):
            await notifications.drop(db, notification.id, now)
            continue
        if not await notifications.claim(db, notification.id, now):
            continue  # another run sent it
        activity = await activities.get(db, notification.activity_id) if notification.activity_id else None
        text, markup = render(notification, member, activity, settings)
        try:
            await bot.send_message(member.telegram_id, text, reply_markup=markup)
        except (Forbidden, BadRequest) as error:
            logger.info("notification %s to member %s not delivered: %s", notification.key, member.id, error)
            await notifications.drop(db, notification.id, now)
            continue
        except TelegramError as error:
            logger.warning("notification %s postponed: %s", notification.key, error)
            await notifications.release(db, notification.id)
            break
        count += 1
    return count


async def catch_up(application: Application) -> int:
    """All scheduled work: expire offers, plan what comes near, send what is due."""
    runtime = runtime_of(application)
    db, settings, now = runtime.db, runtime.settings, runtime.clock()
    await expire_offers(db, settings, now)
    for activity in await activities.starting_between(db, now, now + PLANNING_HORIZON):
        await plan_activity(db, settings, activity, now)
    return await send_due(application.bot, db, settings, now)


async def scheduled_work_job(context: CallbackContext) -> None:
    """The repeating job: catch up with what the database says is due."""
    await catch_up(context.application)


async def start(application: Application) -> None:
    """Catch up at once after a (re)start, then every minute.

    APScheduler skips a run that is more than a second late; a late run here
    must still happen (the database says what is due), so it never misfires.
    """
    await catch_up(application)
    application.job_queue.run_repeating(
        scheduled_work_job, interval=INTERVAL_SECONDS, first=INTERVAL_SECONDS, name="scheduled_work",
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
