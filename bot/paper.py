"""Paper for the desk and the notice board: a sign-in list, a poster and a week programme, as PDF bytes.

Not everyone has a phone, so an activity also lives on paper (issue 13). These are pure functions: the
handler reads the database and passes what to print. Texts are translated with the reader's translator and
dates are written as everywhere else (bot/formatting.py). The fonts ship in bot/fonts: Noto Sans for Latin and
Cyrillic letters, Noto Naskh Arabic for Arabic. HarfBuzz shapes the text (fpdf2's text shaping), so Arabic
letters are joined and read from right to left. An emoji is left out (a gap on paper reads better than an
empty box); letters of a script no font has (ተስፋይ, 王) become "?", so a name is never blank. Text that is too
long for its place is shortened with …, measured in the real font: nothing is printed over something else.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
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
FOOT = 8  # mm above the bottom margin for the page number ("1/3") of a document with more pages
POINT = 25.4 / 72  # mm
LEADING = 1.25  # the height of a line, as a part of the type size
TITLE_SIZES = (60, 52, 44, 40)  # pt: a poster's title is read from 2 metres, so never below 40 (issue 13)
QUIET_ZONE = 4  # modules of white round a QR code: phones need it to find the code
ISOLATION_MARKS = frozenset("\u2066\u2067\u2068\u2069")  # LRI, RLI, FSI and PDI
GREY = 235  # the background of a table's header row
UNKNOWN = "?"  # for letters no font has: the reader sees that something is there


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
    """The text as our fonts can draw it: without emoji, and a run of letters of a script no font has as one
    "?". When nothing is left, "?": a name is never blank. Invisible direction marks stay, but not the
    isolation marks that keep names apart in chat messages (bot/i18n.py): fpdf2 (2.8) takes an isolated
    Arabic part apart, while plain Unicode rules put names, times and prices in order on paper."""
    drawn = "".join(
        UNKNOWN if missing else "".join(map(_drawn, chars))
        for missing, chars in itertools.groupby(text, key=_missing_letter)
    )
    drawn = re.sub(r" {2,}", " ", drawn).strip()
    return drawn if drawn or not any(char.isprintable() and not char.isspace() for char in text) else UNKNOWN


def _missing_letter(char: str) -> bool:
    return char.isalnum() and ord(char) not in drawable()


def _drawn(char: str) -> str:
    if char in ISOLATION_MARKS:
        return ""
    if ord(char) in drawable() or unicodedata.category(char) == "Cf":
        return char
    return " " if char.isspace() else ""


def longest(text: str, fits: Callable[[str], bool]) -> str:
    """`text`, or the longest beginning of it with … that fits. A binary search: measuring shaped text takes
    time."""
    if fits(text):
        return text
    low, high = 1, len(text) - 1  # shortened(text, 1) is "…" alone
    while low < high:
        middle = (low + high + 1) // 2
        if fits(shortened(text, middle)):
            low = middle
        else:
            high = middle - 1
    return shortened(text, low)


class Sheet(FPDF):
    """A4 pages with our fonts, shaped text, and the reading direction of one language."""

    def __init__(self, title: str, language: str, *, numbered: bool = True) -> None:
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
        self.numbered = numbered  # "1/3" at the foot of each page when there is more than one
        self.add_page()

    def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> bool:
        """Each line starts in our own font again. fpdf2 (2.8) switches to the Arabic font inside a line and
        then believes its own font is still the one set, so the Latin letters of the next line would be drawn
        with the Arabic font's glyphs: nonsense."""
        self.current_font_is_set_on_page = False
        return bool(super()._render_styled_text_line(*args, **kwargs))

    @property
    def bottom(self) -> float:
        """Where the printed part of a page ends (above the page number)."""
        return self.h - MARGIN - (FOOT if self.numbered else 0)

    def paragraph(
        self,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: str | None = None,
        width: float = 0,
        lines: int = 0,
    ) -> None:
        """Text at the current height, wrapped when it is too long, and shortened with … to at most `lines`
        lines (0: no limit); the next line comes under it."""
        text = printable(text)
        if lines:
            text = longest(text, lambda short: self.lines_needed(short, size, bold=bold, width=width) <= lines)
        self.set_font(SANS, "B" if bold else "", size)
        x = self.get_x()
        self.multi_cell(width, size * POINT * LEADING, text, align=align or self.start)
        self.set_xy(x, self.get_y())

    def fitted(self, text: str, room: float) -> str:
        """`text` shortened with … until it is at most `room` mm wide in the current font."""
        return longest(printable(text), lambda short: self.get_string_width(short) <= room)

    def one_line(self, text: str, size: float, *, bold: bool = False, width: float = 0) -> None:
        """Text on one line, shortened with … when it is too long for `width` (0: up to the margin)."""
        self.in_order([text], size, bold=bold, width=width)

    def in_order(
        self,
        parts: Sequence[str],
        size: float,
        *,
        bold: bool = False,
        align: str | None = None,
        width: float = 0,
        cut: int = 0,
        between: str = " · ",
        language: str | None = None,
    ) -> None:
        """One line of parts, each drawn on its own so that it keeps its own direction, and placed in the
        reading order of the sheet's language. fpdf2 (2.8) orders the runs of one line only one level deep:
        the number at the end of an Arabic place would stick to the wrong side in a Dutch line, and a line
        that starts with an Arabic place would read from the right. Part `cut` is shortened to fit. The
        order is that of `language` (on a poster, not the sheet's)."""
        self.set_font(SANS, "B" if bold else "", size)
        room = (width or self.epw) - 2 * self.c_margin
        texts = [printable(part) for part in parts]
        taken = self.get_string_width(between) * (len(texts) - 1)
        taken += sum(self.get_string_width(text) for index, text in enumerate(texts) if index != cut)
        texts[cut] = self.fitted(texts[cut], room - taken)
        pieces = list(itertools.chain.from_iterable((between, text) for text in texts))[1:]
        if i18n.right_to_left(language) if language else self.right_to_left:
            pieces.reverse()
        widths = [self.get_string_width(piece) for piece in pieces]
        x, y, height = self.get_x(), self.get_y(), size * POINT * LEADING
        spare = room - sum(widths)
        left = x + self.c_margin + {"L": 0, "C": spare / 2, "R": spare}[align or self.start]
        padding, self.c_margin = self.c_margin, 0
        for piece, piece_width in zip(pieces, widths, strict=True):
            self.set_xy(left, y)
            self.cell(piece_width, height, piece)
            left += piece_width
        self.c_margin = padding
        self.set_xy(x, y + height)

    def labelled(
        self, template: str, value: str, size: float, language: str, *, align: str | None = None, lines: int = 1
    ) -> None:
        """A line like "Plaats: {place}" in `language`, with the value as one part (see in_order). When it does
        not fit on one line, the label has a line of its own, and the value at most `lines` lines under it."""
        before, after = (printable(part) for part in re.split(r"\{\w+\}", template, maxsplit=1))
        label = [part for part in (before, after) if part]
        parts = [*label[:1], value, *label[1:]] if before else [value, *label]
        self.set_font(SANS, "", size)
        needed = self.get_string_width(" ".join(printable(part) for part in parts)) + 2 * self.c_margin
        if lines == 1 or needed <= self.epw:
            self.in_order(parts, size, align=align, cut=1 if before else 0, between=" ", language=language)
            return
        self.in_order(label, size, align=align, between=" ", language=language)
        self.paragraph(value, size, align=align, lines=lines)

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

    def page_numbers(self) -> None:
        """ "1/3" at the foot of each page: loose sheets go back in order."""
        pages = self.pages_count
        if not self.numbered or pages < 2:
            return
        for page in range(1, pages + 1):
            self.page = page
            self.set_font(SANS, "", 11)
            self.set_xy(self.l_margin, self.bottom + FOOT / 2)
            self.cell(self.epw, FOOT / 2, f"{page}/{pages}", align="C")

    def pdf(self) -> bytes:
        try:
            self.page_numbers()
            return bytes(self.output())
        finally:
            close_fonts(self)

    def discard(self) -> None:
        close_fonts(self)


