"""Validation against the model: every error names file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb.engine import load_graph
from kb.problems import DataError, Problems
from kb.records import read_records
from support import GOOD, write

COMPANY = """\
name: Gamma Face
name_zh: 伽马人脸
founded: 2015-03
sources: [example-news-2019]
reviewed: 2026-11-23
"""


def problems_of(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_graph(data)
    return [str(problem) for problem in caught.value.problems]


def test_fixture_data_is_valid(data_dir: Path) -> None:
    graph = load_graph(data_dir)
    assert len(graph.records) == 11
    assert graph.get("alpha-vision").model.sanctions[0].citation == "84 FR 54002"


def test_typo_missing_reference_and_bad_date_are_reported_together(data_dir: Path) -> None:
    """The engine issue's acceptance case: three different errors, one run, all located."""
    write(data_dir, "companies", "gamma-face", COMPANY.replace("founded:", "fonded:"))
    write(
        data_dir,
        "events",
        "2020-01-01-x",
        """\
name: Gamma Face partners with a missing firm
date: 2020-02-30
event_type: deployment
involves: [gamma-face, no-such-firm]
sources: [example-news-2019]
reviewed: 2026-11-23
""",
    )
    write(
        data_dir,
        "events",
        "2020-01-02-y",
        """\
name: Another
date: 2020-01-02
event_type: other
involves: [no-such-firm]
sources: [example-news-2019]
reviewed: 2026-11-23
""",
    )
    assert problems_of(data_dir) == [
        "data/companies/gamma-face.yaml:3:1: unknown field 'fonded' (did you mean 'founded'?)",
        "data/events/2020-01-01-x.yaml:2:7: date: date '2020-02-30' does not exist (month has 29 days)",
        "data/events/2020-01-01-x.yaml:4:24: involves[1]: unknown id 'no-such-firm'",
        "data/events/2020-01-02-y.yaml:4:12: involves[0]: unknown id 'no-such-firm'",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("reviewed: 2026-11-23\n", ""), "1:1: missing required field 'reviewed'"),
        (("sources: [example-news-2019]\n", "sources: []\n"), "4:10: sources: List should have at least 1 item"),
        (("name: Gamma Face", "name: [a, b]"), "1:7: name: expected a single value, found a list"),
        (("founded: 2015-03", "founded: 2015-13"), "3:10: founded: date '2015-13' has no month 13"),
        (
            ("founded: 2015-03", "founded: 15-03-2015"),
            "3:10: founded: date '15-03-2015' must be YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (("name: Gamma Face", "name: Gamma</title><img src=x>"), "1:7: name: must not contain <, > or a character"),
        (("name: Gamma Face", "name: Gamma &#60;b&#62;"), "1:7: name: must not contain <, > or a character"),
        (("founded: 2015-03", "website: javascript:alert(1)"), "3:10: website: address 'javascript:alert(1)' must be"),
        (("founded: 2015-03", "website: data:text/html,x"), "3:10: website: address 'data:text/html,x' must be"),
        (
            ("founded: 2015-03", "status: closed"),
            "3:9: status: must be one of 'active', 'acquired', 'defunct' or 'delisted'",
        ),
        (("founded: 2015-03", "founders: Jane"), "3:11: founders: expected a list"),
        (
            ("founded: 2015-03", "sanctions:\n  - regime: us-entity-list\n    status: yes"),
            "4:5: missing required field 'sanctions[0].authority'",
        ),
    ],
)
def test_field_errors_are_located(data_dir: Path, change: tuple[str, str], expected: str) -> None:
    write(data_dir, "companies", "gamma-face", COMPANY.replace(*change))
    problems = problems_of(data_dir)
    assert any(p.startswith(f"data/companies/gamma-face.yaml:{expected}") for p in problems), problems


def test_unknown_nested_field_suggests_the_right_one(data_dir: Path) -> None:
    text = COMPANY + "stock_listings:\n  - exchange: HKEX\n    tickr: '0020'\n    listed_on: 2021\n    sources: [x]\n"
    write(data_dir, "companies", "gamma-face", text)
    assert (
        "data/companies/gamma-face.yaml:8:5: unknown field 'stock_listings[0].tickr' (did you mean 'ticker'?)"
        in problems_of(data_dir)
    )


def test_strict_booleans(data_dir: Path) -> None:
    text = COMPANY + "investments:\n  - investor_name: X\n    state_linked: yes\n    sources: [example-news-2019]\n"
    write(data_dir, "companies", "gamma-face", text)
    assert problems_of(data_dir) == [
        "data/companies/gamma-face.yaml:8:19: investments[0].state_linked: must be true or false"
    ]


@pytest.mark.parametrize("name", ["Bad_Name", "UPPER", "a--b", "-lead", "ünï", "x" * 81, "with space"])
def test_file_names_must_be_slugs(data_dir: Path, name: str) -> None:
    write(data_dir, "companies", name, COMPANY)
    problems = problems_of(data_dir)
    assert len(problems) == 1 and problems[0].startswith(f"data/companies/{name}.yaml:1:1: file name: id")


