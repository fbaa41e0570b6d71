"""Never stuck: what the bot cannot read gets a friendly answer and the step's buttons; ❓ explains a step."""

import json

import pytest
from telegram import Update
from telegram.ext import Application, ConversationHandler

from bot import i18n
from bot.config import Settings
from bot.context import runtime_of
from bot.never_stuck import POP_UP
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from handlers import activity_planning, business_steps, signup, vote_planning
from storage import conversation_state, members
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, chose_language, english, open_vote, signed_up

# What the member sends -> how the bot names it (English).
SAID = {
    "voice": "I cannot listen to voice messages yet.",
    "video_note": "I cannot listen to voice messages yet.",
    "photo": "I cannot look at photos or files yet.",
    "document": "I cannot look at photos or files yet.",
    "sticker": "Nice sticker! But I cannot read stickers.",
    "location": "I cannot use a location here.",
    "contact": "I cannot use a contact here.",
}
HOODS = {"WIJKBOT_NEIGHBOURHOODS": "Centrum, De Hoogte, Noord"}
FIRST_STEP_ID = 5_000  # Telegram ids of the people put in each step


async def send(person, kind: str) -> None:
    if kind == "photo":
        await person.send_photo()
    else:
        await person.send_other(kind)


def every_step(application: Application) -> list[tuple[str, object]]:
    """(flow, step) for every step of every flow the bot has."""
    return [
        (flow.name, state)
        for flow in application.handlers[0]
        if isinstance(flow, ConversationHandler) and flow.name is not None
        for state in flow.states
    ]


def takes_photos(application: Application, name: str, state: object) -> bool:
    """Does this step take a photo as its answer (an announcement's picture)?"""
    photo = Update.de_json(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "from": {"id": 1, "is_bot": False, "first_name": "A"},
                "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
            },
        },
        application.bot,
    )
    [flow] = [f for f in application.handlers[0] if isinstance(f, ConversationHandler) and f.name == name]
    own = [handler for handler in flow.states[state] if handler.callback.__module__ != "bot.never_stuck"]
    return any(handler.check_update(photo) for handler in own)


