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
    assert len(paths) == 4 + 9 + 11  # home, timeline, health, obligations; an index per kind; a page per record


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
