"""Payments that come after a request lapsed (issue 15, audit fixes): a late instalment is ✅ Received once; a
member who deleted their account gets nothing booked; a campaign that closed short says why nothing is received."""

import asyncio
from datetime import date

from bot import payments
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import campaigns, income, members, shares
from storage.shares import LAPSED, RECEIVED
from tests.journeys import catch_up, database, english, member_id, stored
from tests.test_campaigns import pledged, pledges_of, started
from tests.test_shares import WITH_ACCOUNT, at, bought_in_instalments, grouped, organiser, requests_of, to_shares

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
    olga = await organiser(local_bot)
    bert = await english(local_bot, "Bert", 3)
    db = database(local_bot)
    members.set_organiser(db, await member_id(local_bot, bert), True, actor_id=1, now=clock())
    ann = await english(local_bot, "Ann", 1)
    request = await bought_in_instalments(local_bot, ann, "5", 2)
    _first, second = shares.instalments_of(db, request.id)
    await olga.press(f"shareorg:card:{request.id}:0")
    await olga.tap("✅ 1. Received")
    await olga.tap("✖️ 2. Lapsed")
    await olga.tap("✖️ Yes, it lapses")
    await catch_up(local_bot)
    ann.look()

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
    assert [event.text for event in ann.look() if event.text.startswith("✅")] == [
        "✅ We received your payment of €50.00 for 5 shares. Thank you!\nYou now have 5 shares."
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
    await to_shares(ann)
    await ann.tap("1")
    await ann.tap("💶 Pay at once")
    [bought] = requests_of(local_bot, await member_id(local_bot, ann))
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
