"""Browser tests: headless Chromium (Debian's) driven by Playwright against the built site.

Every test fails on a console error, an uncaught page error, or any request that
leaves localhost (such requests are also blocked, so the site must work without them).
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(real_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(real_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield context
        context.close()


@pytest.fixture
def page(browser_context: object) -> Iterator[object]:
    """A fresh page that records console errors, page errors and off-site requests."""
    problems: list[str] = []
    page = browser_context.new_page()

    def guard(route: object) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            problems.append(f"request left localhost: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    page.close()
    assert problems == []


def test_company_page_and_cross_link_both_ways(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/companies/sensetime/")
    assert "SenseTime" in page.locator("h1").inner_text()
    assert "商汤" in page.locator("h1").inner_text()
    law_link = page.locator("article a[href*='/laws/']").first
    law_name = law_link.inner_text()
    law_link.click()
    page.wait_for_url("**/laws/**")
    assert law_name in page.locator("h1").inner_text()
    back = page.locator("article a[href$='/companies/sensetime/']")
    assert back.count() >= 1
    back.first.click()
    page.wait_for_url("**/companies/sensetime/")


def search(page: object, base_url: str, query: str) -> list[str]:
    page.goto(f"{base_url}/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material's search reacts to key events; filled CJK text sends none
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    # Addresses without the ?h= that search.highlight adds.
    return [urlparse(results.nth(i).get_attribute("href") or "").path for i in range(min(results.count(), 10))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SenseTime", "companies/sensetime/"),
        ("商汤科技", "companies/sensetime/"),
        ("旷视", "companies/megvii/"),
        ("Megvii", "companies/megvii/"),
        ("Kuangshi", "companies/megvii/"),  # an alias, on the kind line the index keeps
        ("Temple of Heaven installs face-scanning", "events/2017-03-temple-of-heaven-face-scan-toilet-paper/"),
    ],
)
def test_search_finds_records_by_name_chinese_name_alias_and_event_title(
    page: object, base_url: str, query: str, expected: str
) -> None:
    hrefs = search(page, base_url, query)
    assert hrefs[0].endswith(expected), hrefs  # the record's page comes first


def test_search_does_not_offer_source_or_timeline_pages(page: object, base_url: str) -> None:
    hrefs = search(page, base_url, "toilet paper")
    assert hrefs and not [href for href in hrefs if "/sources/" in href or "/timeline/" in href], hrefs


def test_timeline_filters_by_entity_and_type(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/timeline/")
    events = page.locator(".kb-event")
    total = events.count()
    assert total >= 15
    page.select_option("#kb-filter-entity", "sensetime")
    visible = page.locator(".kb-event:visible")
    count = visible.count()
    assert 0 < count < total
    for i in range(count):
        assert "sensetime" in (visible.nth(i).get_attribute("data-involves") or "").split()
    assert page.locator("#kb-filter-status").inner_text() == f"Showing {count} of {total} events."
    assert "entity=sensetime" in page.url

    page.select_option("#kb-filter-type", "sanction")
    both = page.locator(".kb-event:visible")
    assert 0 < both.count() <= count
    for i in range(both.count()):
        assert both.nth(i).get_attribute("data-type") == "sanction"

    page.click("#kb-filter-reset")
    assert page.locator(".kb-event:visible").count() == total


def test_timeline_filter_state_comes_from_the_url_and_works_by_keyboard(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/timeline/?type=lawsuit")
    visible = page.locator(".kb-event:visible")
    assert visible.count() >= 1
    assert {visible.nth(i).get_attribute("data-type") for i in range(visible.count())} == {"lawsuit"}
    page.focus("#kb-filter-type")
    page.keyboard.press("Home")
    page.wait_for_function("document.getElementById('kb-filter-type').value === ''")
    assert page.locator(".kb-event:visible").count() == page.locator(".kb-event").count()


# --- partner due diligence -----------------------------------------------------------------------


def test_card_shows_dated_listing_for_a_listed_company(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/companies/sensetime/")
    card = page.locator(".kb-card")
    text = card.inner_text()
    assert "US Entity List" in text and "Listed on 2019-10-09" in text and "84 FR 54002" in text
    assert "Last checked 2026-11-23" in text
    assert card.locator("sup a.footnote-ref").count() >= 3
    assert card.locator("button.kb-print-button").count() == 1


def test_card_says_none_found_for_an_unlisted_company(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/companies/hema/")
    assert "No sanctions or export-control listing found as of" in page.locator(".kb-card").inner_text()


def test_compare_three_companies_shareable_by_url_and_keyboard(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/compare/?ids=sensetime,megvii,yitu")
    headers = page.locator("#kb-compare-output thead th")
    headers.nth(3).wait_for()
    assert [headers.nth(i).inner_text() for i in range(4)] == ["Fact", "Megvii", "SenseTime", "Yitu Technology"]
    assert page.locator("#kb-compare-status").inner_text() == "Comparing 3 companies."
    sanctions_row = page.locator("#kb-compare-output tbody tr").nth(1)
    assert "US Entity List" in sanctions_row.inner_text()
    page.focus("#kb-compare-cloudwalk")
    page.keyboard.press("Space")
    assert page.locator("#kb-compare-status").inner_text() == "Comparing 4 companies."
    assert "cloudwalk" in page.url.split("ids=")[1]
    page.fill("#kb-compare-filter", "hikv")
    visible = page.locator(".kb-compare-choices label:visible")
    assert visible.count() == 1 and "Hikvision" in visible.inner_text()


def test_screening_two_matches_and_one_clear_non_match(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/screening/")
    page.fill("#kb-screening-input", "旷视科技\nHangzhou Hikvision Digital Technology Co., Ltd.\nAcme Widgets Ltd")
    page.focus("#kb-screening-run")
    page.keyboard.press("Enter")
    rows = page.locator("#kb-screening-output tbody tr")
    rows.nth(2).wait_for()
    assert page.locator("#kb-screening-status").inner_text() == "3 names screened: 2 matched, 1 not matched."
    first, second, third = (rows.nth(i).inner_text() for i in range(3))
    assert "Megvii" in first and "Listed: US Entity List" in first
    assert "Hikvision" in second and "Listed:" in second
    assert "No match in this knowledge base" in third
    assert rows.nth(0).locator("a").get_attribute("href").endswith("/companies/megvii/")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ＭＥＧＶＩＩ  technology, limited", "megvii"),
        ("kuangshi-keji", "megvii"),
        ("杭州海康威视数字技术股份有限公司", "hikvision"),
        ("SENSETIME GROUP INC.", "sensetime"),
    ],
)
def test_screening_tolerates_case_width_punctuation_suffixes_and_pinyin(
    page: object, base_url: str, name: str, expected: str
) -> None:
    page.goto(f"{base_url}/screening/")
    page.fill("#kb-screening-input", name)
    page.click("#kb-screening-run")
    link = page.locator("#kb-screening-output tbody a").first
    link.wait_for()
    assert link.get_attribute("href").endswith(f"/companies/{expected}/")


def test_obligations_matrix_links_both_ways(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/obligations/")
    row_link = page.locator("table a[href$='/use-cases/retail-customer-analytics/']").first
    assert row_link.count() == 1
    assert page.locator("table thead a[href$='/laws/pipl/']").count() == 1
    assert page.locator("table tbody a[href*='/laws/pipl/#provision-']").count() >= 1
    row_link.click()
    page.wait_for_url("**/use-cases/retail-customer-analytics/")
    back = page.locator("article a[href$='/obligations/#retail-customer-analytics']")
    assert back.count() == 1
    assert page.locator("#obligations").count() == 1
    page.goto(f"{base_url}/laws/pipl/")
    assert page.locator("article a[href$='/obligations/#law-pipl']").count() == 1


def test_print_layout_hides_navigation_and_prints_address_and_date(page: object, base_url: str) -> None:
    page.goto(f"{base_url}/companies/megvii/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-header").is_visible()
    meta = page.locator(".kb-print-meta")
    assert meta.is_visible()
    assert "/companies/megvii/" in meta.inner_text() and "Printed from" in meta.inner_text()
    assert page.locator(".footnote").is_visible()  # citations as endnotes
    page.emulate_media(media="screen")
    assert not meta.is_visible()


AXE_PAGES = [
    "/",
    "/companies/",
    "/companies/sensetime/",
    "/laws/pipl/",
    "/standards/",
    "/bodies/cac/",
    "/use-cases/retail-customer-analytics/",
    "/people/guo-bing/",
    "/events/",
    "/sources/",
    "/timeline/",
    "/obligations/",
    "/compare/?ids=sensetime,megvii,yitu",
    "/screening/",
    "/health/",
    "/contributing/",
    "/data/",
    "/about/",
]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_or_critical_accessibility_violation(page: object, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{base_url}{path}")
    if path.startswith("/screening/"):
        page.fill("#kb-screening-input", "旷视科技\nNobody Ltd")
        page.click("#kb-screening-run")
    page.wait_for_timeout(300)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# --- defence in depth ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def injected_site(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the built site with a payload planted in a page, as if every other defence had failed."""
    site = tmp_path_factory.mktemp("injected") / "site"
    shutil.copytree(real_site, site)
    page = site / "companies/sensetime/index.html"
    payload = (
        '<script>window.__pwned = "inline";</script>'
        '<img src="data:," onerror="window.__pwned = 1">'
        '<a id="kb-evil" href="javascript:window.__pwned=2">evil</a>'
    )
    page.write_text(page.read_text(encoding="utf-8").replace("<h1", payload + "<h1", 1), encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_csp_blocks_an_injected_payload_while_the_site_works(browser_context: object, injected_site: str) -> None:
    page = browser_context.new_page()
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"{injected_site}/companies/sensetime/")
    page.click("#kb-evil")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert len(blocked) >= 2  # the inline script and the event handler were refused
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("Megvii")
    box.press("End")
    page.locator(".md-search-result__item a").first.wait_for(timeout=15_000)
    assert page.locator(".md-search-result__item").count() > 0
    assert page.locator(".kb-print-button").count() == 1  # the site's own scripts still run
    page.close()