def test_duplicate_ids_across_kinds(data_dir: Path) -> None:
    body = (GOOD / "bodies" / "example-regulator.yaml").read_text()
    write(data_dir, "bodies", "alpha-vision", body)
    assert problems_of(data_dir) == [
        "data/companies/alpha-vision.yaml:1:1: id 'alpha-vision' is already used by data/bodies/alpha-vision.yaml; "
        "ids are unique across kinds"
    ]


def test_stray_files_and_folders(data_dir: Path) -> None:
    (data_dir / "compnies").mkdir()
    (data_dir / "companies" / "x.yml").write_text("name: x\n")
    (data_dir / "_templates").mkdir()
    (data_dir / "_templates" / "company.yaml").write_text("not: checked\n")
    assert problems_of(data_dir) == [
        "data/companies/x.yml:1:1: unexpected file: use the .yaml extension",
        "data/compnies:1:1: unexpected folder in data/ (did you mean 'companies'?)",
    ]


def test_every_file_is_checked_even_after_errors(data_dir: Path) -> None:
    for index in range(5):
        write(data_dir, "companies", f"broken-{index}", "name: [unclosed\n")
    problems = Problems()
    records, rejected = read_records(data_dir, problems)
    assert len(problems) == 5
    assert len(records) == 11
    assert {r.id for r in rejected} == {f"broken-{index}" for index in range(5)}


def test_references_to_an_invalid_record_are_not_reported_twice(data_dir: Path) -> None:
    path = data_dir / "laws" / "example-law.yaml"
    path.write_text(path.read_text().replace("status: in-force", "status: maybe"))
    assert problems_of(data_dir) == [
        "data/laws/example-law.yaml:8:9: status: must be one of 'in-force', 'draft', 'not-yet-in-force', 'amended', "
        "'superseded' or 'repealed'"
    ]


def test_an_alias_split_by_an_unquoted_comma_is_caught(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "gamma-face",
        COMPANY.replace("founded: 2015-03", "aliases: [Gamma Face Co., Ltd., Gamma]"),
    )
    assert problems_of(data_dir) == [
        "data/companies/gamma-face.yaml:3:27: aliases[1]: alias 'Ltd.' is only a legal form; quote names that contain a comma"
    ]


@pytest.mark.parametrize("workers", [2, 3])
def test_reading_in_worker_processes_gives_the_same_records_and_problems(data_dir: Path, workers: int) -> None:
    """Large data sets are read by several processes; nothing may depend on how many."""
    write(data_dir, "companies", "gamma-face", COMPANY.replace("founded:", "fonded:"))
    write(
        data_dir, "companies", "delta-face", COMPANY.replace("sources:", "summary: See [[nowhere]] and <b>.\nsources:")
    )
    write(data_dir, "events", "broken", "name: [unclosed\n")
    alone, together = Problems(), Problems()
    records, rejected = read_records(data_dir, alone, workers=1)
    shared_records, shared_rejected = read_records(data_dir, together, workers=workers)
    assert [r.id for r in shared_records] == [r.id for r in records]
    assert [r.model for r in shared_records] == [r.model for r in records]
    assert [r.links for r in shared_records] == [r.links for r in records]
    assert [r.positions for r in shared_records] == [r.positions for r in records]
    assert shared_rejected == rejected
    assert together.sorted() == alone.sorted()
    assert {problem.mark.path for problem in alone.items} == {
        "data/companies/gamma-face.yaml",
        "data/companies/delta-face.yaml",
        "data/events/broken.yaml",
    }


def test_links_keep_the_position_of_each_reference(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "delta-face",
        COMPANY.replace("sources:", "summary: Works with [[alpha-vision]].\nsources:"),
    )
    records, _ = read_records(data_dir, Problems(), workers=1)
    delta = next(record for record in records if record.id == "delta-face")
    mention = next(link for link in delta.links if link.how == "mentioned")
    assert (mention.target, mention.loc, str(mention.mark)) == (
        "alpha-vision",
        ("summary",),
        "data/companies/delta-face.yaml:4:21",
    )
    assert str(delta.mark("sources")) == "data/companies/delta-face.yaml:5:10"


def test_only_large_single_threaded_runs_use_several_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    from kb import records

    monkeypatch.setattr(records.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(records.threading, "active_count", lambda: 1)
    assert records.default_workers(records.PARALLEL_MIN_FILES) == 2
    assert records.default_workers(records.PARALLEL_MIN_FILES - 1) == 1
    monkeypatch.setattr(records.os, "sched_getaffinity", lambda _pid: set(range(64)), raising=False)
    assert records.default_workers(records.PARALLEL_MIN_FILES) == records.MAX_WORKERS
    monkeypatch.setenv(records.WORKERS_ENV, "1")
    assert records.default_workers(records.PARALLEL_MIN_FILES) == 1
    monkeypatch.setenv(records.WORKERS_ENV, "not a number")
    assert records.default_workers(records.PARALLEL_MIN_FILES) == records.MAX_WORKERS
    monkeypatch.setattr(records.threading, "active_count", lambda: 3)  # e.g. mkdocs serve's watcher threads
    assert records.default_workers(records.PARALLEL_MIN_FILES) == 1
