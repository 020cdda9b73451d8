"""Source addresses: checked offline for form and duplicates, online for reachability when asked."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from .graph import Graph
from .problems import Problem, Problems
from .records import Record

USER_AGENT = "china-fr-kb-link-check/1 (+https://github.com)"
TIMEOUT_SECONDS = 15
WORKERS = 8
LABEL_RE = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def sources_with_addresses(graph: Graph) -> list[Record]:
    return [record for record in graph.by_kind["sources"] if record.model.url]


def format_problem(url: str) -> str | None:
    """What is wrong with the form of an address, beyond the model's http(s) check."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError as err:
        return f"malformed address ({err})"
    host = parts.hostname or ""
    if parts.username or parts.password:
        return "address carries a user name or password"
    if port is not None and not 0 < port < 65536:
        return f"port {port} is out of range"
    try:
        labels = host.encode("idna").decode("ascii").split(".")
    except UnicodeError:
        return f"host {host!r} is not a valid domain name"
    if len(labels) < 2 or not all(LABEL_RE.match(label) for label in labels):
        return f"host {host!r} is not a valid domain name"
    return None


def offline_problems(graph: Graph) -> list[Problem]:
    """Malformed addresses, and addresses shared by two source records."""
    problems = Problems()
    first_seen: dict[str, Record] = {}
    for record in sources_with_addresses(graph):
        url = record.model.url
        mark = record.mark("url")
        if error := format_problem(url):
            problems.add(mark, f"url: {error}")
        key = url.rstrip("/").lower()
        if key in first_seen:
            problems.add(mark, f"url: same address as {first_seen[key].path}; cite that source instead")
        else:
            first_seen[key] = record
    return problems.sorted()


def fetch_status(url: str) -> str | None:
    """None when ``url`` answers with a success or redirect, else what went wrong."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as err:
            if method == "HEAD" and err.code in (403, 405, 501):
                continue  # some servers refuse HEAD; try GET
            return f"HTTP {err.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            return f"unreachable ({getattr(err, 'reason', err)})"
    return "no answer"


def online_problems(records: Iterable[Record], fetch: Callable[[str], str | None] = fetch_status) -> list[Problem]:
    """Every address that does not answer, checked a few at a time."""
    records = list(records)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda record: fetch(record.model.url), records))
    problems = Problems()
    for record, error in zip(records, results, strict=True):
        if error:
            problems.add(record.mark("url"), f"url: {error}: {record.model.url}")
    return problems.sorted()
