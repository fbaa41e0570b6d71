"""Paper for the desk and the notice board: a sign-in list, a poster and a week programme, as PDF bytes.

Not everyone has a phone, so an activity also lives on paper (issue 13). These are pure functions: the
handler reads the database and passes what to print. Texts are translated with the reader's translator and
dates are written as everywhere else (bot/formatting.py). The fonts ship in bot/fonts: Noto Sans for Latin and
Cyrillic letters, Noto Naskh Arabic for Arabic. HarfBuzz shapes the text (fpdf2's text shaping), so Arabic
letters are joined and read from right to left. A letter that no font has (an emoji) is left out: a gap on
paper reads better than an empty box.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import segno
from fpdf import FPDF
from fpdf.fonts import TTFFont

from bot import activity_text, i18n
from bot.formatting import format_day, shortened
from storage.activities import Activity, Person

FONTS = Path(__file__).with_name("fonts")
SANS, ARABIC = "sans", "naskh"
FACES = {
    (SANS, ""): "NotoSans-Regular.ttf",
    (SANS, "B"): "NotoSans-Bold.ttf",
    (ARABIC, ""): "NotoNaskhArabic-Regular.ttf",
    (ARABIC, "B"): "NotoNaskhArabic-Bold.ttf",
}
MARGIN = 15  # mm, all round: inside what any office printer can print
POINT = 25.4 / 72  # mm
LEADING = 1.25  # the height of a line, as a part of the type size
TITLE_SIZES = (60, 52, 44, 40)  # pt: a poster's title is read from 2 metres, so never below 40 (issue 13)
QUIET_ZONE = 4  # modules of white round a QR code: phones need it to find the code
ISOLATION_MARKS = frozenset("\u2066\u2067\u2068\u2069")  # LRI, RLI, FSI and PDI
GREY = 235  # the background of a table's header row


def add_fonts(pdf: FPDF) -> None:
    for (family, style), file in FACES.items():
        pdf.add_font(family, style, FONTS / file)


def close_fonts(pdf: FPDF) -> None:
    """fpdf2 keeps a font file open until it writes the document, and then closes only the fonts it used."""
    for font in pdf.fonts.values():
        if isinstance(font, TTFFont):
            font.close()


@cache
def drawable() -> frozenset[int]:
    """The characters our fonts have a glyph for."""
    probe = FPDF()
    add_fonts(probe)
    found = [font.cmap for font in probe.fonts.values() if isinstance(font, TTFFont)]
    close_fonts(probe)
    return frozenset(itertools.chain.from_iterable(found))


def printable(text: str) -> str:
    """The text without what our fonts cannot draw (emoji). Invisible direction marks stay, but not the
    isolation marks that keep names apart in chat messages (bot/i18n.py): fpdf2 (2.8) takes an isolated
    Arabic part apart, while plain Unicode rules put names, times and prices in order on paper."""
    return re.sub(r" {2,}", " ", "".join(_drawn(char) for char in text)).strip()


def _drawn(char: str) -> str:
    if char in ISOLATION_MARKS:
        return ""
    if ord(char) in drawable() or unicodedata.category(char) == "Cf":
        return char
    return " " if char.isspace() else ""


class Sheet(FPDF):
    """A4 pages with our fonts, shaped text, and the reading direction of one language."""

    def __init__(self, title: str, language: str) -> None:
        super().__init__(format="A4")
        add_fonts(self)
        self.set_fallback_fonts([ARABIC])
        self.set_text_shaping(True)
        self.set_auto_page_break(False)  # each document decides where its pages end
        self.set_margins(MARGIN, MARGIN)
        self.set_creator("wijkbot")
        self.c_margin = 2  # mm between the edge of a cell and its text
        self.set_title(printable(title))
        self.right_to_left = i18n.right_to_left(language)
        self.start = "R" if self.right_to_left else "L"  # where a line of this language starts
        self.add_page()

    def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> bool:
        """Each line starts in our own font again. fpdf2 (2.8) switches to the Arabic font inside a line and
        then believes its own font is still the one set, so the Latin letters of the next line would be drawn
        with the Arabic font's glyphs: nonsense."""
        self.current_font_is_set_on_page = False
        return bool(super()._render_styled_text_line(*args, **kwargs))

    @property
    def bottom(self) -> float:
        """Where the printed part of a page ends."""
        return self.h - MARGIN

    def paragraph(
        self, text: str, size: float, *, bold: bool = False, align: str | None = None, width: float = 0
    ) -> None:
        """Text at the current height, wrapped when it is too long; the next line comes under it."""
        self.set_font(SANS, "B" if bold else "", size)
        x = self.get_x()
        self.multi_cell(width, size * POINT * LEADING, printable(text), align=align or self.start)
        self.set_xy(x, self.get_y())

    def one_line(self, text: str, size: float, *, bold: bool = False, width: float = 0) -> None:
        """Text on one line, shortened with … when it is too long for `width` (0: up to the margin)."""
        self.set_font(SANS, "B" if bold else "", size)
        room = (width or self.epw) - 2 * self.c_margin
        text = printable(text)
        while len(text) > 1 and self.get_string_width(text) > room:
            text = shortened(text, len(text) - 1)
        x = self.get_x()
        self.cell(width, size * POINT * LEADING, text, align=self.start)
        self.set_xy(x, self.get_y() + size * POINT * LEADING)

    def lines_needed(self, text: str, size: float, *, bold: bool = False, width: float = 0) -> int:
        self.set_font(SANS, "B" if bold else "", size)
        lines = self.multi_cell(width, 1, printable(text), dry_run=True, output="LINES")
        return len(cast(list[str], lines))

    def gap(self, mm: float) -> None:
        self.set_xy(self.l_margin, self.get_y() + mm)

    def qr(self, link: str, x: float, y: float, size: float) -> None:
        """A QR code of `link` in a square of `size` mm (its white quiet zone included): squares, sharp at
        any size."""
        code = segno.make(link, error="m", micro=False)
        module = size / (len(code.matrix) + 2 * QUIET_ZONE)
        self.set_fill_color(0)
        for row, modules in enumerate(code.matrix):
            column = 0
            for dark, run in itertools.groupby(modules):
                length = len(list(run))
                if dark:
                    left, top = x + (QUIET_ZONE + column) * module, y + (QUIET_ZONE + row) * module
                    self.rect(left, top, length * module, module, style="F")
                column += length

    def rule(self, y: float) -> None:
        """A thin grey line across the page."""
        self.set_draw_color(200)
        self.set_line_width(0.2)
        self.line(self.l_margin, y, self.l_margin + self.epw, y)
        self.set_draw_color(0)

    def box(self, x: float, y: float, size: float) -> None:
        """An empty square to tick with a pen."""
        width = self.line_width
        self.set_line_width(0.5)
        self.rect(x, y, size, size)
        self.set_line_width(width)

    def pdf(self) -> bytes:
        try:
            return bytes(self.output())
        finally:
            close_fonts(self)