def facts(sheet: Sheet, activity: Activity, language: str, tz: ZoneInfo, size: float, align: str | None = None) -> None:
    """Day and time (in bold), place and price of an activity, in one language."""
    _ = i18n.translator(language)
    sheet.paragraph(activity_text.when(activity, language, tz), size, bold=True, align=align)
    sheet.labelled(_("Place: {place}"), activity.place, size, language, align=align, lines=2)
    sheet.labelled(_("Price: {price}"), activity_text.cost(_, activity, language), size, language, align=align)


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # mm; 0: what the others leave
    tick: bool = False  # a box to tick, not text


SHEET_TYPE = 16  # pt: large type, for reading at the desk without glasses
HEADER_TYPE = SHEET_TYPE * 0.8  # pt, or smaller for a long word: a column's label fits its column
SMALLEST_TYPE = 8  # pt
ROW = 12  # mm: room to write a name by hand
WALK_INS = 4  # empty rows at least, for people who come without signing up; they fill the page
KEEP = 3  # when the walk-ins need a next page, the last names go with them: the walk-ins are never alone


def alphabetical(person: Person) -> tuple[str, int]:
    """The order of the list at the door: capitals and accents do not count ("émile" between "Ed" and "Eva")."""
    name = unicodedata.normalize("NFKD", (person.first_name or "").casefold())
    return "".join(char for char in name if not unicodedata.combining(char)), person.member_no or 0


