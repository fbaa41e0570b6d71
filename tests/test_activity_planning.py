"""📣 Organiseren → 📅 Nieuwe activiteit: step by step, checked, previewed, then published."""

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities
from tests.conftest import Clock
from tests.journeys import database, signed_up

ANSWERS = [
    "Samen koken",
    "We koken met groenten uit de buurttuin.\nIedereen is welkom.",
    "za 28 nov",
    "14u",
    "16.30",
    "📍 Buurthuis",
    "12",
    "2,50",
    "⏭️ Niets",
]


async def planning_organiser(local_bot: LocalBot) -> Person:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await olga.tap("📣 Organiseren")
    await olga.tap("📅 Nieuwe activiteit")
    return olga


async def answer(person: Person, answers: list[str]) -> None:
    """Tap what is a button on the screen, type the rest."""
    for text in answers:
        if text in person.inline_labels:
            await person.tap(text)
        else:
            await person.send(text)


async def test_an_organiser_plans_publishes_and_repeats_an_activity(local_bot: LocalBot) -> None:
    olga = await planning_organiser(local_bot)
    assert olga.last_text == "Hoe heet de activiteit? Maximaal 80 tekens."
    await answer(olga, ANSWERS[:2])
    assert olga.last_text.startswith("Welke dag?")
    assert olga.inline_labels[:8] == [
        "vr 27 nov",
        "za 28 nov",
        "zo 29 nov",
        "ma 30 nov",
        "di 1 dec",
        "wo 2 dec",
        "do 3 dec",
        "📆 Andere dag",
    ]
    await olga.tap("📆 Andere dag")
    assert olga.last_text == "📆 Typ de dag zoals 12-12 of 12-12-2026."
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("Welke dag?")
    await answer(olga, ANSWERS[2:])
    assert olga.last_text.splitlines() == [
        "Zo zien leden het:",
        "",
        "📅 Samen koken",
        "🕑 zaterdag 28 november, 14:00–16:30",
        "📍 Buurthuis",
        "💶 €\xa02,50",
        "👥 Nog 12 plekken vrij",
        "",
        "We koken met groenten uit de buurttuin.",
        "Iedereen is welkom.",
    ]
    assert olga.inline_labels == [
        "✅ Ja, publiceren",
        "✏️ Aanpassen",
        "🔁 Elke week herhalen",
        "✖️ Stoppen",
        "⬅️ Terug",
        "🏠 Menu",
        "❓ Uitleg",
    ]
    await olga.tap("🔁 Elke week herhalen")
    await olga.tap("4 weken")
    assert olga.last_text.endswith("🔁 Elke week, 4 keer.")
    assert activities.upcoming(database(local_bot), local_bot.application.bot_data["wijkbot"].clock(), 0).items == []

    await olga.tap("✅ Ja, publiceren")
    assert olga.last_text == (
        "✅ Gepubliceerd: Samen koken.\nDeel deze link op posters en in andere chats:\n"
        "https://t.me/wijkbot_demo_bot?start=act_1"
    )
    ann = await signed_up(local_bot, "Ann", user_id=1)
    await ann.tap("📅 Activiteiten")
    assert [label.split(" · ")[1] for label in ann.inline_labels[:4]] == [
        "za 28 nov, 14:00",
        "za 5 dec, 14:00",
        "za 12 dec, 14:00",
        "za 19 dec, 14:00",
    ]


async def test_another_day_is_typed(local_bot: LocalBot) -> None:
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS[:2] + ["📆 Andere dag", "24-12", *ANSWERS[3:]])
    assert "🕑 donderdag 24 december, 14:00–16:30" in olga.last_text


async def test_change_one_answer_from_the_preview(local_bot: LocalBot) -> None:
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS)
    await olga.tap("✏️ Aanpassen")
    assert olga.inline_labels[:9] == [
        "Titel",
        "Beschrijving",
        "Dag",
        "Begin",
        "Einde",
        "Plaats",
        "Plekken",
        "Kosten",
        "Meenemen",
    ]
    await olga.tap("Plaats")
    await olga.send("Bibliotheek <De Kaap>")
    assert "📍 Bibliotheek <De Kaap>" in olga.last_text
    await olga.tap("✏️ Aanpassen")
    await olga.tap("Begin")
    await olga.send("17:00")  # after the end: the end is asked again
    assert olga.last_text == "Hoe laat is het afgelopen? Bijvoorbeeld 16:00."
    await olga.send("18:00")
    assert "🕑 zaterdag 28 november, 17:00–18:00" in olga.last_text
    await olga.tap("✏️ Aanpassen")
    await olga.tap("Plekken")
    await olga.tap("♾️ Geen maximum")
    assert "👥 Geen maximum aantal plekken" in olga.last_text


