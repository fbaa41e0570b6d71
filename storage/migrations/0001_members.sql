-- Members. A member may exist without Telegram (added at the desk), so
-- telegram_id may be empty. A 'visitor' has only chosen a language; a
-- 'deleted' member is an anonymous row that keeps counts right.
CREATE TABLE members (
    id          INTEGER PRIMARY KEY,
    telegram_id INTEGER UNIQUE,
    first_name  TEXT,
    language    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('visitor', 'pending', 'active', 'suspended', 'deleted')),
    created_at  TEXT NOT NULL
);

CREATE TABLE member_roles (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (member_id, role)
);