def sign_in_sheet(activity: Activity, people: Sequence[Person], language: str, tz: ZoneInfo) -> bytes:
    """📄 The list at the door: who comes in alphabetical order (name, member number, a box to tick, and one
    for "paid" when the activity costs money), then empty rows for people who walk in. More pages when the
    list is long, numbered."""
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
    walk_ins = 6 + SHEET_TYPE * POINT * LEADING + ROW * (WALK_INS + 1)  # the gap, the heading and the table
    ordered = sorted(people, key=alphabetical)
    for index, person in enumerate(ordered):
        last = len(ordered) - index
        if last == KEEP and table.filled and sheet.get_y() + ROW * last + walk_ins > sheet.bottom:
            table.next_page()
        table.row(person.first_name or UNKNOWN, f"{person.member_no:04d}" if person.member_no else "")
    if sheet.get_y() + walk_ins > sheet.bottom:
        table.new_page()
    sheet.gap(6)
    sheet.paragraph(_("Came without signing up"), SHEET_TYPE, bold=True)
    table.header()
    while sheet.get_y() + ROW <= sheet.bottom:
        table.row("", "")
    return sheet.pdf()


class Table:
    """Rows of cells with lines round them; in a right-to-left language the first column is on the right.
    Every text fits its cell: shortened with …, a label in smaller type first."""

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
        self.filled = 0  # rows with a name on this page

    def header(self) -> None:
        sheet, y = self.sheet, self.sheet.get_y()
        sheet.set_fill_color(GREY)
        for (x, width), column in zip(self.cells, self.columns, strict=True):
            label, room = printable(column.label), width - 2 * sheet.c_margin
            size = HEADER_TYPE
            sheet.set_font(SANS, "B", size)
            while size > SMALLEST_TYPE and sheet.get_string_width(label) > room:
                size -= 0.5
                sheet.set_font(SANS, "B", size)
            self._cell(x, y, width, sheet.fitted(label, room), fill=True)
        sheet.set_xy(sheet.l_margin, y + ROW)

    def new_page(self) -> None:
        """A next page, with the title on top to know what list it belongs to."""
        self.sheet.add_page()
        self.sheet.one_line(self.title, SHEET_TYPE, bold=True)
        self.sheet.gap(3)
        self.filled = 0

    def next_page(self) -> None:
        self.new_page()
        self.header()

    def row(self, *texts: str) -> None:
        sheet, y = self.sheet, self.sheet.get_y()
        if y + ROW > sheet.bottom:
            self.next_page()
            y = sheet.get_y()
        sheet.set_font(SANS, "", SHEET_TYPE)
        for index, ((x, width), column) in enumerate(zip(self.cells, self.columns, strict=True)):
            text = texts[index] if index < len(texts) and not column.tick else ""
            self._cell(x, y, width, sheet.fitted(text, width - 2 * sheet.c_margin) if text else "")
            if column.tick:
                sheet.box(x + (width - ROW / 2) / 2, y + ROW / 4, ROW / 2)
        self.filled += any(texts)
        sheet.set_xy(sheet.l_margin, y + ROW)

    def _cell(self, x: float, y: float, width: float, text: str, *, fill: bool = False) -> None:
        self.sheet.set_line_width(0.3)
        self.sheet.set_xy(x, y)
        self.sheet.cell(width, ROW, text, border=1, fill=fill, align=self.sheet.start)


TITLE_LINES = 3  # at 40 pt; a longer title is shortened with …
SMALLEST_CODE = 40  # mm: a QR code on a poster, to scan from a step away
BIGGEST_CODE = 90  # mm
SQUEEZES = (1.0, 0.8, 0.6)  # the type of the facts when long ones leave too little room for the code


def poster(activity: Activity, languages: Sequence[str], link: str, tz: ZoneInfo) -> bytes:
    """🖼️ An A4 poster for the notice board: the title large, then day and time, place and price in Dutch and
    at most one more language, and a QR code of `link` that opens the activity in the bot. When long texts
    leave too little room for the code, the facts are set in smaller type."""
    shown = list(dict.fromkeys([i18n.DEFAULT_LANGUAGE, *languages]))
    if len(shown) > 2:
        raise ValueError(f"a poster has Dutch and at most one more language, not {shown}")
    for squeeze in SQUEEZES:
        sheet = Sheet(activity.title, i18n.DEFAULT_LANGUAGE, numbered=False)
        if poster_page(sheet, activity, shown, link, tz, squeeze):
            break
        sheet.discard()
    return sheet.pdf()


