"""Organisers and published activities: who comes, changes and cancelling, attendance, the month overview."""

import csv
import io
import json
from datetime import timedelta

from bot import i18n
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, outbox
from tests.conftest import Clock
from tests.journeys import catch_up, database, last_file, member_id, planned_activity, signed_up, stored


def comes(count: int) -> str:
    """How the card and 👥 Who comes say how many come, in Dutch."""
    return i18n.plural("nl")("{count} person comes", "{count} people come", count).format(count=count)


def waits(count: int) -> str:
    return i18n.plural("nl")("{count} person waits", "{count} people wait", count).format(count=count)


async def full_activity(local_bot: LocalBot) -> tuple[Person, list[Person], activities.Activity]:
    """Olga's activity with two places: Ann and Bob come, Cem waits."""
    olga = await signed_up(local_bot, "Olga", user_id=900)
    people = [await signed_up(local_bot, n, user_id=i) for i, n in enumerate(("Ann", "Bob", "Cem"), start=1)]
    activity = await planned_activity(local_bot, "Buurtlunch", capacity=2, starts_in=timedelta(days=3), created_by=olga)
    for person in people:
        await person.press(f"act:yes:{activity.id}")
    olga.look()
    await olga.tap("📣 Organiseren")
    await olga.tap("🗂️ Activiteiten")
    await olga.tap(olga.inline_labels[0])
    return olga, people, activity


async def test_who_comes_and_who_waits(local_bot: LocalBot) -> None:
    olga, _people, _activity = await full_activity(local_bot)
    counts = f"{comes(2)} · {waits(1)}"
    assert counts in olga.last_text
    await olga.tap("👥 Wie komt")
    assert olga.last_text.splitlines() == [
        "Buurtlunch",
        counts,
        "",
        "✅ Wie komt",
        "• Ann (lid 0002)",
        "• Bob (lid 0003)",
        "",
        "⏳ Wachtlijst",
        "1. Cem (lid 0004)",
    ]
    await olga.tap("⬅️ Terug")
    await olga.tap("📄 Als bestand")
    _document, data = last_file(local_bot, olga)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Lijst", "Plek in de rij", "Nummer", "Voornaam"],
        ["Komt", "1", "lid 0002", "Ann"],
        ["Komt", "2", "lid 0003", "Bob"],
        ["Wachtlijst", "1", "lid 0004", "Cem"],
    ]


async def test_changing_the_time_tells_everyone_and_moves_the_reminders(local_bot: LocalBot, clock: Clock) -> None:
    olga, (ann, bob, cem), activity = await full_activity(local_bot)
    clock.now = activity.starts_at - timedelta(hours=25)
    await catch_up(local_bot)  # reminders for the old time are planned
    await olga.tap("✏️ Aanpassen")
    assert olga.inline_labels[:9] == [
        "Titel", "Beschrijving", "Dag", "Begin", "Einde", "Plaats", "Plekken", "Kosten", "Meenemen",
    ]  # fmt: skip
    await olga.tap("Begin")
    await olga.send("15:00")
    await olga.send("17:00")
    assert "🕑 maandag 30 november, 15:00–17:00" in olga.last_text
    assert "Iedereen die komt of wacht krijgt een bericht over de verandering." in olga.last_text
    await olga.tap("✅ Ja, opslaan en laten weten")
    assert (
        olga.last_text == "✅ Aangepast. Iedereen die komt of wacht, krijgt een bericht."
    )  # not "got": maybe at 08:00
    assert olga.inline_labels == ["⬅️ Terug", "🏠 Menu"]
    for person in (ann, bob, cem):
        [changed] = person.look()
        assert changed.text.startswith(
            "✏️ Deze activiteit is veranderd. Kijk nog even.\nWat is er veranderd: tijd.\n\n"
            "Buurtlunch\n🕑 maandag 30 november, 15:00–17:00"
        )

    clock.now = activity.starts_at - timedelta(hours=24)  # the old day-before moment
    await catch_up(local_bot)
    assert ann.look() == []
    clock.now = activity.starts_at + timedelta(hours=5) - timedelta(hours=24)  # the new one
    await catch_up(local_bot)
    assert ann.look()[0].text.startswith("⏰ Herinnering: morgen is het zover. Je komt.")
    assert cem.look() == []


