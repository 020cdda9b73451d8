"""Site tests: build the real MkDocs site into a temporary folder and read the HTML."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from kb.model import RECORD_KINDS
from support import GOOD, MKDOCS, ROOT, make_project, mkdocs_build, run_kb

pytestmark = pytest.mark.site
DRAGONS = ("sensetime", "megvii", "yitu", "cloudwalk")


class Links(HTMLParser):
    """Collects hrefs and srcs from the article (the page's own content)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.hrefs: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.depth and tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        for name in ("src", "href"):
            value = values.get(name) or ""
            loads = tag in ("script", "img", "iframe", "source", "video", "audio") or (
                tag == "link" and values.get("rel") not in ("canonical", "alternate")
            )
            if loads and re.match(r"^(https?:)?//", value):
                self.external.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def read(site: Path, url_path: str) -> str:
    return (site / url_path / "index.html").read_text(encoding="utf-8")


def article_links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def article(html: str) -> str:
    match = re.search(r"<article.*?</article>", html, re.S)
    assert match, "page has no article"
    return match.group()


# --- the fixture site: exact expectations ---------------------------------------------------


def test_company_page_links_to_law_and_use_case_and_they_link_back(fixture_site: Path) -> None:
    company = article_links(read(fixture_site, "companies/alpha-vision"))
    assert "../../laws/example-law/" in company
    assert "../../use-cases/pay-by-face/" in company
    law = read(fixture_site, "laws/example-law")
    assert "../../companies/alpha-vision/" in article_links(law)
    assert "Referenced by" in law
    assert "../../companies/alpha-vision/" in article_links(read(fixture_site, "use-cases/pay-by-face"))


def test_citations_are_numbered_notes_linking_to_the_source_page(fixture_site: Path) -> None:
    html = article(read(fixture_site, "companies/alpha-vision"))
    refs = re.findall(r'<sup id="fnref\d*:([\w-]+)"><a class="footnote-ref" href="#fn:\1">(\d+)</a>', html)
    first_seen = list(dict.fromkeys(number for _, number in refs))
    assert first_seen == ["1", "2"], "notes are numbered in order of first citation on the page"
    assert {source for source, _ in refs} == {"example-news-2019", "official-register"}
    notes = re.search(r'<div class="footnote">.*?</div>', html, re.S)
    assert notes and 'href="../../sources/example-news-2019/"' in notes.group()
    assert 'href="../../sources/official-register/"' in notes.group()


def test_source_page_lists_everything_citing_it(fixture_site: Path) -> None:
    html = article(read(fixture_site, "sources/official-register"))
    assert "Cited by" in html
    for target in (
        "companies/alpha-vision",
        "laws/example-law",
        "standards/example-standard",
        "events/2019-10-07-alpha-listed",
    ):
        assert f'href="../../{target}/"' in html


def test_timeline_is_grouped_by_year_in_order_with_filter_data(fixture_site: Path) -> None:
    html = article(read(fixture_site, "timeline"))
    years = re.findall(r'<section class="kb-year" data-year="(\d{4})"', html)
    assert years == ["2017", "2019"]
    dates = re.findall(r'<time datetime="([\d-]+)"', html)
    assert dates == sorted(dates) == ["2017-09", "2019-10-07"]
    assert 'data-type="sanction"' in html and 'data-involves="alpha-vision example-regulator"' in html
    assert '<option value="alpha-vision">Alpha Vision</option>' in html


def test_navigation_lists_sections_not_records(fixture_site: Path) -> None:
    html = read(fixture_site, "companies/alpha-vision")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S)
    assert nav and "Companies" in nav.group() and "Timeline" in nav.group()
    assert "Beta Retail" not in nav.group() and "example-law" not in nav.group()


def test_index_pages_have_a_row_per_record(fixture_site: Path) -> None:
    html = article(read(fixture_site, "companies"))
    rows = re.findall(r"<tr>\s*<td><a href=\"(\w[^\"]*)\"", html)
    assert rows == ["alpha-vision/", "beta-retail/"]
    assert "US Entity List" in html and "None recorded" in html