@pytest.mark.parametrize(
    ("step", "typed", "error"),
    [
        (0, "x" * 500, "Dit is te lang. Schrijf het in maximaal 80 tekens."),
        (0, "   ", "Typ een naam voor de activiteit."),
        (1, "d" * 1001, "Dit is te lang. Schrijf het in maximaal 1000 tekens."),
        (2, "26-11-2026", "Die dag is al voorbij. Kies een dag vanaf vandaag."),
        (2, "31-02", "Die dag bestaat niet. Typ de dag zoals 12-12."),
        (2, "morgen", "Typ de dag zoals 12-12 of 12-12-2026."),
        (3, "25:00", "Die tijd bestaat niet. Typ de tijd zoals 14:00."),
        (4, "13:00", "Het einde moet na het begin zijn."),
        (6, "0", "Typ een getal van 1 tot en met 1000."),
        (6, "-3", "Typ een getal van 1 tot en met 1000."),
        (6, "veel", "Typ een getal, zoals 12. Of tik op Geen maximum."),
        (7, "een tientje", "Typ een bedrag zoals 2,50. Of tik op Gratis."),
    ],
)
async def test_wrong_answers_get_a_clear_answer_and_the_step_again(
    local_bot: LocalBot, step: int, typed: str, error: str
) -> None:
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS[:step])
    question = olga.last_text
    await olga.send(typed)
    assert olga.last_text == f"{error}\n\n{question.split(chr(10) * 2)[-1]}"
    await answer(olga, ANSWERS[step:])
    assert olga.last_text.startswith("Zo zien leden het:")


async def test_a_start_time_that_has_passed_today(local_bot: LocalBot, clock: Clock) -> None:
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS[:2] + ["vr 27 nov"])  # today; it is 10:00
    await olga.send("09:30")
    assert olga.last_text.startswith("Die tijd is al voorbij. Kies een latere tijd.")


async def test_back_goes_one_step_and_stop_publishes_nothing(local_bot: LocalBot, clock: Clock) -> None:
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS[:4])
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("Hoe laat begint het?")
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("Welke dag?")
    await answer(olga, ANSWERS[2:])
    await olga.tap("⬅️ Terug")  # from the preview to the last question
    assert olga.last_text.startswith("Wat moeten mensen meenemen?")
    await olga.tap("⏭️ Niets")
    await olga.tap("✖️ Stoppen")
    assert olga.texts[-1] == "Gestopt. Er is niets gepubliceerd of veranderd."
    assert activities.upcoming(database(local_bot), clock(), 0).items == []


async def test_menu_leaves_the_planning(local_bot: LocalBot) -> None:
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS[:3])
    await olga.send("/menu")
    assert olga.texts[-1] == "Gestopt. Er is niets gepubliceerd of veranderd."


@pytest.mark.parametrize(
    ("data", "told"),
    [
        ("org:newact", "Alleen organisatoren kunnen dit doen."),
        ("org:acts:0", "Alleen organisatoren kunnen dit doen."),
        ("org:month:now", "Alleen organisatoren kunnen dit doen."),
        ("org:actedit:1", "Alleen organisatoren kunnen dit doen."),
        ("plan:publish", "Deze knop werkt niet meer."),  # not in a planning conversation at all
    ],
)
async def test_members_cannot_plan_activities(local_bot: LocalBot, data: str, told: str) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    await ann.press(data)
    assert ann.toasts == [told]


async def test_an_old_button_of_another_step_does_not_skip_steps(local_bot: LocalBot) -> None:
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS[:5])  # up to the place
    old_place = olga.last_message
    assert "📍 Buurthuis" in olga.inline_labels
    await olga.send("/start")  # leave, and plan another one
    await olga.tap("📣 Organiseren")
    await olga.tap("📅 Nieuwe activiteit")
    await olga.tap_on(old_place, "📍 Buurthuis")  # the old quick answer while the bot asks for the title
    assert olga.toasts == ["Deze knop werkt niet meer."]
    await olga.press("plan:places:none")  # forged: a quick answer of a later step
    assert olga.toasts == ["Deze knop werkt niet meer."]
    await answer(olga, ANSWERS)
    assert olga.last_text.startswith("Zo zien leden het:")
    assert "Samen koken" in olga.last_text
