"""📣 Organiseren → 👥 Leden: counts, finding members, the member file, roles and suspension."""

import csv
import io

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import audit
from tests.journeys import database, kept_apart, last_file, signed_up, stored


async def organiser_and_members(local_bot: LocalBot) -> tuple[Person, Person, Person]:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    zoe = await signed_up(local_bot, "Zoë فاطمة", user_id=3, wants=("Buren helpen",))
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    return olga, bob, zoe


async def test_counts_of_members(local_bot: LocalBot) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    assert olga.last_text == "👥 Leden\nActief: 3\nWachten op goedkeuring: 0\nOp pauze: 0"
    assert olga.inline_labels == [
        "⏳ Nieuwe aanmeldingen",
        "🔎 Lid zoeken",
        "📄 Alle leden als bestand",
        "⬅️ Terug",
        "🏠 Menu",
    ]


ZOE = kept_apart("Zoë فاطمة")  # a name with Arabic letters keeps " · lid 0003" after it


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("zoë", [f"{ZOE} · lid 0003"]),
        ("فاطمة", [f"{ZOE} · lid 0003"]),
        ("2", ["Bob · lid 0002"]),
        ("lid 0001", ["Olga · lid 0001"]),
        ("o", ["Olga · lid 0001", "Bob · lid 0002", f"{ZOE} · lid 0003"]),
    ],
)
async def test_find_a_member_by_name_or_number(local_bot: LocalBot, query: str, found: list[str]) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    await olga.tap("🔎 Lid zoeken")
    assert olga.last_text == "Typ een naam of een lidnummer."
    await olga.send(query)
    assert olga.last_text.startswith(f"Gevonden voor “{kept_apart(query)}”: {len(found)}")
    assert olga.inline_labels[: len(found)] == found


async def test_nobody_found_and_results_come_five_a_page(local_bot: LocalBot) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    await olga.tap("🔎 Lid zoeken")
    await olga.send("<script>")
    assert olga.last_text == "Niemand gevonden voor “<script>”."
    for number in range(4, 11):
        await signed_up(local_bot, f"Piet {number}", user_id=number)
    await olga.tap("🔎 Opnieuw zoeken")
    await olga.send("piet")
    assert olga.inline_labels[:6] == [f"Piet {n} · lid {n:04d}" for n in range(4, 9)] + ["▶️"]
    await olga.tap("▶️")
    assert olga.inline_labels[:3] == ["Piet 9 · lid 0009", "Piet 10 · lid 0010", "◀️"]


async def test_all_members_as_a_file_that_excel_opens(local_bot: LocalBot) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    await signed_up(local_bot, '=HYPERLINK("x")', user_id=4)
    await olga.tap("📄 Alle leden als bestand")
    document, data = last_file(local_bot, olga)
    assert document["file_name"] == "leden.csv"
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Nummer", "Voornaam", "Status", "Organisator"]
    assert rows[1][:4] == ["lid 0001", "Olga", "lid", "ja"]
    assert rows[3][1] == "Zoë فاطمة" and rows[3][5] == "Buren helpen"
    assert rows[4][1] == '\'=HYPERLINK("x")'  # never a formula in Excel
    assert [e.text for e in olga.replies if e.kind == "document"] == ["Alle leden: 4"]


async def test_make_and_remove_organiser_but_never_the_last(local_bot: LocalBot) -> None:
    olga, bob, _zoe = await organiser_and_members(local_bot)
    await olga.tap("🔎 Lid zoeken")
    await olga.send("Bob")
    await olga.tap("Bob · lid 0002")
    await olga.tap("👑 Organisator maken")
    await olga.tap("✅ Ja")
    assert olga.toasts == ["Gedaan."]
    assert "👑 Organisator" in olga.last_text
    assert bob.chat.events[-1].text == "You are now an organiser. Tap 📣 Organise in the menu."
    assert bob.chat.reply_keyboard == [
        ["📅 Activities", "🤝 Help & services"],
        ["🙌 Take part", "👤 My details"],
        ["❓ Help", "📣 Organise"],
    ]

    await bob.tap("📣 Organise")
    await bob.tap("👥 Members")
    await bob.tap("🔎 Find a member")
    await bob.send("Olga")
    await bob.tap("Olga · member 0001")
    await bob.tap("👤 Remove organiser")
    await bob.tap("✅ Yes")
    assert bob.toasts == ["Done."]

    await bob.tap("⬅️ Back")
    await bob.tap("🔎 Find a member")
    await bob.send("Bob")
    await bob.tap("Bob · member 0002")
    await bob.tap("👤 Remove organiser")  # Bob is the last one now
    await bob.tap("✅ Yes")
    assert bob.toasts == ["Not possible: there must always be at least one organiser."]
    assert (await stored(local_bot, bob)).is_organiser

    olga_id, bob_id = (await stored(local_bot, olga)).id, (await stored(local_bot, bob)).id
    log = (await database(local_bot).read_parts(olga_id, audit.ABOUT))[0]
    assert [(e.actor_id, e.action, e.target_id) for e in log] == [
        (olga_id, "make_organiser", bob_id),
        (bob_id, "remove_organiser", olga_id),
    ]
    assert all(e.at is not None for e in log)


