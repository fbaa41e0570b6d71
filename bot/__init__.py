"""The runtime of wijkbot: settings, languages, keyboards, the app and the CLI."""

import os

# Durations such as RetryAfter.retry_after are timedelta objects from PTB 23 on;
# opt in now so our code is written for that (and PTB does not warn).
os.environ.setdefault("PTB_TIMEDELTA", "1")
