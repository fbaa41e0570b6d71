"""📄 The sign-in list, 🖼️ the poster and 📅 the week programme: PDFs that open, carry the title and the names in
any script, and QR codes that a phone reads as the right link; sent to organisers only."""

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pypdfium2  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium  # type: ignore[import-untyped]
import pytest
import zxingcpp

from bot import i18n, paper
from bot.telegram_emulation.local_bot import LocalBot, Person
from handlers.activities import link
from storage import activities
from storage.activities import Activity
from tests.conftest import Clock
from tests.journeys import database, english, last_file, planned_activity

TZ = ZoneInfo("Europe/Amsterdam")
SATURDAY = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)  # 14:00 in Amsterdam
LINK = "https://t.me/wijkbot_demo_bot?start=act_7"
ARABIC, POLISH = "ليلى", "Łucja Żak"
SAFE = 10 * 72 / 25.4  # points: nothing is printed closer to the edge of the paper (10 mm)


def an_activity(title: str = "Samen koken", *, cost_cents: int = 0, id: int = 7) -> Activity:
    return Activity(
        title=title,
        description="Iedereen is welkom.",
        starts_at=SATURDAY,
        ends_at=SATURDAY + timedelta(hours=2),
        place="Buurthuis",
        capacity=None,
        cost_cents=cost_cents,
        bring=None,
        id=id,
        cancelled=False,
        created_by=None,
    )


def people(*names: str) -> list[activities.Person]:
    return [activities.Person(number, name, number, activities.GOING) for number, name in enumerate(names, start=1)]


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pieces(data: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """Each piece of text on a page with its size in points and how far from the left it starts."""
    found: list[tuple[str, float, float]] = []

    def seen(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            found.append((text.strip(), size * tm[3] * cm[3], tm[4] * cm[0] + cm[4]))

    pypdf.PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=seen)
    return found


def texts_that_leave_their_cell(data: bytes, page: int = 0) -> list[tuple[float, float]]:
    """Pieces of text that start in a cell of a table and end outside it: printed over the next cell, or off
    the page."""
    found = pypdfium2.PdfDocument(data)[page]
    cells = [shape.get_bounds() for shape in found.get_objects(filter=(pdfium.FPDF_PAGEOBJ_PATH,))]

    def cell_at(x: float, y: float) -> object:
        return next((cell for cell in cells if cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]), None)

    leaving = []
    for text in found.get_objects(filter=(pdfium.FPDF_PAGEOBJ_TEXT,)):
        left, low, right, high = text.get_bounds()
        ends = cell_at(left, (low + high) / 2), cell_at(right, (low + high) / 2)
        if any(ends) and ends[0] != ends[1]:
            leaving.append((left, right))
    return leaving


def ink_box(data: bytes, page: int = 0) -> tuple[float, float, float, float]:
    """Where something is printed on a page: left, top, right, bottom in points from the top left corner."""
    image = pypdfium2.PdfDocument(data)[page].render(scale=1, grayscale=True).to_pil()
    box = image.point(lambda value: 255 if value < 200 else 0).getbbox()
    assert box is not None
    return box[0], box[1], image.width - box[2], image.height - box[3]


def codes_in(data: bytes, page: int = 0) -> list[str]:
    """What a phone reads in the QR codes of a page, printed at 216 dpi."""
    image = pypdfium2.PdfDocument(data)[page].render(scale=3).to_pil()
    return sorted(code.text for code in zxingcpp.read_barcodes(image))


def test_the_sign_in_sheet_has_the_activity_and_every_name_in_its_script() -> None:
    # An Arabic name first: after it, fpdf2 on its own would draw the next Latin letters with the Arabic font.
    data = paper.sign_in_sheet(an_activity(), people(ARABIC, POLISH, "Ann", "Олена Їжак"), "en", TZ)
    text = text_of(data)
    assert data.startswith(b"%PDF")
    for expected in ("Samen koken", "Saturday 5 December, 14:00–16:00", "Place: Buurthuis", "Price: Free"):
        assert expected in text
    for number, name in enumerate((ARABIC, POLISH, "Ann", "Олена Їжак"), start=1):
        assert name in text and f"{number:04d}" in text
    assert "First name" in text and "Here" in text
    assert "Paid" not in text  # free: nobody pays
    assert "Came without signing up" in text  # then empty rows for walk-ins


def test_a_sheet_for_an_activity_that_costs_money_has_a_paid_column_and_goes_on_over_numbered_pages() -> None:
    many = [f"Buur {number:02d}" for number in range(1, 32)]
    data = paper.sign_in_sheet(an_activity(cost_cents=250), people(*many), "en", TZ)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 3
    assert "Price: €2.50" in pages[0]
    assert [page.split()[-1] for page in pages] == ["1/3", "2/3", "3/3"]  # at the foot of each page
    assert pages[1].startswith("Samen koken")  # a next page says what list it is
    assert "Paid" in pages[1] and "Buur 28" in pages[1]
    # The walk-ins do not fit under the names on page 2, but they are not alone on page 3: the last names go too.
    assert "Buur 29" in pages[2] and "Buur 31" in pages[2] and "Came without signing up" in pages[2]
    assert "Came without signing up" not in pages[1]


