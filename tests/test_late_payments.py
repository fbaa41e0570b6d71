"""Payments that come after a request lapsed (issue 15, audit fixes): a late instalment is ✅ Received once; a
member who deleted their account gets nothing booked; a campaign that closed short says why nothing is received."""

import asyncio
import json
from datetime import date

from bot import payments
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import campaigns, income, members, shares
from storage.shares import LAPSED, RECEIVED
from tests.journeys import catch_up, database, english, last_file, member_id, stored
from tests.test_campaigns import pledged, pledges_of, started, two_organisers_and_ann
from tests.test_shares import (
    WITH_ACCOUNT,
    at,
    bought_at_once,
    bought_in_instalments,
    grouped,
    organiser,
    to_shares,
)

LEFT = (
    "This member has left: they deleted their account."
    " Did money come after all? Pay it back to the account it came from."
)


async def found_by_reference(organiser: Person, reference: str) -> None:
    """🔎 Find a payment, with the reference on the bank statement."""
    await organiser.send("/menu")
    await organiser.tap("📣 Organise")
    await organiser.tap("🔎 Find a payment")
    await organiser.send(reference)


async def share_income(local_bot: LocalBot, first: date, following: date) -> tuple[int, int]:
    """The overview's money for shares and shares issued from `first` to `following`."""
    period = income.Period(first, following, at(first, 0), at(following, 0))
    figures = await income.overview(database(local_bot), period, runtime_of(local_bot.application).clock())
    return figures.income[income.SHARES], figures.shares_issued


@WITH_ACCOUNT
async def test_an_instalment_paid_after_the_purchase_lapsed_is_received_once(local_bot: LocalBot, clock) -> None:
    olga, bert, ann = await two_organisers_and_ann(local_bot)
    db = database(local_bot)
    request = await lapsed_after_the_first_instalment(local_bot, olga, ann)
    _first, second = shares.instalments_of(db, request.id)

    clock.now = at(date(2026, 12, 29), 10)  # the transfer for instalment 2 comes after all
    await found_by_reference(olga, payments.grouped(second.reference))
    assert "✖️ Lapsed on Friday, 27 November 2026." in olga.last_text
    assert "Did the payment come after all? Tap ✅ Received." in olga.last_text
    assert "✅ 2. Received" in olga.inline_labels
    await asyncio.gather(olga.press(f"shareorg:igot:{second.id}:0"), bert.press(f"shareorg:igot:{second.id}:0"))

    assert sorted([olga.toasts[-1], bert.toasts[-1]]) == [
        "This instalment is already decided.",
        "✅ Received. The member gets a message.",
    ]
    assert shares.get(db, request.id).status == RECEIVED and shares.holding(db, request.member_id).shares == 5
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_instalment_received'")[0] == 2
    await catch_up(local_bot)
    assert [event.text for event in ann.look() if event.text.startswith("✅")] == [  # only €25.00 came now
        "✅ We received instalment 2 of 2 (€25.00) for your shares. Thank you!\n"
        "Everything is paid now, so the shares are yours.\nYou now have 5 shares."
    ]
    await ann.tap("👤 My details")
    assert "💶 You now have 5 shares." in ann.last_text
    # each instalment counts in the month it came; the shares are issued when the last one came
    assert await share_income(local_bot, date(2026, 11, 1), date(2026, 12, 1)) == (2500, 0)
    assert await share_income(local_bot, date(2026, 12, 1), date(2027, 1, 1)) == (2500, 5)


