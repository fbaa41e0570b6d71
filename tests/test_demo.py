"""`wijkbot demo` read from a pipe: a scripted conversation and its whole transcript."""

import subprocess
import sys
from pathlib import Path

SCRIPT = """/start
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
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--db", str(tmp_path / "demo.db")],
        input=SCRIPT,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    transcript = result.stdout
    expected_in_order = [
        "Ann> /start",
        "🤖 🌐 Kies je taal.",
        "   [1] Nederlands  [2] English",
        "Ann> 2",
        "💬 ✅ English",
        "🤖 Welcome to the neighbourhood bot of our cooperative!",
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
        "   ⌨️ [1] 📅 Activities  [2] 👤 My details  [3] ❓ Help",
        "Je bent nu Olga (organisator).",
        "Olga> /start",
        "🤖 Wat wil je doen? Tik op een knop.",  # Olga is a seeded organiser: straight to the menu
        "   ⌨️ [1] 📅 Activiteiten  [2] 👤 Mijn gegevens  [3] ❓ Hulp  [4] 📣 Organiseren",
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
    ]
    position = 0
    for line in expected_in_order:
        found = transcript.find(line, position)
        assert found >= 0, f"{line!r} missing after position {position} in:\n{transcript}"
        position = found + len(line)


def test_the_demo_keeps_its_own_database_and_seeds_it_once(tmp_path: Path) -> None:
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "demo"],
            input=":quit\n",
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "wijkbot-demo.db") as conn:
        names = [row[0] for row in conn.execute("SELECT first_name FROM members ORDER BY id")]
    assert names == ["Olga", "Fatima", "Piet"]
    assert not (tmp_path / "wijkbot.db").exists()