async def test_cancelling_tells_everyone(local_bot: LocalBot) -> None:
    olga, (ann, bob, cem), activity = await full_activity(local_bot)
    await olga.tap("🚫 Afzeggen")
    assert olga.last_text == "“Buurtlunch” afzeggen?\n3 mensen die komen of wachten, krijgen een bericht."
    await olga.tap("🚫 Ja, afzeggen")
    assert olga.toasts == ["Afgezegd."]
    assert olga.last_text.startswith("🚫 Deze activiteit gaat niet door.")
    for person in (ann, bob, cem):
        assert person.look()[0].text.startswith("🚫 Deze activiteit gaat niet door.\n\nBuurtlunch")
    await ann.press(f"act:yes:{activity.id}")
    assert ann.toasts == ["Deze activiteit gaat niet door."]
    await olga.press(f"org:cancelok:{activity.id}")
    assert olga.toasts == ["Dit was al zo."]


async def test_attendance_and_the_month_overview_for_funders(local_bot: LocalBot, clock: Clock) -> None:
    olga, (ann, bob, cem), activity = await full_activity(local_bot)
    second = await planned_activity(local_bot, "Spelletjes", starts_in=timedelta(days=1), created_by=olga)
    await ann.press(f"act:yes:{second.id}")
    clock.now = activity.ends_at + timedelta(hours=1)
    await olga.press(f"org:act:{activity.id}")
    await olga.tap("✔️ Wie was er")
    assert olga.last_text == "Wie was er? Tik iedereen aan die kwam.\nAanwezig: 0 van 2"
    await olga.tap("⬜ Ann (lid 0002)")
    await olga.tap("⬜ Bob (lid 0003)")
    await olga.tap("☑️ Bob (lid 0003)")  # not there after all
    await olga.tap("⬜ Bob (lid 0003)")
    assert olga.last_text.endswith("Aanwezig: 2 van 2")
    bob_id, now = await member_id(local_bot, bob), clock()
    for _tap in range(2):  # both taps of a double tap on ⬜ Bob: the second sets the same, it does not undo
        assert activities.set_attendance(database(local_bot), activity.id, bob_id, now, here=True) is True
    assert database(local_bot).fetchone("SELECT count(*) FROM attendance WHERE member_id = ?", (bob_id,))[0] == 1
    await olga.press(f"org:act:{second.id}")
    await olga.tap("✔️ Wie was er")
    await olga.tap("⬜ Ann (lid 0002)")

    await olga.press("org:month:now")
    assert olga.last_text.splitlines() == [
        "📈 november 2026",
        "Activiteiten gehouden: 2",
        "Aanwezig: 3",
        "Verschillende deelnemers: 2",
        "Nieuwe deelnemers: 2",
    ]
    await olga.tap("▶️")
    assert olga.last_text.splitlines()[:2] == ["📈 december 2026", "Activiteiten gehouden: 0"]
    await olga.tap("◀️")
    await olga.tap("📄 Als bestand")
    _document, data = last_file(local_bot, olga)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Dag", "Activiteit", "Komt", "Aanwezig"]
    assert [row[1:] for row in rows[1:3]] == [["Spelletjes", "1", "1"], ["Buurtlunch", "2", "2"]]
    assert rows[-2:] == [["Verschillende deelnemers", "2"], ["Nieuwe deelnemers", "2"]]


async def test_attendance_is_only_for_activities_that_started(local_bot: LocalBot) -> None:
    olga, _people, activity = await full_activity(local_bot)
    assert "✔️ Wie was er" not in olga.inline_labels
    await olga.press(f"org:attend:{activity.id}:0")
    assert olga.toasts == ["Deze knop werkt niet meer."]


async def test_deleting_an_account_offers_its_place_and_the_download_lists_activities(local_bot: LocalBot) -> None:
    _olga, (ann, bob, cem), activity = await full_activity(local_bot)
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("📦 Opslaan op je telefoon")
    data = json.loads(last_file(local_bot, ann)[1])  # the text to read, then this: the JSON
    assert data["activities_signed_up"][0]["activity"] == "Buurtlunch"
    assert data["activities_signed_up"][0]["status"] == "going"
    ann_id = (await stored(local_bot, ann)).id
    await ann.tap("🗑️ Mijn gegevens wissen")
    await ann.tap("🗑️ Ja, wissen")
    await ann.tap("🗑️ Ja, alles wissen")
    assert cem.look()[0].text.startswith("🎉 Er is een plek vrij voor jou!")
    db = database(local_bot)
    assert ann_id not in [p.member_id for p in await activities.people(db, activity.id, "going")]
    assert not [key for key, member in outbox.sent(db) if member == ann_id]


async def test_an_activity_that_started_cannot_be_cancelled(local_bot: LocalBot, clock: Clock) -> None:
    olga, (ann, _bob, cem), activity = await full_activity(local_bot)
    old_card = olga.last_message
    clock.now = activity.starts_at + timedelta(minutes=1)
    await olga.tap_on(old_card, "🚫 Afzeggen")  # a stale button
    assert olga.toasts == ["Deze activiteit is begonnen. Je kunt hem niet meer afzeggen."]
    await olga.press(f"org:cancelok:{activity.id}")  # or forged straight to "yes"
    assert olga.toasts == ["Deze activiteit is begonnen. Je kunt hem niet meer afzeggen."]
    assert not activities.get(database(local_bot), activity.id).cancelled
    await catch_up(local_bot)
    assert ann.look() == [] and cem.look() == []


