"""Hostile and broken input: every case ends in a located error or in literal, harmless output.

Each data case runs the real validator in a child process with a memory cap and a time
limit, so a case that crashed the interpreter, hung, or blew up memory would fail here
rather than take the test run down with it.
"""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from kb.engine import load_graph
from kb.exports import csv_cell
from kb.pages import all_pages
from support import GOOD, run_kb, site_extensions, site_markdown, start_tags

MEMORY_CAP = 1024 * 1024 * 1024  # 1 GiB
SECONDS = 30
GOOD_TAIL = "sources: [example-news-2019]\nreviewed: 2026-11-23\n"


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def validate(tmp_path: Path, files: dict[str, bytes | str]) -> list[str]:
    """Problems reported for the fixture data plus ``files`` (relative to data/)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    for name, content in files.items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    result = run_kb("validate", str(data), cwd=tmp_path, timeout=SECONDS, preexec_fn=limited)
    assert result.returncode in (0, 1), result.stderr.decode()[-2000:]
    assert b"Traceback" not in result.stderr, result.stderr.decode()[-2000:]
    return result.stdout.decode("utf-8").splitlines()


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

# (case, file, content, expected first line of the report)
CASES = [
    ("syntax error", "companies/x.yaml", "name: [unclosed\n", "data/companies/x.yaml:2:1: YAML syntax error"),
    (
        "tab indentation",
        "companies/x.yaml",
        "name: X\nfounders:\n\t- A\n",
        "data/companies/x.yaml:3:1: YAML syntax error",
    ),
    (
        "duplicate key",
        "companies/x.yaml",
        "name: X\nname: Y\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:1: duplicate key 'name'",
    ),
    (
        "anchor and alias",
        "companies/x.yaml",
        "name: &n X\naliases: [*n]\n" + GOOD_TAIL,
        "data/companies/x.yaml:1:7: anchors",
    ),
    ("merge key", "companies/x.yaml", "<<: {name: X}\n" + GOOD_TAIL, "data/companies/x.yaml:1:1: merge keys"),
    ("alias bomb", "companies/x.yaml", BOMB, "data/companies/x.yaml:1:4: anchors"),
    (
        "custom tag",
        "companies/x.yaml",
        "name: !custom X\n" + GOOD_TAIL,
        "data/companies/x.yaml:1:7: tags such as '!custom'",
    ),
    (
        "python tag",
        "companies/x.yaml",
        "name: !!python/object/apply:os.system [echo pwned]\n" + GOOD_TAIL,
        "data/companies/x.yaml:1:7: tags such as 'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    (
        "several documents",
        "companies/x.yaml",
        "name: X\n---\nname: Y\n",
        "data/companies/x.yaml:2:1: a record file holds one YAML document",
    ),
    ("empty file", "companies/x.yaml", "", "data/companies/x.yaml:1:1: file is empty"),
    (
        "list instead of mapping",
        "companies/x.yaml",
        "- name: X\n",
        "data/companies/x.yaml:1:1: a record must be a mapping",
    ),
    (
        "deep nesting",
        "companies/x.yaml",
        "name: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "data/companies/x.yaml:1:18: nesting deeper than",
    ),
    (
        "huge file",
        "companies/x.yaml",
        "name: X\nsummary: " + "a" * 2_000_000 + "\n",
        "data/companies/x.yaml:1:1: file is 2,000,018 bytes",
    ),
    ("non-UTF-8", "companies/x.yaml", b"name: Caf\xe9\n", "data/companies/x.yaml:1:10: not valid UTF-8"),
    ("NUL", "companies/x.yaml", "name: X\x00\n", "data/companies/x.yaml:1:8: character U+0000 is not allowed"),
    (
        "bidi override",
        "companies/x.yaml",
        "name: X\u202eY\n",
        "data/companies/x.yaml:1:8: character U+202E is not allowed",
    ),
    (
        "zero width",
        "companies/x.yaml",
        "name: A\u200bB\n",
        "data/companies/x.yaml:1:8: character U+200B is not allowed",
    ),
    (
        "YAML 1.1 boolean",
        "companies/x.yaml",
        "name: X\ninvestments:\n  - investor_name: Y\n    state_linked: yes\n    sources: [example-news-2019]\n"
        + GOOD_TAIL,
        "data/companies/x.yaml:4:19: investments[0].state_linked: must be true or false",
    ),
    (
        "sexagesimal",
        "events/x.yaml",
        "name: X\ndate: 12:30\nevent_type: other\n" + GOOD_TAIL,
        "data/events/x.yaml:2:7: date: date '12:30'",
    ),
    (
        "octal-looking",
        "events/x.yaml",
        "name: X\ndate: 0755\nevent_type: other\n" + GOOD_TAIL,
        "data/events/x.yaml:2:7: date: year 0755 is outside",
    ),
    (
        "float-looking",
        "events/x.yaml",
        "name: X\ndate: 1e3\nevent_type: other\n" + GOOD_TAIL,
        "data/events/x.yaml:2:7: date: date '1e3'",
    ),
    (
        "nan",
        "events/x.yaml",
        "name: X\ndate: .nan\nevent_type: other\n" + GOOD_TAIL,
        "data/events/x.yaml:2:7: date: date '.nan'",
    ),
    (
        "impossible date",
        "events/x.yaml",
        "name: X\ndate: 2021-02-29\nevent_type: other\n" + GOOD_TAIL,
        "data/events/x.yaml:2:7: date: date '2021-02-29' does not exist",
    ),
    (
        "malformed date",
        "events/x.yaml",
        "name: X\ndate: 1.10\nevent_type: other\n" + GOOD_TAIL,
        "data/events/x.yaml:2:7: date: date '1.10'",
    ),
    (
        "misspelt field",
        "companies/x.yaml",
        "name: X\nheadquaters: Y\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:1: unknown field 'headquaters' (did you mean 'headquarters'?)",
    ),
    (
        "missing field",
        "companies/x.yaml",
        "name: X\nreviewed: 2026-11-23\n",
        "data/companies/x.yaml:1:1: missing required field 'sources'",
    ),
    (
        "wrong type",
        "companies/x.yaml",
        "name: {first: X}\n" + GOOD_TAIL,
        "data/companies/x.yaml:1:7: name: expected a single value, found a mapping",
    ),
    (
        "duplicate id across kinds",
        "bodies/alpha-vision.yaml",
        (GOOD / "bodies/example-regulator.yaml").read_text(),
        "data/companies/alpha-vision.yaml:1:1: id 'alpha-vision' is already used by data/bodies/alpha-vision.yaml",
    ),
    (
        "path traversal id",
        "companies/..%2f..%2fetc.yaml",
        "name: X\n" + GOOD_TAIL,
        "data/companies/..%2f..%2fetc.yaml:1:1: file name: id",
    ),
    (
        "odd id",
        "companies/Ünïcode Name.yaml",
        "name: X\n" + GOOD_TAIL,
        "data/companies/Ünïcode Name.yaml:1:1: file name: id",
    ),
    ("reserved-looking id", "companies/con.yaml", "name: X\n" + GOOD_TAIL, None),
    (
        "unknown record",
        "companies/x.yaml",
        "name: X\nparent: nobody\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:9: parent: unknown id 'nobody'",
    ),
    (
        "unknown source",
        "companies/x.yaml",
        "name: X\nsummary: Hi.[@nobody]\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:13: summary: unknown id 'nobody'",
    ),
    (
        "javascript URL",
        "companies/x.yaml",
        "name: X\nwebsite: javascript:alert(1)\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:10: website: address 'javascript:alert(1)'",
    ),
    (
        "data URL",
        "companies/x.yaml",
        "name: X\nwebsite: data:text/html;base64,PHNjcmlwdD4=\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:10: website: address",
    ),
    (
        "file URL",
        "sources/x.yaml",
        "name: X\npublisher: P\nurl: file:///etc/passwd\nsource_type: news\nreviewed: 2026-11-23\n",
        "data/sources/x.yaml:3:6: url: address",
    ),
    (
        "javascript link in text",
        "companies/x.yaml",
        "name: X\nsummary: '[x](javascript:alert(1))'\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:15: summary: link target",
    ),
    (
        "raw HTML in text",
        "companies/x.yaml",
        "name: X\nsummary: <img src=x onerror=alert(1)>\n" + GOOD_TAIL,
        "data/companies/x.yaml:2:10: summary: raw HTML",
    ),
    (
        "script closer in a name",
        "companies/x.yaml",
        "name: x</script><script>alert(1)</script>\n" + GOOD_TAIL,
        "data/companies/x.yaml:1:7: name: must not contain <, >",
    ),
    (
        "entity in a name",
        "companies/x.yaml",
        "name: X &#60;b&#62;\n" + GOOD_TAIL,
        "data/companies/x.yaml:1:7: name: must not contain <, >",
    ),
]


@pytest.mark.parametrize(("case", "name", "content", "expected"), CASES, ids=[case[0] for case in CASES])
def test_bad_data_is_reported_with_its_location(
    tmp_path: Path, case: str, name: str, content: str | bytes, expected: str | None
) -> None:
    lines = validate(tmp_path, {name: content})
    if expected is None:
        assert lines[0].startswith("ok:"), lines
    else:
        assert any(line.startswith(expected) for line in lines), lines
        assert lines[-1].endswith(("data error", "data errors")), lines


# --- literal rendering ---------------------------------------------------------------------------------

# Attribute lists (attr_list is enabled for the templates' { data-search-exclude }): each must stay
# text in a name, an alias and a summary, and add no attribute to any element.
ATTRIBUTE_LISTS = {
    "attribute list with a handler": '{: onclick="x" }',
    "attribute list with id and class": "{ #id .cls }",
    "search exclusion": "{ data-search-exclude }",
    "attribute lists mid-text": "Click {: onclick=alert(1) } here {#id .class}",
}
LITERAL_CASES = {
    **ATTRIBUTE_LISTS,
    "snippet marker": '--8<-- "/etc/passwd"',
    "table pipes": "a | b || c",
}
FIELDS = ("name", "alias", "summary")


def visible(html: str) -> str:
    import html as html_module
    import re

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def render_company(tmp_path: Path, name: str = "Literal", alias: str = "Alias", summary: str = "Summary") -> str:
    """A company record's page as the site renders its Markdown, with the given fields."""
    import json
    import shutil

    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(GOOD, data)
    record = f"name: {json.dumps(name)}\naliases: [{json.dumps(alias)}]\nsummary: {json.dumps(summary)}\n{GOOD_TAIL}"
    (data / "companies/literal.yaml").write_text(record, encoding="utf-8")
    pages = {page.path: page.markdown for page in all_pages(load_graph(data))}
    body = pages["companies/literal.md"].split("---\n", 2)[2]
    return site_markdown(body)


