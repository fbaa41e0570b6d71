"""Sign-up: one question at a time, back and menu everywhere, nothing kept before consent."""

import pytest

from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot
from bot.telegram_emulation.server import TelegramEmulator
from handlers.signup import PRIVACY_VERSION
from storage import conversation_state, members
from tests.conftest import running_bot
from tests.journeys import chose_language, database, kept_apart, signed_up, stored

NAME_QUESTION = "Wat is je voornaam? Typ hem hieronder."
HOODS = {"WIJKBOT_NEIGHBOURHOODS": "Centrum, De Hoogte, Noord"}


@pytest.mark.settings(**HOODS)
async def test_full_sign_up_in_dutch(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("📝 Lid worden")
    assert ann.last_text == NAME_QUESTION
    assert ann.inline_labels == ["🔗 Ik heb een code van de balie", "⬅️ Terug", "🏠 Menu", "❓ Uitleg"]

    await ann.send("  Ann  ")
    assert ann.last_text == "In welke buurt woon je?"
    assert ann.inline_labels == ["Centrum", "De Hoogte", "Noord", "Anders", "⬅️ Terug", "🏠 Menu", "❓ Uitleg"]
    assert (await stored(local_bot, ann)).first_name is None  # nothing personal before consent

    await ann.tap("De Hoogte")
    assert ann.last_text.startswith("Wat wil je doen? Tik alles aan wat bij je past.")
    await ann.tap("⬜ Meedoen aan activiteiten")
    await ann.tap("⬜ Buren helpen")
    await ann.tap("✅ Buren helpen")  # changed her mind
    assert ann.inline_labels[:3] == [
        "✅ Meedoen aan activiteiten",
        "⬜ Buren helpen",
        "⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)",
    ]

    await ann.tap("✔️ Klaar")
    assert ann.last_text.startswith("Voordat je lid wordt:")
    assert ann.inline_labels == ["✅ Akkoord", "📄 Meer lezen", "✖️ Liever niet", "⬅️ Terug", "🏠 Menu", "❓ Uitleg"]
    await ann.tap("📄 Meer lezen")
    assert "Wie het ziet: alleen de organisatoren." in ann.last_text

    await ann.tap("✅ Akkoord")
    assert ann.last_text == (
        "Welkom, Ann! Je bent nu lid.\nJe nummer is lid 0001. Laat het zien aan de balie van het buurthuis."
    )
    assert ann.keyboard == ["📅 Activiteiten", "🤝 Hulp & diensten", "🙌 Meedoen", "👤 Mijn gegevens", "❓ Hulp"]
    member = await stored(local_bot, ann)
    assert (member.first_name, member.neighbourhood, member.interests) == ("Ann", "De Hoogte", {"activities"})
    assert (member.status, member.member_no, member.consent_version) == ("active", 1, PRIVACY_VERSION)
    assert member.consent_at is not None


async def test_a_freelancer_signs_up_in_english_with_a_kvk_number(local_bot: LocalBot) -> None:
    bob = await chose_language(local_bot, "English", name="Bob", user_id=2)
    await bob.tap("📝 Sign up")
    await bob.send("Bob")
    assert bob.last_text.startswith("What do you want to do?")  # no neighbourhoods configured: skipped
    await bob.tap("⬜ Offer services as a freelancer (ZZP)")
    await bob.tap("✔️ Done")
    assert bob.last_text == "What is the name of your business?"
    await bob.send("Bob's Fietsen & Co <b>")
    assert bob.last_text.startswith("Tell in one sentence what you do.")
    await bob.send("I repair bicycles 🚲")
    assert bob.last_text.startswith("What is your KvK number?")
    await bob.send("1234 5678")
    await bob.tap("✅ I agree")
    assert bob.last_text.startswith("Welcome, Bob! You are now a member.\nYour number is member 0001.")
    member = await stored(local_bot, bob)
    assert (member.business_name, member.business_line, member.kvk) == (
        "Bob's Fietsen & Co <b>",
        "I repair bicycles 🚲",
        "12345678",
    )
    assert member.language == "en"


async def test_the_kvk_number_can_be_skipped(local_bot: LocalBot) -> None:
    cem = await chose_language(local_bot, name="Cem", user_id=3)
    await cem.tap("📝 Lid worden")
    await cem.send("Cem")
    await cem.tap("⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)")
    await cem.tap("✔️ Klaar")
    await cem.send("Cem Klust")
    await cem.send("Ik klus in huis.")
    await cem.tap("⏭️ Overslaan")
    assert cem.last_text.startswith("Voordat je lid wordt:")
    await cem.tap("✅ Akkoord")
    assert (await stored(local_bot, cem)).kvk is None


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("   ", "Typ je voornaam."),
        ("A" * 65, "Dit is te lang. Schrijf het in maximaal 64 tekens."),
        ("x" * 5000, "Dit is te lang. Schrijf het in maximaal 64 tekens."),
        ("Ann\nde Vries", "Schrijf het op één regel, met letters, cijfers of emoji."),
        ("Ann\u202eesoj", "Schrijf het op één regel, met letters, cijfers of emoji."),
        ("kijk op www.spam.nl", "Een naam kan geen link bevatten. Typ alleen je voornaam."),
        ("https://t.me/spam", "Een naam kan geen link bevatten. Typ alleen je voornaam."),
        ("@spammer", "Een naam kan geen link bevatten. Typ alleen je voornaam."),
    ],
)
async def test_a_wrong_first_name_is_refused_and_asked_again(local_bot: LocalBot, typed: str, answer: str) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("📝 Lid worden")
    await ann.send(typed)
    assert ann.last_text == f"{answer}\n\n{NAME_QUESTION}"
    await ann.send("Ann")
    assert ann.last_text.startswith("Wat wil je doen?")


