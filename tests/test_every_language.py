"""Everyone included: a person per language signs up and comes to an activity entirely in that language,
and Arabic keeps names, times and prices in their order."""

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from bot import i18n, post_text
from bot.i18n import FSI, PDI
from bot.keyboards import button, in_rows
from bot.member_text import INTEREST_LABELS
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, posts
from storage.activities import GOING
from storage.members import ACTIVITIES
from tests.journeys import database, member_id, planned_activity, signed_up
from tests.test_posting import zzp

# Not ours to translate: what people typed (names, the activity an organiser wrote), the configured centre,
# names that stay as they are in every language (Telegram, ZZP, KvK) and Babel's "EUR".
NOT_OURS = ("Ayşe", "Repair Café", "Iedereen is welkom.", "Buurthuis", "Telegram", "ZZP", "KvK", "EUR")


@cache
def strings(language: str) -> dict[str, str]:
    """msgid -> what the member reads, for every message (plural forms joined)."""
    with i18n.catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    found = {}
    for message in catalog:
        if message.id:
            key = message.id if isinstance(message.id, str) else message.id[0]
            forms: list[str] = [message.string] if isinstance(message.string, str) else list(message.string or ())
            found[key] = "\n".join(forms)
    return found


def fragments(text: str) -> list[str]:
    """The fixed words of a message: between placeholders, tags and line breaks, two words or more."""
    parts = re.split(r"\{[^}]*\}|<[^>]+>|\n", text)
    return [part.strip(" .,:;!?“”\"'") for part in parts if len(part.split()) >= 2 and len(part.strip()) >= 10]


def leaks(language: str, seen: list[str]) -> list[str]:
    """Dutch or English words from our catalogs in what a member reading `language` saw."""
    mine = strings(language)
    everything_mine = "\n".join(mine.values())
    shown = "\n".join(seen).replace(FSI, "").replace(PDI, "")
    found = []
    for other in {"nl", "en"} - {language}:
        for key, theirs in strings(other).items():
            if theirs == mine.get(key):
                continue
            found += [part for part in fragments(theirs) if part in shown and part not in everything_mine]
    return sorted(set(found))


