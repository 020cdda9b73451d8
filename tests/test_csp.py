"""The Content-Security-Policy: only the theme's own inline scripts, by hash; nothing from elsewhere."""

from __future__ import annotations

import base64
import hashlib

from kb.csp import policy, theme_script_hashes, with_policy

PAGE = """<!doctype html><html><head><title>t</title>
<script>var theme = 1;</script>
<script id="__config" type="application/json">{"a": 1}</script>
<script src="assets/x.js"></script>
</head><body><article><script>alert("injected")</script></article>
<script>var palette = 2;</script></body></html>"""


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_only_inline_theme_scripts_outside_the_article_are_hashed() -> None:
    assert theme_script_hashes(PAGE) == sorted([sha("var theme = 1;"), sha("var palette = 2;")])
    assert sha('alert("injected")') not in policy(PAGE)


def test_policy_allows_nothing_from_other_origins() -> None:
    text = policy(PAGE)
    assert text.startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "'unsafe-inline'" not in text.split("style-src")[0]  # never for scripts
    assert "'unsafe-eval'" not in text and "http" not in text and "*" not in text
    assert "object-src 'none'" in text and "base-uri 'self'" in text


def test_policy_is_the_first_thing_in_head() -> None:
    html = with_policy(PAGE)
    assert html.index('<meta http-equiv="Content-Security-Policy"') == html.index("<head>") + len("<head>")
    assert html.count("Content-Security-Policy") == 1
