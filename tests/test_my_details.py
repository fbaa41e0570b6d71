"""👤 Mijn gegevens: see, change, pause, download, and delete for good."""

import json
from pathlib import Path

import pytest

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot
from storage import members
from tests.journeys import chose_language, database, signed_up, stored

TELEGRAM_ID = 987654321


async def test_my_details_shows_what_is_stored(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", wants=("Meedoen aan activiteiten",))
    await ann.tap("👤 Mijn gegevens")
    lines = ann.last_text.splitlines()
    assert lines[:7] == [
        "👤 Mijn gegevens",
        "",
        "Naam: Ann",
        "Nummer: lid 0001",
        "Status: lid",
        "Buurt: Anders",
        "Ik wil: Meedoen aan activiteiten",
    ]
    assert lines[-3:-1] == ["Taal: Nederlands", "Berichten: aan"]
    assert lines[-1].startswith("Sinds: ")


async def test_change_name_with_checks_and_back(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann")
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("✏️ Naam")
    await ann.send("www.example.com")
    assert ann.last_text.startswith("Een naam kan geen link bevatten.")
    await ann.send("Anna 🌷")
    assert "Naam: Anna 🌷" in ann.last_text
    await ann.tap("✏️ Naam")
    await ann.tap("⬅️ Terug")
    assert "Naam: Anna 🌷" in ann.last_text
    await ann.send("Iemand anders")  # no longer typing a name: just text
    assert ann.last_text == "Sorry, dat begrijp ik niet. Tik op een knop hieronder."
    assert (await stored(local_bot, ann)).first_name == "Anna 🌷"


@pytest.mark.settings(WIJKBOT_NEIGHBOURHOODS="Centrum,Noord")
async def test_change_neighbourhood_language_and_pause(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann")
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🏘️ Buurt")
    await ann.tap("Noord")
    assert "Buurt: Noord" in ann.last_text
    await ann.tap("🔕 Berichten pauzeren")
    assert ann.toasts == ["Berichten staan op pauze."]
    assert "Berichten: op pauze" in ann.last_text
    await ann.tap("🌐 Taal")
    await ann.tap("English")
    assert ann.last_text == "OK. I now speak English with you."
    assert ann.keyboard == ["📅 Activities", "👤 My details", "❓ Help"]
    member = await stored(local_bot, ann)
    assert (member.neighbourhood, member.paused, member.language) == ("Noord", True, "en")


async def test_change_what_i_want_to_do_including_services(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", wants=("Meedoen aan activiteiten",))
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🎯 Wat ik wil doen")
    await ann.tap("✅ Meedoen aan activiteiten")
    await ann.tap("⬜ Diensten aanbieden als ZZP'er")
    assert ann.last_text == "Wat is de naam van je bedrijf?"
    await ann.send("Ann's Naaiatelier")
    await ann.send("Ik maak en herstel kleren.")
    await ann.send("87654321")
    assert "Bedrijf: Ann's Naaiatelier" in ann.last_text
    member = await stored(local_bot, ann)
    assert member.interests == {"services"} and member.kvk == "87654321"

    await ann.tap("🎯 Wat ik wil doen")
    await ann.tap("✅ Diensten aanbieden als ZZP'er")  # no longer: the business details go too
    member = await stored(local_bot, ann)
    assert member.interests == set() and member.business_name is None


async def test_download_holds_everything_stored(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", wants=("Buren helpen",))
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("📦 Downloaden")
    event = ann.replies[-1]
    assert event.kind == "document" and event.text == "Dit is alles wat we van je bewaren."
    data = json.loads(local_bot.emulator.documents[event.message["document"]["file_id"]])
    assert data["member"]["first_name"] == "Ann"
    assert data["member"]["telegram_id"] == ann.id
    assert data["member"]["member_number"] == 1
    assert data["member"]["wants_to"] == ["helping"]
    assert data["member"]["consent_given_at"] and data["member"]["privacy_statement_version"]


def raw_files(settings_path: Path) -> bytes:
    """The database file and its WAL as bytes: what someone with the disk could read."""
    return b"".join(p.read_bytes() for p in settings_path.parent.glob(settings_path.name + "*"))


async def test_delete_my_account_asks_twice_and_leaves_nothing_that_identifies(local_bot: LocalBot) -> None:
    await signed_up(local_bot, "Olga", user_id=900)
    name = "Wilhelmina Quetzalcoatl"
    person = await chose_language(local_bot, name=name, user_id=TELEGRAM_ID)
    await person.tap("📝 Lid worden")
    await person.send(name)
    await person.tap("⬜ Diensten aanbieden als ZZP'er")
    await person.tap("✔️ Klaar")
    await person.send("Quetzal Bouw")
    await person.send("Ik bouw schuurtjes.")
    await person.send("11223344")
    await local_bot.application.update_persistence()  # the unfinished answers reach the file too
    await person.tap("✅ Akkoord")
    member_id = (await stored(local_bot, person)).id

    await person.tap("👤 Mijn gegevens")
    await person.tap("🗑️ Mijn account wissen")
    assert person.last_text.startswith("Wil je je account wissen?")
    await person.tap("↩️ Nee, bewaren")
    assert (await stored(local_bot, person)).first_name == name
    await person.tap("🗑️ Mijn account wissen")
    await person.tap("🗑️ Ja, wissen")
    assert person.last_text.startswith("Weet je het echt zeker?")
    await person.tap("🗑️ Ja, alles wissen")
    assert person.texts[-1].startswith("We hebben je naam en al je gegevens gewist.")
    assert "lidnummer" in person.texts[-1]  # what is kept, and why
    assert person.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]

    db = database(local_bot)
    assert await stored(local_bot, person) is None
    tombstone = members.get(db, member_id)
    assert (tombstone.status, tombstone.first_name, tombstone.telegram_id, tombstone.member_no) == (
        "deleted",
        None,
        None,
        2,
    )
    await local_bot.application.update_persistence()
    db.checkpoint()
    raw = raw_files(runtime_of(local_bot.application).settings.db_path)
    for secret in (name, "Quetzal Bouw", "schuurtjes", "11223344", str(TELEGRAM_ID)):
        assert secret.encode() not in raw, secret
    assert TELEGRAM_ID.to_bytes(4, "big") not in raw

    await person.send("/start")  # a stranger again
    assert person.last_text == "🌐 Kies je taal."


async def test_the_last_organiser_cannot_delete_their_account(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await olga.tap("👤 Mijn gegevens")
    await olga.tap("🗑️ Mijn account wissen")
    await olga.tap("🗑️ Ja, wissen")
    await olga.tap("🗑️ Ja, alles wissen")
    assert olga.last_text.startswith("Je bent de laatste organisator.")
    assert (await stored(local_bot, olga)).first_name == "Olga"


@pytest.mark.parametrize("data", ["me:show", "me:download", "me:delete3", "me:name", "me:toggle:helping"])
async def test_someone_who_is_not_a_member_is_told_how_to_join(local_bot: LocalBot, data: str) -> None:
    ann = await chose_language(local_bot)
    await ann.press(data)
    assert ann.toasts == ["Dit is voor leden. Tik op 📝 Lid worden om lid te worden."]
    assert ann.texts == ["Dit is voor leden. Tik op 📝 Lid worden om lid te worden."]
    assert ann.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]


async def test_my_details_typed_by_a_stranger(local_bot: LocalBot) -> None:
    eve = local_bot.person("Eve", user_id=66, language_code="en")
    await eve.send("👤 My details")
    assert eve.texts == ["This is for members. Tap 📝 Sign up to become a member."]
