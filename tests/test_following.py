"""🔔 News about new posts: a member ticks what they can help with and how they want to hear of it."""

from __future__ import annotations

from bot.telegram_emulation.local_bot import LocalBot
from storage import help_news
from storage.help_news import Following
from tests.journeys import chose_language, database, signed_up, stored
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update

CATEGORY_LABELS = [
    *("🔨 Odd jobs", "🌱 Garden", "🛒 Shopping", "🚗 Transport", "💻 Computer & phone", "📝 Language & forms"),
    *("🧸 Childcare", "🍲 Cooking", "🧵 Sewing & repairs", "☕ Company", "✨ Other"),
]


async def test_a_member_ticks_kinds_of_help_and_how_to_hear_with_one_tap_each(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", language="English")
    ann_id = (await stored(local_bot, ann)).id
    await ann.tap("🤝 Help & services")
    await ann.tap("🔔 News about new posts")
    assert ann.last_text.startswith("🔔 News about new posts\nWhat can you help with? Tick it.")
    assert ann.last_text.endswith("You get no news yet. Tick at least one kind of help.")
    assert ann.inline_labels == [
        *("⬜ " + label for label in CATEGORY_LABELS),
        *("⬜ 🔔 A message at once", "⬜ 📰 A weekly digest", "⬅️ Back", "🏠 Menu"),
    ]
    assert help_news.following(database(local_bot), ann_id) == Following(frozenset(), False, False)  # all off

    await ann.tap("⬜ 🌱 Garden")
    await ann.tap("⬜ 💻 Computer & phone")
    assert "✅ 🌱 Garden" in ann.inline_labels and "✅ 💻 Computer & phone" in ann.inline_labels
    assert ann.last_text.endswith("You get no news yet. Choose 🔔 or 📰.")
    await ann.tap("⬜ 📰 A weekly digest")
    assert "✅ 📰 A weekly digest" in ann.inline_labels
    assert ann.last_text.endswith("You hear about new posts in the kinds of help with ✅.")
    assert help_news.following(database(local_bot), ann_id) == Following(
        frozenset({"garden", "computer"}), alerts=False, digest=True
    )

    await ann.tap("✅ 💻 Computer & phone")  # and off again
    await ann.tap("⬜ 🔔 A message at once")
    assert "⬜ 💻 Computer & phone" in ann.inline_labels and "✅ 🔔 A message at once" in ann.inline_labels
    assert help_news.following(database(local_bot), ann_id) == Following(frozenset({"garden"}), True, True)

    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith("🤝 Help & services")


async def test_a_double_tap_changes_nothing(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", language="English")
    ann_id = (await stored(local_bot, ann)).id
    await ann.press("follow:menu")
    menu = ann.last_message
    await ann.tap_on(menu, "⬜ 🌱 Garden")
    await ann.tap_on(menu, "⬜ 🌱 Garden")  # the same button, twice
    await ann.tap_on(menu, "⬜ 🔔 A message at once")
    await ann.tap_on(menu, "⬜ 🔔 A message at once")
    assert help_news.following(database(local_bot), ann_id) == Following(frozenset({"garden"}), True, False)
    assert "✅ 🌱 Garden" in ann.inline_labels


async def test_news_is_for_members_and_forged_buttons_do_nothing(local_bot: LocalBot) -> None:
    visitor = await chose_language(local_bot, "English", name="Vera", user_id=3)
    await visitor.press("follow:cat:garden:1")
    assert visitor.toasts == ["This is for members. Tap 📝 Sign up to become a member."]
    ann = await signed_up(local_bot, "Ann", language="English")
    for forged in ("follow:cat:swimming:1", "follow:cat:garden:2", "follow:alerts:yes"):
        await ann.press(forged)
        assert ann.toasts == ["This button no longer works."]
    ann_id = (await stored(local_bot, ann)).id
    assert help_news.following(database(local_bot), ann_id) == Following(frozenset(), False, False)


async def test_each_tap_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    counts = count_each_update(local_bot)
    taps = {
        "news": lambda: olga.press("follow:menu"),
        "follow": lambda: olga.tap("⬜ 🌱 Garden"),
        "alerts": lambda: olga.tap("⬜ 🔔 A message at once"),
        "organisers": lambda: olga.press("horg:menu"),
        "no reaction": lambda: olga.press("horg:quiet:0"),
        "month": lambda: olga.press("horg:month:now"),
        "file": lambda: olga.press("horg:csv:202611"),
    }
    used = {}
    for name, tap in taps.items():
        await tap()
        used[name] = counts[-1].calls
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used
