-- When Telegram answered that a member blocked the bot: they cannot be reached there (DESIGN.md).
-- Cleared as soon as they write to the bot again, or a message gets through.
ALTER TABLE members ADD COLUMN unreachable_since TEXT;
