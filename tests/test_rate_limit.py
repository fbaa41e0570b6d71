"""Telegram's limits: 30 messages a second in all, answers to a tap before the outbox, and waiting when asked."""

import asyncio
import time

from telegram.error import RetryAfter

from bot.rate_limit import BACKGROUND, PriorityRateLimiter


async def test_an_answer_to_a_tap_goes_before_waiting_outbox_messages() -> None:
    limiter = PriorityRateLimiter(per_second=50)
    order: list[str] = []

    async def send(name: str) -> bool:
        order.append(name)
        return True

    def request(name: str, chat_id: int, mark: str | None) -> asyncio.Task:
        return asyncio.create_task(
            limiter.process_request(send, (name,), {}, "sendMessage", {"chat_id": chat_id}, mark)
        )

    outbox = [request(f"outbox {n}", n, BACKGROUND) for n in range(80)]
    await asyncio.sleep(0.05)  # a few went, one a fiftieth of a second; the rest wait for a slot
    tap = request("answer to a tap", 999, None)
    await asyncio.gather(*outbox, tap)
    assert order.index("answer to a tap") <= 52  # the next free slot, not after the 30 that were waiting


async def test_the_outbox_sends_one_message_a_second_to_the_same_chat() -> None:
    limiter = PriorityRateLimiter()
    sent_at: list[float] = []

    async def send() -> bool:
        sent_at.append(time.monotonic())
        return True

    await asyncio.gather(
        *(limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, BACKGROUND) for _ in range(2))
    )
    assert sent_at[1] - sent_at[0] >= 0.99


async def test_when_telegram_asks_to_wait_every_call_waits_and_the_call_is_tried_again() -> None:
    limiter = PriorityRateLimiter()
    calls: list[tuple[str, float]] = []

    async def send(name: str) -> bool:
        calls.append((name, time.monotonic()))
        if len(calls) == 1:
            raise RetryAfter(1)
        return True

    first = asyncio.create_task(limiter.process_request(send, ("first",), {}, "sendMessage", {"chat_id": 1}, None))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(limiter.process_request(send, ("second",), {}, "sendMessage", {"chat_id": 2}, None))
    assert await asyncio.gather(first, second) == [True, True]
    asked_at = calls[0][1]
    assert sorted(name for name, _ in calls) == ["first", "first", "second"]
    assert all(at - asked_at >= 1 for _, at in calls[1:])


async def test_messages_are_spread_evenly_never_a_burst_and_edits_take_no_slot() -> None:
    limiter = PriorityRateLimiter(per_second=100)
    sent_at: list[float] = []

    async def send() -> bool:
        sent_at.append(time.monotonic())
        return True

    started = time.monotonic()
    await asyncio.gather(
        *(limiter.process_request(send, (), {}, "sendMessage", {"chat_id": n}, BACKGROUND) for n in range(11))
    )
    assert sent_at[-1] - started >= 0.095  # 11 messages at 100 a second: not 11 at once (Telegram answers 429)
    started = time.monotonic()
    await asyncio.gather(
        *(limiter.process_request(send, (), {}, "editMessageText", {"chat_id": n}, BACKGROUND) for n in range(20))
    )
    assert time.monotonic() - started < 0.05  # edits are not messages: they do not wait for a slot


async def test_a_taps_reply_waits_for_the_chats_second_only_right_after_a_background_message() -> None:
    limiter = PriorityRateLimiter()
    sent_at: list[float] = []

    async def send() -> bool:
        sent_at.append(time.monotonic())
        return True

    async def message(chat_id: int, mark: str | None) -> None:
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": chat_id}, mark)

    await message(1, None)
    await message(1, None)  # two replies to one tap follow each other
    assert sent_at[1] - sent_at[0] < 0.5
    await message(2, BACKGROUND)
    await message(2, None)  # right after an announcement went to this chat: its second first
    assert sent_at[3] - sent_at[2] >= 0.99