def test_site_makes_no_request_to_another_host(fixture_site: Path) -> None:
    external = []
    for page in fixture_site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        external += [f"{page.relative_to(fixture_site)}: {tag}" for tag in parser.external]
    assert external == []
    css = "".join(p.read_text(encoding="utf-8", errors="replace") for p in fixture_site.rglob("*.css"))
    assert "fonts.googleapis.com" not in css and "fonts.gstatic.com" not in css


def search_entries(site: Path) -> list[dict[str, str]]:
    """The documents of Material's search index, the file a reader's first search downloads."""
    return json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]


def entries_at(entries: list[dict[str, str]], url: str) -> list[dict[str, str]]:
    """The entries of the page at ``url``, its sections included."""
    return [entry for entry in entries if entry["location"].split("#")[0] == url]


def test_search_finds_a_company_by_its_name_and_aliases_only(fixture_site: Path) -> None:
    [entry] = entries_at(search_entries(fixture_site), "companies/alpha-vision/")
    assert entry["location"] == "companies/alpha-vision/"
    assert entry["title"].replace("\u200b", "") == "Alpha Vision 阿尔法视觉科技"
    # The kind line's alias that adds to the name; not "Company", nor the name plus "Co., Ltd.".
    assert entry["text"] == "Aerfa Shijue"
    assert entry["boost"] == 4


def test_search_finds_an_event_by_its_title_only(fixture_site: Path) -> None:
    [entry] = entries_at(search_entries(fixture_site), "events/2019-10-07-alpha-listed/")
    assert entry == {
        "location": "events/2019-10-07-alpha-listed/",
        "title": "Alpha Vision added to the Entity List",
        "text": "",
    }


def test_search_keeps_prose_pages_whole_and_tools_by_their_intro(fixture_site: Path) -> None:
    entries = search_entries(fixture_site)
    about = entries_at(entries, "about/")
    assert len(about) >= 4 and {entry["location"] for entry in about} >= {"about/", "about/#search", "about/#privacy"}
    assert any("Corrections and new records come through pull requests" in entry["text"] for entry in about)
    [obligations] = entries_at(entries, "obligations/")
    assert "Each row is a use of facial recognition" in obligations["text"]
    assert "Pay by face" not in obligations["text"]  # the matrix is left out
    [glossary] = entries_at(entries, "terms/")
    assert glossary["title"] == "Glossary" and "0 records" not in glossary["text"]
    for url in ("compare/", "screening/"):
        assert len(entries_at(entries, url)) == 1, url


def test_search_leaves_out_sources_timelines_indexes_and_health(real_site: Path) -> None:
    locations = [entry["location"] for entry in search_entries(real_site)]
    left_out = ("sources/", "timeline/", "health/", *(f"{kind}/" for kind in RECORD_KINDS if kind != "terms"))
    assert [place for place in locations if place.startswith(("sources/", "timeline/", "health/"))] == []
    assert [place for place in locations if place in left_out] == []


def test_search_has_one_entry_per_record_at_its_page(real_site: Path) -> None:
    entries = search_entries(real_site)
    by_page: dict[str, list[str]] = {}
    for entry in entries:
        by_page.setdefault(entry["location"].split("#")[0], []).append(entry["location"])
    for kind in RECORD_KINDS:
        for record in sorted((ROOT / "data" / kind).glob("*.yaml")):
            url = f"{kind}/{record.stem}/"
            assert by_page.get(url) == [url], (url, by_page.get(url))


def test_titles_carry_english_and_chinese_names(fixture_site: Path) -> None:
    html = read(fixture_site, "companies/alpha-vision")
    assert "<title>Alpha Vision 阿尔法视觉科技 - " in html


# --- failing builds ---------------------------------------------------------------------------


