-- Campaign cards members have on their screen (issue 15, storage/campaign_cards.py): when a campaign's totals,
-- supporters or status change, the bot edits them to show the campaign as it is now, one round per campaign at
-- most every 20 seconds (bot/campaign_live.py). One card per chat and campaign: the newest replaces the older.
-- Forgotten when the account is deleted, once a closed campaign's final state is shown, and after 30 days.
CREATE TABLE campaign_cards (
    chat_id     INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    message_id  INTEGER NOT NULL,
    caption     INTEGER NOT NULL CHECK (caption IN (0, 1)), -- 1: the card is a photo's caption, 0: a text
    language    TEXT NOT NULL, -- the language the member read it in
    version     INTEGER NOT NULL, -- the campaign_changes version the card shows
    shown_at    TEXT NOT NULL, -- UTC; when the member got or opened it (forgotten 30 days later)
    UNIQUE (chat_id, campaign_id)
);
CREATE INDEX campaign_cards_behind ON campaign_cards (campaign_id, version);
CREATE INDEX campaign_cards_member ON campaign_cards (member_id);
CREATE INDEX campaign_cards_age ON campaign_cards (shown_at);
-- What the cards should show: a version that goes up with each change, written in the transaction of the change
-- (the trigger), and whether an edit round is owed. So a restart still edits what changed while it was down.
CREATE TABLE campaign_changes (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns (id),
    version     INTEGER NOT NULL DEFAULT 0,
    owed        INTEGER NOT NULL DEFAULT 0 CHECK (owed IN (0, 1)), -- cards may be behind: a round is owed
    round_at    TEXT -- UTC; when the last edit round began
);
CREATE INDEX campaign_changes_owed ON campaign_changes (round_at) WHERE owed = 1;
CREATE TRIGGER campaign_changed AFTER UPDATE OF pledged_cents, received_cents, supporters, status ON campaigns
WHEN old.pledged_cents != new.pledged_cents OR old.received_cents != new.received_cents
    OR old.supporters != new.supporters OR old.status != new.status
BEGIN
    INSERT OR IGNORE INTO campaign_changes (campaign_id) VALUES (new.id);
    UPDATE campaign_changes SET version = version + 1, owed = 1 WHERE campaign_id = new.id;
END;
-- What the campaign asks for besides money is on the card too: a need added, pledged or turned into a shift.
CREATE TRIGGER campaign_need_added AFTER INSERT ON campaign_needs
BEGIN
    INSERT OR IGNORE INTO campaign_changes (campaign_id) VALUES (new.campaign_id);
    UPDATE campaign_changes SET version = version + 1, owed = 1 WHERE campaign_id = new.campaign_id;
END;
CREATE TRIGGER campaign_need_changed AFTER UPDATE OF pledged, shift_id ON campaign_needs
WHEN old.pledged != new.pledged OR old.shift_id IS NOT new.shift_id
BEGIN
    INSERT OR IGNORE INTO campaign_changes (campaign_id) VALUES (new.campaign_id);
    UPDATE campaign_changes SET version = version + 1, owed = 1 WHERE campaign_id = new.campaign_id;
END;
