"""📣 Organise → 🧾 Desk: a member without Telegram is added at the desk, and joins their Telegram later by code."""

import re

import pytest

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, audit, desk, members
from storage.activities import GOING
from tests.conftest import Clock
from tests.journeys import database, english, planned_activity, signed_up, stored
from tests.test_my_details import downloaded

DOES_NOT_WORK = "This code does not work. Ask at the desk for a new one."
TOO_MANY = "Too many tries. Try again in an hour."
CODE = re.compile(r"^([A-HJ-NP-Z2-9]{4}) ([A-HJ-NP-Z2-9]{4})$", re.MULTILINE)


async def at_the_desk(local_bot: LocalBot) -> Person:
    """Olga, the organiser, on 🧾 Desk."""
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    await olga.tap("📣 Organise")
    await olga.tap("🧾 Desk")
    return olga


async def added(olga: Person, name: str = "Fatma", *, signed: str | None = None) -> None:
    """Olga adds someone who wants to join activities, reads English and signed the form today (or `signed`)."""
    await olga.tap("➕ Add a member")
    await olga.send(name)
    await olga.tap("⬜ Join activities")
    await olga.tap("✔️ Done")
    await olga.tap("English")
    await olga.tap("⏭️ Skip")  # no phone number
    if signed is None:
        await olga.tap("📅 Today")
    else:
        await olga.send(signed)
    await olga.tap("✅ Add")


async def code_for(olga: Person) -> str:
    """🔗 Make a code on the screen after adding: the code as Olga reads it out."""
    await olga.tap("🔗 Make a code")
    found = CODE.search(olga.last_text)
    assert found, olga.last_text
    return found[1] + found[2]


async def test_added_at_the_desk_and_joined_by_code_keeps_one_number_and_the_rsvps(local_bot: LocalBot) -> None:
    olga = await at_the_desk(local_bot)
    assert olga.inline_labels == [
        "➕ Add a member",
        "🔗 Link a Telegram account",
        "📞 Who to call: 0",
        "⬅️ Back",
        "🏠 Menu",
    ]
    await olga.tap("➕ Add a member")
    await olga.send("Fatma <b>")
    await olga.tap("⬜ Join activities")
    await olga.tap("✔️ Done")
    await olga.tap("English")
    assert olga.last_text.startswith("What is their phone number?")
    await olga.send("call me")
    assert olga.last_text.startswith("That is not a phone number. Type it like 06 12345678, or tap Skip.")
    await olga.send("٠٦ ١٢٣٤٥٦٧٨")  # Arabic digits read as 0-9
    await olga.tap("📅 Today")
    assert olga.last_text == (
        "Check the new member:\nName: Fatma <b>\nWants to: Join activities\nLanguage: English\n"
        "Phone: 06 12345678\nSigned the paper form on: Friday, 27 November 2026\n\n"
        "Tap ✅ Add. They get a member number at once."
    )
    await olga.tap("✅ Add")
    assert olga.last_text.startswith("✅ Fatma <b> is now a member. Their number is member 0002.")
    await olga.press("desk:save")  # a double tap adds nobody
    db = database(local_bot)
    assert members.get_by_member_no(db, 3) is None
    fatma = members.get_by_member_no(db, 2)
    assert fatma is not None and fatma.telegram_id is None and fatma.status == members.ACTIVE
    assert fatma.consent_version == "paper:2026-11-27" and fatma.interests == {members.ACTIVITIES}
    assert fatma.phone == "06 12345678"

    runtime = runtime_of(local_bot.application)
    activity = await planned_activity(local_bot, "Samen koken")
    activities.rsvp(db, activity.id, fatma.id, runtime.clock(), runtime.timing)  # signed up at the desk, before
    code = await code_for(olga)
    assert f"https://t.me/wijkbot_demo_bot?start=join_{code}" in olga.last_text

    phone = local_bot.person("Fatma", user_id=5, language_code="en")
    await phone.send(f"/start join_{code}")
    assert phone.last_text.startswith("Welcome, Fatma <b>! Your Telegram is now linked to your membership.")
    assert "📅 Activities" in phone.keyboard
    joined = await stored(local_bot, phone)
    assert (joined.id, joined.member_no, joined.language) == (fatma.id, 2, "en")
    assert activities.card(db, activity.id, fatma.id).status == GOING
    assert members.count(db) == 2  # Olga and Fatma: no second member

    await local_bot.person("Someone", user_id=6, language_code="en").send(f"/start join_{code}")  # used
    assert local_bot.person("Someone", user_id=6).last_text == DOES_NOT_WORK
    await phone.send(f"/start {code}")  # her account is a member's now
    assert phone.last_text == "This Telegram account already belongs to a member. You do not need a code."

    olga_id = (await stored(local_bot, olga)).id
    log = (await db.read_parts(fatma.id, audit.ABOUT))[0]
    assert [(e.actor_id, e.action) for e in log] == [
        (olga_id, "desk_add"),
        (olga_id, "join_code"),
        (None, "telegram_joined"),  # by the member herself, with the code
    ]


