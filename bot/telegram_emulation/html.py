"""Telegram's HTML parse mode: what the person sees, or Telegram's refusal."""

from __future__ import annotations

import html
import re

SUPPORTED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9A-Fa-f]+|lt|gt|amp|quot);")


class EntityError(ValueError):
    """Text that Telegram refuses to parse: "can't parse entities: ..."."""


def _unescape(segment: str, offset: int) -> str:
    """Text between tags; Telegram refuses a bare '<' or an unknown &entity;."""
    if "<" in segment or ">" in segment:
        raise EntityError(f"Unsupported start tag at byte offset {offset}")
    for match in re.finditer(r"&[A-Za-z#0-9]*;?", segment):
        if not _ENTITY.fullmatch(match.group(0)) and match.group(0) != "&":
            raise EntityError(f"Unsupported entity at byte offset {offset + match.start()}")
    return html.unescape(segment)


def visible_text(text: str) -> str:
    """The text without its markup, as the person sees it."""
    shown = []
    open_tags: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        shown.append(_unescape(text[position : match.start()], position))
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in SUPPORTED_TAGS:
            raise EntityError(f'Unsupported start tag "{tag}" at byte offset {match.start()}')
        if closing:
            if not open_tags or open_tags.pop() != tag:
                raise EntityError(f"Unexpected end tag at byte offset {match.start()}")
        else:
            open_tags.append(tag)
        position = match.end()
    shown.append(_unescape(text[position:], position))
    if open_tags:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(shown)