async def test_ticks_only_for_activities_that_took_place_and_only_those_count(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga, (ann, _bob, _cem), activity = await full_activity(local_bot)
    ann_id = (await stored(local_bot, ann)).id
    db = database(local_bot)
    await olga.press(f"org:mark:{activity.id}:{ann_id}:0:1")  # forged: before the start
    assert olga.toasts == ["Deze knop werkt niet meer."]
    cancelled = await planned_activity(local_bot, "Gaat niet door", starts_in=timedelta(days=1), created_by=olga)
    await ann.press(f"act:yes:{cancelled.id}")
    activities.cancel(db, cancelled.id, now=clock())
    later = await planned_activity(local_bot, "Later deze maand", starts_in=timedelta(days=2), created_by=olga)
    with db.transaction() as conn:  # ticks stored for them before these rules existed
        conn.execute("INSERT INTO attendance VALUES (?, ?), (?, ?)", (cancelled.id, ann_id, later.id, ann_id))
    clock.now = cancelled.starts_at + timedelta(hours=3)
    await olga.press(f"org:mark:{cancelled.id}:{ann_id}:0:1")
    assert olga.toasts == ["Deze knop werkt niet meer."]
    assert db.fetchone("SELECT count(*) FROM attendance")[0] == 2  # nothing written
    await olga.press("org:month:now")
    assert olga.last_text.splitlines()[1:] == [
        "Activiteiten gehouden: 0",  # cancelled, and not yet happened
        "Aanwezig: 0",
        "Verschillende deelnemers: 0",
        "Nieuwe deelnemers: 0",
    ]


async def test_places_can_change_but_never_below_the_people_coming(local_bot: LocalBot) -> None:
    olga, (ann, _bob, cem), activity = await full_activity(local_bot)  # 2 places: Ann and Bob come, Cem waits
    await olga.tap("✏️ Aanpassen")
    await olga.tap("Plekken")
    await olga.send("1")
    await olga.tap("✅ Ja, opslaan en laten weten")
    assert olga.last_text.startswith("Er komen al 2 mensen. Er moeten minstens zoveel plekken zijn.")
    assert activities.get(database(local_bot), activity.id).capacity == 2
    await olga.send("3")
    assert "👥 Nog 1 plek vrij" in olga.last_text  # the preview counts the people who come
    await olga.tap("✅ Ja, opslaan en laten weten")
    told = [event.text.split("\n")[0] for event in cem.look()]  # the news, and the new place: first in line
    assert told == ["✏️ Deze activiteit is veranderd. Kijk nog even.", "🎉 Er is een plek vrij voor jou! Wil je die?"]
    assert ann.look()[0].text.startswith(
        "✏️ Deze activiteit is veranderd. Kijk nog even.\nWat is er veranderd: plekken."
    )


async def test_organisers_see_what_is_coming_first_then_what_just_happened(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    for days, title in ((1, "Morgen"), (5, "Later"), (2, "Overmorgen")):
        await planned_activity(local_bot, title, starts_in=timedelta(days=days), created_by=olga)
    clock.advance(days=3)  # Morgen and Overmorgen took place; Later is coming
    await olga.tap("📣 Organiseren")
    await olga.tap("🗂️ Activiteiten")
    assert [label.split(" · ")[0] for label in olga.inline_labels[:3]] == ["Later", "Overmorgen", "Morgen"]


async def test_an_old_page_button_after_the_list_got_shorter_shows_the_first_page(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    await planned_activity(local_bot, "Enige")
    await ann.press("act:list:3")
    assert ann.last_text == "📅 Activiteiten. Tik er een aan voor meer."
    assert ann.inline_labels[0].startswith("Enige · ")


async def test_back_from_changing_a_published_activity_goes_to_its_card(local_bot: LocalBot) -> None:
    olga, _people, activity = await full_activity(local_bot)
    await olga.tap("✏️ Aanpassen")
    await olga.tap("Plaats")
    await olga.send("De Bieb")
    assert olga.last_text.startswith("Zo zien leden het:")
    await olga.tap("⬅️ Terug")  # not back and forth between the preview and "what do you want to change?"
    assert olga.last_text.startswith("📅 Buurtlunch")
    assert "✏️ Aanpassen" in olga.inline_labels
    assert activities.get(database(local_bot), activity.id).place == "Buurthuis"  # nothing was saved