async def test_suspend_and_reinstate_a_member(local_bot: LocalBot) -> None:
    olga, bob, _zoe = await organiser_and_members(local_bot)
    await olga.tap("🔎 Lid zoeken")
    await olga.send("2")
    await olga.tap("Bob · lid 0002")
    await olga.tap("⏸️ Lidmaatschap pauzeren")
    await olga.tap("✅ Ja")
    assert "Status: gepauzeerd door een organisator" in olga.last_text
    assert bob.chat.events[-1].text == "Your membership is paused. Please talk to an organiser."

    await bob.tap("👤 My details")  # their own data stays theirs
    assert "Status: paused by an organiser" in bob.last_text
    await bob.press("org:members")
    assert bob.toasts == ["Your membership is paused. Please talk to an organiser."]

    await olga.tap("▶️ Weer actief maken")

    await olga.tap("✅ Ja")
    assert (await stored(local_bot, bob)).status == "active"
    assert bob.chat.events[-1].text == "Your membership is active again. Welcome back!"


async def test_the_last_organiser_cannot_be_suspended(local_bot: LocalBot) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    olga_id = (await stored(local_bot, olga)).id
    await olga.press(f"org:suspendok:{olga_id}:1")  # also when the question is skipped
    assert olga.toasts == ["Dit kan niet: er moet altijd minstens één organisator zijn."]
    assert (await stored(local_bot, olga)).status == "active"


@pytest.mark.parametrize(
    "data",
    ["org:members", "org:csv", "org:role:{bob}:1", "org:roleok:{bob}:1", "org:suspendok:{olga}:1", "org:card:{olga}"],
)
async def test_organiser_actions_by_a_member_are_refused_and_change_nothing(local_bot: LocalBot, data: str) -> None:
    olga, bob, _zoe = await organiser_and_members(local_bot)
    ids = {"bob": (await stored(local_bot, bob)).id, "olga": (await stored(local_bot, olga)).id}
    await bob.press(data.format(**ids))
    assert bob.toasts == ["Only organisers can do this."]
    assert not [e for e in bob.replies if e.kind == "document"]
    assert not (await stored(local_bot, bob)).is_organiser
    assert (await stored(local_bot, olga)).status == "active"


@pytest.mark.parametrize("data", ["org:card:999", "org:card:x", "org:role:1", "org:pending:-1"])
async def test_broken_organiser_buttons_are_stale(local_bot: LocalBot, data: str) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    await olga.press(data)
    assert olga.toasts == ["Deze knop werkt niet meer."]


async def test_a_role_or_membership_changes_only_after_asking_once(local_bot: LocalBot) -> None:
    olga, bob, _zoe = await organiser_and_members(local_bot)
    await olga.tap("🔎 Lid zoeken")
    await olga.send("Bob")
    await olga.tap("Bob · lid 0002")
    bob.look()
    await olga.tap("👑 Organisator maken")
    assert olga.last_text == "Bob organisator maken?"
    await olga.tap("↩️ Nee")
    assert not (await stored(local_bot, bob)).is_organiser
    assert olga.last_text.startswith("Naam: Bob")  # the card again
    await olga.tap("⏸️ Lidmaatschap pauzeren")
    assert olga.last_text == "Het lidmaatschap van Bob pauzeren?"
    await olga.tap("✅ Ja")
    assert (await stored(local_bot, bob)).status == "suspended"
    assert bob.look()[0].text == "Your membership is paused. Please talk to an organiser."


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("ozlem", "Özlem"),
        ("O\u0308zlem", "Özlem"),  # the same letters, typed as o + two dots
        ("ibrahim", "İbrahim"),
        ("IBRAHIM", "İbrahim"),
        ("Ahmed 2", "Ahmed 2"),  # a name with a number in it is a name, not member 2
        ("lid 0002", "Bob"),
    ],
)
async def test_a_search_finds_names_as_people_type_them(local_bot: LocalBot, typed: str, found: str) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    for number, name in enumerate(("Özlem", "İbrahim", "Ahmed 2"), start=4):
        await signed_up(local_bot, name, user_id=number)
    await olga.tap("🔎 Lid zoeken")
    await olga.send(typed)
    assert [label.split(" · ")[0] for label in olga.inline_labels[:-3]] == [found]


async def test_a_search_without_letters_asks_again(local_bot: LocalBot) -> None:
    olga, _bob, _zoe = await organiser_and_members(local_bot)
    await olga.tap("🔎 Lid zoeken")
    await olga.send("  ...  ")
    assert olga.last_text.startswith("Typ minstens één letter of cijfer.")