def test_a_short_list_has_room_for_walk_ins_on_its_one_page() -> None:
    data = paper.sign_in_sheet(an_activity(), people(*(f"Buur {number:02d}" for number in range(1, 11))), "en", TZ)
    [page] = pypdf.PdfReader(io.BytesIO(data)).pages
    assert "Buur 10" in page.extract_text() and "Came without signing up" in page.extract_text()
    assert "1/1" not in page.extract_text()


def test_names_are_in_alphabetical_order_whatever_their_capitals_and_accents() -> None:
    data = paper.sign_in_sheet(an_activity(), people("eva", "Émile", "Bob", "ed", "Ann", "Zoë", "zack"), "en", TZ)
    names = [text for text, _size, _x in pieces(data) if text in {"eva", "Émile", "Bob", "ed", "Ann", "Zoë", "zack"}]
    assert names == ["Ann", "Bob", "ed", "Émile", "eva", "zack", "Zoë"]


def test_long_names_and_headers_fit_their_cells() -> None:
    long = people("Anna-Maria Josefina Wilhelmina de Vries", "W" * 64, "Олександра-Вікторія Костянтинівна")
    for language in ("en", "uk", "ar"):
        data = paper.sign_in_sheet(an_activity(cost_cents=100), long, language, TZ)
        assert texts_that_leave_their_cell(data) == []
        assert min(ink_box(data)) >= SAFE
    text = text_of(paper.sign_in_sheet(an_activity(), long, "uk", TZ))
    assert "Присутність" in text  # in smaller type, but whole
    assert "Anna-Maria Josefina" in text and "…" in text and "W" * 64 not in text


def test_a_name_in_a_script_no_font_has_is_not_blank() -> None:
    data = paper.sign_in_sheet(an_activity(), people("ተስፋይ", "王小明", "😀😀", "Ann 😀"), "en", TZ)
    cells = [text for text, _size, _x in pieces(data)]
    assert cells[cells.index("First name") + 3 :][:8] == ["Ann", "0004", "?", "0001", "?", "0002", "?", "0003"]
    assert paper.printable("Abeba ተስፋይ") == "Abeba ?"


def test_in_arabic_the_table_reads_from_the_right() -> None:
    def left_of(data: bytes, text: str) -> float:
        return next(x for piece, _size, x in pieces(data) if piece == text)

    english, arabic = (paper.sign_in_sheet(an_activity(), people("Ann"), language, TZ) for language in ("en", "ar"))
    assert left_of(english, "Ann") < left_of(english, "0001")
    assert left_of(arabic, "Ann") > left_of(arabic, "0001")


def test_the_poster_has_a_title_to_read_from_two_metres_and_a_code_that_opens_the_activity() -> None:
    data = paper.poster(an_activity("Samen koken voor de hele buurt, met muziek"), ["nl", "en"], LINK, TZ)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    title = [
        size
        for text, size, _x in pieces(data)
        if len(text) > 5 and text in "Samen koken voor de hele buurt, met muziek"
    ]
    assert len(title) == 2 and min(title) >= 40  # on two lines
    text = text_of(data)
    nl, en = i18n.translator("nl"), i18n.translator("en")
    assert "zaterdag 5 december, 14:00–16:00" in text and "Saturday 5 December, 14:00–16:00" in text
    assert nl("Sign up:") in text and en("Sign up:") in text
    assert nl("Price: {price}").format(price=nl("Free")) in text
    assert codes_in(data) == [LINK]


@pytest.mark.parametrize("language", ["en", "uk", "ar"])
def test_the_longest_title_and_place_still_leave_room_for_the_code(language: str) -> None:
    # The widest letter at the longest lengths bot/validation.py allows: the title is shortened, the facts
    # are set smaller, the code keeps its place on the page.
    activity = replace(an_activity("W" * 80, cost_cents=150), place="W" * 100)
    data = paper.poster(activity, [language], LINK, TZ)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    title = pieces(data)[:3]  # on three lines, the last one shortened
    assert min(size for _text, size, _x in title) >= 40 and title[-1][0].endswith("…")
    assert min(ink_box(data)) >= SAFE
    assert codes_in(data) == [LINK]


def test_an_arabic_place_ending_in_a_number_stays_whole_in_the_dutch_lines() -> None:
    data = paper.poster(replace(an_activity(), place="مركز الحي 1"), ["nl"], LINK, TZ)
    line = [text for text, size, _x in pieces(data) if size == 24][1:5]
    # From left to right: the label, then the place as Arabic reads it: its number at its (left) end.
    assert line == ["Plaats:", "1", "الحي", "مركز"]