def test_bad_data_fails_the_build_with_every_error_and_keeps_the_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    site = project / "site"
    assert mkdocs_build(project / "mkdocs.yml", site).returncode == 0
    before = (site / "companies/alpha-vision/index.html").read_bytes()

    company = project / "data/companies/alpha-vision.yaml"
    text = company.read_text().replace("founded: 2014-10", "fonded: 2014-10")
    company.write_text(text)
    event = project / "data/events/2019-10-07-alpha-listed.yaml"
    event.write_text(event.read_text().replace("date: 2019-10-07", "date: 2019-02-29"))
    use_case = project / "data/use-cases/pay-by-face.yaml"
    use_case.write_text(use_case.read_text().replace("laws: [example-law,", "laws: [no-such-law,"))

    result = mkdocs_build(project / "mkdocs.yml", site)
    assert result.returncode != 0
    assert "data/companies/alpha-vision.yaml:4:1: unknown field 'fonded' (did you mean 'founded'?)" in result.stderr
    assert "data/events/2019-10-07-alpha-listed.yaml:2:7: date: date '2019-02-29' does not exist" in result.stderr
    assert "data/use-cases/pay-by-face.yaml:4:8: laws[0]: unknown id 'no-such-law'" in result.stderr
    assert "3 data errors; the site was not built" in result.stderr
    assert (site / "companies/alpha-vision/index.html").read_bytes() == before


def test_generated_page_clashing_with_docs_file_is_an_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs/timeline.md").write_text("# Mine\n")
    result = mkdocs_build(project / "mkdocs.yml", project / "site")
    assert result.returncode != 0
    assert "docs/timeline.md clashes with a generated page" in result.stderr