@WITH_ACCOUNT
async def test_a_late_instalment_of_a_purchase_still_short_gives_no_shares_yet(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    request = await bought_in_instalments(local_bot, ann, "1", 5)
    first = shares.instalments_of(database(local_bot), request.id)[0]
    await olga.press(f"shareorg:ilapseok:{first.id}:0")  # the first did not come: the purchase lapses
    await catch_up(local_bot)
    ann.look()

    await found_by_reference(olga, first.reference)
    await olga.tap("✅ 1. Received")
    assert olga.toasts[-1] == "✅ Received. The member gets a message."
    assert shares.get(database(local_bot), request.id).status == LAPSED  # four instalments did not come
    assert shares.holding(database(local_bot), request.member_id).shares == 0
    await catch_up(local_bot)
    assert ann.look()[-1].text == (
        "✅ We received instalment 1 of 5 (€2.00) for your shares. Thank you!\n"
        "Your request has lapsed, so this payment gives no shares yet.\n"
        "An organiser will contact you about it."
    )


@WITH_ACCOUNT
async def test_a_late_payment_of_a_member_who_left_is_not_booked(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    bought = await bought_at_once(local_bot, ann, "1")
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await pledged(ann, campaign, 2500)
    [pledge] = pledges_of(local_bot, campaign)
    member = await stored(local_bot, ann)
    assert member is not None
    db = database(local_bot)
    members.delete_account(db, member, clock())

    await found_by_reference(olga, grouped(bought))
    assert LEFT in olga.last_text and "✅ Received" not in olga.inline_labels
    await olga.press(f"shareorg:got:{bought.id}:0")  # forged
    assert olga.toasts[-1] == LEFT
    assert shares.get(db, bought.id).status == LAPSED and shares.holding(db, bought.member_id).shares == 0

    assert pledge.reference is not None
    await found_by_reference(olga, pledge.reference)
    assert olga.last_text.startswith(f"💶 A former member · member {member.member_no:04d}")
    assert LEFT in olga.last_text and "✅ Received" not in olga.inline_labels
    await olga.press(f"camporg:got:{pledge.id}:0")  # forged
    assert olga.toasts[-1] == LEFT
    found = campaigns.get(db, campaign.id)
    assert (found.pledged_cents, found.received_cents, found.supporters) == (0, 0, 0)
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action LIKE '%received'")[0] == 0


@WITH_ACCOUNT
async def test_a_forged_received_after_an_all_or_nothing_campaign_closed_short_says_why(
    local_bot: LocalBot, clock
) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    campaign = started(local_bot, 100, all_or_nothing=True, days=2)
    await pledged(ann, campaign, 2500)
    [pledge] = pledges_of(local_bot, campaign)
    clock.advance(days=3)
    await catch_up(local_bot)  # it closes short: nobody pays

    await olga.press(f"camporg:got:{pledge.id}:0")
    assert olga.toasts[-1] == "The campaign closed without reaching its goal, so nobody pays. Nothing was changed."
    assert pledges_of(local_bot, campaign)[0].status == campaigns.LAPSED
    assert campaigns.get(database(local_bot), campaign.id).received_cents == 0


PAID_ON_A_LAPSE = "↩️ €25.00 came in before it lapsed. Pay it back to the account it came from, then tap ↩️ Paid back."


async def lapsed_after_the_first_instalment(local_bot: LocalBot, olga: Person, ann: Person) -> shares.Request:
    """Ann buys 5 shares in 2 instalments; Olga marks ✅ the first (€25.00) and ✖️ the second: it lapses."""
    request = await bought_in_instalments(local_bot, ann, "5", 2)
    await olga.press(f"shareorg:card:{request.id}:0")
    await olga.tap("✅ 1. Received")
    await olga.tap("✖️ 2. Lapsed")
    await olga.tap("✖️ Yes, it lapses")
    await catch_up(local_bot)
    ann.look()
    return request


async def my_payments(person: Person) -> str:
    await to_shares(person)
    await person.tap("📋 My payments")
    return person.last_text


@WITH_ACCOUNT
async def test_money_that_came_for_a_lapsed_purchase_waits_until_it_is_paid_back_once(
    local_bot: LocalBot, clock
) -> None:
    olga, bert, ann = await two_organisers_and_ann(local_bot)
    db = database(local_bot)
    request = await lapsed_after_the_first_instalment(local_bot, olga, ann)
    first, second = shares.instalments_of(db, request.id)

    await olga.press("shareorg:menu")
    await olga.tap("⏳ Waiting: 1")
    await olga.tap("↩️ Fri 27 Nov · Ann · €25.00")
    card = olga.last_text  # what came, with its reference to find it on the bank statement
    assert f"✅ 1. Fri 27 Nov · €25.00 · {payments.grouped(first.reference)}" in card and card.endswith(PAID_ON_A_LAPSE)
    assert "✅ We received your payment" not in "".join(ann.texts)
    assert "5 shares · €50.00 · lapsed · €25.00 paid, to be paid back" in await my_payments(ann)
    await ann.tap("👤 My details")
    assert "↩️ You paid €25.00 for shares, but the request lapsed. We pay it back to you." in ann.last_text

    await olga.tap("↩️ Paid back €25.00")
    assert "Did you pay €25.00 back?\nThe member gets a message." in olga.last_text
    assert shares.get(db, request.id).to_pay_back == 2500  # asked first
    clock.now = at(date(2026, 12, 1), 10)  # paid back in December
    paid_back = f"shareorg:refundok:{request.id}:0:2500"
    await asyncio.gather(olga.press(paid_back), bert.press(paid_back))

    assert sorted([olga.toasts[-1], bert.toasts[-1]]) == [
        "This money is already marked as paid back.",
        "✅ Marked as paid back.",
    ]
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_money_paid_back'")[0] == 1
    assert "↩️ Paid back €25.00 on Tuesday, 1 December 2026." in olga.last_text
    assert "↩️ Paid back €25.00" not in olga.inline_labels
    await catch_up(local_bot)
    assert [event.text for event in ann.look()] == [
        "↩️ We paid you back €25.00 for your request for 5 shares. That request had lapsed."
    ]
    await olga.press("shareorg:menu")
    assert "⏳ Waiting: 0" in olga.inline_labels

    await found_by_reference(olga, payments.grouped(second.reference))  # the second transfer came after all
    assert "✅ 2. Received" not in olga.inline_labels
    assert olga.last_text.endswith("Did more money come? Pay that back too.")  # the card says what to do
    await olga.press(f"shareorg:igot:{second.id}:0")  # an old card
    assert olga.toasts[-1] == "The money of this request was paid back. Did more money come? Pay that back too."
    assert shares.get(db, request.id).status == LAPSED and shares.instalment(db, second.id).status == LAPSED
    assert "5 shares · €50.00 · lapsed · €25.00 paid back" in await my_payments(ann)
    await ann.send("/menu")
    await ann.tap("👤 My details")
    assert "You paid €25.00" not in ann.last_text and "💶 My shares" in ann.inline_labels  # still there to see
    await ann.tap("📦 Download")
    text_file = [e for e in ann.replies if e.kind == "document"][0].message["document"]["file_id"]
    readable = local_bot.emulator.documents[text_file].decode("utf-8-sig")
    assert "5 shares · €50.00 · lapsed · €25.00 paid back" in readable
    _document, for_computers = last_file(local_bot, ann)
    [kept] = json.loads(for_computers)["shares"]
    assert (kept["status"], kept["paid_back_cents"], kept["paid_back_at"][:10]) == (LAPSED, 2500, "2026-12-01")


@WITH_ACCOUNT
async def test_the_money_of_a_member_who_left_is_paid_back_too(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    request = await bought_in_instalments(local_bot, ann, "5", 2)
    first = shares.instalments_of(database(local_bot), request.id)[0]
    await olga.press(f"shareorg:igot:{first.id}:0")
    member = await stored(local_bot, ann)
    assert member is not None
    await ann.press("me:delete")  # she is told first
    assert "\nYou paid €25.00 for shares you will not get. We pay it back to you." in ann.last_text
    members.delete_account(database(local_bot), member, clock())  # the second instalment lapses with her account

    await olga.press("shareorg:list:0")
    await olga.tap("↩️ Fri 27 Nov · A former member · €25.00")
    assert olga.last_text.startswith(f"A former member · member {member.member_no:04d}\n")  # as on a pledge's card
    assert LEFT in olga.last_text and olga.last_text.endswith(PAID_ON_A_LAPSE)
    await olga.tap("↩️ Paid back €25.00")
    assert olga.last_text.endswith("Did you pay €25.00 back?")  # nobody to tell
    await olga.tap("✅ Yes, paid back")
    assert olga.toasts[-1] == "✅ Marked as paid back."
    await olga.press("shareorg:list:0")
    assert "Nothing waits." in olga.last_text
    assert database(local_bot).fetchone("SELECT count(*) FROM audit_log WHERE action = 'share_money_paid_back'")[0] == 1
    await catch_up(local_bot)
    assert not any("paid you back" in (event.text or "") for event in ann.look())  # she has no chat with us now


@WITH_ACCOUNT
async def test_my_payments_shows_a_request_that_lapsed_without_a_payment(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    bought = await bought_at_once(local_bot, ann, "1")
    await olga.press(f"shareorg:lapseok:{bought.id}:0")
    assert "1 share · €10.00 · lapsed" in await my_payments(ann)
    assert "paid" not in ann.last_text.split("\n")[-1]  # nothing came: nothing to pay back
    await olga.press("shareorg:list:0")
    assert "Nothing waits." in olga.last_text
    await olga.press(f"shareorg:refundok:{bought.id}:0:1000")  # forged
    assert olga.toasts[-1] == "There is nothing to pay back now. Nothing was changed."
    assert shares.get(database(local_bot), bought.id).paid_back_at is None


@WITH_ACCOUNT
async def test_paid_back_is_only_what_the_organiser_was_asked_about(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    request = await bought_in_instalments(local_bot, ann, "5", 5)
    db = database(local_bot)
    first, second, third, *_later = shares.instalments_of(db, request.id)
    olga_id = await member_id(local_bot, olga)
    shares.decide_instalment(db, first.id, RECEIVED, olga_id, clock())
    shares.decide_instalment(db, second.id, LAPSED, olga_id, clock())
    await olga.press(f"shareorg:refund:{request.id}:0")
    assert "Did you pay €10.00 back?" in olga.last_text

    shares.decide_instalment(db, third.id, RECEIVED, olga_id, clock())  # another transfer came meanwhile
    await olga.tap("✅ Yes, paid back")
    assert olga.toasts[-1] == "More money came meanwhile. Please look again. Nothing was changed."
    assert shares.get(db, request.id).paid_back_at is None
    await olga.tap("↩️ Paid back €20.00")  # the card shows what came now
    await olga.tap("✅ Yes, paid back")
    assert olga.toasts[-1] == "✅ Marked as paid back." and shares.get(db, request.id).paid_back_cents == 2000


@WITH_ACCOUNT
async def test_a_reference_found_marks_its_own_instalment_not_the_one_due_first(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    request = await bought_in_instalments(local_bot, ann, "2", 2)
    db = database(local_bot)
    first, second = shares.instalments_of(db, request.id)

    await found_by_reference(olga, payments.grouped(second.reference))  # she paid the second one first
    assert "✅ 2. Received" in olga.inline_labels and "✅ 1. Received" not in olga.inline_labels
    await olga.tap("✅ 2. Received")
    assert (shares.instalment(db, first.id).status, shares.instalment(db, second.id).status) == ("pending", RECEIVED)
