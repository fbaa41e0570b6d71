"""An .ics file so a member can put an activity in their phone's calendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from storage.activities import Activity


def ics(activity: Activity, tz: ZoneInfo, now: datetime, bot_username: str) -> bytes:
    """One event in the configured time zone, with the time zone described in the file."""
    calendar = Calendar()
    calendar.add("prodid", "-//wijkbot//activities//NL")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"activity-{activity.id}@{bot_username}")
    event.add("dtstamp", now)
    event.add("dtstart", activity.starts_at.astimezone(tz))
    event.add("dtend", activity.ends_at.astimezone(tz))
    event.add("summary", activity.title)
    event.add("location", activity.place)
    event.add("description", activity.description)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
