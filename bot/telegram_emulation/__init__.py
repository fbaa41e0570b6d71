"""A local, in-process Telegram Bot API for the demo and the tests.

The real PTB Application talks to it through a BaseRequest (or over loopback
HTTP), so handlers, serialisation and the database run unchanged.
"""
