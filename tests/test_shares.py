"""💶 Member shares: a member asks, pays by bank transfer with the reference, organisers confirm (issue 15)."""

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image

from bot import payments
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import income, members, shares
from storage.shares import LAPSED, PENDING, RECEIVED
from tests.journeys import catch_up, database, english, last_file, member_id, signed_up, stored

IBAN, NAME = "NL91ABNA0417164300", "Wijkcoöperatie De Hoogte"
WITH_ACCOUNT = pytest.mark.settings(WIJKBOT_IBAN="NL91 ABNA 0417 1643 00", WIJKBOT_IBAN_NAME=NAME)


async def organiser(local_bot: LocalBot) -> Person:
    return await signed_up(local_bot, "Olga", user_id=900, language="English")


async def to_shares(person: Person) -> None:
    await person.send("/menu")
    await person.tap("🙌 Take part")
    await person.tap("💶 Shares")


def requests_of(local_bot: LocalBot, member: int) -> list[shares.Request]:
    return list(reversed(shares.of_member(database(local_bot), member, 0).items))


def grouped(request: shares.Request) -> str:
    """The request's reference as the member reads it: "RF12 SH00 0001"."""
    assert request.reference is not None
    return payments.grouped(request.reference)


def qr_lines(local_bot: LocalBot, person: Person) -> list[str]:
    """The text in the QR code the person just got as a photo."""
    [photo] = [event.message["photo"][-1]["file_id"] for event in person.replies if event.kind == "photo"]
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(local_bot.emulator.photos[photo])))
    return found.text.split("\n")


def decided(local_bot: LocalBot, request: shares.Request, status: str, by: int) -> None:
    """An organiser's decision, as their tap stores it (storage/shares.py decide)."""
    now = runtime_of(local_bot.application).clock()
    assert shares.decide(database(local_bot), request.id, status, by, now).outcome is shares.Outcome.DONE


