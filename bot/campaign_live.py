"""Campaign cards already sent are updated as the campaign grows (issue 15).

When a pledge, a payment or the closing changes a campaign, the cards members have on their screen are edited
to show it as it is now: the same text and buttons the member gets by opening it, in their language
(bot/campaign_card.py). A repeating job (bot/scheduler.py) runs a round per campaign at most every
ROUND_EVERY, so a burst of pledges costs one or two edits per card; what is owed is in the database
(storage/campaign_cards.py), so a restart still does it. Edits go through the rate limiter behind members' taps.

A card that is gone (deleted by the member, the bot blocked) is forgotten; so is a closed campaign's card once it
shows the end. Telegram failing in a way that may pass leaves the round for the next run.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackContext, ExtBot

from bot import callbacks
from bot.campaign_card import AREA, member_view
from bot.context import Runtime, WijkContext, runtime_of
from bot.rate_limit import BACKGROUND
from storage import campaign_cards, campaigns, members
from storage.campaign_cards import Card, Round

logger = logging.getLogger(__name__)
ROUND_EVERY = timedelta(seconds=20)  # at most one edit round per campaign this often
CARDS_A_ROUND = 300  # about ten seconds of Telegram's limit; the rest in the next round
BACK_TO_LIST = callbacks.pack(AREA, "menu")  # ⬅️ Back on a member's card, and on no other screen
PHOTO = f"{AREA}:photo:"  # 🖼️ Photo sends the photo below the card: the card stays


async def card_left(update: Update, context: WijkContext) -> None:
    """A tap on a card's button (but 🖼️ Photo) puts another screen in its place: that message is no card any
    more, so it is not edited. A member's card is known by its ⬅️ Back to the list (bot/campaign_card.py); other
    taps cost nothing here."""
    tapped = update.callback_query
    if tapped is None or not isinstance(tapped.message, Message) or tapped.message.reply_markup is None:
        return
    shown = {button.callback_data for row in tapped.message.reply_markup.inline_keyboard for button in row}
    if BACK_TO_LIST in shown and not str(tapped.data).startswith(PHOTO):
        campaign_cards.forget_message(context.db, tapped.message.chat.id, tapped.message.message_id)


async def edit_cards_job(context: CallbackContext) -> None:
    """The repeating job."""
    await edit_due(context.application)


async def edit_due(application: Application) -> int:
    """Forget old cards, then run the rounds that are due; returns how many cards were edited."""
    runtime = runtime_of(application)
    now = runtime.clock()
    campaign_cards.forget_old(runtime.database, now)
    edited = 0
    for claimed in campaign_cards.claim_rounds(runtime.database, now, ROUND_EVERY):
        edited += await _round(application.bot, runtime, claimed)
    return edited


async def _round(bot: ExtBot, runtime: Runtime, claimed: Round) -> int:
    """Edit the cards of one campaign that are behind; a closed campaign's cards are forgotten once edited."""
    db, now = runtime.database, runtime.clock()
    campaign = campaigns.get(db, claimed.campaign_id)
    if campaign is None:
        return 0
    cards = campaign_cards.behind(db, claimed, CARDS_A_ROUND)
    edited = 0
    for card in cards:
        text, markup = member_view(db, runtime.settings, card.language, campaign, card.member_id, now)
        if not campaign_cards.still_kept(db, card):  # the member tapped away while earlier cards were edited
            continue
        try:
            await _edit(bot, card, text, markup)
        except BadRequest as error:  # deleted by the member, or no longer editable: no use trying again
            logger.info("campaign card %s/%s forgotten: %s", card.chat_id, card.message_id, error)
            campaign_cards.forget(db, card)
            continue
        except Forbidden as error:  # they blocked the bot
            logger.info("campaign card %s/%s forgotten: %s", card.chat_id, card.message_id, error)
            campaign_cards.forget(db, card)
            members.set_reachable(db, card.chat_id, False, now)
            continue
        except TelegramError as error:  # Telegram is down or busy: the next round tries again
            logger.warning("campaign %s: cards not edited now: %s", campaign.id, error)
            campaign_cards.owe_again(db, campaign.id)
            return edited
        edited += 1
        if campaign.status == campaigns.CLOSED:
            campaign_cards.forget(db, card)  # it shows the end: nothing will change any more
        else:
            campaign_cards.shown(db, card, claimed.version)
    if len(cards) == CARDS_A_ROUND:
        campaign_cards.owe_again(db, campaign.id)
    return edited


async def _edit(bot: ExtBot, card: Card, text: str, markup: InlineKeyboardMarkup) -> None:
    """Edit the card's text or caption and buttons; "not modified" means it shows this already (DESIGN.md)."""
    priority = BACKGROUND if bot.rate_limiter else None  # behind members' taps (bot/rate_limit.py)
    try:
        if card.caption:
            await bot.edit_message_caption(
                card.chat_id, card.message_id, caption=text, reply_markup=markup, rate_limit_args=priority
            )
        else:
            await bot.edit_message_text(
                text, card.chat_id, card.message_id, reply_markup=markup, rate_limit_args=priority
            )
    except BadRequest as error:
        if "not modified" not in error.message:
            raise
