"""The gettext catalogs: one folder per language, messages.po inside LC_MESSAGES."""