def render_summary(tmp_path: Path, summary: str) -> str:
    return render_company(tmp_path, summary=summary)


def test_attr_list_is_enabled_as_on_the_site() -> None:
    """Guards the test below: it must run with attribute lists live, as the site does."""
    assert "attr_list" in site_extensions()[0]
    assert 'data-search-exclude id="x"' in site_markdown("## x { data-search-exclude }")


# Names and aliases refuse "<" (see the data cases above), so the snippet marker goes in text only.
LITERAL_PLACES = [
    (case, field) for case, text in LITERAL_CASES.items() for field in FIELDS if field == "summary" or "<" not in text
]


@pytest.mark.parametrize(("case", "field"), LITERAL_PLACES)
def test_attribute_lists_snippet_markers_and_pipes_render_literally(tmp_path: Path, case: str, field: str) -> None:
    text = LITERAL_CASES[case]

    def shaped(payload: str) -> str:
        """At the end of a line, where attr_list looks; in text also on a line of its own and after emphasis."""
        return f"{field.capitalize()} {payload}" + (f"\n{payload}\n\n*Emphasis*{payload}" if field == "summary" else "")

    html = render_company(tmp_path, **{field: shaped(text)})
    neutral = render_company(tmp_path, **{field: shaped("payload")})
    assert f"{field.capitalize()} {text}" in visible(html)
    assert [(tag, sorted(attrs)) for tag, attrs in start_tags(html)] == [
        (tag, sorted(attrs)) for tag, attrs in start_tags(neutral)
    ], "the text added or removed an attribute or an element"
    for _, attrs in start_tags(html):
        assert "onclick" not in attrs and attrs.get("id") not in ("id", "x")
        assert not {"cls", "class"} & set((attrs.get("class") or "").split())
    assert "root:" not in html  # nothing was included from disk


