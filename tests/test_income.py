"""📊 The income overview for funders and the members' meeting (issue 15): recorded income, and what the bot
counts by itself, per month and per year, on screen, as CSV and as a one-page PDF."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pypdf
import pytest

from bot import payments
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, campaigns, income, rooms, shares
from storage.activities import Plan
from storage.income import Entry, Period
from tests.conftest import Clock
from tests.journeys import database, english, last_file, member_id, signed_up
from tests.test_rooms import a_room, asked

SHARE, PLEDGE, BOOKING, FEES, SUBSIDY = 2000, 2500, 2000, 600, 125_000  # cents, as set up below
TOTAL = SHARE + PLEDGE + BOOKING + FEES + SUBSIDY  # €1,321.00


async def organiser(local_bot: LocalBot) -> Person:
    return await signed_up(local_bot, "Olga", user_id=900, language="English")


async def recorded(olga: Person, source_label: str, amount: str, note: str | None = None) -> None:
    """➕ Record income through the bot: source, amount, Today, the note or ⏭️ Skip, ✅ Save."""
    await olga.press("income:menu")
    await olga.tap("➕ Record income")
    await olga.tap(source_label)
    await olga.send(amount)
    await olga.tap("📅 Today")
    if note is None:
        await olga.tap("⏭️ Skip")
    else:
        await olga.send(note)
    await olga.tap("✅ Save")


async def every_source(local_bot: LocalBot, clock: Clock, olga: Person) -> None:
    """One of each: a share and a pledge confirmed, a room booking confirmed, a paid activity two people came to,
    and a subsidy recorded by hand; all in November 2026."""
    db, now = database(local_bot), clock()
    olga_id = await member_id(local_bot, olga)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    ann_id, bert_id = await member_id(local_bot, ann), await member_id(local_bot, bert)
    request = shares.ask_to_buy(db, ann_id, 2, 1000, now, lambda n: payments.reference("S", n))
    assert shares.decide(db, request.id, shares.RECEIVED, olga_id, now).outcome is shares.Outcome.DONE
    plan = campaigns.Plan("Benches", "For the square.", 500_000, now + timedelta(days=14), False, None)
    campaign = campaigns.create(db, plan, olga_id, now)
    campaigns.pledge(db, campaign.id, bert_id, PLEDGE, False, now, lambda n: payments.reference("C", n))
    [pledge] = campaigns.pledges(db, campaign.id, 0).items
    campaigns.decide(db, pledge.id, campaigns.RECEIVED, olga_id, now)
    room = a_room(local_bot, notice_hours=0)
    booking = asked(local_bot, room, ann_id, datetime(2026, 11, 28, 13, 0, tzinfo=UTC))  # 2 hours at €10
    rooms.confirm(db, booking.id, olga_id, now)
    starts = now - timedelta(hours=3)
    plan_ = Plan("Cooking", "Together.", starts, starts + timedelta(hours=2), "Hall", None, 300, None)
    [held] = activities.create(db, plan_, created_by=olga_id, now=now - timedelta(days=2))
    with db.transaction() as conn:  # Ann and Bert came and paid €3 each
        conn.executemany("INSERT INTO attendance VALUES (?, ?)", [(held.id, ann_id), (held.id, bert_id)])
    subsidy = Entry(income.SUBSIDY, SUBSIDY, date(2026, 11, 27), "Gemeente <b>wijkbudget</b>")
    income.record(db, subsidy, olga_id, now)


async def test_recording_income_refuses_bad_input_and_keeps_the_answers(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.press("income:menu")
    await olga.tap("➕ Record income")
    await olga.tap("💰 Fund")
    for bad in (" ", "-5", "<b>12</b>", "0", "€ 12,3,4"):
        await olga.send(bad)
        assert "How much came in?" in olga.last_text, bad
    await olga.send("1e9")
    assert olga.last_text.startswith("Please type an amount in euros, like 1250 or 1.250,00.")
    await olga.send("2000000")
    assert olga.last_text.startswith("Please type an amount of at most 1,000,000 euros.")
    await olga.send("٣٠٠")  # Arabic digits: 300 euros
    assert "On what day" in olga.last_text
    await olga.send("1-12")  # tomorrow is 28 November; 1 December is still to come: last year's then
    assert "Is this right?" not in olga.last_text and "Add a short note" in olga.last_text
    await olga.tap("⬅️ Back")
    await olga.send("12-12-2026")
    assert olga.last_text.startswith("That day is still to come.")
    await olga.send("20-11")
    await olga.send("<script>alert(1)</script> Oranje Fonds")
    shown = olga.last_text  # escaped: the emulator reads HTML as Telegram does, so the tags show as typed
    assert "📝 <script>alert(1)</script> Oranje Fonds" in shown and "€300.00" in shown and "20 November 2026" in shown
    await olga.tap("✅ Save")
    [saved] = income.recorded(database(local_bot), 0).items
    assert saved.entry == Entry(income.FUND, 30_000, date(2026, 11, 20), "<script>alert(1)</script> Oranje Fonds")


async def test_the_overview_adds_up_its_sources_for_a_month_and_a_year(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    await every_source(local_bot, clock, olga)
    await olga.press("income:menu")
    await olga.tap("📅 This month")
    screen = olga.last_text
    for line in (
        "💶 Shares: €20.00",
        "🎯 Crowdfunding: €25.00",
        "🚪 Room bookings: €20.00",
        "🎟️ Paid activities: €6.00",
        "🏛️ Subsidy: €1,250.00",
        "Total: €1,321.00",
        "Shares issued: 2",
        "Benches: €25.00 received, goal €5,000.00",
        "Activities held: 1",
        "Different participants: 2",
    ):
        assert line in screen, line
    figures = await income.overview(database(local_bot), november(local_bot), clock())
    assert figures.total_cents == TOTAL == sum(figures.income.values())

    await olga.tap("◀️")  # October: nothing came in
    assert "No income in this period." in olga.last_text and "Total: €0.00" in olga.last_text
    await olga.tap("⬅️ Back")
    await olga.tap("📆 This year")
    assert "Overview 2026" in olga.last_text and "Total: €1,321.00" in olga.last_text
    await olga.tap("◀️")
    assert "Overview 2025" in olga.last_text and "Total: €0.00" in olga.last_text


async def test_a_removed_income_no_longer_counts_and_both_are_logged(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await recorded(olga, "🤝 Contributions", "40")
    await recorded(olga, "➕ Other income", "15,50", "Koffiepot")
    await olga.press("income:menu")
    await olga.tap("📋 Recorded income")
    await olga.tap(next(label for label in olga.inline_labels if "€15.50" in label))
    await olga.tap("✖️ Remove")
    assert "Remove this income?" in olga.last_text
    await olga.tap("✖️ Yes, remove")
    assert olga.toasts == ["Removed."]
    [left] = income.recorded(database(local_bot), 0).items
    assert left.entry.amount_cents == 4000
    db = database(local_bot)
    olga_id = await member_id(local_bot, olga)
    logged = db.fetchall("SELECT action FROM audit_log WHERE actor_id = ? AND action LIKE 'income%'", (olga_id,))
    assert [row[0] for row in logged] == ["income_recorded", "income_recorded", "income_removed"]
    removed = [row for row in db.fetchall("SELECT * FROM income") if row["removed_at"]]
    await olga.press(f"income:removeok:{removed[0]['id']}:0")  # a double tap: nothing more happens
    assert olga.toasts[-1] == "This was already so."
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'income_removed'")[0] == 1


async def test_the_file_has_the_sources_and_their_total_as_the_organiser_writes_numbers(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    await every_source(local_bot, clock, olga)
    await olga.press("income:month:202611")
    await olga.tap("📄 As a file")
    document, content = last_file(local_bot, olga)
    assert document["file_name"] == "income-overview-202611.csv"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    amounts = {row[0]: row[1] for row in rows[3:13]}
    assert amounts["Shares"] == "20.00" and amounts["Subsidy"] == "1,250.00" and amounts["Fund"] == "0.00"
    cents = [round(float(value.replace(",", "")) * 100) for value in amounts.values()]
    assert ["Total", "1,321.00"] in rows and sum(cents) == TOTAL
    assert ["Fri, 27 Nov 2026", "Subsidy", "1,250.00", "Gemeente <b>wijkbudget</b>"] in rows
    assert "Here is your file." in olga.last_text and "⬅️ Back" in olga.inline_labels


@pytest.mark.settings(WIJKBOT_DEFAULT_LANGUAGE="nl")
async def test_the_pdf_is_one_page_with_the_totals_in_the_organisers_language(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900, language="Nederlands")
    await olga.press("income:menu")
    await olga.press("income:yearpdf:2026")  # nothing yet: a page that says so
    _document, empty = last_file(local_bot, olga)
    assert "€ 0,00" in pypdf.PdfReader(io.BytesIO(empty)).pages[0].extract_text()
    await every_source(local_bot, clock, olga)
    await olga.press("income:monthpdf:202611")
    document, content = last_file(local_bot, olga)
    assert document["file_name"].endswith("-202611.pdf")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "€ 1.321,00" in text and "€ 1.250,00" in text and "€ 25,00" in text
    assert any(image for image in reader.pages[0].images)  # the bar chart


async def test_members_and_forged_buttons_are_refused(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    for data in ("income:menu", "income:month:202611", "income:yearpdf:2026", "income:new", "income:removeok:1:0"):
        await ann.press(data)
        assert "Only organisers can do this." in said(ann), data
    assert database(local_bot).fetchone("SELECT count(*) FROM income")[0] == 0
    for forged in ("income:source:gift", "income:month:209913", "income:year:1999", "income:entry:99:0"):
        await olga.press(forged)
        assert "no longer works" in said(olga), forged


def said(person: Person) -> str:
    """Everything the bot answered to the last action: messages and pop-ups."""
    return " ".join(event.text or "" for event in person.replies)


def november(local_bot: LocalBot) -> Period:
    tz = runtime_of(local_bot.application).settings.timezone
    first, following = date(2026, 11, 1), date(2026, 12, 1)
    return Period(
        first,
        following,
        datetime.combine(first, datetime.min.time(), tz).astimezone(UTC),
        datetime.combine(following, datetime.min.time(), tz).astimezone(UTC),
    )


async def test_money_paid_back_for_a_lapsed_purchase_counts_when_it_went_out(local_bot: LocalBot, clock: Clock) -> None:
    """The instalment that came stays share income in November; paid back in December, it is money out then."""
    olga = await organiser(local_bot)
    await every_source(local_bot, clock, olga)
    db, olga_id = database(local_bot), await member_id(local_bot, olga)
    cees_id = await member_id(local_bot, await english(local_bot, "Cees", 3))
    split = shares.Split(2, runtime_of(local_bot.application).settings.timezone, lambda n: payments.reference("I", n))
    request = shares.ask_to_buy(db, cees_id, 5, 1000, clock(), lambda n: payments.reference("S", n), split)
    first, second = shares.instalments_of(db, request.id)
    assert shares.decide_instalment(db, first.id, shares.RECEIVED, olga_id, clock()).outcome is shares.Outcome.DONE
    shares.decide_instalment(db, second.id, shares.LAPSED, olga_id, clock())
    clock.advance(days=5)  # 2 December
    assert shares.pay_back(db, request.id, 2500, olga_id, clock()).outcome is shares.Outcome.DONE

    before = await income.overview(db, november(local_bot), clock())
    after = await income.overview(db, december(), clock())
    assert (before.income[income.SHARES], before.refunded_cents) == (SHARE + 2500, 0)
    assert before.total_cents == TOTAL + 2500 == sum(before.income.values())
    assert (after.income[income.SHARES], after.refunded_cents, after.total_cents) == (0, 2500, 0)
    await olga.press("income:month:202612")
    assert "Paid back for requests that lapsed: €25.00" in olga.last_text and "Total: €0.00" in olga.last_text
    await olga.tap("📄 As a file")
    _document, content = last_file(local_bot, olga)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert ["Paid back for requests that lapsed", "25.00"] in rows and ["Total", "0.00"] in rows


def december() -> Period:
    first, following = date(2026, 12, 1), date(2027, 1, 1)
    return Period(first, following, datetime(2026, 11, 30, 23, tzinfo=UTC), datetime(2026, 12, 31, 23, tzinfo=UTC))
