"""The local Telegram refuses what Telegram refuses, with Telegram's own answers.

A plain PTB Bot talks to it, so the errors arrive as the exceptions PTB raises
for the real Bot API.
"""

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.request import HTTPXRequest

from bot.telegram_emulation.http import EmulatorHttpServer
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import TelegramEmulator
from tests.conftest import TOKEN

ANN_ID = 1
ANN = {"id": ANN_ID, "is_bot": False, "first_name": "Ann", "language_code": "nl"}


@pytest.fixture
async def bot(emulator: TelegramEmulator) -> AsyncIterator[Bot]:
    emulator.chat_for(ANN)
    async with Bot(
        TOKEN, request=EmulatedRequest(emulator), get_updates_request=EmulatedRequest(emulator)
    ) as plain_bot:
        yield plain_bot


def keyboard(count: int, data: str = "x:y") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(str(i), callback_data=data)] for i in range(count)])


async def test_texts_over_4096_characters_or_empty_are_refused(bot: Bot) -> None:
    await bot.send_message(ANN_ID, "é" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANN_ID, "é" * 4097)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANN_ID, "😀" * 2049)  # Telegram counts UTF-16 units
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(ANN_ID, "  ")


async def test_html_is_shown_as_text_and_broken_html_is_refused(bot: Bot, emulator: TelegramEmulator) -> None:
    message = await bot.send_message(ANN_ID, "<b>Hoi</b> &lt;Ann&gt; &amp; co", parse_mode=ParseMode.HTML)
    assert message.text == "Hoi <Ann> & co"
    for broken in ["<script>x</script>", "<b>open", "1 < 2 <3", "</b>"]:
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(ANN_ID, broken, parse_mode=ParseMode.HTML)


async def test_buttons_are_checked_like_telegram_does(bot: Bot) -> None:
    await bot.send_message(ANN_ID, "ok", reply_markup=keyboard(100, "a" * 64))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ANN_ID, "x", reply_markup=keyboard(1, "a" * 65))
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.send_message(ANN_ID, "x", reply_markup=keyboard(101))


async def test_an_edit_that_changes_nothing_is_refused(bot: Bot) -> None:
    message = await bot.send_message(ANN_ID, "Kies", reply_markup=keyboard(2))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Kies", ANN_ID, message.message_id, reply_markup=keyboard(2))
    edited = await bot.edit_message_reply_markup(ANN_ID, message.message_id, reply_markup=None)
    assert edited.reply_markup is None and edited.text == "Kies"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ANN_ID, 999)


async def test_messages_are_numbered_per_chat_and_can_be_deleted(bot: Bot, emulator: TelegramEmulator) -> None:
    first = await bot.send_message(ANN_ID, "een")
    second = await bot.send_message(ANN_ID, "twee")
    assert second.message_id == first.message_id + 1
    assert await bot.delete_message(ANN_ID, first.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ANN_ID, first.message_id)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "niemand")
    assert await bot.send_chat_action(ANN_ID, "typing")


async def test_a_document_arrives_with_its_name_and_bytes(bot: Bot, emulator: TelegramEmulator) -> None:
    message = await bot.send_document(ANN_ID, InputFile(b"naam;leden\n", filename="leden.csv"), caption="CSV")
    assert message.document.file_name == "leden.csv"
    assert emulator.documents[message.document.file_id] == b"naam;leden\n"


async def test_a_blocked_chat_answers_403(bot: Bot, emulator: TelegramEmulator) -> None:
    emulator.block(ANN_ID)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANN_ID, "hallo")


async def test_any_call_can_be_told_to_answer_429(bot: Bot, emulator: TelegramEmulator) -> None:
    emulator.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANN_ID, "hallo")
    assert caught.value.retry_after.total_seconds() == 7
    assert (await bot.send_message(ANN_ID, "weer")).text == "weer"