def latin_words(seen: list[str]) -> list[str]:
    """Words in Latin letters in what a member reading Arabic or Ukrainian saw, besides the data."""
    shown = "\n".join(seen)
    for data in NOT_OURS:
        shown = shown.replace(data, "")
    return re.findall(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>", "", shown))


def everything_seen(person: Person) -> list[str]:
    """Every text, edit, pop-up, button and keyboard label the person was shown."""
    chat = person.chat
    seen = [event.text for event in chat.events]
    for message in chat.messages.values():
        markup = message.get("reply_markup") or {}
        seen += [button["text"] for row in markup.get("inline_keyboard", []) for button in row]
        seen += [
            label if isinstance(label, str) else label["text"] for row in markup.get("keyboard", []) for label in row
        ]
    return seen


@pytest.mark.parametrize("language", i18n.languages())
async def test_a_person_signs_up_and_comes_to_an_activity_in_their_language(local_bot: LocalBot, language) -> None:
    _ = i18n.translator(language)
    activity = await planned_activity(local_bot, "Repair Café")
    ayse = local_bot.person("Ayşe", user_id=5, language_code=language)
    await ayse.send("/start")
    await ayse.tap("📝 " + _("Sign up"))
    await ayse.send("Ayşe")
    await ayse.tap("⬜ " + _(INTEREST_LABELS[ACTIVITIES]))
    await ayse.send_other("voice")  # a voice message halfway: a kind word, in her language
    await ayse.tap("❓ " + _("Explain"))
    await ayse.tap("✔️ " + _("Done"))
    await ayse.tap("✅ " + _("I agree"))
    welcome = _(
        "Welcome, {name}! You are now a member.\nYour number is {number}. Show it at the desk of the community centre."
    )
    assert ayse.last_text.startswith(welcome.split("\n")[0].format(name="Ayşe"))

    await ayse.tap("📅 " + _("Activities"))
    [listed] = [label for label in ayse.inline_labels if "Repair Café" in label]
    await ayse.tap(listed)
    await ayse.tap("✅ " + _("I'm coming"))
    assert ayse.toasts == [_("✅ You are coming. See you there!")]
    card = activities.card(database(local_bot), activity.id, await member_id(local_bot, ayse))
    assert card is not None and card.status == GOING

    seen = everything_seen(ayse)
    assert leaks(language, seen) == []
    if language in ("ar", "uk"):
        assert latin_words(seen) == []


def test_the_leak_check_finds_english_in_a_turkish_chat() -> None:
    _ = i18n.translator("en")
    assert "What do you want to do? Tap a button" in leaks("tr", ["Tamam", _("What do you want to do? Tap a button.")])
    assert leaks("tr", ["Tamam", i18n.translator("tr")("What do you want to do? Tap a button.")]) == []
    assert latin_words(["مرحبا Ayşe", "Tap here"]) == ["Tap", "here"]


async def test_arabic_keeps_a_latin_name_a_time_and_a_price_in_order(local_bot: LocalBot) -> None:
    bob = await zzp(local_bot)
    await signed_up(local_bot, "Olga", user_id=900)
    made = posts.publish(
        *(database(local_bot), await member_id(local_bot, bob), posts.OFFER, "odd_jobs", posts.PAID, "Fix my bike"),
        *("Flat tyres, brakes.", 2500, "hour", local_bot_now(local_bot), 30),
        tz=local_bot.application.bot_data["wijkbot"].settings.timezone,
    )
    assert made.post is not None
    _ = i18n.translator("ar")
    amal = await signed_up(local_bot, "Amal", user_id=7, language="العربية")
    await amal.tap("🤝 " + _("Help & services"))
    await amal.tap("🔎 " + _("Look around"))
    await amal.tap(_("💪 Offers of help"))
    await amal.tap(post_text.category(_, "odd_jobs"))
    [card] = [label for label in amal.inline_labels if "Fix my bike" in label]
    await amal.tap(card)
    text = amal.last_text
    assert f"{FSI}€" in text or f"{FSI}\u200f25.00" in text  # the price, isolated
    assert re.search(f"{FSI}[^{PDI}]*\\d{{1,2}}:\\d\\d[^{PDI}]*{PDI}", text)  # the time it was posted, isolated
    await amal.tap("💬 " + _("React"))
    assert f"{FSI}Bob{PDI}" in amal.last_text and f"{FSI}Fix my bike{PDI}" in amal.last_text  # Latin, isolated


def local_bot_now(local_bot: LocalBot):
    return local_bot.application.bot_data["wijkbot"].clock()


async def test_an_arabic_organiser_types_numbers_times_and_money_the_arabic_way(local_bot: LocalBot) -> None:
    _ = i18n.translator("ar")
    olga = await signed_up(local_bot, "Olga", user_id=900, language="العربية")
    await olga.tap("📣 " + _("Organise"))
    await olga.tap("📅 " + _("New activity"))
    await olga.send("Repair Café")
    await olga.send("نصلح الدراجات معًا.")
    await olga.tap(olga.inline_labels[1])  # tomorrow
    for typed in ("٢:٣٠ م", "٤ م", "Buurthuis", "٢٠", "٢٫٥٠"):  # 14:30, 16:00, 20 places, € 2,50
        await olga.send(typed)
    await olga.tap("⏭️ " + _("Nothing"))
    await olga.tap("✅ " + _("Yes, publish"))
    [made] = activities.upcoming(database(local_bot), local_bot_now(local_bot), 0).items
    starts = made.starts_at.astimezone(local_bot.application.bot_data["wijkbot"].settings.timezone)
    assert (starts.hour, starts.minute, made.capacity, made.cost_cents) == (14, 30, 20, 250)


@pytest.mark.parametrize("typed", ["2,500.00", "2.500,00", "2500", "€ 2 500"])
async def test_an_amount_is_read_with_either_separator(local_bot: LocalBot, typed: str) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    await olga.tap("📣 Organise")
    await olga.tap("🗳️ Votes and proposals")
    await olga.tap("➕ New vote")
    await olga.tap("💶 Neighbourhood budget")
    await olga.send("Benches")
    await olga.send("Where do the benches go?")
    await olga.send(typed)
    assert "Budget: €2,500.00" in olga.last_text


def test_a_choice_too_long_to_share_a_row_gets_its_own() -> None:
    _ = i18n.translator("uk")
    secret, open_ = (
        button("🔒 " + _("Secret"), "vplan", "secret", "secret"),
        button("👁️ " + _("Open (organisers see who voted what)"), "vplan", "secret", "open"),
    )
    assert in_rows([secret, open_]) == [[secret], [open_]]
    assert in_rows([secret, secret]) == [[secret, secret]]
