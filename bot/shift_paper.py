"""📄 A statement of a volunteer's hours in a year (issue 14): a PDF they can show, e.g. to the gemeente.

One line per shift that an organiser ticked as done: the day, the task and the hours, then the total.
Drawn with bot/paper.py's sheet, fonts and table, in the volunteer's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import i18n
from bot.config import Settings
from bot.formatting import format_day, format_hours, format_member_no, format_when, local_time
from bot.paper import SHEET_TYPE, Column, Sheet, Table
from storage.members import Member
from storage.shifts import Shift


def statement(member: Member, year: int, done: Sequence[Shift], language: str, settings: Settings) -> bytes:
    """The statement: who, which year, a table of the shifts, the total and the date it was made."""
    _ = i18n.translator(language)
    title = _("Volunteer hours {year}").format(year=year)
    sheet = Sheet(title, language)
    sheet.paragraph(title, SHEET_TYPE * 1.6, bold=True)
    sheet.paragraph(f"{member.first_name or ''} · {format_member_no(_, member.member_no)}", SHEET_TYPE)
    sheet.paragraph(_("Volunteer at {place}").format(place=settings.community_centre), SHEET_TYPE)
    sheet.gap(6)
    table = Table(sheet, [Column(_("Day"), 70), Column(_("Task"), 0), Column(_("Hours"), 30)], title)
    table.header()
    tz = settings.timezone
    for shift in done:
        table.row(
            format_day(local_time(shift.starts_at, tz), language, year=True),
            shift.task,
            format_hours(shift.minutes, language),
        )
    table.row(_("Total"), "", format_hours(sum(shift.minutes for shift in done), language))
    sheet.gap(6)
    made = format_when(done[-1].ends_at, language, tz)
    sheet.paragraph(
        _("The organisers ticked these shifts as done. Last shift: {when}.").format(when=made), SHEET_TYPE * 0.8
    )
    return sheet.pdf()