def poster_page(sheet: Sheet, activity: Activity, shown: list[str], link: str, tz: ZoneInfo, squeeze: float) -> bool:
    """The poster with the facts at `squeeze` times their size; False when the code would be too small (but
    at the last squeeze it is made in the room there is)."""
    title_size = next(
        (size for size in TITLE_SIZES if sheet.lines_needed(activity.title, size, bold=True) <= 2), TITLE_SIZES[-1]
    )
    sheet.gap(5)
    sheet.paragraph(activity.title, title_size, bold=True, align="C", lines=TITLE_LINES)
    sign_up, scan = [], []
    for number, language in enumerate(shown):
        sheet.gap(8 * squeeze)
        facts(sheet, activity, language, tz, (24 if number == 0 else 20) * squeeze, align="C")  # Dutch largest
        _ = i18n.translator(language)
        sign_up.append(_("Sign up:"))
        scan.append(_("Scan the code with the camera of your phone."))
    sheet.gap(10 * squeeze)
    for text in sign_up:
        sheet.paragraph(text, 28 * squeeze, bold=True, align="C")
    below = [(text, 14 * squeeze) for text in scan] + [(link, 11.0)]
    below_code = sum(sheet.lines_needed(text, size) * size * POINT * LEADING for text, size in below)
    side = min(BIGGEST_CODE, sheet.bottom - sheet.get_y() - below_code)
    if side < SMALLEST_CODE and squeeze != SQUEEZES[-1]:
        return False
    sheet.qr(link, (sheet.w - side) / 2, sheet.get_y(), side)
    sheet.set_y(sheet.get_y() + side)
    for text, size in below:
        sheet.paragraph(text, size, align="C")
    return True


def week_days(first_day: date, language: str) -> str:
    """Like "zaterdag 28 november – vrijdag 4 december": the 7 days from `first_day`."""
    last_day = first_day + timedelta(days=6)
    return f"{format_day(first_day, language, long=True)} – {format_day(last_day, language, long=True)}"


WEEK_FITS = 12  # activities on a page of a week programme, each with a QR code large enough to scan
CODE_ROW = 40  # mm: the most room an activity takes, when there are only a few


def week_programme(
    activities: Sequence[Activity],
    links: Sequence[str],
    language: str,
    tz: ZoneInfo,
    *,
    first_day: date,
) -> bytes:
    """📅 For the notice board: the activities of the 7 days from `first_day`, each with a small QR code of
    its link. All of them: when there are more than a page holds, the next page goes on, with the heading."""
    _ = i18n.translator(language)
    sheet = Sheet(_("Week programme"), language)
    shown = list(zip(activities, links, strict=True))
    pages = [shown[start : start + WEEK_FITS] for start in range(0, len(shown), WEEK_FITS)] or [[]]
    footer = 2 * 12 * POINT * LEADING + 4
    for number, on_page in enumerate(pages):
        if number:
            sheet.add_page()
        sheet.paragraph(_("Week programme"), 30, bold=True)
        sheet.paragraph(week_days(first_day, language), 16)
        sheet.gap(4)
        row = min(CODE_ROW, (sheet.bottom - footer - sheet.get_y()) / max(1, len(pages[0])))
        for activity, link in on_page:
            week_row(sheet, activity, link, language, tz, row)
        sheet.gap(2)
        sheet.paragraph(_("Scan a code with the camera of your phone to sign up."), 12)
    return sheet.pdf()


def week_row(sheet: Sheet, activity: Activity, link: str, language: str, tz: ZoneInfo, row: float) -> None:
    """One activity of a week programme, `row` mm high: its QR code at the start of the line, then the title,
    day and time, and place and price."""
    _ = i18n.translator(language)
    side = row - 2
    text_width = sheet.epw - side - 4
    top = sheet.get_y()
    sheet.rule(top)
    code_x = sheet.l_margin + sheet.epw - side if sheet.right_to_left else sheet.l_margin
    sheet.qr(link, code_x, top + 1, side)
    text_x = sheet.l_margin if sheet.right_to_left else sheet.l_margin + side + 4
    sheet.set_xy(text_x, top + max(1.0, (row - 17) / 2))
    sheet.one_line(activity.title, 15, bold=True, width=text_width)
    sheet.one_line(activity_text.when(activity, language, tz), 12, width=text_width)
    sheet.in_order([activity.place, activity_text.cost(_, activity, language)], 12, width=text_width)
    sheet.set_xy(sheet.l_margin, top + row)
