"""Generated Markdown: golden files make template changes reviewable.

Run with ``UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change,
then review the diff like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from kb import pages
from kb.engine import load_graph
from kb.pages import KINDS, all_pages
from kb.pages import kind_line as kind_line_html
from support import GOOD, write

GOLDEN = Path(__file__).parent / "golden"


def test_template_environment_is_kept_until_a_template_changes(tmp_path: Path, monkeypatch) -> None:
    """mkdocs serve builds many times in one process: templates compile once, and again when edited."""
    folder = tmp_path / "templates"
    shutil.copytree(pages.TEMPLATES, folder)
    monkeypatch.setattr(pages, "TEMPLATES", folder)
    first = pages.environment()
    assert pages.environment() is first
    assert "## Products {" in pages_of(GOOD)["companies/alpha-vision.md"]
    template = folder / "record/companies.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("## Products", "## Products and services"))
    assert pages.environment() is not first
    assert "## Products and services {" in pages_of(GOOD)["companies/alpha-vision.md"]


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
    assert "and &#123;: onclick=1 &#125; and" in page  # no attribute list for attr_list to apply
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
    assert '<div class="kb-matrix-list" data-search-exclude markdown>' in page


def search_settings(markdown: str) -> str:
    """The ``search:`` part of a page's front matter, or ``""``."""
    front = markdown.split("---\n", 2)[1]
    return front[front.index("search:") :] if "search:" in front else ""


def test_search_indexes_records_once_and_leaves_out_sources_timelines_and_indexes() -> None:
    pages = pages_of(GOOD)
    excluded = "search:\n  exclude: true\n"
    for path, markdown in pages.items():
        kind = path.split("/")[0]
        if path == "terms/index.md":
            assert search_settings(markdown) == "", path  # the glossary: its title and intro only
            assert '<div class="kb-index" data-search-exclude markdown>' in markdown
        elif kind in ("sources", "timeline.md", "timeline", "health.md") or path.endswith("/index.md"):
            assert search_settings(markdown) == excluded, path
        elif kind == "events":
            assert search_settings(markdown) == "", path  # Material's default boost, 1
        elif kind in KINDS:
            assert search_settings(markdown) == "search:\n  boost: 4\n", path
        else:
            assert "exclude" not in search_settings(markdown), path  # home and obligations


def test_record_pages_index_only_the_heading_and_kind_line() -> None:
    for path, markdown in pages_of(GOOD).items():
        if path.split("/")[0] not in KINDS or path.endswith("/index.md"):
            continue
        body = markdown.split("---\n", 2)[2]
        headings = [line for line in body.splitlines() if line.startswith("#")]
        assert headings[0].startswith("# ") and "{" not in headings[0], path
        for heading in headings[1:]:
            assert heading.startswith("##") and heading.endswith(" { data-search-exclude }"), (path, heading)
        assert unexcluded_lines(body) == [headings[0], kind_line(body)], path
        assert kind_line(body).startswith('<div class="kb-kind" data-search-exclude>') == path.startswith("events/")


def kind_line(body: str) -> str:
    return next(line for line in body.splitlines() if line.startswith('<div class="kb-kind"'))


def unexcluded_lines(body: str) -> list[str]:
    """Lines before the first h2, other than blank ones and those in blocks Material's search leaves out."""
    lines: list[str] = []
    excluded_depth = 0
    for line in body.splitlines():
        if line.startswith("## "):
            break
        if excluded_depth:
            excluded_depth += line.startswith(("<div", "<section")) - (line in ("</div>", "</section>"))
        elif line.startswith('<div class="kb-kind"'):
            lines.append(line)
        elif line.startswith(("<div", "<section")):
            assert "data-search-exclude" in line, line
            excluded_depth = 1
        elif line.strip() and "data-search-exclude" not in line:
            lines.append(line)
    return lines


@pytest.mark.parametrize(
    ("aliases", "html"),
    [
        ([], '<div class="kb-kind"><span data-search-exclude>Company</span></div>'),
        (
            ["Alpha Vision Co., Ltd.", "阿尔法视觉科技有限公司", "Aerfa Shijue", "AV{: .x }"],
            '<div class="kb-kind"><span data-search-exclude>Company · also known as</span> '
            "<span data-search-exclude>Alpha Vision Co&#46;&#44; Ltd&#46;;</span> "
            "<span data-search-exclude>阿尔法视觉科技有限公司;</span> Aerfa Shijue; AV&#123;&#58; &#46;x &#125;</div>",
        ),
        (
            ["Alpha Visionary", "ALPHA VISION", "Alpha Vision (HK)"],
            '<div class="kb-kind"><span data-search-exclude>Company · also known as</span> Alpha Visionary'
            "<span data-search-exclude>;</span> <span data-search-exclude>ALPHA VISION;</span> Alpha Vision &#40;HK&#41;</div>",
        ),
    ],
)
def test_kind_line_indexes_only_aliases_that_add_to_the_name(aliases: list[str], html: str) -> None:
    """Left out: the kind, and aliases that are the name or Chinese name plus at most a legal form."""
    from kb.model import MODELS

    model = MODELS["companies"](
        name="Alpha Vision", name_zh="阿尔法视觉科技", aliases=aliases, sources=["s"], reviewed="2026-11-23"
    )
    assert kind_line_html("companies", model) == html
    event = MODELS["events"](
        name="E", aliases=aliases, date="2020", event_type="other", sources=["s"], reviewed="2026-11-23"
    )
    assert kind_line_html("events", event).startswith('<div class="kb-kind" data-search-exclude>Event')