async def test_answering_a_callback_query_twice_is_refused(bot: Bot, emulator: TelegramEmulator) -> None:
    await emulator.user_presses(ANN, 1, "x:y")
    query_id = emulator.pending_updates[-1]["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, "OK")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id, "OK")


async def test_long_polling_waits_for_an_update_and_confirms_it(bot: Bot, emulator: TelegramEmulator) -> None:
    assert await bot.get_updates(timeout=0) == ()
    update_id = await emulator.user_sends(ANN, "/start")
    updates = await bot.get_updates(timeout=1)
    assert updates[0].message.text == "/start" and updates[0].message.entities[0].type == "bot_command"
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    await emulator.wait_until_fetched(update_id)  # returns: the update was confirmed


async def test_an_unknown_method_is_refused_loudly(bot: Bot, emulator: TelegramEmulator) -> None:
    with pytest.raises(InvalidToken):  # PTB's name for a 404 answer
        await bot.send_dice(ANN_ID)
    assert emulator.unknown_methods == ["sendDice"]


async def test_the_same_emulation_answers_over_loopback_http(emulator: TelegramEmulator) -> None:
    emulator.chat_for(ANN)
    async with EmulatorHttpServer(emulator) as server:
        request = HTTPXRequest()
        async with Bot(TOKEN, base_url=f"{server.base_url}/bot", request=request) as http_bot:
            assert (await http_bot.get_me()).username == emulator.bot_user["username"]
            message = await http_bot.send_message(ANN_ID, "<i>hoi</i>", parse_mode="HTML", reply_markup=keyboard(1))
            assert message.text == "hoi" and message.reply_markup.inline_keyboard[0][0].callback_data == "x:y"
            document = await http_bot.send_document(ANN_ID, InputFile(b"{}", filename="data.json"))
            assert emulator.documents[document.document.file_id] == b"{}"
        with pytest.raises(InvalidToken):
            async with Bot("999:wrong", base_url=f"{server.base_url}/bot", request=HTTPXRequest()) as wrong:
                await wrong.get_me()


async def test_a_photo_goes_out_by_file_id_and_its_caption_can_be_edited(bot: Bot, emulator: TelegramEmulator) -> None:
    await emulator.user_sends_photo(ANN, "Flyer")
    file_id = emulator.pending_updates[-1]["message"]["photo"][-1]["file_id"]
    message = await bot.send_photo(
        ANN_ID, file_id, caption="<b>Markt</b> zaterdag", parse_mode="HTML", reply_markup=keyboard(1)
    )
    assert message.photo[-1].file_id == file_id and message.caption == "Markt zaterdag"
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "x:y"
    assert emulator.chats[ANN_ID].events[-1].kind == "photo"
    edited = await bot.edit_message_caption(ANN_ID, message.message_id, caption="Markt zondag")
    assert edited.caption == "Markt zondag" and edited.photo[-1].file_id == file_id and edited.reply_markup is None
    assert emulator.chats[ANN_ID].events[-1].text == "Markt zondag"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_caption(ANN_ID, message.message_id, caption="Markt zondag")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("tekst", ANN_ID, message.message_id)
    assert await bot.delete_message(ANN_ID, message.message_id)
    assert emulator.chats[ANN_ID].events[-1].kind == "delete"


async def test_a_photo_is_refused_with_an_unknown_file_id_or_a_caption_too_long(
    bot: Bot, emulator: TelegramEmulator
) -> None:
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(ANN_ID, "AgACnotreal")
    await emulator.user_sends_photo(ANN)
    file_id = emulator.pending_updates[-1]["message"]["photo"][-1]["file_id"]
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(ANN_ID, file_id, caption="x" * 1025)
    text = await bot.send_message(ANN_ID, "tekst")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(ANN_ID, text.message_id, caption="x")


async def test_telegrams_limits_are_enforced_only_on_request(bot: Bot, emulator: TelegramEmulator) -> None:
    people = list(range(100, 131))
    for person in people:
        emulator.chat_for({"id": person, "is_bot": False, "first_name": f"Lid {person}"})
    for _ in range(3):  # off by default: any number, also to one chat
        await bot.send_message(ANN_ID, "hallo")
    emulator.enforce_limits()
    await bot.send_message(ANN_ID, "hallo")
    with pytest.raises(RetryAfter) as caught:  # Ann had a message less than a second ago
        await bot.send_message(ANN_ID, "nog een")
    assert caught.value.retry_after.total_seconds() == 1
    for person in people[:29]:
        await bot.send_message(person, "hallo")
    with pytest.raises(RetryAfter):  # the 31st message within a second
        await bot.send_message(people[29], "hallo")
    assert await bot.edit_message_text("hallo!", ANN_ID, 1)  # an edit is no new message: not counted
    assert emulator.refused_for_flooding == {"same_chat": 1, "overall": 1}
    emulator.enforce_limits(None)
    assert (await bot.send_message(people[30], "weer")).text == "weer"
