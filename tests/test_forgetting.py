"""Deletion, refusal and unfinished sign-ups leave nothing behind: not in the file, its WAL, the
persistence or memory; and deleting an account does not undo what organisers decided."""

import asyncio
from pathlib import Path

import pytest
from telegram import Update

from bot import i18n
from bot.config import Settings
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import conversation_state
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, chose_language, database, signed_up, stored

NAME = "Wilhelmina Quetzalcoatl"
TELEGRAM_ID = 987654321
nl = i18n.translator("nl")


def raw_files(local_bot: LocalBot) -> bytes:
    """The database file and its WAL as bytes: what someone with the disk could read."""
    path: Path = runtime_of(local_bot.application).settings.db_path
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def assert_no_trace(local_bot: LocalBot, *secrets: str, telegram_id: int = TELEGRAM_ID) -> None:
    raw = raw_files(local_bot)
    for secret in (*secrets, str(telegram_id)):
        assert secret.encode() not in raw, secret
        assert secret.casefold().encode() not in raw, secret
    assert telegram_id.to_bytes(4, "big") not in raw


def kept_about(local_bot: LocalBot, telegram_id: int) -> int:
    """Rows of user data and conversation states about this Telegram id."""
    row = database(local_bot).fetchone(
        "SELECT (SELECT count(*) FROM user_data WHERE user_id = ?)"
        " + (SELECT count(*) FROM conversation_states WHERE key LIKE ?)",
        (telegram_id, f"%{telegram_id}%"),
    )
    return row[0]


async def delete_account(person: Person) -> None:
    await person.tap("👤 Mijn gegevens")
    await person.tap("🗑️ Mijn gegevens wissen")
    await person.tap("🗑️ Ja, wissen")
    await person.tap("🗑️ Ja, alles wissen")


async def during_a_flush(local_bot: LocalBot, person: Person, data: str, *, handed_over: bool) -> None:
    """`person` taps a button (callback `data`) while the persistence is being flushed.

    PTB copies everyone's data at the start of a flush and hands it to the persistence in tasks it
    gathers. The tap is handled either before those tasks run (the copy is from before the tap) or
    after they ran but before the flush writes (handed_over). Polling stops so that the test hands
    the tap to the bot itself, at that moment.
    """
    application = local_bot.application
    assert application.updater is not None
    await application.updater.stop()
    await local_bot.emulator.user_presses(person.user, person.last_message["message_id"], data)
    [payload] = local_bot.emulator.pending_updates
    update = Update.de_json(payload, application.bot)
    flush = asyncio.create_task(application.update_persistence())
    if handed_over:
        await asyncio.sleep(0)  # the flush took its copy and gave it to the persistence's tasks
    await asyncio.gather(flush, application.process_update(update))


# 1. An organiser's search --------------------------------------------------------------------------


async def test_a_search_is_never_stored_and_is_forgotten_when_the_member_deletes(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    person = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID)
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.send("wilhelmina")
    assert olga.inline_labels[0] == f"{NAME} · lid 0002"
    results = olga.last_message
    await local_bot.application.update_persistence()
    assert conversation_state.user_data_of(database(local_bot), olga.id) == {}  # the search is not stored

    await delete_account(person)
    assert "wilhelmina" not in str(dict(local_bot.application.chat_data))  # nor kept in memory
    await local_bot.application.update_persistence()
    database(local_bot).checkpoint()
    assert_no_trace(local_bot, NAME, "Wilhelmina")

    await olga.press("org:found:0", results["message_id"])  # her results are still on her screen: she pages
    assert olga.last_text == nl("Sorry, I no longer have your search. Tap 🔎 Search again.")
    assert olga.inline_labels == ["🔎 Opnieuw zoeken", "⬅️ Terug", "🏠 Menu"]


