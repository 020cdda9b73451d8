"""Editors' text: checked for what it may not contain, then turned into safe Markdown.

Text fields are Markdown with two additions, ``[[id]]`` (a link to a record) and
``[@source-id]`` (a numbered citation). Raw HTML, images and links to anything but
http(s) are refused before the text reaches Python-Markdown, which would pass them
through. One-line labels (names, places) are not Markdown at all: :func:`plain`
turns every ASCII punctuation mark into a numeric character reference, which
Markdown leaves alone and the browser shows as the character itself. In text
fields :func:`render` does the same to ``{`` and ``}``, so that with ``attr_list``
enabled no editor can write an attribute list (``{: onclick=... }``, ``{ #id }``,
``{ data-search-exclude }``) onto the site's elements.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote

from .model import ID_RE

LINK_RE = re.compile(r"\[\[([^\[\]\n]*)\]\]")
CITE_RE = re.compile(r"\[@([^\[\]\n]*)\]")
MARKUP_RE = re.compile(r"<[A-Za-z/!?]")
IMAGE_RE = re.compile(r"!\[")
INLINE_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")
REFERENCE_DEF_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]*)", re.MULTILINE)
SAFE_TARGET_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s]+$")
# Headings: "# Title" lines, and a line of "=" or "-" underlining the line above it (setext).
HEADING_RE = re.compile(r"^( {0,3}#{1,6}(?:[ \t]|$))|(?<=\S)[ \t]*\n( {0,3}(?:=+|-+)[ \t]*)$", re.MULTILINE)
# Every ASCII punctuation mark as a numeric character reference (str.translate does it in C).
PLAIN_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in string.punctuation}
# What render() escapes in Markdown text: HTML's opener, and the braces of attribute lists.
TEXT_TABLE = {ord("<"): "&lt;", ord("{"): "&#123;", ord("}"): "&#125;"}


class Reference(NamedTuple):
    """A ``[[id]]`` (kind ``link``) or ``[@id]`` (kind ``cite``) found in text.

    A named tuple: a large data set has tens of thousands, and a frozen
    dataclass costs several times more to make.
    """

    kind: str
    target: str
    offset: int


class TextProblem(NamedTuple):
    offset: int
    message: str


def scan(text: str) -> tuple[list[Reference], list[TextProblem]]:
    """The references in ``text`` and everything in it that is not allowed.

    Each pattern runs only where the characters it needs occur (a substring test is
    far cheaper than a regular-expression pass, and most texts hold no link or markup).
    """
    references: list[Reference] = []
    problems: list[TextProblem] = []
    for kind, opener, pattern in (("link", "[[", LINK_RE), ("cite", "[@", CITE_RE)):
        if opener not in text:
            continue
        for match in pattern.finditer(text):
            target = match.group(1).strip()
            if not ID_RE.match(target):
                problems.append(TextProblem(match.start(), f"{match.group()!r} does not name a valid id"))
            else:
                references.append(Reference(kind, target, match.start()))
    if "<" in text:
        for match in MARKUP_RE.finditer(text):
            problems.append(TextProblem(match.start(), "raw HTML is not allowed in text; write &lt; for a literal '<'"))
    if "![" in text:
        for match in IMAGE_RE.finditer(text):
            problems.append(TextProblem(match.start(), "images are not allowed in text"))
    if "#" in text or "\n" in text:  # an ATX heading needs its "#", a setext one a line break
        for match in HEADING_RE.finditer(text):
            offset = match.start(1) if match.group(1) is not None else match.start(2)
            problems.append(
                TextProblem(offset, "headings are not allowed in text; the page gives each record its own headings")
            )
    if "](" in text:
        for match in INLINE_TARGET_RE.finditer(text):
            if not match.group(1):
                problems.append(TextProblem(match.start(), "link has no target; use an absolute http(s) URL or [[id]]"))
    for opener, pattern in (("](", INLINE_TARGET_RE), ("]:", REFERENCE_DEF_RE)):
        if opener not in text:
            continue
        for match in pattern.finditer(text):
            target = match.group(1)
            if target and not SAFE_TARGET_RE.match(target):
                problems.append(
                    TextProblem(
                        match.start(1), f"link target {target!r} is not allowed; use an absolute http(s) URL or [[id]]"
                    )
                )
    references.sort(key=lambda ref: ref.offset)
    problems.sort(key=lambda problem: problem.offset)
    return references, problems


def plain(value: str) -> str:
    """Literal text for any Markdown context: headings, tables, lists, link text.

    Punctuation becomes numeric character references, so nothing in it can start
    emphasis, a link, a table cell, an attribute list or HTML; line breaks become
    spaces so that a table row or heading cannot be split.
    """
    return " ".join(value.split()).translate(PLAIN_TABLE)


def href(url: str) -> str:
    """An http(s) address made safe to place inside a Markdown link's parentheses."""
    return quote(url, safe=":/?#@!$&'*+,;=%-._~[]")


def render(text: str, link: Callable[[str], str], cite: Callable[[str], str]) -> str:
    """Markdown for checked ``text``: ``[[id]]`` and ``[@id]`` expanded, ``<``, ``{`` and ``}`` escaped.

    ``link`` and ``cite`` return Markdown for a record link and a citation; the
    text must have passed :func:`scan` without problems. Braces become character
    references everywhere, code spans included (where they then show as written,
    ``&#123;``): telling code spans apart here as Python-Markdown does would be a
    second parser to keep in step with it, and a mismatch would let an attribute
    list through.
    """
    text = LINK_RE.sub(lambda match: link(match.group(1).strip()), text)
    text = CITE_RE.sub(lambda match: cite(match.group(1).strip()), text)
    return text.translate(TEXT_TABLE)
