"""Counts read right with one ("1 person comes", never "1 people"), and ❓ Help tells organisers about 📣."""

from bot.telegram_emulation.local_bot import LocalBot
from tests.journeys import planned_activity, signed_up
from tests.test_activity_admin import comes, waits


async def test_one_person_who_comes_and_one_who_waits(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    ann = await signed_up(local_bot, "Ann", user_id=1)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    activity = await planned_activity(local_bot, "Quiz", capacity=1)
    await ann.press(f"act:yes:{activity.id}")
    await bob.press(f"act:yes:{activity.id}")  # full: Bob waits

    await olga.press(f"org:act:{activity.id}")
    assert "\n1 person comes · 1 person waits\n" in olga.last_text
    await olga.tap("👥 Who comes")
    assert olga.last_text.splitlines()[:2] == ["Quiz", "1 person comes · 1 person waits"]

    await bob.press(f"act:leave:{activity.id}")
    await olga.tap("⬅️ Back")
    assert "\n1 person comes · 0 people wait\n" in olga.last_text


async def test_one_in_dutch_too(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    activity = await planned_activity(local_bot, "Quiz")
    await ann.press(f"act:yes:{activity.id}")
    await olga.press(f"org:act:{activity.id}")
    assert f"\n{comes(1)} · {waits(0)}\n" in olga.last_text
    assert "Komen: 1" not in olga.last_text


async def test_help_for_an_organiser_mentions_organise_in_at_most_six_short_lines(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    await olga.tap("❓ Hulp")
    lines = olga.last_text.splitlines()
    assert len(lines) <= 6
    assert all(len(line.split()) <= 15 for line in lines)
    [organise] = [line for line in lines if line.startswith("📣 ")]
    assert "📣 Organiseren" in olga.keyboard  # the button it is about

    await ann.tap("❓ Hulp")
    assert "📣" not in ann.last_text  # not for members who cannot organise
    assert len(ann.last_text.splitlines()) <= 6
    # also while no vote is open: a proposal, and the results of earlier votes
    assert ann.inline_labels == [
        "💡 Voorstel doen",
        "📋 Mijn voorstellen",
        "📚 Eerdere stemmingen",
        "📌 Mededelingen",
        "🏠 Menu",
    ]
    await ann.tap("💡 Voorstel doen")
    assert ann.last_text.startswith("💡 Wat is je voorstel?")