async def test_a_search_that_does_not_find_the_deleted_member_stays(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    for number, name in ((2, "Bob"), (3, "Ann")):
        await signed_up(local_bot, name, user_id=number)
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.send("bob")
    await delete_account(local_bot.person("Ann", user_id=3))
    assert "bob" in local_bot.application.chat_data[olga.id].values()


@pytest.mark.parametrize("restart", [False, True])
async def test_paging_a_search_after_a_restart_asks_to_search_again(
    settings: Settings, emulator: TelegramEmulator, clock: Clock, restart: bool
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        olga = await signed_up(local_bot, "Olga", user_id=900)
        for number in range(2, 9):
            await signed_up(local_bot, f"Piet {number}", user_id=number)
        await olga.tap("📣 Organiseren")
        await olga.tap("👥 Leden")
        await olga.tap("🔎 Lid zoeken")
        await olga.send("piet")
        assert olga.inline_labels[5] == "▶️"
        if not restart:
            await olga.tap("▶️")
            assert olga.inline_labels[:3] == ["Piet 7 · lid 0007", "Piet 8 · lid 0008", "◀️"]
            return
    async with running_bot(settings, emulator, clock) as local_bot:
        olga = local_bot.person("Olga", user_id=900)
        await olga.tap("▶️")
        assert olga.last_text == nl("Sorry, I no longer have your search. Tap 🔎 Search again.")
        await olga.tap("🔎 Opnieuw zoeken")
        await olga.send("piet 8")
        assert olga.inline_labels[0] == "Piet 8 · lid 0008"


# 2. Deleting while the persistence flushes ----------------------------------------------------------


async def test_deleting_right_after_tapping_name_leaves_no_conversation_behind(local_bot: LocalBot) -> None:
    await signed_up(local_bot, "Olga", user_id=900)
    person = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID)
    await local_bot.application.update_persistence()
    await person.tap("👤 Mijn gegevens")
    await person.tap("👤 Mijn gegevens")
    await person.tap("✏️ Naam")  # a conversation starts; the next flush, within 5 seconds, would store it
    await person.tap("🗑️ Mijn gegevens wissen")  # on the details shown before
    await person.tap("🗑️ Ja, wissen")
    await person.tap("🗑️ Ja, alles wissen")
    assert person.texts[-1].startswith("We hebben je naam en al je gegevens gewist.")

    await local_bot.application.update_persistence()
    database(local_bot).checkpoint()
    assert kept_about(local_bot, TELEGRAM_ID) == 0
    assert_no_trace(local_bot, NAME)
    await person.send("Anna")  # no longer in the name conversation: a stranger
    assert person.last_text == "Sorry, dat begrijp ik niet. Tik op een knop hieronder."


@pytest.mark.parametrize("handed_over", [False, True], ids=["copied", "handed-over"])
async def test_a_deletion_in_the_middle_of_a_flush_is_not_written_back(local_bot: LocalBot, handed_over: bool) -> None:
    await signed_up(local_bot, "Olga", user_id=900)
    person = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID)
    await local_bot.application.update_persistence()
    await person.tap("👤 Mijn gegevens")
    await person.tap("🎯 Wat ik wil doen")
    await person.tap("⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)")
    await person.send("Quetzal Bouw")  # answers and a conversation state wait for the next flush

    await during_a_flush(local_bot, person, "me:delete3", handed_over=handed_over)
    assert await stored(local_bot, person) is None
    for _ in range(2):  # the flush that ran, then the next one: neither writes anything of theirs
        database(local_bot).checkpoint()
        assert kept_about(local_bot, TELEGRAM_ID) == 0
        assert_no_trace(local_bot, NAME, "Quetzal Bouw")
        await local_bot.application.update_persistence()


# 3. ✖️ No thanks --------------------------------------------------------------------------------------


