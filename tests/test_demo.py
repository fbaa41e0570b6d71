"""`wijkbot demo` read from a pipe: a scripted conversation and its whole transcript."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

OUR_SETTINGS = ("BOT_TOKEN", "TELEGRAM_API_BASE_URL", "ORGANISER_IDS")


def demo_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any of our settings, plus these."""
    env = {k: v for k, v in os.environ.items() if k not in OUR_SETTINGS and not k.startswith("WIJKBOT_")}
    return {**env, **settings}


def run_demo(folder: Path, script: str, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`wijkbot demo` started in `folder`, reading the script from a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
        env=demo_environment(**settings),
    )


def assert_in_order(transcript: str, expected_in_order: list[str]) -> None:
    position = 0
    for line in expected_in_order:
        found = transcript.find(line, position)
        assert found >= 0, f"{line!r} missing after position {position} in:\n{transcript}"
        position = found + len(line)


SCRIPT = """/start
2
2
❓ Help
9
hello there
1
Ann
1
1
4
1
:olga
/start
:ann
👤 My details
📅 Activities
1
1
:quit
"""


def test_the_demo_plays_a_scripted_conversation(tmp_path: Path) -> None:
    result = run_demo(tmp_path, SCRIPT, "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert_in_order(
        result.stdout,
        [
            "Ann> /start",
            "🤖 Welkom bij de wijkbot van onze coöperatie!",  # her phone reads Dutch
            "   Andere taal? Tik op 🌐 Taal.",
            "   ⌨️ [1] 📝 Lid worden  [2] 🌐 Taal  [3] ❓ Hulp",
            "Ann> 2",
            "🤖 🌐 Kies je taal.",
            "   [1] Nederlands  [2] English",
            "Ann> 2",
            "💬 ✅ English",
            "🤖 OK. I now speak English with you.",
            "   ⌨️ [1] 📝 Sign up  [2] 🌐 Language  [3] ❓ Help",
            "Ann> ❓ Help",
            "🤖 With this bot you take part in your neighbourhood.",
            "Ann> 9",
            "Er is geen knop 9.",
            "🤖 Sorry, I do not understand that. Tap a button below.",
            "Ann> 1",
            "🤖 What is your first name? Type it below.",
            "Ann> Ann",
            "🤖 In which neighbourhood do you live?",
            "   [1] Centrum  [2] Noord",
            "Ann> 1",
            "✏️ What do you want to do? Tap all that fit you.",
            "   [1] ⬜ Join activities",
            "Ann> 1",
            "   [1] ✅ Join activities",
            "   [4] ✔️ Done",
            "Ann> 4",
            "✏️ Before you become a member:",
            "   [1] ✅ I agree",
            "Ann> 1",
            "🤖 Welcome, Ann! You are now a member.",
            "   Your number is member 0004. Show it at the desk of the community centre.",
            # the sample vote is open
            "   ⌨️ [1] 📅 Activities  [2] 🤝 Help & services  [3] 🗳️ Votes  [4] 🙌 Take part  [5] 👤 My details"
            "  [6] ❓ Help",
            "Je bent nu Olga (organisator).",
            "Olga> /start",
            "🤖 Wat wil je doen? Tik op een knop.",  # Olga is a seeded organiser: straight to the menu
            "   ⌨️ [1] 📅 Activiteiten  [2] 🤝 Hulp & diensten  [3] 🗳️ Stemmen  [4] 🙌 Meedoen  [5] 👤 Mijn gegevens"
            "  [6] ❓ Hulp  [7] 📣 Organiseren",
            "Je bent nu Ann (bewoner).",
            "Ann> 👤 My details",
            "   Name: Ann",
            "   Neighbourhood: Centrum",
            "Ann> 📅 Activities",
            "   [1] Taalcafé · ",  # sample activities, soonest first (the demo runs on the real date)
            "Ann> 1",
            "   👥 2 places left",
            "   [1] ✅ I'm coming",
            "Ann> 1",
            "💬 ✅ You are coming. See you there!",
            "   👥 1 place left",
            "Ann> :quit",
        ],
    )


def test_the_demo_sends_a_voice_message_and_a_sticker(tmp_path: Path) -> None:
    result = run_demo(tmp_path, "/start\n:send voice\n:send sticker\n:quit\n", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    assert_in_order(
        result.stdout,
        [
            "Ann> :send voice",
            "🤖 Ik kan nog geen spraakberichten lezen. Tik op een knop.",
            "Ann> :send sticker",
            "🤖 Leuke sticker! Maar stickers kan ik niet lezen. Tik op een knop.",
        ],
    )


def test_the_demo_keeps_its_own_database_and_seeds_it_once(tmp_path: Path) -> None:
    for _ in range(2):
        result = run_demo(tmp_path, ":quit\n")
        assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "wijkbot-demo.db") as conn:
        names = [row[0] for row in conn.execute("SELECT first_name FROM members ORDER BY id")]
    assert names == ["Olga", "Fatima", "Piet"]
    assert not (tmp_path / "wijkbot.db").exists()


@pytest.mark.parametrize("where", ["missing folder", "folder", "file as folder", "not a database"])
def test_a_demo_database_that_cannot_be_is_one_line_naming_the_option(tmp_path: Path, where: str) -> None:
    (tmp_path / "notes.txt").write_text("not a folder, and not a database either")
    db = {
        "missing folder": tmp_path / "missing" / "demo.db",
        "folder": tmp_path,
        "file as folder": tmp_path / "notes.txt" / "demo.db",
        "not a database": tmp_path / "notes.txt",
    }[where]
    result = run_demo(tmp_path, ":quit\n", "--db", str(db))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wijkbot: --db: "), lines
    assert result.stdout == ""
    assert not (tmp_path / "missing").exists()


