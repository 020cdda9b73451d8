"""The graph: references resolved both ways, text checked in place, timelines in order."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb.engine import load_graph
from kb.problems import DataError
from support import write


def test_backlinks_record_how_a_record_is_referenced(data_dir: Path) -> None:
    graph = load_graph(data_dir)
    links = {(b.source, b.field) for b in graph.backlinks["example-law"]}
    assert ("alpha-vision", "mentioned") in links
    assert ("example-regulator", "mentioned") in links
    assert ("pay-by-face", "laws") in links
    cited = {(b.source, b.field) for b in graph.backlinks["official-register"]}
    assert ("alpha-vision", "sources") in cited and ("example-law", "cited") in cited


def test_use_case_knows_its_deployments_and_provisions(data_dir: Path) -> None:
    graph = load_graph(data_dir)
    assert [(company.id, d.client) for company, d in graph.deployments_of("pay-by-face")] == [
        ("alpha-vision", "Beta Retail")
    ]
    assert [(law.id, p.article) for law, p in graph.provisions_for("pay-by-face")] == [("example-law", "Article 28")]


def test_timeline_is_oldest_first_and_records_have_their_own(data_dir: Path) -> None:
    graph = load_graph(data_dir)
    assert [event.id for event in graph.timeline] == ["2017-09-pay-by-face-launch", "2019-10-07-alpha-listed"]
    lines = graph.record_timeline(graph.get("alpha-vision"))
    assert [line.date for line in lines] == sorted(line.date for line in lines)
    labels = [line.label for line in lines]
    assert "Founded" in labels
    assert "Investment from Beta Retail: US$600 million" in labels
    assert "Added to the US Entity List (EAR, Supplement No. 4 to Part 744)" in labels


def test_unknown_ids_in_text_are_located_at_the_reference(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "gamma",
        """\
name: Gamma
summary: |
  First line.
  Works with [[no-such-record]] since 2019.[@no-such-source]
sources: [example-news-2019]
reviewed: 2026-11-23
""",
    )
    with pytest.raises(DataError) as caught:
        load_graph(data_dir)
    assert [str(p) for p in caught.value.problems] == [
        "data/companies/gamma.yaml:4:14: summary: unknown id 'no-such-record'",
        "data/companies/gamma.yaml:4:44: summary: unknown id 'no-such-source'",
    ]


def test_references_must_point_to_the_right_kind(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "gamma",
        """\
name: Gamma
summary: Cites a company [@alpha-vision].
deployments:
  - use_case: alpha-vision
    sources: [pay-by-face]
sources: [example-news-2019]
reviewed: 2026-11-23
""",
    )
    with pytest.raises(DataError) as caught:
        load_graph(data_dir)
    assert [str(p) for p in caught.value.problems] == [
        "data/companies/gamma.yaml:2:26: summary: 'alpha-vision' is a companies record; expected sources",
        "data/companies/gamma.yaml:4:15: deployments[0].use_case: 'alpha-vision' is a companies record; expected use-cases",
        "data/companies/gamma.yaml:5:15: deployments[0].sources[0]: 'pay-by-face' is a use-cases record; expected sources",
    ]


def test_raw_html_in_text_is_located(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "gamma",
        """\
name: Gamma
summary: "Hello <script>alert(1)</script>"
sources: [example-news-2019]
reviewed: 2026-11-23
""",
    )
    with pytest.raises(DataError) as caught:
        load_graph(data_dir)
    assert str(caught.value.problems[0]).startswith("data/companies/gamma.yaml:2:17: summary: raw HTML")


def test_glossary_terms_know_the_records_whose_text_uses_them(data_dir: Path) -> None:
    """English labels match as whole words, Chinese ones anywhere; nested text (a provision's) counts."""
    write(
        data_dir,
        "terms",
        "separate-consent",
        "name: Separate consent\nname_zh: 单独同意\naliases: [specific consent]\n"
        "summary: Consent given for one purpose.[@official-register]\nsources: [official-register]\n"
        "reviewed: 2026-11-23\n",
    )
    write(
        data_dir,
        "terms",
        "face-recognition",
        "name: Face recognition\nname_zh: 人脸识别\nsummary: Matching faces.[@official-register]\n"
        "sources: [official-register]\nreviewed: 2026-11-23\n",
    )
    graph = load_graph(data_dir)
    assert [record.id for record in graph.term_users("separate-consent")] == ["example-law"]
    users = [record.id for record in graph.term_users("face-recognition")]
    assert "alpha-vision" in users and "beta-retail" not in users
    assert graph.term_users("no-such-term") == []
