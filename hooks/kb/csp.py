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

SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
HEAD_RE = re.compile(r"<head[^>]*>", re.IGNORECASE)
DATA_TYPES = ("application/json", "application/ld+json")


def _is_inline_code(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE):
        return False
    kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.IGNORECASE)
    return not (kind and kind.group(1).lower() in DATA_TYPES)


def outside_article(html: str) -> str:
    """The page without everything from its first ``<article`` to its last ``</article>``.

    Plain string searches rather than a regular expression over the whole page: this runs
    on every page, and pages can be large.
    """
    start = html.find("<article")
    end = html.rfind("</article>")
    return html if start == -1 or end < start else html[:start] + html[end:]


def theme_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for the inline scripts outside the article."""
    outside = outside_article(html)
    hashes = []
    for match in SCRIPT_RE.finditer(outside):
        if _is_inline_code(match.group("attrs")):
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(set(hashes))


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
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return HEAD_RE.sub(lambda match: match.group() + meta, html, count=1)
