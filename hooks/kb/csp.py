"""Content-Security-Policy for every page: no script runs unless it is the theme's own.

The policy goes into a ``<meta http-equiv>`` at the top of ``<head>`` (the site is static,
so there are no response headers to set). Inline scripts are allowed by their SHA-256 hash,
and only those outside the page's ``<article>``, which is where the theme puts its own;
editors' content lives inside the article, so a script that somehow reached it would not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

SRC_RE = re.compile(r"\bsrc\s*=")
TYPE_RE = re.compile(r"\btype\s*=\s*[\"']?([^\"'\s>]+)")
HEAD_RE = re.compile(r"<head[^>]*>", re.IGNORECASE)
DATA_TYPES = ("application/json", "application/ld+json")


def _is_inline_code(attrs: str) -> bool:
    lowered = attrs.lower()  # most theme scripts have neither attribute: skip the searches then
    if "src" in lowered and SRC_RE.search(lowered):
        return False
    kind = TYPE_RE.search(lowered) if "type" in lowered else None
    return not (kind and kind.group(1) in DATA_TYPES)


def outside_article(html: str) -> list[tuple[int, int]]:
    """The ranges of the page before its first ``<article`` and after its last ``</article>``.

    Plain string searches rather than regular expressions, and ranges rather than copies:
    this runs on every page, and at scale there are tens of thousands.
    """
    start = html.find("<article")
    end = html.rfind("</article>")
    return [(0, len(html))] if start == -1 or end < start else [(0, start), (end, len(html))]


def _inline_scripts(html: str) -> tuple[str, ...]:
    """The bodies of the inline scripts outside the article, in page order.

    Only lower-case ``<script`` tags are found, which is how the theme writes them; a
    script missed here is not allowed to run, so the search fails closed.
    """
    bodies = []
    for first, last in outside_article(html):
        position = first
        while (start := html.find("<script", position, last)) != -1:
            close = html.find(">", start, last)
            end = html.find("</script>", close, last) if close != -1 else -1
            if end == -1:
                break
            if _is_inline_code(html[start + len("<script") : close]):
                bodies.append(html[close + 1 : end])
            position = end + len("</script>")
    return tuple(bodies)


@lru_cache(maxsize=256)
def _hashes(scripts: tuple[str, ...]) -> tuple[str, ...]:
    """Cached: the theme's scripts are the same on every page of a depth, so few distinct sets occur."""
    digests = (hashlib.sha256(body.encode("utf-8")).digest() for body in scripts)
    return tuple(sorted({f"'sha256-{base64.b64encode(digest).decode('ascii')}'" for digest in digests}))


def theme_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for the inline scripts outside the article."""
    return list(_hashes(_inline_scripts(html)))


def policy(html: str) -> str:
    scripts = " ".join(["'self'", *theme_script_hashes(html)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # the theme sets inline styles from its scripts
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "frame-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_policy(html: str) -> str:
    """``html`` with the policy as the first element of its head."""
    head = HEAD_RE.search(html)
    if head is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return f"{html[: head.end()]}{meta}{html[head.end() :]}"