def test_block_markup_in_text_stays_out_of_the_search_index(tmp_path: Path) -> None:
    """Material's search index holds the heading and the aliases, whatever blocks a summary has."""
    from material.plugins.search.plugin import Parser

    summary = "Intro.\n\n!!! note\n    Inside.\n\n> Quoted.\n\n| a | b |\n| --- | --- |\n| c | d |\n\nAfter."
    html = render_company(tmp_path, alias="Another name", summary=summary)
    parser = Parser()
    parser.feed(html)
    parser.close()
    [section] = [section for section in parser.data if not section.is_excluded()]
    assert section.el.tag == "h1" and "".join(section.text).strip() == "Another name"


def test_ordinary_markdown_still_works_in_text(tmp_path: Path) -> None:
    html = render_summary(tmp_path, "*emphasis* and `code` and [a link](https://example.org/).")
    assert "<em>emphasis</em>" in html and "<code>code</code>" in html
    assert '<a href="https://example.org/">a link</a>' in html


def test_a_script_closer_in_text_is_refused(tmp_path: Path) -> None:
    lines = validate(tmp_path, {"companies/x.yaml": "name: X\nsummary: 'x </script> y'\n" + GOOD_TAIL})
    assert (
        lines[0] == "data/companies/x.yaml:2:13: summary: raw HTML is not allowed in text; write &lt; for a literal '<'"
    )


def test_csv_formula_prefixes_are_neutralised() -> None:
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{prefix}1+1").startswith("'")
