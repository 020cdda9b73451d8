"""Editors' text: what scan refuses, and that plain() keeps any label literal."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kb.text import href, plain, render, scan
from support import site_markdown


def messages(text: str) -> list[str]:
    return [problem.message for problem in scan(text)[1]]


def test_references_are_found_with_offsets() -> None:
    refs, problems = scan("See [[alpha-vision]] and [@source-one].")
    assert problems == []
    assert [(r.kind, r.target, r.offset) for r in refs] == [("link", "alpha-vision", 4), ("cite", "source-one", 25)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<script>alert(1)</script>", "raw HTML is not allowed"),
        ("a <img src=x onerror=alert(1)>", "raw HTML is not allowed"),
        ("<!-- hidden -->", "raw HTML is not allowed"),
        ("![x](https://tracker.example.com/p.gif)", "images are not allowed"),
        ("[click](javascript:alert(1))", "link target 'javascript:alert(1' is not allowed"),
        ("[click]( data:text/html,x)", "link target 'data:text/html,x' is not allowed"),
        ("[click](/etc/passwd)", "link target '/etc/passwd' is not allowed"),
        ("[x]\n\n[x]: javascript:alert(1)", "link target 'javascript:alert(1)' is not allowed"),
        ("[[Not An Id]]", "does not name a valid id"),
        ("[@../../etc]", "does not name a valid id"),
        ("Intro.\n## A heading of its own", "headings are not allowed"),
        ("Title\n=====\nbody", "headings are not allowed"),
        ("Title\n---", "headings are not allowed"),
    ],
)
def test_unsafe_text_is_refused(text: str, fragment: str) -> None:
    assert any(fragment in message for message in messages(text)), messages(text)


@pytest.mark.parametrize(
    "text",
    [
        "Plain *emphasis* and a [link](https://example.org/a_(b)).",
        "A comparison: 3 < 4 and 5 > 4.",
        "{: onclick=alert(1) } is accepted: render() escapes the braces",
        "--8<-- /etc/passwd",
        "a | b | c",
        "- a list item\n- another",
        "C# and #hashtags are not headings.",
        "A paragraph.\n\n---\n\nA rule between paragraphs is not a heading.",
    ],
)
def test_safe_text_passes(text: str) -> None:
    assert messages(text) == []


def test_render_expands_references_and_escapes_stray_angle_brackets() -> None:
    out = render("[[a]] said 3 < 4 [@s]", lambda i: f"<L:{i}>", lambda i: f"<C:{i}>")
    assert out == "&lt;L:a> said 3 &lt; 4 &lt;C:s>"


@pytest.mark.parametrize("payload", ['{: onclick="x" }', "{ #id .cls }", "{ data-search-exclude }"])
def test_render_keeps_attribute_lists_as_text(payload: str) -> None:
    source = render(f"Text\n{payload}\n\n*em*{payload}", str, str)
    assert "{" not in source and "}" not in source
    html = site_markdown(source)
    assert visible_text(html).count(payload) == 2 and html.count("<p>") == 2 and "<em>em</em>" in html


def visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


CONTEXTS = {
    "heading": lambda v: f"# {v}",
    "table cell": lambda v: f"| a | b |\n| --- | --- |\n| {v} | x |",
    "list item": lambda v: f"- {v}",
    "link text": lambda v: f"[{v}](https://example.org)",
}


@pytest.mark.parametrize("context", CONTEXTS)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_plain_renders_as_the_same_visible_text_with_no_markup_of_its_own(context: str, value: str) -> None:
    source = CONTEXTS[context](plain(value))
    rendered = site_markdown(source)
    expected = " ".join(value.split())
    if not expected:
        return
    assert expected in visible_text(rendered)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    allowed = {"h1", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "p", "a"}
    assert tags <= allowed, (value, rendered)


def test_href_keeps_a_url_inside_markdown_parentheses() -> None:
    url = 'https://example.org/a (b)?q="x"'
    out = markdown.markdown(f"[t]({href(url)})")
    assert 'href="https://example.org/a%20%28b%29?q=%22x%22"' in out