async def test_every_step_of_every_flow_answers_what_it_cannot_read(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    """Each person is put in one step of one flow, as a restart finds them; then sends all kinds of things."""
    async with running_bot(settings, emulator, clock) as local_bot:
        steps = every_step(local_bot.application)
        db = runtime_of(local_bot.application).database
        for number, _ in enumerate(steps):
            members.choose_language(db, FIRST_STEP_ID + number, "en", clock(), organiser=False)
    assert len(steps) > 60  # sign-up, planning, voting, posting, talking …: every flow is here
    states: dict[tuple[str, tuple], str | None] = {
        (name, (FIRST_STEP_ID + number, FIRST_STEP_ID + number)): json.dumps(state)
        for number, (name, state) in enumerate(steps)
    }
    async with running_bot(settings, emulator, clock) as local_bot:
        conversation_state.save(runtime_of(local_bot.application).database, {}, states, clock())
    async with running_bot(settings, emulator, clock) as local_bot:  # they are in their steps now
        unanswered = []
        for number, (name, state) in enumerate(steps):
            person = local_bot.person("Sam", user_id=FIRST_STEP_ID + number, language_code="en")
            for kind, said in SAID.items():
                if kind == "photo" and takes_photos(local_bot.application, name, state):
                    continue
                await send(person, kind)
                in_step = "keyboard" not in (person.last_message.get("reply_markup") or {})  # not the main menu
                if not person.texts or not person.last_text.startswith(said) or not in_step:
                    unanswered.append((name, state, kind, person.texts))
        assert unanswered == []


async def signing_up(local_bot: LocalBot, *, name: str | None = None) -> Person:
    """Someone reading English who began to sign up (and typed their name)."""
    ann = await chose_language(local_bot, "English")
    await ann.tap("📝 Sign up")
    if name:
        await ann.send(name)
    return ann


@pytest.mark.settings(**HOODS)
async def test_a_voice_message_in_sign_up_gets_a_kind_word_and_the_step_again(local_bot: LocalBot) -> None:
    ann = await signing_up(local_bot, name="Ann")
    await ann.send_other("voice")
    assert ann.last_text.startswith("I cannot listen to voice messages yet. Tap a button.\n\n")
    assert ann.last_text.endswith("In which neighbourhood do you live?")
    assert ann.inline_labels[:2] == ["Centrum", "De Hoogte"]  # the step's own buttons, again
    await ann.tap("Centrum")  # and they work
    assert ann.last_text.startswith("What do you want to do?")


@pytest.mark.settings(WIJKBOT_NEIGHBOURHOODS="")
async def test_a_sticker_where_typing_is_asked_says_to_type(local_bot: LocalBot) -> None:
    ann = await signing_up(local_bot)
    await ann.send_other("sticker")
    assert ann.last_text == (
        "Nice sticker! But I cannot read stickers. Type your answer, or tap a button.\n\n"
        "What is your first name? Type it below."
    )
    await ann.send("Ann")  # still in the step
    assert ann.last_text.startswith("What do you want to do?")


@pytest.mark.settings(WIJKBOT_NEIGHBOURHOODS="")
@pytest.mark.parametrize("typed", ["Hulp!", "help?", "مساعدة؟"])
async def test_asking_for_help_at_the_name_question_is_not_taken_as_a_name(local_bot: LocalBot, typed: str) -> None:
    ann = await signing_up(local_bot)
    await ann.send(typed)
    assert ann.last_text.startswith("❓ Type only your first name, like Fatima or Jan.")
    await ann.send("Ann")
    assert ann.last_text.startswith("What do you want to do?")


@pytest.mark.settings(**HOODS)
async def test_typing_where_a_tap_is_asked_shows_the_buttons_again(local_bot: LocalBot) -> None:
    ann = await signing_up(local_bot, name="Ann")
    await ann.tap("Centrum")
    await ann.send("I like cooking")
    assert ann.last_text.startswith("Here you answer with a button. Tap one below.\n\nWhat do you want to do?")
    assert "✔️ Done" in ann.inline_labels


@pytest.mark.settings(**HOODS)
async def test_explain_pops_up_over_the_step_and_help_from_the_menu_explains_it_too(local_bot: LocalBot) -> None:
    ann = await signing_up(local_bot)
    await ann.tap("❓ Explain")
    assert ann.toasts == ["❓ Type only your first name, like Fatima or Jan.\nThe organisers use it to greet you."]
    assert ann.texts == []  # a pop-up: the step stays as it was
    await ann.tap("❓ Help")  # the main menu's button, in the middle of signing up
    assert ann.last_text.startswith("❓ Type only your first name")
    assert ann.last_text.endswith("What is your first name? Type it below.")
    assert len(ann.texts) == 1  # not the general help as well
    await ann.send("Ann")  # still signing up
    assert ann.last_text == "In which neighbourhood do you live?"


async def test_explain_under_a_ballot_says_how_to_vote_and_who_sees_it(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    vote = await open_vote(local_bot, "New benches on the square", secret=True)
    await catch_up(local_bot)  # she hears of it, and 🗳️ Votes is in her menu
    await ann.tap("🗳️ Votes")
    await ann.tap(next(label for label in ann.inline_labels if vote.title[:20] in label))
    await ann.tap("❓ Explain")
    assert ann.toasts == [
        "❓ Tap the choice you want.\nYou can change it until the vote closes.\nNobody sees what you chose."
    ]


async def test_help_in_a_step_without_an_explanation_keeps_what_was_typed(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    await ann.tap("🤝 Help & services")
    await ann.tap("🙋 I need help")
    await ann.tap(next(label for label in ann.inline_labels if "Garden" in label))
    await ann.tap(next(label for label in ann.inline_labels if "Free" in label))
    await ann.send("Hulp")  # a title that is also a menu label in Dutch: here it is the title
    assert len(ann.texts) == 1 and "With this bot" not in ann.last_text
    await ann.tap("❓ Help")  # the main menu's button, in a step with no explanation of its own
    assert ann.last_text.startswith("❓ Answer the question above, or tap one of its buttons.\nTap 🏠 Menu to stop.")
    await ann.send("The hedge is too high for me.")
    assert "<b>Hulp</b>" in ann.last_text or "Hulp" in ann.last_text  # the preview, title kept
    assert "The hedge is too high for me." in ann.last_text


@pytest.mark.settings(WIJKBOT_NEIGHBOURHOODS="")
async def test_an_edited_answer_is_not_a_new_answer_and_breaks_nothing(local_bot: LocalBot) -> None:
    ann = await signing_up(local_bot, name="Anm")
    await ann.edit_last("Ann")
    assert ann.last_text.startswith("Changing a sent message does not change your answer. Send it again.\n\n")
    assert ann.last_text.endswith("Then tap Done.")  # the step she is in, with its buttons
    assert "✔️ Done" in ann.inline_labels


async def test_outside_a_flow_a_photo_gets_a_kind_word_and_the_menu(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann")
    await ann.send_photo()
    assert ann.last_text == "Ik kan nog geen foto's of bestanden bekijken. Tik op een knop."
    assert ann.keyboard[0] == "📅 Activiteiten"


@pytest.mark.parametrize(
    "typed", ["activiteiten", "ACTIVITIES!", "📅", "📅 Etkinlikler", "Etkinlikler", "الأنشطة", "📅 activities?"]
)
async def test_a_menu_button_can_be_typed_in_any_language_and_case(local_bot: LocalBot, typed: str) -> None:
    ann = await signed_up(local_bot, "Ann")
    await ann.send(typed)
    assert ann.last_text.startswith("📅")  # the activities, as if the button was tapped


EXPLANATIONS = {
    **signup.EXPLANATIONS,
    **business_steps.EXPLANATIONS,
    **{f"plan {step}": text for step, text in activity_planning.EXPLANATIONS.items()},
    **{f"vote {step}": text for step, text in vote_planning.EXPLANATIONS.items()},
}


@pytest.mark.parametrize("language", i18n.languages())
def test_every_explanation_fits_a_pop_up_in_three_lines(language: str) -> None:
    _ = i18n.translator(language)
    for step, explanation in EXPLANATIONS.items():
        text = "❓ " + _(explanation)
        assert len(text) <= POP_UP, (step, text)
        assert len(text.splitlines()) <= 3, (step, text)
