"""The runtime of wijkbot: settings, languages, keyboards, the app and the CLI."""