@WITH_ACCOUNT
async def test_a_member_asks_for_shares_pays_and_sees_them_after_an_organiser_confirms(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await to_shares(ann)
    assert "One share costs €10.00." in ann.last_text
    await ann.tap("2")
    assert "You buy 2 shares of €10.00.\nThat is €20.00 in all." in ann.last_text
    await ann.tap("💶 Pay at once")

    [request] = requests_of(local_bot, await member_id(local_bot, ann))
    assert request.status == PENDING and request.amount_cents == 2000
    instructions = ann.texts[0]
    assert "IBAN: NL91 ABNA 0417 1643 00" in instructions and f"Account holder: {NAME}" in instructions
    assert "Amount: €20.00" in instructions and f"Reference: {grouped(request)}" in instructions
    assert "Put the reference in the description." in instructions
    lines = qr_lines(local_bot, ann)
    assert (lines[5], lines[6], lines[7], lines[9]) == (NAME, IBAN, "EUR20.00", request.reference)
    assert {"⬅️ Back", "🏠 Menu"} <= set(ann.inline_labels)  # under the QR code
    await ann.tap("⬅️ Back")  # a photo has no text to replace: the step comes as a new message
    assert "One share costs €10.00." in ann.last_text

    await olga.press("shareorg:menu")
    await olga.tap("⏳ Waiting: 1")
    await olga.tap(next(label for label in olga.inline_labels if label.startswith("💶")))
    assert "Ann" in olga.last_text and grouped(request) in olga.last_text
    card = olga.last_message
    await olga.tap("✅ Received")
    assert olga.toasts == ["✅ Received. The member gets a thank-you."]
    assert olga.last_text.endswith("\n✅ Received on Friday, 27 November 2026.") and "already" not in olga.last_text
    await olga.tap_on(card, "✅ Received")  # a double tap hears what it did, not "already"
    assert olga.toasts == ["✅ Received. The member gets a thank-you."]
    ann.look()
    assert ann.last_text == "✅ We received your payment of €20.00 for 2 shares. Thank you!\nYou now have 2 shares."

    await olga.tap("⬅️ Back")
    assert "Nothing waits." in olga.last_text
    await olga.press("shareorg:reg")
    number = (await stored(local_bot, ann)).member_no
    assert f"Ann (member {number:04d}) · 2 shares · since Fri, 27 Nov 2026 · €20.00" in olga.last_text
    assert "Total: 2 shares, €20.00" in olga.last_text
    await olga.tap("📄 As a file")
    document, content = last_file(local_bot, olga)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Number", "First name", "Shares", "Since", "Amount paid"]
    assert rows[1] == [f"member {number:04d}", "Ann", "2", "2026-11-27", "20.00"]
    assert rows[-1] == ["Total", "", "2", "", "20.00"]
    assert document["file_name"] == "share-register-2026-11-27.csv"
    db = database(local_bot)
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_received'")[0] == 1

    await to_shares(ann)  # one more, paid later: its reference stays at hand
    await ann.tap("1")
    await ann.tap("💶 Pay at once")
    waiting = requests_of(local_bot, await member_id(local_bot, ann))[-1]
    await ann.tap("👤 My details")
    assert "💶 You now have 2 shares. 1 request waits." in ann.last_text
    await ann.tap("💶 My shares")
    assert f"€10.00 · {grouped(waiting)} · waiting for payment" in ann.last_text
    assert "€20.00 · paid" in ann.last_text
    await ann.tap(f"💶 Pay {grouped(waiting)}")
    assert qr_lines(local_bot, ann)[9] == waiting.reference

    await ann.send("/menu")
    await ann.tap("👤 My details")
    await ann.tap("📦 Download")
    text_file = [e for e in ann.replies if e.kind == "document"][0].message["document"]["file_id"]
    readable = local_bot.emulator.documents[text_file].decode("utf-8-sig")
    assert "Your shares and payments" in readable and f"Reference: {grouped(waiting)}" in readable
    assert "€20.00" in readable  # money as the member's language writes it
    assert "payment for shares received" in readable
    _document, for_computers = last_file(local_bot, ann)
    kept = json.loads(for_computers)["shares"]
    assert [(r["shares"], r["amount_cents"], r["status"]) for r in kept] == [(2, 2000, RECEIVED), (1, 1000, PENDING)]


@WITH_ACCOUNT
async def test_two_organisers_confirming_the_same_payment_at_once_count_it_once(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    bert = await english(local_bot, "Bert", 3)
    db = database(local_bot)
    members.set_organiser(db, await member_id(local_bot, bert), True, actor_id=1, now=clock())
    ann = await english(local_bot, "Ann", 1)
    request = await bought_at_once(local_bot, ann, "5")

    await asyncio.gather(olga.press(f"shareorg:got:{request.id}:0"), bert.press(f"shareorg:got:{request.id}:0"))

    assert shares.get(db, request.id).status == RECEIVED
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_received'")[0] == 1
    assert shares.holding(db, request.member_id).shares == 5
    toasts = olga.toasts + bert.toasts
    assert sorted(toasts) == [
        "This payment is already marked as received.",
        "✅ Received. The member gets a thank-you.",
    ]
    ann.look()
    assert sum(text.startswith("✅ We received your payment") for text in ann.texts) == 1


@WITH_ACCOUNT
async def test_a_typed_number_and_a_double_tap_ask_once(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    await to_shares(ann)
    await ann.tap("✍️ Another number")
    for wrong in ("many", "0", "101"):
        await ann.send(wrong)
        assert "Please type a number from 1 to 100." in ann.last_text
    await ann.send("٣")  # Arabic digits
    assert "That is €30.00 in all." in ann.last_text
    screen = ann.last_message
    await ann.tap("💶 Pay at once")
    await ann.press("share:ask:3", screen["message_id"])  # the same tap again
    asked = requests_of(local_bot, await member_id(local_bot, ann))
    assert [(r.shares, r.status) for r in asked] == [(3, PENDING)]
    codes = [event for event in ann.chat.events if event.kind == "photo"]
    assert len(codes) == 1, "the second tap sends no second QR code"
    await ann.press("share:ask:3", codes[0].message["message_id"])  # forged under the QR photo: no text to edit
    assert any("Please transfer €30.00 for 3 shares." in text for text in ann.texts)  # the details, below it
    assert len(requests_of(local_bot, await member_id(local_bot, ann))) == 1


@WITH_ACCOUNT
async def test_a_payment_that_did_not_come_lapses_after_asking_once(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    request = await bought_at_once(local_bot, ann, "1")

    await olga.press(f"shareorg:card:{request.id}:0")
    await olga.tap("✖️ Lapsed")
    assert "No payment came? Then the request lapses." in olga.last_text
    assert shares.get(database(local_bot), request.id).status == PENDING  # asked first
    await olga.tap("✖️ Yes, it lapses")
    assert shares.get(database(local_bot), request.id).status == LAPSED
    ann.look()
    assert ann.last_text.startswith("Your request for 1 share has lapsed. We did not get the payment.")

    await olga.press(f"shareorg:lapseok:{request.id}:0")  # a double tap
    assert olga.toasts[-1] == "Lapsed. The member gets a message."  # what the first tap did
    assert database(local_bot).fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_lapsed'")[0] == 1

    await olga.send("/menu")  # the money came after all: the reference on the bank statement finds it
    await olga.tap("📣 Organise")
    await olga.tap("🔎 Find a payment")
    await olga.send("RF00 0000")
    assert olga.last_text.startswith("No payment has this reference. Please check it.")
    await olga.send(grouped(request).lower())
    assert "Did the payment come after all? Tap ✅ Received." in olga.last_text
    await olga.tap("✅ Received")
    assert olga.toasts[-1] == "✅ Received. The member gets a thank-you."
    assert shares.get(database(local_bot), request.id).status == RECEIVED
    ann.look()
    assert ann.last_text.startswith("✅ We received your payment of €10.00 for 1 share. Thank you!")


@WITH_ACCOUNT
async def test_a_member_sells_shares_back_and_an_organiser_pays_them(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    bought = await bought_at_once(local_bot, ann, "5")
    decided(local_bot, bought, RECEIVED, by=await member_id(local_bot, olga))

    await to_shares(ann)
    await ann.tap("↩️ Sell back")
    assert [label for label in ann.inline_labels if label.isdigit()] == ["1", "2", "5"]
    await ann.tap("2")
    assert "Sell back 2 shares? You get €20.00 back." in ann.last_text
    await ann.tap("↩️ Yes, sell back")
    assert ann.toasts == ["✅ Asked. An organiser will contact you."]
    await ann.press("share:sellok:2")  # a double tap
    assert ann.toasts == ["You already asked to sell shares. An organiser will contact you."]
    sales = [r for r in requests_of(local_bot, bought.member_id) if r.kind == shares.SELL]
    assert [(r.shares, r.status) for r in sales] == [(2, PENDING)]

    await olga.press("shareorg:list:0")
    await olga.tap(next(label for label in olga.inline_labels if label.startswith("↩️")))
    await olga.tap("✅ Paid back")
    assert shares.holding(database(local_bot), bought.member_id).shares == 3
    ann.look()
    assert ann.last_text == "↩️ We paid you back €20.00 for 2 shares.\nYou now have 3 shares."
    await olga.press("shareorg:reg")
    assert "3 shares" in olga.last_text and "Total: 3 shares, €30.00" in olga.last_text
    assert database(local_bot).fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_paid_back'")[0] == 1

    await ann.press("share:sellok:4")  # forged: more than she holds
    assert ann.toasts == ["You do not have that many shares."]
    assert shares.holding(database(local_bot), bought.member_id).waiting == []


async def test_without_an_account_the_bot_asks_for_no_payment(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    await to_shares(ann)
    assert "Buying shares in the bot is not set up yet." in ann.last_text
    assert "Please ask an organiser or come to the desk." in ann.last_text
    assert {"⬅️ Back", "🏠 Menu"} <= set(ann.inline_labels)
    await ann.tap("⬅️ Back")
    await ann.press("share:ask:2")  # an old button from before
    assert "not set up yet" in ann.last_text
    assert requests_of(local_bot, await member_id(local_bot, ann)) == []


@WITH_ACCOUNT
async def test_a_non_organiser_and_forged_or_stale_buttons_change_nothing(local_bot: LocalBot) -> None:
    await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    request = await bought_at_once(local_bot, ann, "2")

    await piet.press("shareorg:menu")
    assert piet.toasts == ["Only organisers can do this."]
    await piet.press(f"shareorg:got:{request.id}:0")
    await piet.press(f"share:pay:{request.id}")  # not his
    assert piet.toasts[-1] == "This button no longer works."
    for forged in ("shareorg:got:x:0", "share:pick:101", "share:ask:0", f"shareorg:paid:{request.id}:0"):
        await piet.press(forged)
    assert shares.get(database(local_bot), request.id).status == PENDING
    assert database(local_bot).fetchone("SELECT count(*) FROM share_requests")[0] == 1
    await piet.press("share:sell:5")  # he holds none: not even the question
    assert piet.toasts[-1] == "This button no longer works." and "Sell back" not in piet.last_message["text"]


@WITH_ACCOUNT
async def test_a_deleted_account_keeps_its_shares_on_the_anonymous_number(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    number = (await stored(local_bot, ann)).member_no
    bought = await bought_at_once(local_bot, ann, "2")
    decided(local_bot, bought, RECEIVED, by=await member_id(local_bot, olga))
    await to_shares(ann)
    await ann.tap("1")
    await ann.tap("💶 Pay at once")

    await ann.send("/menu")
    await ann.tap("👤 My details")
    await ann.tap("🗑️ Delete my account")
    assert "You hold 2 shares. They stay on the register, without your name." in ann.last_text
    assert "First sell them back under 🙌 Take part → 💶 Shares." in ann.last_text
    await ann.tap("🗑️ Yes, delete")
    await ann.tap("🗑️ Yes, delete everything")
    assert ann.last_text.endswith("Your shares stay in the books, without your name, as the law asks.")

    kept = requests_of(local_bot, bought.member_id)
    assert [(r.shares, r.status, r.first_name, r.member_no) for r in kept] == [
        (2, RECEIVED, None, number),
        (1, LAPSED, None, number),  # what waited lapsed
    ]
    await olga.press("shareorg:reg")
    assert f"• A former member (member {number:04d}) · 2 shares" in olga.last_text
    assert "Total: 2 shares, €20.00" in olga.last_text


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), AMSTERDAM).astimezone(UTC)


async def bought_at_once(local_bot: LocalBot, person: Person, count: str) -> shares.Request:
    """The member asks for `count` shares, to pay at once."""
    await to_shares(person)
    await person.tap(count)
    await person.tap("💶 Pay at once")
    return requests_of(local_bot, await member_id(local_bot, person))[-1]


async def bought_in_instalments(local_bot: LocalBot, person: Person, count: str, times: int) -> shares.Request:
    await to_shares(person)
    await person.tap(count)
    await person.tap("📆 In instalments")
    assert "In how many monthly payments?" in person.last_text
    await person.tap(next(label for label in person.inline_labels if label.startswith(f"{times} × ")))
    return requests_of(local_bot, await member_id(local_bot, person))[-1]


@WITH_ACCOUNT
async def test_shares_in_instalments_count_when_every_instalment_is_received(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    request = await bought_in_instalments(local_bot, ann, "1", 5)
    db = database(local_bot)
    parts = shares.instalments_of(db, request.id)
    assert [(p.number, p.amount_cents, p.due_on) for p in parts] == [
        (1, 200, date(2026, 11, 27)),
        (2, 200, date(2026, 12, 27)),
        (3, 200, date(2027, 1, 27)),
        (4, 200, date(2027, 2, 27)),
        (5, 200, date(2027, 3, 27)),
    ]
    assert len({p.reference for p in parts}) == 5 and request.reference is None  # each its own payment
    assert "Instalment 1 of 5: please transfer €2.00 for 1 share." in ann.texts[0]
    assert f"Reference: {payments.grouped(parts[0].reference)}" in ann.texts[0]
    assert qr_lines(local_bot, ann)[7:10] == ["EUR2.00", "", parts[0].reference]

    for part in parts[1:]:  # a reminder on each due day, in the morning: quiet hours hold
        clock.now = at(part.due_on, 0, 30)
        await catch_up(local_bot)
        ann.look()
        assert not any(text.startswith("⏰") for text in ann.texts)
        clock.now = at(part.due_on, 8)
        await catch_up(local_bot)
        ann.look()
        due = f"⏰ Instalment {part.number} of 5 for your shares is due today: €2.00."
        assert ann.texts == [f"{due}\nReference: {payments.grouped(part.reference)}"]
    await ann.tap("💶 Pay")
    assert qr_lines(local_bot, ann)[9] == parts[0].reference  # the first that still waits: none was received
    await ann.press("share:mine:0")  # what to pay now, not the whole amount beside the first reference
    line = f"1 share · €10.00 · instalment 1 of 5: €2.00 · {payments.grouped(parts[0].reference)} · waiting for payment"
    assert line in ann.last_text

    await olga.press(f"shareorg:card:{request.id}:0")
    for number in range(1, 6):
        assert shares.holding(db, request.member_id).shares == 0  # not yet in the register
        await olga.tap(f"✅ {number}. Received")
    assert olga.toasts[-1] == "✅ Received. The member gets a message."
    assert shares.get(db, request.id).status == RECEIVED
    ann.look()
    assert "✅ We received instalment 4 of 5 (€2.00) for your shares. Thank you!" in ann.texts
    assert ann.last_text == (  # what came now, and that the shares are hers
        "✅ We received instalment 5 of 5 (€2.00) for your shares. Thank you!\n"
        "Everything is paid now, so the shares are yours.\nYou now have 1 share."
    )
    await olga.press("shareorg:reg")
    assert "Ann" in olga.last_text and "Total: 1 share, €10.00" in olga.last_text
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_instalment_received'")[0] == 5
    await olga.press(f"shareorg:igot:{parts[0].id}:0")  # an old card
    assert olga.toasts[-1] == "This instalment is already decided."

    await ann.send("/menu")  # the download has every instalment
    await ann.tap("👤 My details")
    await ann.tap("📦 Download")
    text_file = [e for e in ann.replies if e.kind == "document"][0].message["document"]["file_id"]
    readable = local_bot.emulator.documents[text_file].decode("utf-8-sig")
    assert f"  5. Sat, 27 Mar 2027 · €2.00 · paid · {payments.grouped(parts[4].reference)}" in readable
    _document, for_computers = last_file(local_bot, ann)
    [kept] = json.loads(for_computers)["shares"]
    assert [(i["number"], i["due_on"], i["status"]) for i in kept["instalments"]][-1] == (5, "2027-03-27", RECEIVED)


@WITH_ACCOUNT
async def test_one_lapsed_instalment_keeps_the_shares_out_of_the_register(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    request = await bought_in_instalments(local_bot, ann, "5", 2)
    first, second = shares.instalments_of(database(local_bot), request.id)
    assert (first.amount_cents, second.amount_cents) == (2500, 2500)

    await olga.press(f"shareorg:card:{request.id}:0")
    await olga.tap("✅ 1. Received")
    await olga.tap("✖️ 2. Lapsed")
    assert "Then the whole purchase lapses." in olga.last_text
    assert shares.instalment(database(local_bot), second.id).status == PENDING  # asked first
    await olga.tap("✖️ Yes, it lapses")
    assert shares.get(database(local_bot), request.id).status == LAPSED
    ann.look()
    assert ann.last_text == (  # one message: what did not come, what came, and what happens with it
        "Your request for 5 shares has lapsed. We did not get instalment 2 of 2 (€25.00).\n"
        "You did pay €25.00. That money is not lost. An organiser will contact you about it."
    )
    await olga.press("shareorg:reg")
    assert "Total: 0 shares" in olga.last_text
    await olga.press(f"shareorg:got:{request.id}:0")  # the purchase itself is decided only by its instalments
    assert olga.toasts[-1] == "This button no longer works."
    assert database(local_bot).fetchone("SELECT count(*) FROM audit_log WHERE action LIKE 'share_instalment%'")[0] == 2
    first_day, following = date(2026, 11, 1), date(2026, 12, 1)
    month = income.Period(first_day, following, at(first_day, 0), at(following, 0))
    figures = await income.overview(database(local_bot), month, runtime_of(local_bot.application).clock())
    assert figures.income[income.SHARES] == 2500 and figures.shares_issued == 0  # the money that came, no shares


async def solidarity_share_paid(local_bot: LocalBot, buyer: Person, organiser_id: int) -> shares.Request:
    """The buyer pays for a share for someone else; an organiser marks it received."""
    await to_shares(buyer)
    await buyer.tap("🤝 For someone else")
    assert "You do not see their name, and they do not see yours." in buyer.last_text
    await buyer.tap("💶 Pay at once")
    purchase = requests_of(local_bot, await member_id(local_bot, buyer))[-1]
    assert purchase.solidarity and purchase.reference and f"Reference: {grouped(purchase)}" in buyer.texts[0]
    decided(local_bot, purchase, RECEIVED, by=organiser_id)
    return purchase


@WITH_ACCOUNT
async def test_a_solidarity_share_waits_in_the_pool_and_goes_to_a_member_without_names(
    local_bot: LocalBot, clock
) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    db = database(local_bot)
    purchase = await solidarity_share_paid(local_bot, ann, await member_id(local_bot, olga))
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("✅ We received your payment of €10.00 for a solidarity share. Thank you!")
    assert shares.holding(db, purchase.member_id).shares == 0  # not hers: it waits in the pool
    await olga.press("shareorg:reg")
    assert "Total: 0 shares" in olga.last_text

    clock.now = at(date(2026, 12, 2), 14)  # given days later: the register counts it from then
    await olga.press("shareorg:menu")
    await olga.tap("🤝 Solidarity shares: 1")
    assert "Solidarity shares waiting: 1" in olga.last_text
    piet_no = (await stored(local_bot, piet)).member_no
    await olga.tap(f"Piet (member {piet_no:04d})")
    assert "Give a solidarity share to Piet" in olga.last_text
    assert shares.holding(db, await member_id(local_bot, piet)).shares == 0  # asked first
    await olga.tap("🤝 Yes, give it")
    assert olga.toasts[-1] == "✅ Given. Both get a message."
    assert "Solidarity shares waiting: 0" in olga.last_text
    assert shares.holding(db, await member_id(local_bot, piet)).shares == 1
    assert shares.holding(db, purchase.member_id).shares == 0
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_given'")[0] == 1

    piet.look()
    assert (
        piet.last_text
        == "🤝 You received a share from the cooperative. Another member paid for it.\nYou now have 1 share."
    )
    ann.look()
    assert ann.last_text.startswith("🤝 Your solidarity share now belongs to a member who could not pay for one.")
    assert "Piet" not in "".join(ann.texts) and "Ann" not in "".join(piet.texts)
    await olga.press("shareorg:reg")
    # paid in on the share (by someone): the register adds up to what came in
    assert f"Piet (member {piet_no:04d}) · 1 share · since Wed, 2 Dec 2026 · €10.00" in olga.last_text
    assert "Ann" not in olga.last_text

    for person, other in ((ann, "Piet"), (piet, "Ann")):  # neither download names the other
        await person.send("/menu")
        await person.tap("👤 My details")
        await person.tap("📦 Download")
        files = [
            local_bot.emulator.documents[e.message["document"]["file_id"]]
            for e in person.replies
            if e.kind == "document"
        ]
        assert files and all(other.encode() not in content for content in files)
    assert "from the cooperative" in local_bot.emulator.documents[
        [e for e in piet.replies if e.kind == "document"][0].message["document"]["file_id"]
    ].decode("utf-8-sig")


@WITH_ACCOUNT
async def test_a_pool_share_given_twice_at_once_counts_once_and_others_are_refused(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    bert = await english(local_bot, "Bert", 3)
    db = database(local_bot)
    members.set_organiser(db, await member_id(local_bot, bert), True, actor_id=1, now=clock())
    ann, piet, kees = [await english(local_bot, name, n) for name, n in (("Ann", 1), ("Piet", 2), ("Kees", 4))]
    purchase = await solidarity_share_paid(local_bot, ann, await member_id(local_bot, olga))
    piet_id, kees_id = await member_id(local_bot, piet), await member_id(local_bot, kees)

    await piet.press(f"shareorg:giveok:{purchase.id}:{piet_id}")  # not an organiser
    assert piet.toasts == ["Only organisers can do this."]
    await olga.press(f"shareorg:giveok:{purchase.id + 99}:{piet_id}")  # forged: no such purchase
    assert olga.toasts[-1] == "This button no longer works."
    assert shares.pool(db).shares == 1

    await asyncio.gather(
        olga.press(f"shareorg:giveok:{purchase.id}:{piet_id}"), bert.press(f"shareorg:giveok:{purchase.id}:{kees_id}")
    )
    assert sorted([olga.toasts[-1], bert.toasts[-1]]) == [
        "This share was given already.",
        "✅ Given. Both get a message.",
    ]
    held = shares.holding(db, piet_id).shares + shares.holding(db, kees_id).shares
    assert held == 1 and shares.pool(db).shares == 0
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_given'")[0] == 1
    await olga.press(f"shareorg:giveok:{purchase.id}:{piet_id}")  # an old card
    assert olga.toasts[-1] == "This share was given already."
    await olga.press(f"shareorg:give:{purchase.id}:{piet_id}")  # an old pool list: nothing to ask
    assert olga.toasts[-1] == "This button no longer works."
    assert shares.holding(db, purchase.member_id).shares == 0
    first, following = date(2026, 1, 1), date(2027, 1, 1)
    year = income.Period(first, following, at(first, 0), at(following, 0))
    figures = await income.overview(db, year, clock())
    assert figures.shares_issued == 1  # issued when paid; giving it issues none


@WITH_ACCOUNT
async def test_a_solidarity_share_goes_only_to_a_member_without_shares_and_is_not_sold_back(
    local_bot: LocalBot, clock
) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    ann, piet, kees = [await english(local_bot, name, n) for name, n in (("Ann", 1), ("Piet", 2), ("Kees", 4))]
    db = database(local_bot)
    purchase = await solidarity_share_paid(local_bot, ann, olga_id)
    await solidarity_share_paid(local_bot, ann, olga_id)  # a second one waits in the pool
    piet_id, kees_id = await member_id(local_bot, piet), await member_id(local_bot, kees)

    await olga.press("shareorg:pool:0")
    assert not any(label.startswith("Ann") for label in olga.inline_labels)  # not back to who paid for it
    assert not any(label.startswith("Olga") for label in olga.inline_labels)  # nor to who gives it
    assert any(label.startswith("Kees") for label in olga.inline_labels)
    await to_shares(kees)
    await kees.tap("1")
    await kees.tap("💶 Pay at once")
    [own] = requests_of(local_bot, kees_id)
    decided(local_bot, own, RECEIVED, by=olga_id)
    await olga.press(f"shareorg:give:{purchase.id}:{kees_id}")  # "Give a solidarity share to Kees?"
    await olga.press(f"shareorg:giveok:{purchase.id}:{kees_id}")  # meanwhile Kees holds a share: she hears why
    assert olga.toasts[-1] == "Kees holds shares now. Please choose someone else."
    assert "Who gets one? Tap a member without shares." in olga.last_text
    assert not any(label.startswith("Kees") for label in olga.inline_labels) and "Piet" in olga.inline_labels[0]
    await olga.press(f"shareorg:giveok:{purchase.id}:{olga_id}")  # forged: to herself
    assert olga.toasts[-1] == "This button no longer works."
    await olga.press(f"shareorg:giveok:{purchase.id}:{purchase.member_id}")  # forged: to the buyer
    assert olga.toasts[-1] == "This button no longer works."
    assert shares.holding(db, kees_id).shares == 1 and shares.pool(db).shares == 2

    await olga.press(f"shareorg:giveok:{purchase.id}:{piet_id}")
    await to_shares(piet)
    assert "↩️ Sell back" not in piet.inline_labels  # a gift is not cashed
    for forged in ("share:sellhow", "share:sell:1"):
        await piet.press(forged)
        assert piet.toasts[-1] == "This button no longer works."
    await piet.press("share:sellok:1")
    assert piet.toasts[-1] == "A share you got from the cooperative cannot be sold back."
    await piet.press("share:sellok:2")
    assert piet.toasts[-1] == "You do not have that many shares."
    assert not [r for r in requests_of(local_bot, piet_id) if r.kind == shares.SELL]
    await piet.tap("📋 My payments")
    assert "given to you" in piet.last_text and "paid" not in piet.last_text
    await to_shares(ann)
    await ann.tap("📋 My payments")
    assert "paid, given to a member" in ann.last_text and "paid, waits for a member" in ann.last_text

    sale = shares.ask_to_sell(db, kees_id, 1, 1000, clock())  # Kees sells his own back: off the register
    assert sale is shares.Sale.ASKED
    decided(local_bot, requests_of(local_bot, kees_id)[-1], shares.PAID, by=olga_id)
    await olga.press("shareorg:reg")
    assert "Kees" not in olga.last_text
    assert "Total: 1 share, €10.00" in olga.last_text
    assert "🤝 Solidarity shares waiting: 1 · €10.00" in olga.last_text
    await olga.tap("📄 As a file")
    _document, content = last_file(local_bot, olga)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[-1] == ["Solidarity shares waiting", "", "1", "", "10.00"]  # no emoji, the count in its column
