"""WIJKBOT_APPROVAL=organiser: every organiser gets a card, the first decision counts."""

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import audit
from tests.journeys import chose_language, database, signed_up, stored

pytestmark = pytest.mark.settings(WIJKBOT_APPROVAL="organiser", ORGANISER_IDS="900,901")


async def organisers(local_bot: LocalBot) -> tuple[Person, Person]:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    bert = await signed_up(local_bot, "Bert", user_id=901, language="English")
    return olga, bert


async def test_a_new_sign_up_waits_and_every_organiser_gets_a_card(local_bot: LocalBot) -> None:
    olga, bert = await organisers(local_bot)
    assert olga.last_text.startswith("Welkom, Olga! Je bent nu lid.")  # organisers need no approval

    ann = await signed_up(local_bot, "Ann", user_id=1)
    assert ann.last_text == "Bedankt, Ann! Een organisator kijkt naar je aanmelding.\nJe krijgt een bericht van mij."
    assert ann.keyboard == ["👤 Mijn gegevens", "❓ Hulp"]  # pending: only help and own details
    assert (await stored(local_bot, ann)).status == "pending"
    assert olga.chat.events[-1].text.startswith("Nieuwe aanmelding: Ann\n")
    assert bert.chat.events[-1].text.startswith("New sign-up: Ann\n")  # each in their own language


async def test_the_first_decision_counts_and_every_card_shows_it(local_bot: LocalBot) -> None:
    olga, bert = await organisers(local_bot)
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bert_card = bert.last_message

    await olga.tap("✅ Toelaten")

    await olga.tap("✅ Ja")
    assert olga.toasts == ["✅"]
    assert olga.last_text == "✅ Ann mag lid worden. Besloten door Olga."
    assert bert.chat.messages[bert_card["message_id"]]["text"] == "✅ Ann may join. Decided by Olga."
    assert ann.chat.events[-1].text.startswith("Good news, Ann! You are now a member.\nYour number is member 0003.")
    assert ann.chat.reply_keyboard == [
        ["📅 Activities", "🤝 Help & services"],
        ["🙌 Take part", "👤 My details"],
        ["❓ Help"],
    ]

    bert.look()
    await bert.press(bert_card["reply_markup"]["inline_keyboard"][0][1]["callback_data"], bert_card["message_id"])
    assert bert.toasts == ["This was already decided."]
    assert bert.texts == []  # his card already shows the decision: nothing to change, and no error
    member = await stored(local_bot, ann)
    assert (member.status, member.member_no) == ("active", 3)
    entries = (await database(local_bot).read_parts(member.id, audit.ABOUT))[0]
    assert [(e.action, e.actor_id) for e in entries] == [("admit", (await stored(local_bot, olga)).id)]


async def test_a_refused_person_is_told_and_nothing_about_them_stays(local_bot: LocalBot) -> None:
    olga, _bert = await organisers(local_bot)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    await olga.tap("❌ Afwijzen")
    await olga.tap("✅ Ja")
    assert olga.last_text == "❌ Ann mag geen lid worden. Besloten door Olga."
    assert ann.chat.events[-1].text.startswith("Sorry, je aanmelding is niet goedgekeurd.")
    assert await stored(local_bot, ann) is None
    await ann.send("/start")
    assert ann.last_text == "🌐 Kies je taal."


async def test_a_pending_member_sees_their_details_but_no_member_features(local_bot: LocalBot) -> None:
    await organisers(local_bot)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    await ann.tap("👤 Mijn gegevens")
    assert "Status: wacht op goedkeuring" in ann.last_text
    assert "Nummer: nog geen nummer" in ann.last_text
    await ann.press("org:members")
    assert ann.toasts == ["Je aanmelding wacht op een organisator. Je krijgt een bericht van mij."]


async def test_a_non_organiser_cannot_decide(local_bot: LocalBot) -> None:
    olga, _bert = await organisers(local_bot)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    card = olga.last_message
    await olga.tap("✅ Toelaten")
    await olga.tap("✅ Ja")
    cem = await signed_up(local_bot, "Cem", user_id=3)
    cem_id = (await stored(local_bot, cem)).id
    # Ann, now a member but no organiser, forges the admit button for Cem
    await ann.press(f"mem:admit:{cem_id}", card["message_id"])
    assert ann.toasts == ["Alleen organisatoren kunnen dit doen."]
    assert (await stored(local_bot, cem)).status == "pending"


async def test_the_organisers_waiting_list_can_decide_too(local_bot: LocalBot) -> None:
    olga, _bert = await organisers(local_bot)
    ann = await chose_language(local_bot, name="Ann", user_id=1)
    await ann.tap("📝 Lid worden")
    await ann.send("Ann")
    await ann.tap("✔️ Klaar")
    await ann.tap("✅ Akkoord")
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    assert olga.last_text == "👥 Leden\nActief: 2\nWachten op goedkeuring: 1\nOp pauze: 0"
    await olga.tap("⏳ Nieuwe aanmeldingen")
    await olga.tap("Ann · nog geen nummer")
    assert olga.inline_labels[:2] == ["✅ Toelaten", "❌ Afwijzen"]
    await olga.tap("✅ Toelaten")
    await olga.tap("✅ Ja")
    assert (await stored(local_bot, ann)).status == "active"


async def test_from_the_new_sign_ups_the_card_shows_the_decision(local_bot: LocalBot) -> None:
    olga, _bert = await organisers(local_bot)
    await signed_up(local_bot, "Ann", user_id=1)
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("⏳ Nieuwe aanmeldingen")
    await olga.tap("Ann · nog geen nummer")
    await olga.tap("❌ Afwijzen")
    assert olga.last_text == "Ann afwijzen? Alles wat die persoon invulde, wordt dan gewist."
    await olga.tap("↩️ Nee")
    await olga.tap("✅ Toelaten")
    await olga.tap("✅ Ja")
    assert olga.last_text == "✅ Ann mag lid worden. Besloten door Olga."  # not "waits for approval" any more
    assert olga.inline_labels == ["⬅️ Terug", "🏠 Menu"]


async def test_a_double_tap_on_yes_or_a_forged_card_is_answered_plainly(local_bot: LocalBot) -> None:
    olga, _bert = await organisers(local_bot)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    await olga.tap("✅ Toelaten")
    question = olga.last_message
    await olga.tap("✅ Ja")
    await olga.tap_on(question, "✅ Ja")  # the second tap of a double tap
    assert olga.toasts == ["Dit is al besloten."]  # not "someone else": it was her
    assert (await stored(local_bot, ann)).status == "active"
    await olga.press("mem:admit:424242")  # nobody with that number ever signed up
    assert olga.toasts == ["Deze knop werkt niet meer."]