async def test_expired_guessed_and_replaced_codes_are_refused(local_bot: LocalBot, clock: Clock) -> None:
    olga = await at_the_desk(local_bot)
    await added(olga)
    old = await code_for(olga)
    await olga.tap("⬅️ Back")
    await olga.tap("🔗 Link a Telegram account")
    await olga.send("2")
    await olga.tap("Fatma · member 0002")
    assert olga.last_text.startswith("🔗 Fatma already has a code. It works until Friday 4 December, 10:00.")
    assert olga.inline_labels == ["🔗 Make a new code", "⬅️ Back", "🏠 Menu"]  # her paper code is not lost by a tap
    await olga.tap("🔗 Make a new code")
    new = CODE.search(olga.last_text)
    assert new and new[1] + new[2] != old

    phone = local_bot.person("Fatma", user_id=5, language_code="en")
    await phone.send(f"/start join_{old}")  # replaced by the new code
    assert phone.last_text == DOES_NOT_WORK
    await phone.send("/start ABCD2345")  # guessed
    assert phone.last_text == DOES_NOT_WORK
    clock.advance(days=7)
    await phone.send(f"/start {new[1]}-{new[2]}".lower())  # expired
    assert phone.last_text == DOES_NOT_WORK
    assert (await stored(local_bot, phone)) is None


