"""The data: SQLite through aiosqlite. Knows nothing about Telegram."""
