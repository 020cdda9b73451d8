"""The editors' command line: validate, schema and links."""

from __future__ import annotations

import json
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from kb.__main__ import main
from kb.cache import store_for
from kb.engine import load_graph
from kb.exports import schema_texts
from kb.links import format_problem, online_problems, sources_with_addresses
from support import GOOD, ROOT, run_kb, write


def test_validate_reports_ok_with_counts_and_health(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOOD)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "ok: 11 records (2 companies, 1 bodies, 1 laws, 1 standards, 1 use-cases, 1 people, 2 events, 0 terms, 2 sources)"
    )
    assert "editorial health on " in out and "sources without an address" in out


def test_validate_lists_every_problem_and_fails(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(data_dir, "companies", "x", "name: X\nfonded: 2019\nreviewed: 2026-11-23\n")
    assert main(["validate", str(data_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "data/companies/x.yaml:1:1: missing required field 'sources'",
        "data/companies/x.yaml:2:1: unknown field 'fonded' (did you mean 'founded'?)",
        "2 data errors",
    ]


def test_validate_keeps_results_for_the_next_run_unless_told_not_to(
    data_dir: Path, own_validate_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--no-cache", str(data_dir)]) == 0
    assert not own_validate_store.exists()
    assert main(["validate", str(data_dir)]) == 0
    assert "unchanged since the last run" not in capsys.readouterr().out
    assert [path.name for path in own_validate_store.iterdir()] == [store_for(data_dir).name]
    assert main(["validate", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert f"11 files unchanged since the last run were not checked again (kept in {store_for(data_dir)})" in out


def test_validate_writes_github_annotations_in_actions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write(data, "companies", "x", "name: X\nfonded: 2019\nsources: [s]\nreviewed: 2026-11-23\n")
    result = run_kb("validate", str(data), env={"GITHUB_ACTIONS": "true"}, text=True)
    assert result.returncode == 1
    assert (
        "::error file=data/companies/x.yaml,line=2,col=1::unknown field 'fonded' (did you mean 'founded'?)"
        in result.stdout
    )


def test_validate_times_itself_on_the_whole_data_set(record_property: pytest.RecordProperty) -> None:
    """The command reports how long it took; the number goes into the test report.

    It is not asserted against a limit: timings belong to the benchmark (./dev bench),
    which compares them with the targets, not to a suite that must pass on a busy machine.
    """
    result = run_kb("validate", text=True)
    assert result.returncode == 0, result.stdout
    match = re.search(r"^ok: (\d+) records .* in (\d+\.\d\d) s$", result.stdout, re.MULTILINE)
    assert match, result.stdout
    assert int(match.group(1)) == sum(1 for _ in (ROOT / "data").glob("[!_]*/*.yaml"))
    record_property("validate_seconds", float(match.group(2)))


def test_committed_schemas_match_the_model() -> None:
    for name, text in schema_texts().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"schemas/{name} is stale: ./dev schema"
    assert main(["schema", "--check", "--out", str(ROOT / "schemas")]) == 0


def test_schema_check_notices_drift(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    (tmp_path / "events.schema.json").write_text("{}\n")
    assert main(["schema", "--check", "--out", str(tmp_path)]) == 1


def test_schema_describes_fields_editors_write() -> None:
    schema = json.loads(schema_texts()["companies.schema.json"])
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"name", "reviewed", "sources"}
    assert schema["properties"]["reviewed"]["pattern"] == r"^\d{4}-\d{2}-\d{2}$"
    listing = schema["$defs"]["SanctionListing"]
    assert "us-entity-list" in listing["properties"]["regime"]["enum"]


def test_templates_are_valid_records_against_the_real_data(tmp_path: Path) -> None:
    """Each template, copied into the real data as a new record, validates as it stands."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    for template in sorted((ROOT / "data/_templates").glob("*.yaml")):
        shutil.copy(template, data / template.stem / f"template-check-{template.stem}.yaml")
    graph = load_graph(data)
    assert {f"template-check-{t.stem}" for t in (ROOT / "data/_templates").glob("*.yaml")} <= graph.records.keys()
    assert len(list((ROOT / "data/_templates").glob("*.yaml"))) == 9


def test_offline_link_check_finds_malformed_and_duplicate_addresses(data_dir: Path) -> None:
    assert format_problem("https://user:pw@example.com/") == "address carries a user name or password"
    assert format_problem("https://exa mple.com/") is not None
    assert format_problem("https://example.com:99999/").startswith("malformed address")
    assert format_problem("https://例子.中国/路径") is None
    write(
        data_dir,
        "sources",
        "copy",
        "name: Copy\npublisher: P\nurl: https://news.example.org/report?id=1&lang=en/\n"
        "source_type: news\nreviewed: 2026-11-23\n",
    )
    assert main(["links", str(data_dir)]) == 1


class Answers(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200 if self.path == "/ok" else 404 if self.path == "/gone" else 405)
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200 if self.path in ("/ok", "/get-only") else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_online_link_check_against_a_local_server(data_dir: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        for name in ("ok", "gone", "get-only"):
            write(
                data_dir,
                "sources",
                f"s-{name}",
                f"name: {name}\npublisher: P\nurl: {base}/{name}\nsource_type: news\nreviewed: 2026-11-23\n",
            )
        graph = load_graph(data_dir)
        records = [r for r in sources_with_addresses(graph) if r.id.startswith("s-")]
        problems = [str(p) for p in online_problems(records)]
    finally:
        server.shutdown()
    assert problems == [f"data/sources/s-gone.yaml:3:6: url: HTTP 404: {base}/gone"]
