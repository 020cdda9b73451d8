"""Generated Markdown: golden files make template changes reviewable.

Run with ``UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change,
then review the diff like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kb.engine import load_graph
from kb.pages import all_pages
from support import GOOD, write

GOLDEN = Path(__file__).parent / "golden"


def pages_of(data: Path) -> dict[str, str]:
    return {page.path: page.markdown for page in all_pages(load_graph(data))}


@pytest.mark.parametrize(
    "path",
    [
        "companies/alpha-vision.md",
        "laws/example-law.md",
        "use-cases/pay-by-face.md",
        "timeline.md",
        "companies/index.md",
    ],
)
def test_golden_markdown(path: str) -> None:
    markdown = pages_of(GOOD)[path]
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(markdown, encoding="utf-8")
    assert markdown == golden.read_text(encoding="utf-8")


def test_every_record_and_kind_gets_a_page() -> None:
    paths = set(pages_of(GOOD))
    assert {"index.md", "timeline.md", "companies/index.md", "sources/index.md", "people/index.md"} <= paths
    assert {"companies/alpha-vision.md", "sources/official-register.md", "events/2019-10-07-alpha-listed.md"} <= paths
    assert {"timeline/2017.md", "timeline/2019.md"} <= paths
    assert len(paths) == 4 + 2 + 9 + 11  # home, timeline, health, obligations; years; an index per kind; records


def test_hostile_names_and_text_stay_literal(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "hostile",
        """\
name: "Evil | Co *bold* [x](https://e.example) {: #id } --8-- x"
name_zh: "恶意 | 公司"
summary: "Has a pipe | and {: onclick=1 } and --8<-- /etc/passwd and 3 < 4.[@example-news-2019]"
sources: [example-news-2019]
reviewed: 2026-11-23
""",
    )
    page = pages_of(data_dir)["companies/hostile.md"]
    heading = next(line for line in page.splitlines() if line.startswith("# "))
    assert "|" not in heading and "*" not in heading and "[" not in heading and "{" not in heading
    assert "&#124;" in heading and "&#42;bold&#42;" in heading
    assert 'title: "Evil | Co *bold* [x](https://e.example) {: #id } --8-- x \\u6076' in page
    assert "3 &lt; 4.[^example-news-2019]" in page
    index = pages_of(data_dir)["companies/index.md"]
    row = next(line for line in index.splitlines() if "hostile" in line)
    assert row.count(" | ") == 5, row  # the pipe in the name does not add a table cell


def test_a_long_timeline_is_split_by_year(monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.pages

    monkeypatch.setattr(kb.pages, "TIMELINE_PAGE_LIMIT", 1)
    pages = pages_of(GOOD)
    assert 'class="kb-event"' not in pages["timeline.md"]
    assert "[2017](timeline/2017.md)" in pages["timeline.md"]
    assert pages["timeline/2019.md"].count('class="kb-event"') == 1
    assert "[2019](../timeline/2019.md)" in pages["events/index.md"]
    assert "(../timeline/2019.md#2019-10-07-alpha-listed)" in pages["events/2019-10-07-alpha-listed.md"]


def test_a_wide_obligations_matrix_becomes_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.pages

    monkeypatch.setattr(kb.pages, "MATRIX_MAX_COLUMNS", 0)
    page = pages_of(GOOD)["obligations.md"]
    assert "| Use case |" not in page
    assert (
        '<span id="pay-by-face"></span>[Pay by face](use-cases/pay-by-face.md): Example Personal Information Law [Article 28](laws/example-law.md#provision-1)'
        in page
    )
    assert '<span id="law-example-law"></span>' in page