def test_the_demo_ignores_the_settings_for_telegram_and_the_real_database(tmp_path: Path) -> None:
    result = run_demo(
        tmp_path,
        ":quit\n",
        "--db",
        str(tmp_path / "demo.db"),
        BOT_TOKEN="not a token",
        TELEGRAM_API_BASE_URL="nowhere",
        WIJKBOT_DB=str(tmp_path / "missing" / "wijkbot.db"),
        WIJKBOT_DEFAULT_LANGUAGE="en",  # other settings still apply
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "You are Ann (resident)." in result.stdout
    assert (tmp_path / "demo.db").exists()
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"WIJKBOT_TIMEZONE": "Nowhere/Town"}, "WIJKBOT_TIMEZONE"),
        ({"WIJKBOT_DEFAULT_LANGUAGE": "de"}, "WIJKBOT_DEFAULT_LANGUAGE"),
    ],
)
def test_the_other_settings_are_still_checked_for_the_demo(tmp_path: Path, settings: dict, named: str) -> None:
    result = run_demo(tmp_path, ":quit\n", "--db", str(tmp_path / "demo.db"), **settings)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wijkbot: {named}: "), lines


PLAN_AND_FIND = """:olga
📣 Organise
1
Buurtborrel
Samen iets drinken.
c
14:00
16:00
a
12
A
a
📣 Organise
4
2
2
:quit
"""


def test_a_number_typed_while_the_bot_waits_for_one_is_the_answer(tmp_path: Path) -> None:
    result = run_demo(tmp_path, PLAN_AND_FIND, "--db", str(tmp_path / "demo.db"), WIJKBOT_DEFAULT_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    assert_in_order(
        transcript,
        [
            "When the bot asks you to type an answer, its buttons get letters: then a number you type is your answer.",
            "Olga> 📣 Organise",
            "   [1] 📅 New activity",  # buttons only: numbers tap them
            "Olga> 1",
            "✏️ What is the activity called?",
            "   [a] ⬅️ Back  [b] 🏠 Menu",  # the bot waits for typing: buttons get letters
            "Olga> Buurtborrel",
            "Olga> c",
            "Olga> a",
            "How many places are there? Type a number, or tap No limit.",
            "   [a] ♾️ No limit",
            "   [b] ⬅️ Back  [c] 🏠 Menu",
            "Olga> 12",  # the answer, not button 12
            "What does it cost in euros?",
            "Olga> A",  # a letter taps whatever its case: 🆓 Free
            "What should people bring?",
            "Olga> a",  # ⏭️ Nothing: on to the preview
            "👥 12 places",
            "Olga> 📣 Organise",
            "[4] 👥 Members",
            "Olga> 4",
            "   [2] 🔎 Find a member",
            "Olga> 2",
            "Type a name or a member number.",
            "   [a] ⬅️ Back  [b] 🏠 Menu",
            "Olga> 2",  # member 0002, not the second button
            "Found for “2”: 1",
            "   [1] ",  # the result is a button again: numbers tap
            "Fatima",
        ],
    )
    assert "There is no button 12." not in transcript


CALENDAR_TWICE = """/start
2
📝 Sign up
Ann
1
1
4
1
📅 Activities
1
2
📅 Activities
1
2
:quit
"""


def test_files_the_bot_sends_are_saved_next_to_the_demo_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "activity-3.ics").write_text("my own file")  # Taalcafé, the soonest sample activity, is activity 3
    result = run_demo(tmp_path, CALENDAR_TWICE, "--db", str(data / "demo.db"), WIJKBOT_DEFAULT_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    first, second = data / "activity-3-2.ics", data / "activity-3-3.ics"
    assert_in_order(
        result.stdout,
        [
            f"Files the bot sends are saved in {data}.",
            "📄 activity-3.ics Open this file to put the activity in your calendar.",
            f"   Saved as {first}",
            "📄 activity-3.ics Open this file to put the activity in your calendar.",
            f"   Saved as {second}",
        ],
    )
    assert (data / "activity-3.ics").read_text() == "my own file"
    for saved in (first, second):
        assert saved.read_text().startswith("BEGIN:VCALENDAR")
        assert "SUMMARY:Taalcafé" in saved.read_text()
    assert not list(tmp_path.glob("*.ics"))  # next to the database, not where the demo started


def a_zone_where_it_is_midday() -> str:
    """A fixed-offset time zone where it is about noon now: the demo runs on the real clock, and at night
    messages between members wait for the morning."""
    offset = 12 - datetime.now(UTC).hour
    offset = offset - 24 if offset > 14 else offset
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


NEIGHBOURS = """/start
2
2
1
Ann
1
1
4
1
🤝 Help & services
3
1
2
1
1
I can help on Saturday.
:olga
1
Lovely, see you then!
:ann
:quit
"""


def test_two_people_talk_through_the_bot_in_the_demo(tmp_path: Path) -> None:
    result = run_demo(
        tmp_path, NEIGHBOURS, "--db", str(tmp_path / "demo.db"), WIJKBOT_TIMEZONE=a_zone_where_it_is_midday()
    )
    assert result.returncode == 0, result.stderr
    assert_in_order(
        result.stdout,
        [
            "Ann> I can help on Saturday.",
            "🤖 ✅ Sent to Olga. You get their answer here.",
            "Je bent nu Olga (organisator).",  # what Olga got meanwhile shows, with its buttons
            "🤖 💬 Ann reageert op je bericht “Hulp in de buurttuin”:",
            "   [1] ↩️ Antwoorden",
            "Olga> Lovely, see you then!",
            "Je bent nu Ann (bewoner).",
            "🤖 ↩️ Olga answers about “Hulp in de buurttuin”:",
            "   Lovely, see you then!",
        ],
    )