def facts(sheet: Sheet, activity: Activity, language: str, tz: ZoneInfo, size: float, align: str | None = None) -> None:
    """Day and time (in bold), place and price of an activity, in one language."""
    _ = i18n.translator(language)
    sheet.paragraph(activity_text.when(activity, language, tz), size, bold=True, align=align)
    sheet.paragraph(_("Place: {place}").format(place=activity.place), size, align=align)
    sheet.paragraph(_("Price: {price}").format(price=activity_text.cost(_, activity, language)), size, align=align)


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # mm; 0: what the others leave
    tick: bool = False  # a box to tick, not text


SHEET_TYPE = 16  # pt: large type, for reading at the desk without glasses
ROW = 12  # mm: room to write a name by hand
WALK_INS = 6  # empty rows at least, for people who come without signing up


def sign_in_sheet(activity: Activity, people: Sequence[Person], language: str, tz: ZoneInfo) -> bytes:
    """📄 The list at the door: who comes (name, member number, a box to tick, and one for "paid" when the
    activity costs money), then empty rows for people who walk in. More pages when the list is long."""
    _ = i18n.translator(language)
    sheet = Sheet(activity.title, language)
    sheet.paragraph(activity.title, SHEET_TYPE * 1.6, bold=True)
    facts(sheet, activity, language, tz, SHEET_TYPE)
    columns = [Column(_("First name"), 0), Column(_("Number"), 34), Column(_("Here"), 28, tick=True)]
    if activity.cost_cents:
        columns.append(Column(_("Paid"), 28, tick=True))
    table = Table(sheet, columns, activity.title)
    sheet.gap(6)
    table.header()
    for person in people:
        table.row(person.first_name or "", f"{person.member_no:04d}" if person.member_no else "")
    if sheet.get_y() + ROW * (WALK_INS + 2) > sheet.bottom:
        table.new_page()
    sheet.gap(6)
    sheet.paragraph(_("Came without signing up"), SHEET_TYPE, bold=True)
    table.header()
    while sheet.get_y() + ROW <= sheet.bottom:
        table.row("", "")
    return sheet.pdf()