async def test_no_thanks_leaves_the_name_in_neither_the_file_nor_its_wal(local_bot: LocalBot) -> None:
    person = await chose_language(local_bot, name=NAME, user_id=TELEGRAM_ID)
    await person.tap("📝 Lid worden")
    await person.send(NAME)
    await local_bot.application.update_persistence()  # the typed name is in the WAL now
    await person.tap("✔️ Klaar")
    await person.tap("✖️ Liever niet")
    assert person.last_text == "Oké. We bewaren niets van je.\nJe kunt je later altijd nog aanmelden."
    await local_bot.application.update_persistence()
    assert kept_about(local_bot, TELEGRAM_ID) == 0
    assert_no_trace(local_bot, NAME)  # without a checkpoint by the test


@pytest.mark.parametrize("handed_over", [False, True], ids=["copied", "handed-over"])
async def test_no_thanks_in_the_middle_of_a_flush_is_not_written_back(local_bot: LocalBot, handed_over: bool) -> None:
    person = await chose_language(local_bot, name=NAME, user_id=TELEGRAM_ID)
    await person.tap("📝 Lid worden")
    await person.send(NAME)
    await person.tap("✔️ Klaar")  # the answers wait for the next flush

    await during_a_flush(local_bot, person, "reg:decline", handed_over=handed_over)
    assert await stored(local_bot, person) is None
    for _ in range(2):  # the flush that ran, then the next one: neither writes anything of theirs
        assert kept_about(local_bot, TELEGRAM_ID) == 0
        assert_no_trace(local_bot, NAME)  # without a checkpoint by the test
        await local_bot.application.update_persistence()


# 4. Unfinished sign-ups --------------------------------------------------------------------------------


async def test_an_unfinished_sign_up_goes_after_seven_days_without_activity(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await chose_language(local_bot, name=NAME, user_id=TELEGRAM_ID)
    await ann.tap("📝 Lid worden")
    await ann.send(NAME)
    interests = ann.last_message
    bob = await chose_language(local_bot, name="Bob", user_id=2)
    await local_bot.application.update_persistence()

    clock.advance(days=6)
    await bob.tap("📝 Lid worden")  # Bob goes on after 6 days
    await bob.send("Bob Bakker")
    await local_bot.application.update_persistence()
    clock.advance(days=1)
    await catch_up(local_bot)
    assert await stored(local_bot, ann) is not None  # exactly 7 days: not yet

    clock.advance(minutes=1)
    await catch_up(local_bot)
    assert await stored(local_bot, ann) is None
    assert kept_about(local_bot, TELEGRAM_ID) == 0
    assert TELEGRAM_ID not in local_bot.application.user_data  # nor in memory
    assert (await stored(local_bot, bob)).status == "visitor"  # active 1 day ago
    assert conversation_state.user_data_of(database(local_bot), bob.id)["reg"]["first_name"] == "Bob Bakker"
    assert (await stored(local_bot, olga)).status == "active"  # members stay, of course
    await local_bot.application.update_persistence()  # and nothing of Ann is written back
    assert kept_about(local_bot, TELEGRAM_ID) == 0
    assert_no_trace(local_bot, NAME)

    await ann.tap_on(interests, "⬜ Buren helpen")  # she comes back: her old sign-up is gone...
    assert ann.toasts == ["Deze knop werkt niet meer."]
    await ann.send("/start")  # ...and she simply starts again
    assert ann.last_text == "🌐 Kies je taal."

    clock.advance(days=7)
    await catch_up(local_bot)
    assert await stored(local_bot, bob) is None


# 5. A fingerprint of a paused account, or of an organiser whose role was taken away ---------------------


async def test_a_paused_member_who_deletes_and_signs_up_again_waits_for_an_organiser(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    person = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID)
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.send("2")
    await olga.tap(f"{NAME} · lid 0002")
    await olga.tap("⏸️ Lidmaatschap pauzeren")
    await olga.tap("✅ Ja")

    await delete_account(person)
    await local_bot.application.update_persistence()
    database(local_bot).checkpoint()
    assert_no_trace(local_bot, NAME)  # the fingerprint is no copy of the Telegram id
    assert database(local_bot).fetchone("SELECT count(*) FROM fingerprints")[0] == 1

    again = await signed_up(local_bot, "Willemijn", user_id=TELEGRAM_ID)  # WIJKBOT_APPROVAL is auto
    assert again.last_text.startswith("Bedankt, Willemijn! Een organisator kijkt naar je aanmelding.")
    member = await stored(local_bot, again)
    assert (member.status, member.member_no) == ("pending", None)
    assert olga.chat.events[-1].text.startswith("Nieuwe aanmelding: Willemijn\n")


async def test_other_people_who_delete_leave_no_fingerprint(local_bot: LocalBot) -> None:
    await signed_up(local_bot, "Olga", user_id=900)
    person = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID)
    await delete_account(person)
    assert database(local_bot).fetchone("SELECT count(*) FROM fingerprints")[0] == 0
    again = await signed_up(local_bot, "Willemijn", user_id=TELEGRAM_ID)
    assert (await stored(local_bot, again)).status == "active"