@pytest.mark.parametrize("name", ["Zoë-Marie", "فاطمة", "Ann 🌻", "Олена", "<b>Ann</b> & co"])
async def test_names_in_any_script_with_emoji_or_html_are_fine(local_bot: LocalBot, name: str) -> None:
    person = await signed_up(local_bot, name)
    assert person.last_text.startswith(f"Welkom, {kept_apart(name)}! Je bent nu lid.")  # Arabic kept apart
    assert (await stored(local_bot, person)).first_name == name


@pytest.mark.parametrize(
    ("step", "typed", "answer"),
    [
        ("business", "B" * 81, "Dit is te lang. Schrijf het in maximaal 80 tekens."),
        ("line", "L" * 201, "Dit is te lang. Schrijf het in maximaal 200 tekens."),
        ("line", "twee\nregels", "Schrijf het op één regel, met letters, cijfers of emoji."),
        ("kvk", "1234567", "Een KvK-nummer heeft precies 8 cijfers, zoals 12345678. Probeer het nog een keer."),
        ("kvk", "123456789", "Een KvK-nummer heeft precies 8 cijfers, zoals 12345678. Probeer het nog een keer."),
        ("kvk", "abcdefgh", "Een KvK-nummer heeft precies 8 cijfers, zoals 12345678. Probeer het nog een keer."),
        ("kvk", "١٢٣٤٥٦٧", "Een KvK-nummer heeft precies 8 cijfers, zoals 12345678. Probeer het nog een keer."),
    ],
)
async def test_wrong_business_details_are_refused_and_asked_again(
    local_bot: LocalBot, step: str, typed: str, answer: str
) -> None:
    cem = await chose_language(local_bot, name="Cem", user_id=3)
    await cem.tap("📝 Lid worden")
    await cem.send("Cem")
    await cem.tap("⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)")
    await cem.tap("✔️ Klaar")
    for answered in ("business", "line", "kvk"):
        if answered == step:
            break
        await cem.send({"business": "Cem Klust", "line": "Ik klus."}[answered])
    question = cem.last_text
    await cem.send(typed)
    assert cem.last_text == f"{answer}\n\n{question}"


@pytest.mark.settings(**HOODS)
async def test_back_goes_one_step_back_everywhere(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("📝 Lid worden")
    await ann.send("Ann")
    await ann.tap("Noord")
    await ann.tap("⬜ Diensten aanbieden als zzp'er (je werkt voor jezelf)")
    await ann.tap("✔️ Klaar")
    await ann.send("Ann's Atelier")
    await ann.send("Ik maak kleren.")
    steps_back = [
        "Vertel in één zin wat je doet.",  # from the KvK question
        "Wat is de naam van je bedrijf?",
        "Wat wil je doen?",
        "In welke buurt woon je?",
        NAME_QUESTION,
    ]
    for expected in steps_back:
        await ann.tap("⬅️ Terug")
        assert ann.last_text.startswith(expected)
    await ann.tap("⬅️ Terug")  # back from the first question: out of the sign-up
    assert ann.last_text.startswith("Je bent gestopt met aanmelden. Er is niets bewaard.")
    assert ann.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]