def test_a_poster_has_dutch_and_at_most_one_more_language() -> None:
    dutch_only = text_of(paper.poster(an_activity(), ["nl"], LINK, TZ))
    assert "zaterdag 5 december" in dutch_only and "Saturday" not in dutch_only
    with pytest.raises(ValueError, match="at most one more language"):
        paper.poster(an_activity(), ["en", "tr"], LINK, TZ)


def test_letters_no_font_has_are_left_out_not_shown_as_empty_boxes() -> None:
    # An emoji is left out; the isolation marks of chat messages (bot/i18n.py) too: on paper they would break
    # an Arabic line apart.
    assert paper.printable(f"Samen koken 🍲🥕 met {i18n.FSI}{ARABIC}{i18n.PDI} en {POLISH}") == (
        f"Samen koken met {ARABIC} en {POLISH}"
    )
    assert "Samen koken" in text_of(paper.poster(an_activity("Samen koken 🍲"), ["ar"], LINK, TZ))


def test_the_week_programme_is_one_page_with_a_code_for_each_activity() -> None:
    week = [an_activity(f"Activiteit {number}", id=number) for number in range(1, 4)]
    links = [f"https://t.me/wijkbot_demo_bot?start=act_{number}" for number in range(1, 4)]
    data = paper.week_programme(week, links, "en", TZ, first_day=date(2026, 11, 28))
    text = text_of(data)
    assert "Saturday 28 November – Friday 4 December" in text
    assert all(f"Activiteit {number}" in text for number in range(1, 4))
    assert "more activities" not in text
    assert codes_in(data) == sorted(links)


def test_a_busy_week_goes_on_over_a_second_page_with_every_activity() -> None:
    week = [an_activity(f"Activiteit {number}", id=number) for number in range(1, 25)]
    links = [f"https://t.me/wijkbot_demo_bot?start=act_{number}" for number in range(1, 25)]
    data = paper.week_programme(week, links, "en", TZ, first_day=date(2026, 11, 28))
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert page.startswith("Week programme\nSaturday 28 November – Friday 4 December")
        assert page.endswith(f"{number}/2")
    assert all(f"Activiteit {number}\n" in "\n".join(pages) for number in range(1, 25))
    assert codes_in(data, 0) + codes_in(data, 1) == sorted(links[:12]) + sorted(links[12:])


def test_place_and_price_keep_the_order_of_the_readers_language() -> None:
    def x_of(data: bytes, text: str) -> float:
        return next(x for piece, _size, x in pieces(data) if piece.startswith(text))

    week = [replace(an_activity(), place="مركز الحي"), replace(an_activity(cost_cents=150), place="Buurthuis")]
    english, arabic = (
        paper.week_programme(week, [LINK, LINK], language, TZ, first_day=date(2026, 11, 28))
        for language in ("en", "ar")
    )
    assert x_of(english, "الحي") < x_of(english, "Free")  # place first, from the left
    assert x_of(english, "Buurthuis") < x_of(english, "€1.50")
    assert x_of(arabic, "Buurthuis") > x_of(arabic, "1.50")  # place first, from the right
    assert x_of(arabic, "الحي") > x_of(arabic, "مجاني")


# Through the bot: Olga (an organiser) reads English, so the tests do not wait for new translations.


async def organiser_at_the_card(local_bot: LocalBot) -> tuple[Person, Activity]:
    """Olga at the card of her activity with two places: Ann (Arabic name) and Łucja come, Bob waits."""
    olga = await english(local_bot, "Olga", user_id=900)
    activity = await planned_activity(local_bot, "Samen koken", capacity=2, created_by=olga)
    for user_id, name in enumerate((ARABIC, POLISH, "Bob"), start=1):
        person = await english(local_bot, name, user_id=user_id)
        await person.press(f"act:yes:{activity.id}")
    await olga.tap("📣 Organise")
    await olga.tap("🗂️ Activities")
    await olga.tap(olga.inline_labels[0])
    return olga, activity


def got_a_file_and_a_way_on(local_bot: LocalBot, person: Person, name: str) -> bytes:
    document, data = last_file(local_bot, person)
    assert document["file_name"] == name
    assert person.last_text == "Here is your file."
    assert person.inline_labels == ["⬅️ Back", "🏠 Menu"]
    return data


async def test_an_organiser_prints_the_sign_in_list_of_an_activity(local_bot: LocalBot) -> None:
    olga, activity = await organiser_at_the_card(local_bot)
    await olga.tap("📄 List")
    text = text_of(got_a_file_and_a_way_on(local_bot, olga, f"sign-in-list-{activity.id}.pdf"))
    assert "Samen koken" in text and ARABIC in text and POLISH in text
    assert "Bob" not in text  # he waits: if he comes, he is a walk-in
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("📅 Samen koken")


