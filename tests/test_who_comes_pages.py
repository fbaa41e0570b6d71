"""👥 Who comes is paged in SQL: the counts on top, 20 names a page with ◀️ ▶️, never longer than Telegram allows."""

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot
from handlers.activity_admin import NAMES_A_PAGE
from storage import activities, members
from tests.conftest import Clock
from tests.journeys import database, planned_activity, signed_up
from tests.test_activity_admin import comes, full_activity, waits
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update

COMING, WAITING = 130, 30
LONG = "Wilhelmina-Alexandra Quetzalcoatl"  # with the number: a long first name, as people may type


def names(text: str) -> list[str]:
    """The people on a page: "• name (number)" for those who come, "n. name (number)" for those who wait."""
    return [line for line in text.splitlines()[2:] if line.startswith("•") or line[:1].isdigit()]


async def test_a_long_list_comes_in_pages_with_the_counts_on_top(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    activity = await planned_activity(local_bot, "Buurtfeest", capacity=COMING)
    db, timing = database(local_bot), runtime_of(local_bot.application).timing
    for i in range(COMING + WAITING):  # members added at the desk, then signed up in this order
        member = members.create(
            db, telegram_id=5000 + i, first_name=f"{LONG} {i:03d}", language="nl", status="active", now=clock()
        )
        activities.rsvp(db, activity.id, member.id, clock(), timing)
    counts = count_each_update(local_bot)

    await olga.press(f"org:act:{activity.id}")
    await olga.tap("👥 Wie komt")
    pages = [olga.last_text]
    assert olga.inline_labels == ["▶️", "⬅️ Terug", "🏠 Menu"]
    while "▶️" in olga.inline_labels:
        await olga.tap("▶️")
        pages.append(olga.last_text)
        assert counts[-1].calls <= MAX_CALLS_PER_TAP
    assert olga.inline_labels == ["◀️", "⬅️ Terug", "🏠 Menu"]

    assert len(pages) == (COMING + WAITING) // NAMES_A_PAGE == 8
    for text in pages:
        lines = text.splitlines()
        assert lines[:2] == ["Buurtfeest", f"{comes(COMING)} · {waits(WAITING)}"]  # on every page
        assert len(names(text)) == NAMES_A_PAGE
        assert len(text) < 4096
    everyone = [line for text in pages for line in names(text)]
    assert everyone[0] == f"• {LONG} 000 (lid 0002)"
    assert everyone[COMING - 1] == f"• {LONG} 129 (lid 0131)"
    assert everyone[COMING] == f"1. {LONG} 130 (lid 0132)"  # the waiting list starts on page 7, numbered from 1
    assert everyone[-1] == f"{WAITING}. {LONG} 159 (lid 0161)"
    assert len(set(everyone)) == COMING + WAITING
    assert "⏳ Wachtlijst" in pages[6].splitlines() and "✅ Wie komt" in pages[6].splitlines()
    assert "✅ Wie komt" not in pages[7]  # only the waiting list is left

    await olga.tap("◀️")
    assert olga.last_text == pages[6]
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("📅 Buurtfeest")


async def test_a_place_offered_is_among_those_who_come(local_bot: LocalBot) -> None:
    olga, (ann, _bob, _cem), activity = await full_activity(local_bot)  # 2 places: Ann and Bob, Cem waits
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")  # her place is held for Cem
    await olga.press(f"org:who:{activity.id}")  # the button of an older card still works
    assert olga.last_text.splitlines() == [
        "Buurtlunch",
        f"{comes(2)} · {waits(0)}",
        "",
        "✅ Wie komt",
        "• Bob (lid 0003)",
        "• Cem (lid 0004) (plek aangeboden)",
    ]
    assert olga.inline_labels == ["⬅️ Terug", "🏠 Menu"]


async def test_a_page_that_is_gone_shows_the_first(local_bot: LocalBot) -> None:
    olga, _people, activity = await full_activity(local_bot)
    await olga.press(f"org:whopage:{activity.id}:3")  # the list got shorter since that page was shown
    assert olga.last_text.splitlines()[3:5] == ["✅ Wie komt", "• Ann (lid 0002)"]
    assert olga.inline_labels == ["⬅️ Terug", "🏠 Menu"]
