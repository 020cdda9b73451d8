"""The front half of the flow: a data folder to a graph, or to a check alone that agrees with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from kb.engine import check_data, load_graph
from kb.health import LABELS, assess
from kb.problems import DataError
from support import GOOD, add_health_concerns, break_in_every_way, write

TODAY = dt.date(2027, 12, 1)


def problems_of(check, *args) -> list[str]:
    with pytest.raises(DataError) as caught:
        check(*args)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("workers", [1, 2])
def test_check_reports_exactly_what_a_build_would(data_dir: Path, workers: int) -> None:
    break_in_every_way(data_dir)
    expected = problems_of(load_graph, data_dir)
    assert problems_of(check_data, data_dir, TODAY, workers) == expected
    assert expected == [
        "data/companies/delta.yaml:2:32: summary: unknown id 'missing-one'",
        "data/companies/delta.yaml:2:52: summary: raw HTML is not allowed in text; write &lt; for a literal '<'",
        "data/companies/delta.yaml:2:56: summary: 'alpha-vision' is a companies record; expected sources",
        "data/companies/gamma.yaml:2:1: unknown field 'fonded' (did you mean 'founded'?)",
        "data/companies/gamma.yaml:3:11: sources[0]: unknown id 'nowhere'",
        "data/events/broken.yaml:2:1: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence)",
        "data/laws/example-law.yaml:8:9: status: must be one of 'in-force', 'draft', 'not-yet-in-force', "
        "'amended', 'superseded' or 'repealed'",
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_check_counts_and_health_match_the_graph(data_dir: Path, workers: int) -> None:
    add_health_concerns(data_dir)
    graph = load_graph(data_dir)
    checked = check_data(data_dir, TODAY, workers)
    assert checked.counts == {kind: len(records) for kind, records in graph.by_kind.items()}
    assert checked.counts["events"] == 3 and checked.counts["terms"] == 0
    on_page = assess(graph, TODAY)
    for concern in LABELS:
        assert [s.id for s in getattr(checked.health, concern)] == [r.id for r in getattr(on_page, concern)], concern
    assert [s.id for s in checked.health.uncited_sources] == ["unused"]
    assert checked.health.counts() == on_page.counts()
    assert checked.health.counts()["not reviewed for over twelve months"] == len(graph.records)


def test_a_reference_to_a_broken_record_of_the_wrong_kind_is_still_reported(data_dir: Path) -> None:
    """Which kind a record is comes from its folder, so this is known even when its file is broken."""
    write(data_dir, "companies", "bad-company", "name: [unclosed\n")
    write(
        data_dir,
        "companies",
        "gamma",
        "name: Gamma\nsummary: See [[bad-company]].[@bad-company]\nsources: [example-news-2019]\nreviewed: 2026-11-23\n",
    )
    expected = [
        "data/companies/bad-company.yaml:2:1: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence)",
        "data/companies/gamma.yaml:2:30: summary: 'bad-company' is a companies record; expected sources",
    ]
    assert problems_of(check_data, data_dir) == problems_of(load_graph, data_dir) == expected


def test_the_fixture_checks_clean() -> None:
    checked = check_data(GOOD, TODAY)
    assert sum(checked.counts.values()) == len(load_graph(GOOD).records) == 11
