"""👤 Mijn gegevens: see, change, pause, download, and delete for good."""

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot import i18n
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, members
from tests.conftest import Clock
from tests.journeys import chose_language, database, planned_activity, signed_up, stored
from tests.test_database_calls import count_each_update

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
    assert ann.keyboard == ["📅 Activities", "🤝 Help & services", "🙌 Take part", "👤 My details", "❓ Help"]
    member = await stored(local_bot, ann)
    assert (member.neighbourhood, member.paused, member.language) == ("Noord", True, "en")


async def test_change_what_i_want_to_do_including_services(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", wants=("Meedoen aan activiteiten",))
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🎯 Wat ik wil doen")
    await ann.tap("✅ Meedoen aan activiteiten")
    await ann.tap("⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)")
    assert ann.last_text == "Wat is de naam van je bedrijf?"
    await ann.send("Ann's Naaiatelier")
    await ann.send("Ik maak en herstel kleren.")
    await ann.send("87654321")
    assert "Bedrijf: Ann's Naaiatelier" in ann.last_text
    member = await stored(local_bot, ann)
    assert member.interests == {"services"} and member.kvk == "87654321"

    await ann.tap("🎯 Wat ik wil doen")
    await ann.tap("✅ Diensten aanbieden als zzp'er (je werkt voor jezelf)")  # no longer: the business details go too
    member = await stored(local_bot, ann)
    assert member.interests == set() and member.business_name is None


def downloaded(local_bot: LocalBot, person: Person) -> tuple[dict[str, bytes], str, dict]:
    """The files of the last download, by name, with the text file read and the JSON parsed."""
    documents = [event.message["document"] for event in person.replies if event.kind == "document"]
    files = {doc["file_name"]: local_bot.emulator.documents[doc["file_id"]] for doc in documents}
    [text_name] = [name for name in files if name.endswith(".txt")]
    [json_name] = [name for name in files if name.endswith(".json")]
    return files, files[text_name].decode("utf-8-sig"), json.loads(files[json_name])


def section(text: str, heading: str) -> list[str]:
    """The lines under a heading of the text file (below its underline), up to the next heading or the last line."""
    lines = text.splitlines()
    start = end = lines.index(heading) + 2
    while end < len(lines) and not (end + 1 < len(lines) and set(lines[end + 1]) == {"-"}):
        end += 1
    body = lines[start:end]
    if end == len(lines):  # the last section: without the closing line about what is not in the file
        body = body[: len(body) - body[::-1].index("")]
    while body and not body[-1]:
        body.pop()
    return body


async def made_organiser_by_olga(olga: Person, label: str) -> None:
    """Olga finds someone under 📣 Organiseren → 👥 Leden and makes them organiser."""
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.send(label.split(" · ")[0])
    await olga.tap(label)
    await olga.tap("👑 Organisator maken")
    await olga.tap("✅ Ja")


@pytest.mark.parametrize(
    ("language", "name", "file_name", "days"),
    [
        ("Nederlands", "Ann", "mijn-gegevens-wijkbot", ("vrijdag 27 november", "zaterdag 28 november")),
        ("English", "Bob", "my-details-wijkbot", ("Friday 27 November", "Saturday 28 November")),
    ],
)
async def test_download_is_a_text_to_read_in_your_language_with_json_beside_it(
    local_bot: LocalBot, language: str, name: str, file_name: str, days: tuple[str, str]
) -> None:
    today, tomorrow = days  # the tests start on Friday at 10:00 in Amsterdam (09:00 UTC)
    olga = await signed_up(local_bot, "Olga", user_id=900)
    person = await signed_up(local_bot, name, user_id=2, language=language, wants=())
    code = "nl" if language == "Nederlands" else "en"
    _ = i18n.translator(code)
    activity = await planned_activity(local_bot, "Koken & eten", starts_in=timedelta(days=1), created_by=olga)
    await person.press(f"act:yes:{activity.id}")  # Saturday 10:00; the reminder of the day before goes now
    await made_organiser_by_olga(olga, f"{name} · lid 0002")
    counts = count_each_update(local_bot)

    await person.tap("👤 " + _("My details"))
    await person.tap("📦 " + _("Download"))
    assert counts[-1].calls <= 5
    files, text, data = downloaded(local_bot, person)
    assert sorted(files) == [file_name + ".json", file_name + ".txt"]
    assert [event.text for event in person.replies] == [
        _("This is everything we keep about you."),
        _("The same, as a file for computers."),
        i18n.plural(code)("Here is your file.", "Here are your files.", 2),  # and the way on
    ]

    assert text.startswith(_("This is everything we keep about you."))
    assert _("Name: {name}").format(name=name) in section(text, _("Who you are"))
    assert _("Organiser: {answer}").format(answer=_("yes")) in section(text, _("Who you are"))
    assert f"• {tomorrow}, 10:00 · Koken & eten · {_('you are coming')}" in section(text, _("Your activities"))
    assert section(text, _("What organisers did or decided for you")) == [f"• {today}, 10:00 · {_('made organiser')}"]
    messages = section(text, _("Messages from the bot"))
    assert messages[0] == _("Planned for you: {count}").format(count=1)
    assert messages[1].startswith(f"• {tomorrow}, 08:00 · Koken & eten · ⏰ ")  # 2 hours before
    for code in ("make_organiser", "reminder_2h", "going", "+00:00", "T09:00", "&amp;"):
        assert code not in text, code

    assert data["member"]["first_name"] == name
    assert data["member"]["telegram_id"] == person.id
    assert data["member"]["member_number"] == 2
    assert data["member"]["roles"] == ["organiser"]
    assert data["member"]["consent_given_at"] and data["member"]["privacy_statement_version"]
    assert [(a["action"], a["about_you"], a["by_you"]) for a in data["organiser_actions"]] == [
        ("make_organiser", True, False)
    ]
    assert [(a["activity"], a["status"], a["starts_at"]) for a in data["activities_signed_up"]] == [
        ("Koken & eten", "going", "2026-11-28T09:00:00+00:00")
    ]
    assert sorted((m["kind"], m["sent_at"] is not None) for m in data["messages_from_the_bot"]) == [
        ("made_organiser", True),  # "you are now an organiser" went through the outbox too
        ("reminder_2h", False),
        ("reminder_day", True),
    ]


async def test_an_organisers_download_says_what_they_did_but_not_to_whom(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await signed_up(local_bot, "Wilhelmina", user_id=2)
    activity = await planned_activity(local_bot, "Samen koken", starts_in=timedelta(days=1), created_by=olga)
    await made_organiser_by_olga(olga, "Wilhelmina · lid 0002")
    await olga.tap("👤 Mijn gegevens")
    await olga.tap("📦 Opslaan op je telefoon")
    _, text, data = downloaded(local_bot, olga)
    nl = i18n.translator("nl")

    did = section(text, nl("What you did as organiser"))
    assert did == [f"• vrijdag 27 november, 10:00 · {nl('made organiser')}"]
    assert f"• zaterdag 28 november, 10:00 · {activity.title}" in section(text, nl("Your activities"))
    assert section(text, nl("What organisers did or decided for you")) == [nl("Nothing.")]
    assert data["organiser_actions"] == [
        {"at": "2026-11-27T09:00:00+00:00", "action": "make_organiser", "by_you": True, "about_you": False}
    ]
    # Her search for the name is kept in memory only, never with her answers: there is no trace in her file.
    assert nl("What you typed that the bot still keeps") not in text
    assert "Wilhelmina" not in text
    assert "Wilhelmina" not in json.dumps(data, ensure_ascii=False)
    assert "0002" not in text


async def test_the_download_says_in_words_where_you_are_on_each_list(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann")
    bob = await signed_up(local_bot, "Bob", user_id=2)
    lunch = await planned_activity(local_bot, "Buurtlunch", starts_in=timedelta(days=1), created_by=olga)
    full = await planned_activity(local_bot, "Vol", capacity=1, starts_in=timedelta(days=5))
    quiz = await planned_activity(local_bot, "Quiz", starts_in=timedelta(days=6))
    await bob.press(f"act:yes:{full.id}")
    for activity in (lunch, full, quiz):
        await ann.press(f"act:yes:{activity.id}")
    activities.cancel(database(local_bot), quiz.id, now=clock())
    clock.now = lunch.ends_at + timedelta(hours=1)
    await olga.press(f"org:act:{lunch.id}")
    await olga.tap("✔️ Wie was er")
    await olga.tap("⬜ Ann (lid 0002)")
    clock.now = clock.now.replace(year=2027)  # a year on: dates say the year

    await ann.tap("👤 Mijn gegevens")
    await ann.tap("📦 Opslaan op je telefoon")
    _, text, data = downloaded(local_bot, ann)
    nl = i18n.translator("nl")
    assert section(text, nl("Your activities")) == [
        nl("Signed up:"),
        f"• zaterdag 28 november 2026, 10:00 · Buurtlunch · {nl('you had a place')}",
        f"• woensdag 2 december 2026, 10:00 · Vol · {nl('on the waiting list')}",
        f"• donderdag 3 december 2026, 10:00 · Quiz · {nl('does not go on')}",
        "",
        nl("You were there:"),
        "• zaterdag 28 november 2026, 10:00 · Buurtlunch",
    ]
    assert [(a["activity"], a["status"], a["cancelled"]) for a in data["activities_signed_up"]] == [
        ("Buurtlunch", "going", False),
        ("Vol", "waiting", False),
        ("Quiz", "going", True),
    ]
    assert [a["activity"] for a in data["activities_attended"]] == ["Buurtlunch"]


async def test_answers_not_finished_yet_are_in_the_download(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann")
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🎯 Wat ik wil doen")
    await ann.tap("⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)")
    await ann.send("Ann's Naaiatelier")  # the next question waits for an answer
    await ann.press("me:download")  # as from the 📦 button of an earlier message
    _, text, data = downloaded(local_bot, ann)
    assert section(text, i18n.translator("nl")("What you typed that the bot still keeps")) == ["• Ann's Naaiatelier"]
    assert "Ann's Naaiatelier" in json.dumps(data["unfinished_conversations"], ensure_ascii=False)


def raw_files(settings_path: Path) -> bytes:
    """The database file and its WAL as bytes: what someone with the disk could read."""
    return b"".join(p.read_bytes() for p in settings_path.parent.glob(settings_path.name + "*"))


async def test_delete_my_account_asks_twice_and_leaves_nothing_that_identifies(local_bot: LocalBot) -> None:
    await signed_up(local_bot, "Olga", user_id=900)
    name = "Wilhelmina Quetzalcoatl"
    person = await chose_language(local_bot, name=name, user_id=TELEGRAM_ID)
    await person.tap("📝 Lid worden")
    await person.send(name)
    await person.tap("⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)")
    await person.tap("✔️ Klaar")
    await person.send("Quetzal Bouw")
    await person.send("Ik bouw schuurtjes.")
    await person.send("11223344")
    await local_bot.application.update_persistence()  # the unfinished answers reach the file too
    await person.tap("✅ Akkoord")
    member_id = (await stored(local_bot, person)).id

    await person.tap("👤 Mijn gegevens")
    await person.tap("🗑️ Mijn gegevens wissen")
    assert person.last_text.startswith("Wil je je gegevens wissen?")
    await person.tap("↩️ Nee, bewaren")
    assert (await stored(local_bot, person)).first_name == name
    await person.tap("🗑️ Mijn gegevens wissen")
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
    await olga.tap("🗑️ Mijn gegevens wissen")
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


async def test_a_double_tap_on_download_sends_the_files_once(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", language="English")
    await ann.tap("👤 My details")
    screen = ann.last_message
    await ann.tap("📦 Download")
    assert [event.kind for event in ann.replies].count("document") == 2
    await ann.press("me:download", screen["message_id"])  # the same button again, moments later
    assert [event.kind for event in ann.replies if event.kind == "document"] == [] and not ann.toasts
    await ann.press("me:show", screen["message_id"])  # another button of that message between: a new tap after it
    await ann.press("me:download", screen["message_id"])
    assert [event.kind for event in ann.replies].count("document") == 2