@pytest.mark.parametrize(
    "typed",
    ["{code}", "/start {lower}", "/start {first}  {last}", "/start {arabic}", "{cyrillic}"],
)
async def test_a_code_typed_on_its_own_in_lower_case_or_with_other_keyboards_works(local_bot: LocalBot, typed) -> None:
    olga = await at_the_desk(local_bot)
    await added(olga)
    code = await code_for(olga)
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    cyrillic = code.translate(str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ"))
    phone = local_bot.person("Fatma", user_id=5, language_code="en")
    await phone.send(
        typed.format(code=code, lower=code.lower(), first=code[:4], last=code[4:], arabic=arabic, cyrillic=cyrillic)
    )
    assert phone.last_text.startswith("Welcome, Fatma")
    assert (await stored(local_bot, phone)).member_no == 2


async def test_someone_who_starts_signing_up_can_use_the_desk_code_instead(local_bot: LocalBot) -> None:
    olga = await at_the_desk(local_bot)
    await added(olga)
    code = await code_for(olga)
    phone = local_bot.person("Fatma", user_id=5, language_code="en")
    await phone.send("/start")
    await phone.tap("📝 Sign up")  # what the welcome offers first
    await phone.tap("🔗 I have a code from the desk")
    assert phone.last_text == "Type the code you got at the desk. It has 8 letters and digits."
    await phone.send("WRONG234")
    assert DOES_NOT_WORK in phone.texts
    await phone.send(code)  # still asked for the code
    assert phone.last_text.startswith("Welcome, Fatma")
    fatma = await stored(local_bot, phone)
    assert fatma.member_no == 2 and members.count(database(local_bot)) == 2  # Olga and Fatma: no second Fatma


async def test_the_organisers_card_of_a_desk_member_says_the_bot_cannot_write_to_them(local_bot: LocalBot) -> None:
    olga = await at_the_desk(local_bot)
    await added(olga)
    await olga.tap("📣 Organise")
    await olga.tap("👥 Members")
    await olga.tap("🔎 Find a member")
    await olga.send("2")
    await olga.tap("Fatma · member 0002")
    assert "Messages: none, no Telegram" in olga.last_text.splitlines()


async def test_a_member_typing_an_eight_letter_word_is_not_taken_for_a_code(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await ann.send("Tomorrow")
    assert ann.last_text == "Sorry, I do not understand that. Tap a button below."


async def test_the_sixth_wrong_try_in_an_hour_is_refused_and_an_hour_later_it_works(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await at_the_desk(local_bot)
    await added(olga)
    code = await code_for(olga)
    phone = local_bot.person("Fatma", user_id=5, language_code="en")
    for wrong in ("ABCD2345", "ABCD2346", "ABCD2347", "ABCD2348", "ABCD2349"):
        await phone.send(f"/start {wrong}")
        assert phone.last_text == DOES_NOT_WORK
        clock.advance(minutes=5)
    await phone.send(f"/start {code}")  # even the right code: five wrong tries in the last hour
    assert phone.last_text == TOO_MANY
    clock.advance(minutes=36)  # the first wrong try is an hour old
    await phone.send(f"/start {code}")
    assert phone.last_text.startswith("Welcome, Fatma!")


async def test_a_visitor_becomes_the_member_and_keeps_the_language_of_her_own_phone(local_bot: LocalBot) -> None:
    olga = await at_the_desk(local_bot)
    await added(olga)
    code = await code_for(olga)
    phone = local_bot.person("Fatma", user_id=5, language_code="nl")
    await phone.send("/start")  # her phone speaks Dutch: she is a visitor reading Dutch
    visitor = await stored(local_bot, phone)
    assert visitor.status == members.VISITOR
    await phone.send(f"/start join_{code}")
    assert phone.last_text.startswith("Welkom, Fatma!")  # her own choice beats what was noted at the desk
    joined = await stored(local_bot, phone)
    assert joined.member_no == 2 and joined.language == "nl" and joined.id != visitor.id
    assert members.get(database(local_bot), visitor.id) is None


async def test_a_deleted_members_code_stops_working_and_the_download_tells_of_the_code(local_bot: LocalBot) -> None:
    olga = await at_the_desk(local_bot)
    await added(olga, "Fatma")
    await olga.tap("⬅️ Back")
    await added(olga, "Piet")
    piet_code = await code_for(olga)
    db = database(local_bot)
    piet = members.get_by_member_no(db, 3)
    assert piet is not None
    runtime = runtime_of(local_bot.application)
    members.delete_account(db, piet, runtime.clock())
    assert (await db.read_parts(piet.id, desk.CODES))[0] == []  # gone with the member's data
    phone = local_bot.person("Piet", user_id=6, language_code="en")
    await phone.send(f"/start {piet_code}")
    assert phone.last_text == DOES_NOT_WORK

    await olga.tap("⬅️ Back")
    await olga.tap("🔗 Link a Telegram account")
    await olga.send("fat")
    await olga.tap("Fatma · member 0002")
    found = CODE.search(olga.last_text)
    fatma = local_bot.person("Fatma", user_id=5, language_code="en")
    await fatma.send(f"/start {found[1]}{found[2]}")
    await fatma.tap("👤 My details")
    await fatma.tap("📦 Download")
    _, text, data = downloaded(local_bot, fatma)
    [kept] = data["codes_to_link_telegram"]
    assert kept["expires_at"] == "2026-12-04T09:00:00+00:00" and kept["used_at"] == "2026-11-27T09:00:00+00:00"
    assert found[1] not in text and found[1] not in str(data)
    assert "Code to link Telegram" in text and "added as a member at the desk" in text


async def test_only_members_without_telegram_are_found_to_link(local_bot: LocalBot) -> None:
    olga = await at_the_desk(local_bot)
    await english(local_bot, "Fatih", 2)  # has Telegram: never offered
    await olga.tap("➕ Add a member")
    await olga.send("Fatma")
    await olga.tap("✔️ Done")
    await olga.tap("English")
    await olga.tap("⏭️ Skip")
    await olga.tap("📅 Today")
    await olga.tap("✅ Add")
    await olga.tap("⬅️ Back")
    await olga.tap("🔗 Link a Telegram account")
    await olga.send("fat")
    assert olga.last_text == "Found for “fat”: 1\nTap a member to make a code for them."
    assert olga.inline_labels == ["Fatma · member 0003", "🔎 Search again", "⬅️ Back", "🏠 Menu"]
    await olga.tap("🔎 Search again")
    await olga.send("2")
    assert olga.last_text.startswith("Nobody found for “2”.")
    await olga.press("desk:code:1")  # forged: Olga herself has Telegram
    assert olga.toasts == ["This button no longer works."]


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("12-12-2026", "That day has not come yet. Type the day they signed the form."),
        ("31-02-2026", "That day does not exist. Please type the day like 12-12."),
        ("yesterday", "Please type the day like 12-12-2026. Or tap Today."),
    ],
)
async def test_the_day_of_the_paper_form_is_a_real_day_not_in_the_future(
    local_bot: LocalBot, typed: str, answer: str
) -> None:
    olga = await at_the_desk(local_bot)
    await olga.tap("➕ Add a member")
    await olga.send("https://example.com")
    assert olga.last_text.startswith("A name cannot contain a link.")
    await olga.send("Ola")
    await olga.tap("✔️ Done")
    await olga.tap("Polski")
    await olga.tap("⏭️ Skip")
    await olga.send(typed)
    assert olga.last_text.startswith(answer)
    await olga.send("20-11")  # this year
    assert "Signed the paper form on: Friday, 20 November 2026" in olga.last_text
    await olga.tap("⬅️ Back")  # back to the day, the phone number, then the language: the answers stay
    await olga.tap("⬅️ Back")
    await olga.tap("⬅️ Back")
    assert "✅ Polski" in olga.inline_labels
    await olga.tap("🏠 Menu")
    assert olga.last_text == "Stopped. No member was added."
    assert members.get_by_member_no(database(local_bot), 2) is None


async def test_a_member_who_is_no_organiser_cannot_use_the_desk(local_bot: LocalBot) -> None:
    await at_the_desk(local_bot)
    await added(local_bot.person("Olga", user_id=900))
    bob = await english(local_bot, "Bob", 2)
    for data in ("desk:menu", "desk:add", "desk:link", "desk:code:2", "desk:found:0"):
        await bob.press(data)
        assert bob.toasts == ["Only organisers can do this."]
    fatma = members.get_by_member_no(database(local_bot), 2)
    assert (await database(local_bot).read_parts(fatma.id, desk.CODES))[0] == []