# --- live editing ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in fetch(url):
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.mark.parametrize(
    ("edit", "mode"), [("data", "--dirty"), ("template", "--dirty"), ("theme", "--dirty"), ("data", "--clean")]
)
def test_serve_rebuilds_when_data_or_templates_change(tmp_path: Path, edit: str, mode: str) -> None:
    """As ``./dev serve`` runs it (``--dirty``: only changed pages are rebuilt), and with every page rebuilt."""
    project = make_project(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [*MKDOCS, "serve", "--strict", mode, "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/companies/alpha-vision/"
        assert wait_for(url, "Alpha Vision", 60), "the server did not start"
        if edit == "data":
            record = project / "data/companies/alpha-vision.yaml"
            record.write_text(record.read_text().replace("name: Alpha Vision", "name: Alpha Vision Renamed"))
            marker = "Alpha Vision Renamed"
        elif edit == "template":
            template = project / "hooks/kb/templates/record/companies.md.j2"
            template.write_text(template.read_text().replace("## Products", "## Products and services"))
            marker = "Products and services"
        else:
            theme = project / "overrides/main.html"
            theme.write_text(theme.read_text() + "\n{% block footer %}<p>Edited theme footer</p>{% endblock %}\n")
            marker = "Edited theme footer"
        assert wait_for(url, marker, 60), "the edit was not picked up without a restart"
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- the real site -------------------------------------------------------------------------------


def test_real_site_builds_strict_with_every_record(real_site: Path) -> None:
    for kind in ("companies", "bodies", "laws", "standards", "use-cases", "events", "sources"):
        records = {p.stem for p in (ROOT / "data" / kind).glob("*.yaml")}
        built = {p.parent.name for p in (real_site / kind).glob("*/index.html")}
        assert records and records == built, kind


@pytest.mark.parametrize("company", DRAGONS)
def test_each_dragon_links_to_a_law_and_a_use_case_that_link_back(real_site: Path, company: str) -> None:
    links = article_links(read(real_site, f"companies/{company}"))
    pages = {link.split("#")[0] for link in links}
    laws = {link for link in pages if link.startswith("../../laws/")}
    use_cases = {link for link in pages if link.startswith("../../use-cases/")}
    assert laws, f"{company} links to no law"
    assert use_cases, f"{company} links to no use case"
    for target in sorted(laws | use_cases):
        back = article_links(read(real_site, target.removeprefix("../../").rstrip("/")))
        assert f"../../companies/{company}/" in back, f"{target} does not link back to {company}"


def test_fixture_is_not_the_real_data() -> None:
    """Guards the tests above: the fixture must stay small and separate."""
    assert GOOD != ROOT / "data"
    assert shutil.which("git") is None or (ROOT / "data").is_dir()


def test_contributor_flow_from_contributing_md(tmp_path: Path) -> None:
    """CONTRIBUTING.md's walk-through: add a company and an event from the templates, see them in
    the running preview without a restart, then get exact errors for three typical mistakes."""
    project = make_project(tmp_path, ROOT / "data")
    port = free_port()
    server = subprocess.Popen(  # as ./dev serve runs it
        [*MKDOCS, "serve", "--strict", "--dirty", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    data = project / "data"
    try:
        assert wait_for(f"http://127.0.0.1:{port}/", "China facial recognition", 120), "the preview did not start"
        company = (data / "_templates/companies.yaml").read_text()
        (data / "companies/example-vision.yaml").write_text(company)
        event = (
            (data / "_templates/events.yaml")
            .read_text()
            .replace("involves: [miit, sim-card-registration]", "involves: [example-vision]")
        )
        (data / "events/2024-05-01-example-vision-founded.yaml").write_text(
            event.replace("date: 2019-12-01", "date: 2024-05-01")
        )
        page = f"http://127.0.0.1:{port}/companies/example-vision/"
        assert wait_for(page, "Example Vision Technology", 120), "the new company did not appear"
        assert "A short headline saying what happened" in fetch(page)  # the event, on the company's timeline
    finally:
        server.terminate()
        server.wait(timeout=10)

    record = data / "companies/example-vision.yaml"
    text = record.read_text()
    text = text.replace("founded: 2015-03", "fonded: 2015-03")
    text = text.replace("sources: [week-in-china-2019-12-facing-the-future]\nreviewed:", "reviewed:")
    text = text.replace("  - use_case: pay-by-face", "  - use_case: pay-by-fase")
    record.write_text(text)
    result = run_kb("validate", str(data), cwd=project, text=True)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/companies/example-vision.yaml:4:1: missing required field 'sources'",
        "data/companies/example-vision.yaml:7:1: unknown field 'fonded' (did you mean 'founded'?)",
        "data/companies/example-vision.yaml:39:15: deployments[0].use_case: unknown id 'pay-by-fase'",
        "3 data errors",
    ]


def test_contributing_and_health_pages_are_part_of_the_site(fixture_site: Path) -> None:
    contributing = article(read(fixture_site, "contributing"))
    assert "<h1" in contributing and "Contributing" in contributing
    assert "data/_templates/companies.yaml" in contributing
    health = article(read(fixture_site, "health"))
    assert "Editorial health" in health and "Sources without an address" in health
    assert 'href="../sources/official-register/"' in health  # it has no address
    nav = read(fixture_site, "health")
    assert 'href="../contributing/"' in nav


def test_real_downloads_match_the_record_counts(real_site: Path) -> None:
    import csv
    import json
    import xml.etree.ElementTree as ET

    data = json.loads((real_site / "downloads/kb.json").read_text(encoding="utf-8"))
    for kind, count in data["counts"].items():
        files = list((ROOT / "data" / kind).glob("*.yaml"))
        assert count == len(files) == len(data["records"][kind]), kind
        with (real_site / f"downloads/{kind}.csv").open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in csv.DictReader(handle)) == count, kind
        schema = json.loads((real_site / f"downloads/schemas/{kind}.schema.json").read_text(encoding="utf-8"))
        assert schema["title"]
    feed = ET.parse(real_site / "downloads/events.atom").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == min(500, data["counts"]["events"])


def test_a_strict_failure_after_pages_are_written_leaves_the_previous_site(tmp_path: Path) -> None:
    """MkDocs fails --strict only after writing every page; the staged build must not replace the site."""
    project = make_project(tmp_path)
    site = project / "site"
    assert mkdocs_build(project / "mkdocs.yml", site).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")}

    (project / "docs/broken.md").write_text("# Broken\n\nA link to [nowhere](nowhere.md).\n")
    result = mkdocs_build(project / "mkdocs.yml", site)
    assert result.returncode != 0
    assert "in strict mode" in result.stdout + result.stderr
    assert f"Build failed: {site} was left as it was." in result.stderr
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")} == before
    assert not (site / "broken").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_every_page_carries_a_content_security_policy(fixture_site: Path) -> None:
    pages = list(fixture_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html[html.index("<head>") : html.index("<head>") + 200]
        assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'" in head, (
            page
        )
