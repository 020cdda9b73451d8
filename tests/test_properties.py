"""Property tests: the loader only ever fails with a located error, and editors' text renders
to what it says, with no markup of its own, in every context the site uses."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb.exports import csv_cell
from kb.load import load_file
from kb.model import MODELS
from kb.problems import Problems
from kb.records import read_record
from kb.text import plain, render, scan
from support import site_markdown, start_tags

YAML_PIECES = [
    "name",
    "summary",
    "sources",
    ":",
    " ",
    "\n",
    "  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "&a",
    "*a",
    "!!str",
    "!x",
    "---",
    "#",
    "|",
    ">",
    "\t",
    "<<",
    "?",
    "2019-12-01",
    "NO",
    "0755",
    "x",
    "中文",
    "\\",
    "%",
]
MD_PIECES = [
    "[a](",
    "](",
    "javascript:",
    "JavaScript:",
    "data:",
    "https://x.org/p",
    "http://y.cn",
    ")",
    "(",
    "<",
    ">",
    "![",
    "]: ",
    "[",
    "]",
    "\n",
    "\n\n",
    "<a href=",
    "<script>",
    "{: ",
    "{",
    "}",
    "{ data-search-exclude }",
    "{#x .y}",
    "onclick=",
    "&#60;",
    "&lt;",
    "`",
    "    ",
    "*",
    "_",
    "|",
    "- ",
    "# ",
    "--8<--",
    "[[",
    "]]",
    "[@",
    "x",
    "é",
    "中",
    " ",
    '"',
    "'",
    "!!! note",
    "\t",
]
texts = st.lists(st.sampled_from(MD_PIECES), max_size=25).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join))
def test_loader_fails_only_with_located_errors(tmp_path: Path, text: str) -> None:
    file = tmp_path / "x.yaml"
    file.write_text(text, encoding="utf-8")
    problems = Problems()
    root = load_file(file, "data/x.yaml", problems)
    if root is None:
        assert problems, "a refusal always says why"
    for problem in problems.items:
        assert problem.mark.path == "data/x.yaml"
        assert problem.mark.line >= 1 and problem.mark.col >= 1
        assert problem.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_record_reader(tmp_path: Path, raw: bytes) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes(raw)
    problems = Problems()
    root = load_file(file, "data/companies/x.yaml", problems)
    assert root is not None or problems
    read_record("companies", file, "data/companies/x.yaml", problems, {"x": "companies"})
    assert all(p.mark.line >= 1 and p.mark.col >= 1 for p in problems.items)


ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "sup",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"href", "id", "class", "title", "style"}


def safe_href(href: str) -> bool:
    return bool(re.match(r"^(https?://|#|\.\./[a-z-]+/[a-z0-9-]+\.md$)", href))


@settings(max_examples=600, deadline=None)
@given(texts)
def test_accepted_text_renders_with_no_markup_of_its_own(text: str) -> None:
    """Whatever scan() accepts becomes only ordinary Markdown elements with safe links."""
    _, problems = scan(text)
    if problems:
        return
    body = render(text, lambda i: f"[Name](../companies/{i}.md)", lambda i: f"[^{i}]")
    for tag, attrs in start_tags(site_markdown(body)):
        assert tag in ALLOWED_TAGS, (text, tag)
        assert set(attrs) <= ALLOWED_ATTRIBUTES, (text, tag, attrs)
        if "href" in attrs:
            assert safe_href(attrs["href"] or ""), (text, attrs["href"])
        if "style" in attrs:
            assert re.fullmatch(r"text-align: (left|right|center);", attrs["style"] or ""), (text, attrs)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_labels_survive_json_csv_and_attributes_unchanged(value: str) -> None:
    assert json.loads(json.dumps(value, ensure_ascii=False)) == value
    cell = csv_cell(value)
    [row] = list(csv.reader(io.StringIO(_csv_line(cell))))
    assert row[0] == cell
    assert cell == value or (cell == "'" + value and value.startswith(("=", "+", "-", "@", "\t", "\r")))
    attribute = f'<option value="x">{plain(value)}</option>'
    assert [tag for tag, _ in start_tags(attribute)] == ["option"]


def _csv_line(cell: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell])
    return buffer.getvalue()


def test_every_kind_has_a_model() -> None:
    assert set(MODELS) == {
        "companies",
        "bodies",
        "laws",
        "standards",
        "use-cases",
        "people",
        "events",
        "terms",
        "sources",
    }