class Table:
    """Rows of cells with lines round them; in a right-to-left language the first column is on the right."""

    def __init__(self, sheet: Sheet, columns: list[Column], title: str) -> None:
        self.sheet, self.columns, self.title = sheet, columns, title
        rest = sheet.epw - sum(column.width for column in columns)
        widths = [column.width or rest for column in columns]
        starts = list(itertools.accumulate([sheet.l_margin, *widths[:-1]]))
        if sheet.right_to_left:  # mirrored: the same distance from the right edge
            starts = [
                2 * sheet.l_margin + sheet.epw - start - width for start, width in zip(starts, widths, strict=True)
            ]
        self.cells = list(zip(starts, widths, strict=True))

    def header(self) -> None:
        self._row([column.label for column in self.columns], bold=True)

    def new_page(self) -> None:
        """A next page, with the title on top to know what list it belongs to."""
        self.sheet.add_page()
        self.sheet.one_line(self.title, SHEET_TYPE, bold=True)
        self.sheet.gap(3)

    def row(self, *texts: str) -> None:
        if self.sheet.get_y() + ROW > self.sheet.bottom:
            self.new_page()
            self.header()
        self._row(list(texts))

    def _row(self, texts: list[str], *, bold: bool = False) -> None:
        sheet, y = self.sheet, self.sheet.get_y()
        sheet.set_font(SANS, "B" if bold else "", SHEET_TYPE * (0.8 if bold else 1))
        sheet.set_fill_color(GREY if bold else 255)
        sheet.set_line_width(0.3)
        for index, ((x, width), column) in enumerate(zip(self.cells, self.columns, strict=True)):
            text = texts[index] if index < len(texts) else ""
            sheet.set_xy(x, y)
            sheet.cell(width, ROW, printable(text), border=1, fill=bold, align=sheet.start)
            if column.tick and not bold:
                sheet.box(x + (width - ROW / 2) / 2, y + ROW / 4, ROW / 2)
        sheet.set_xy(sheet.l_margin, y + ROW)


def poster(activity: Activity, languages: Sequence[str], link: str, tz: ZoneInfo) -> bytes:
    """🖼️ An A4 poster for the notice board: the title large, then day and time, place and price in Dutch and
    at most one more language, and a QR code of `link` that opens the activity in the bot."""
    shown = list(dict.fromkeys([i18n.DEFAULT_LANGUAGE, *languages]))
    if len(shown) > 2:
        raise ValueError(f"a poster has Dutch and at most one more language, not {shown}")
    sheet = Sheet(activity.title, i18n.DEFAULT_LANGUAGE)
    size = next((size for size in TITLE_SIZES if sheet.lines_needed(activity.title, size, bold=True) <= 2), 40)
    sheet.gap(5)
    sheet.paragraph(activity.title, size, bold=True, align="C")
    sign_up, scan = [], []
    for number, language in enumerate(shown):
        sheet.gap(8)
        facts(sheet, activity, language, tz, 24 if number == 0 else 20, align="C")  # Dutch first and largest
        _ = i18n.translator(language)
        sign_up.append(_("Sign up:"))
        scan.append(_("Scan the code with the camera of your phone."))
    sheet.gap(10)
    for text in sign_up:
        sheet.paragraph(text, 28, bold=True, align="C")
    below_code = len(scan) * 14 * POINT * LEADING + 12
    side = max(40.0, min(90.0, sheet.bottom - sheet.get_y() - below_code))
    sheet.qr(link, (sheet.w - side) / 2, sheet.get_y(), side)
    sheet.set_y(sheet.get_y() + side)
    for text in scan:
        sheet.paragraph(text, 14, align="C")
    sheet.paragraph(link, 11, align="C")
    return sheet.pdf()


def week_days(first_day: date, language: str) -> str:
    """Like "zaterdag 28 november – vrijdag 4 december": the 7 days from `first_day`."""
    last_day = first_day + timedelta(days=6)
    return f"{format_day(first_day, language, long=True)} – {format_day(last_day, language, long=True)}"


WEEK_FITS = 12  # activities on the one page of a week programme, each with a QR code large enough to scan


def week_programme(
    activities: Sequence[Activity],
    links: Sequence[str],
    language: str,
    tz: ZoneInfo,
    *,
    first_day: date,
) -> bytes:
    """📅 One page for the notice board: the activities of the 7 days from `first_day`, each with a small QR
    code of its link. When there are more than fit, the page says the bot has them all."""
    _ = i18n.translator(language)
    sheet = Sheet(_("Week programme"), language)
    sheet.paragraph(_("Week programme"), 30, bold=True)
    sheet.paragraph(week_days(first_day, language), 16)
    sheet.gap(4)
    shown = list(zip(activities, links, strict=True))[:WEEK_FITS]
    footer = 2 * 12 * POINT * LEADING + 4
    row = min(40.0, (sheet.bottom - footer - sheet.get_y()) / max(1, len(shown)))
    side = row - 2
    text_width = sheet.epw - side - 4
    for activity, link in shown:
        top = sheet.get_y()
        sheet.rule(top)
        code_x = sheet.l_margin + sheet.epw - side if sheet.right_to_left else sheet.l_margin
        sheet.qr(link, code_x, top + 1, side)
        text_x = sheet.l_margin if sheet.right_to_left else sheet.l_margin + side + 4
        sheet.set_xy(text_x, top + max(1.0, (row - 17) / 2))
        sheet.one_line(activity.title, 15, bold=True, width=text_width)
        sheet.one_line(activity_text.when(activity, language, tz), 12, width=text_width)
        sheet.one_line(f"{activity.place} · {activity_text.cost(_, activity, language)}", 12, width=text_width)
        sheet.set_xy(sheet.l_margin, top + row)
    sheet.gap(2)
    if len(activities) > WEEK_FITS:
        sheet.paragraph(_("There are more activities in the bot."), 12, bold=True)
    sheet.paragraph(_("Scan a code with the camera of your phone to sign up."), 12)
    return sheet.pdf()