@pytest.mark.settings(ORGANISER_IDS=f"900,{TELEGRAM_ID}")
async def test_an_organiser_from_the_settings_does_not_get_a_role_back_that_was_taken_away(
    local_bot: LocalBot,
) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    person = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID)
    assert (await stored(local_bot, person)).is_organiser
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.send("2")
    await olga.tap(f"{NAME} · lid 0002")
    await olga.tap("👤 Geen organisator meer")
    await olga.tap("✅ Ja")

    await delete_account(person)
    await local_bot.application.update_persistence()
    database(local_bot).checkpoint()
    assert_no_trace(local_bot, NAME)

    again = await chose_language(local_bot, name="Willemijn", user_id=TELEGRAM_ID)
    assert not (await stored(local_bot, again)).is_organiser
    await again.tap("📝 Lid worden")
    await again.send("Willemijn")
    await again.tap("✔️ Klaar")
    await again.tap("✅ Akkoord")
    assert (await stored(local_bot, again)).status == "active"  # only the role is not given again
    assert again.keyboard == ["📅 Activiteiten", "🤝 Hulp & diensten", "🙌 Meedoen", "👤 Mijn gegevens", "❓ Hulp"]


async def test_the_privacy_statement_says_what_is_kept_after_deleting_and_why(local_bot: LocalBot) -> None:
    person = await chose_language(local_bot, "English")
    await person.tap("📝 Sign up")
    await person.send("Ann")
    await person.tap("✔️ Done")
    await person.tap("📄 Read more")
    assert (
        "One exception: was your membership paused, or your organiser role taken away? Then, after you delete"
        " your details, we keep a code made from your Telegram account. It does not hold your name or your"
        " Telegram number. It is there so that signing up again does not undo what an organiser decided."
    ) in person.last_text


# 6. A pending member who deletes ----------------------------------------------------------------------


@pytest.mark.settings(WIJKBOT_APPROVAL="organiser", ORGANISER_IDS="900,901")
async def test_a_pending_member_who_deletes_withdraws_the_approval_cards(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    bert = await signed_up(local_bot, "Bert", user_id=901, language="English")
    person = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID)
    cards = {olga: olga.last_message["message_id"], bert: bert.last_message["message_id"]}
    assert olga.chat.messages[cards[olga]]["text"].startswith(f"Nieuwe aanmelding: {NAME}")

    await delete_account(person)
    assert person.texts[-1] == nl("We deleted your name and all your details.\nGoodbye! You are always welcome back.")
    for organiser, language in ((olga, "nl"), (bert, "en")):
        card = organiser.chat.messages[cards[organiser]]
        assert card["text"] == i18n.translator(language)("This sign-up was withdrawn.")
        assert "reply_markup" not in card  # no ✅ / ❌ any more
    await local_bot.application.update_persistence()
    database(local_bot).checkpoint()
    assert_no_trace(local_bot, NAME)
