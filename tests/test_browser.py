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
    return [results.nth(i).get_attribute("href") or "" for i in range(min(results.count(), 10))]


@pytest.mark.parametrize("query", ["SenseTime", "商汤科技", "旷视", "Megvii"])
def test_search_finds_companies_by_english_and_chinese_name(page: object, base_url: str, query: str) -> None:
    expected = "sensetime" if query in ("SenseTime", "商汤科技") else "megvii"
    hrefs = search(page, base_url, query)
    assert any(f"companies/{expected}/" in href for href in hrefs), hrefs


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