@pytest.mark.parametrize("leave_with", ["🏠 Menu", "/start", "/menu", "menu"])
async def test_leaving_the_sign_up_keeps_nothing(local_bot: LocalBot, leave_with: str) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("📝 Lid worden")
    await ann.send("Ann")
    interests_question = ann.last_message
    if leave_with == "🏠 Menu":
        await ann.tap(leave_with)
    else:
        await ann.send(leave_with)
    assert ann.last_text.startswith("Je bent gestopt met aanmelden. Er is niets bewaard.")
    await local_bot.application.update_persistence()
    assert conversation_state.user_data_of(database(local_bot), ann.id) == {}
    assert (await stored(local_bot, ann)).status == "visitor"
    await ann.press("reg:toggle:activities", interests_question["message_id"])  # from the abandoned sign-up
    assert ann.toasts == ["Deze knop werkt niet meer."]


async def test_no_thanks_keeps_nothing_at_all(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("📝 Lid worden")
    await ann.send("Ann")
    await ann.tap("✔️ Klaar")
    await ann.tap("✖️ Liever niet")
    assert ann.last_text == "Oké. We bewaren niets van je.\nJe kunt je later altijd nog aanmelden."
    await local_bot.application.update_persistence()
    assert await stored(local_bot, ann) is None
    assert conversation_state.user_data_of(database(local_bot), ann.id) == {}


@pytest.mark.settings(**HOODS)
async def test_a_sign_up_interrupted_by_a_restart_continues(
    settings: Settings, emulator: TelegramEmulator, clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await chose_language(local_bot)
        await ann.tap("📝 Lid worden")
        await ann.send("Ann")
        await ann.tap("Centrum")
    # the bot restarts; Ann goes on with the message she has on her screen
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = local_bot.person("Ann", user_id=1)
        await ann.tap("⬜ Buren helpen")
        assert ann.inline_labels[1] == "✅ Buren helpen"
        await ann.tap("✔️ Klaar")
        await ann.tap("✅ Akkoord")
        assert ann.last_text.startswith("Welkom, Ann! Je bent nu lid.")
        member = await stored(local_bot, ann)
        assert (member.first_name, member.neighbourhood, member.interests) == ("Ann", "Centrum", {"helping"})


async def test_tapping_agree_twice_makes_one_member(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("📝 Lid worden")
    await ann.send("Ann")
    await ann.tap("✔️ Klaar")
    consent = ann.last_message
    await ann.tap("✅ Akkoord")
    await ann.press("reg:agree", consent["message_id"])  # the second tap of a double tap
    assert ann.toasts == ["Deze knop werkt niet meer."]
    assert [m.member_no for m in await members.signed_up(database(local_bot))] == [1]


async def test_signing_up_again_is_not_possible(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    await ann.send("📝 Lid worden")  # an old keyboard
    assert ann.last_text == "Je bent al aangemeld."


async def test_an_organiser_from_the_settings_is_organiser_from_the_first_start(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    assert olga.keyboard == [
        *("📅 Activiteiten", "🤝 Hulp & diensten", "🙌 Meedoen", "👤 Mijn gegevens", "❓ Hulp", "📣 Organiseren")
    ]
    assert (await stored(local_bot, olga)).is_organiser


async def test_leaving_with_a_button_telegram_cannot_edit_still_ends_the_sign_up(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("📝 Lid worden")
    await ann.send("Ann")
    await ann.tap("✔️ Klaar")
    consent = ann.last_message
    own = next(m for m in ann.chat.messages.values() if not m["from"].get("is_bot"))
    await ann.press("nav:menu", message_id=own["message_id"])  # 🏠 on a message the bot cannot edit
    assert not any("ging iets mis" in text for text in ann.texts)
    await ann.tap_on(consent, "✅ Akkoord")  # the old consent button: the flow has ended
    assert ann.toasts == ["Deze knop werkt niet meer."]
    assert await stored(local_bot, ann) is not None and (await stored(local_bot, ann)).status == "visitor"