async def test_an_organiser_makes_a_poster_in_dutch_and_a_second_language(local_bot: LocalBot) -> None:
    olga, activity = await organiser_at_the_card(local_bot)
    await olga.tap("🖼️ Poster")
    assert olga.last_text == "🖼️ Which language do you want on the poster, next to Dutch?"
    # Her own language first; Dutch alone is a choice too.
    assert olga.inline_labels == [
        "English",
        "Only Dutch",
        "Türkçe",
        "العربية",
        "Polski",
        "Українська",
        "⬅️ Back",
        "🏠 Menu",
    ]
    await olga.tap("Polski")
    data = got_a_file_and_a_way_on(local_bot, olga, f"poster-{activity.id}.pdf")
    assert "Samen koken" in text_of(data)
    assert codes_in(data) == [link(local_bot.application.bot.username, activity.id)]


async def test_the_week_programme_has_the_7_days_from_tomorrow(local_bot: LocalBot, clock: Clock) -> None:
    olga = await english(local_bot, "Olga", user_id=900)
    await olga.tap("📣 Organise")
    await olga.tap("📅 Week programme")
    assert olga.last_text == "📅 Nothing is planned for the next 7 days."
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]

    # It is Friday 27 November, 10:00: the week is Saturday 28 November 00:00 until Saturday 5 December 00:00.
    later_today = await planned_activity(local_bot, "Vandaag", starts_in=timedelta(hours=3))
    at_midnight = await planned_activity(local_bot, "Om middernacht", starts_in=timedelta(hours=14))
    on_friday = await planned_activity(local_bot, "Vrijdag", starts_in=timedelta(days=6, hours=12))
    cancelled = await planned_activity(local_bot, "Afgezegd", starts_in=timedelta(days=2))
    activities.cancel(database(local_bot), cancelled.id, now=clock.now)
    too_late = await planned_activity(local_bot, "Te laat", starts_in=timedelta(hours=14, days=7))
    await olga.tap("⬅️ Back")
    await olga.tap("📅 Week programme")
    data = got_a_file_and_a_way_on(local_bot, olga, "week-programme-20261128.pdf")
    text = text_of(data)
    assert "Om middernacht" in text and "Vrijdag" in text
    assert not [activity.title for activity in (later_today, cancelled, too_late) if activity.title in text]
    username = local_bot.application.bot.username
    assert codes_in(data) == sorted(link(username, activity.id) for activity in (at_midnight, on_friday))


async def test_a_busy_week_has_every_activity_on_paper(local_bot: LocalBot) -> None:
    olga = await english(local_bot, "Olga", user_id=900)
    for number in range(1, 17):  # more than the bot's list shows in three pages of 5
        await planned_activity(local_bot, f"Activiteit {number}", starts_in=timedelta(days=1, hours=number))
    await olga.tap("📣 Organise")
    await olga.tap("📅 Week programme")
    data = got_a_file_and_a_way_on(local_bot, olga, "week-programme-20261128.pdf")
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 2
    assert all(f"Activiteit {number}\n" in text_of(data) for number in range(1, 17))


async def test_paper_is_for_organisers_and_old_buttons_are_answered_kindly(local_bot: LocalBot, clock: Clock) -> None:
    olga, activity = await organiser_at_the_card(local_bot)
    ann = await english(local_bot, "Ann", user_id=5)
    for data in (f"paper:list:{activity.id}", f"paper:poster:{activity.id}", f"paper:make:{activity.id}:en"):
        await ann.press(data)
        assert ann.toasts == ["Only organisers can do this."]
    await ann.press("paper:week")
    assert ann.toasts == ["Only organisers can do this."]
    assert not [event for event in ann.replies if event.kind == "document"]

    for data in ("paper:list:999", f"paper:make:{activity.id}:de", "paper:poster:x"):
        await olga.press(data)
        assert olga.toasts == ["This button no longer works."]
    activities.cancel(database(local_bot), activity.id, now=clock.now)
    for data in (f"paper:list:{activity.id}", f"paper:make:{activity.id}:en"):
        await olga.press(data)
        assert olga.toasts == ["This button no longer works."]
        assert not [event for event in olga.replies if event.kind == "document"]


async def test_no_poster_for_an_activity_that_has_started(local_bot: LocalBot, clock: Clock) -> None:
    olga, activity = await organiser_at_the_card(local_bot)
    clock.now = activity.starts_at + timedelta(minutes=1)
    await olga.press(f"org:act:{activity.id}")
    assert "🖼️ Poster" not in olga.inline_labels and "📄 List" in olga.inline_labels
    await olga.press(f"paper:poster:{activity.id}")
    assert olga.toasts == ["This button no longer works."]
