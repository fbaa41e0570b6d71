"""📄 A sign-in list, 🖼️ a poster and 📅 a week programme as PDF, for the desk and the notice board (issue 13).

bot/paper.py makes the PDFs in a worker thread: it takes some tens of milliseconds, and other members' taps
should not wait for it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from html import escape

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, i18n, paper
from bot.access import Need, requires
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name
from bot.i18n import N_
from bot.incoming import chat_id, query, tapped
from bot.keyboards import button, in_rows, inline, nav_row
from bot.replies import show, way_on_after_files
from handlers.activities import existing, link
from storage import activities
from storage.activities import GOING, OFFERED, Activity

AREA = "paper"
COMING = (GOING, OFFERED)  # a place offered counts as coming, as on the card; who waits can walk in


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def to_the_card(activity: Activity) -> str:
    """⬅️ Back: the organiser's card of the activity (handlers/activity_admin.py)."""
    return callbacks.pack("org", "act", activity.id)


async def send_pdf(update: Update, context: WijkContext, data: bytes, name: str, caption: str, back: str) -> None:
    await context.bot.send_document(chat_id(update), InputFile(data, filename=name), caption=caption)
    await way_on_after_files(update, context, back)


@requires(Need.ORGANISER)
@files_once
async def list_button(update: Update, context: WijkContext) -> None:
    """📄 List: the sign-in sheet of an activity, to print for the door."""
    _ = context.gettext
    activity = existing(context, tapped(update).int_arg(0))
    if activity.cancelled:
        raise callbacks.StaleButton(f"activity {activity.id} is cancelled")
    await query(update).answer()
    coming = [person for person in await activities.people(context.db, activity.id) if person.status in COMING]
    data = await asyncio.to_thread(paper.sign_in_sheet, activity, coming, context.language, context.settings.timezone)
    name = file_name(_, N_("sign-in list"), activity.id, extension="pdf")
    await send_pdf(update, context, data, name, escape(activity.title), to_the_card(activity))


def open_activity(context: WijkContext, activity_id: int) -> Activity:
    """The activity of a poster: people can still sign up for it, or the button no longer works."""
    activity = existing(context, activity_id)
    if not activity.open_at(context.now()):
        raise callbacks.StaleButton(f"activity {activity_id} has started or is cancelled")
    return activity


@requires(Need.ORGANISER)
async def poster_button(update: Update, context: WijkContext) -> None:
    """🖼️ Poster: which language goes beside Dutch? The organiser's own language comes first."""
    _ = context.gettext
    activity = open_activity(context, tapped(update).int_arg(0))
    languages = list(dict.fromkeys([context.language, *i18n.languages()]))

    def label(language: str) -> str:
        return _("Only Dutch") if language == i18n.DEFAULT_LANGUAGE else i18n.language_name(language)

    choices = [button(label(language), AREA, "make", activity.id, language) for language in languages]
    text = "🖼️ " + _("Which language do you want on the poster, next to Dutch?")
    await show(update, context, text, inline(in_rows(choices) + [nav_row(_, to_the_card(activity))]))


@requires(Need.ORGANISER)
@files_once
async def make_poster_button(update: Update, context: WijkContext) -> None:
    """A language chosen: the poster in Dutch and that language, with a QR code of the activity's link."""
    _ = context.gettext
    args = tapped(update)
    activity = open_activity(context, args.int_arg(0))
    await query(update).answer()
    data = await asyncio.to_thread(
        paper.poster,
        activity,
        [args.str_arg(1)],
        link(context.bot.username, activity.id),
        context.settings.timezone,
    )
    name = file_name(_, N_("Poster"), activity.id, extension="pdf")
    await send_pdf(update, context, data, name, escape(activity.title), to_the_card(activity))


@requires(Need.ORGANISER)
@files_once
async def week_button(update: Update, context: WijkContext) -> None:
    """📅 Week programme: the 7 days from tomorrow, for the notice board."""
    _ = context.gettext
    tz = context.settings.timezone
    first_day = context.now().astimezone(tz).date() + timedelta(days=1)
    start = datetime.combine(first_day, time(), tz).astimezone(UTC)
    end = datetime.combine(first_day + timedelta(days=7), time(), tz).astimezone(UTC)
    found = activities.starting_between(context.db, start, end)
    back = callbacks.pack("org", "menu")
    if not found:
        text = "📅 " + _("Nothing is planned for the next 7 days.")
        await show(update, context, text, inline([nav_row(_, back)]))
        return
    await query(update).answer()
    links = [link(context.bot.username, activity.id) for activity in found]
    data = await asyncio.to_thread(paper.week_programme, found, links, context.language, tz, first_day=first_day)
    name = file_name(_, N_("Week programme"), first_day.strftime("%Y%m%d"), extension="pdf")
    await send_pdf(update, context, data, name, "📅 " + paper.week_days(first_day, context.language), back)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(poster_button, pattern=on("poster")),
        CallbackQueryHandler(make_poster_button, pattern=on("make")),
        CallbackQueryHandler(week_button, pattern=on("week")),
    ]
