"""When the bot may speak: quiet hours, reminder times and how long a freed place is held.

Pure rules on UTC datetimes, so they can be tested without Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.activities import Offer, Reminder

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
EARLY_START = time(10, 0)  # something that starts before this the next morning may be mentioned at night
OPEN_OFFER_BEFORE = timedelta(hours=3)  # from then on, a free place goes to whoever taps first
MINIMUM_CLAIM = timedelta(hours=1)  # a shorter time to say yes is no real chance
DAY_BEFORE = timedelta(hours=24)
SHORTLY_BEFORE = timedelta(hours=2)


def deliver_at(moment: datetime, tz: ZoneInfo, about_start: datetime | None = None) -> datetime:
    """The first moment from `moment` on at which a member may get a message (UX.md).

    Between 21:00 and 08:00 messages wait until 08:00, unless they are about
    something that starts before 10:00 the next morning.
    """
    local = moment.astimezone(tz)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return moment
    morning = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    if about_start is not None and about_start < datetime.combine(morning, EARLY_START, tz):
        return moment
    return max(moment, datetime.combine(morning, QUIET_UNTIL, tz).astimezone(UTC))


def reminders(starts_at: datetime) -> list[Reminder]:
    """The day before and 2 hours before. The first is no use once the second is due."""
    return [
        Reminder("reminder_day", starts_at - DAY_BEFORE, starts_at - SHORTLY_BEFORE),
        Reminder("reminder_2h", starts_at - SHORTLY_BEFORE, starts_at),
    ]


def offer_timing(now: datetime, starts_at: datetime, tz: ZoneInfo, claim: timedelta) -> Offer:
    """How a freed place is offered (UX.md: a deadline the member must act on never ends in the night).

    The claim window starts when the offer may be delivered and never runs past 3 hours before the
    start. One that would end at night ends at 08:00, or else at 21:00 the evening before (when that
    leaves at least an hour); otherwise the place goes to whoever taps first."""
    deliver = deliver_at(now, tz, starts_at)
    last_moment = starts_at - OPEN_OFFER_BEFORE
    if deliver >= last_moment:
        return Offer(True, deliver, starts_at)
    ends = min(deliver + claim, last_moment)
    morning = deliver_at(ends, tz)  # `ends` itself by day, else the next 08:00
    if morning <= last_moment and morning >= deliver + MINIMUM_CLAIM:
        return Offer(False, deliver, morning)
    evening = datetime.combine(ends.astimezone(tz).date(), QUIET_FROM, tz).astimezone(UTC)
    if evening > ends:  # after midnight: the evening before
        evening -= timedelta(days=1)
    if evening >= deliver + MINIMUM_CLAIM:
        return Offer(False, deliver, evening)
    return Offer(True, deliver, starts_at)


@dataclass(frozen=True)
class ActivityTiming:
    """These rules with the configured time zone and claim window, for storage.activities."""

    tz: ZoneInfo
    claim: timedelta

    def reminders(self, starts_at: datetime) -> list[Reminder]:
        return reminders(starts_at)

    def offer(self, starts_at: datetime, now: datetime) -> Offer:
        return offer_timing(now, starts_at, self.tz, self.claim)
