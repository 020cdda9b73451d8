"""Editorial health: stale reviews, thin sourcing, missing addresses, unlinked events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kb.engine import load_graph
from kb.health import assess, build_date
from support import add_health_concerns


def test_health_of_the_fixture(data_dir: Path) -> None:
    add_health_concerns(data_dir)
    health = assess(load_graph(data_dir), today=dt.date(2025, 2, 1))
    assert [r.id for r in health.stale] == ["2020-01-01-orphan"]
    assert [r.id for r in health.events_without_records] == ["2020-01-01-orphan"]
    assert [r.id for r in health.sources_without_address] == ["official-register", "unused"]
    assert [r.id for r in health.uncited_sources] == ["unused"]
    assert "alpha-vision" not in {r.id for r in health.single_source}
    assert "beta-retail" in {r.id for r in health.single_source}
    assert health.counts()["not reviewed for over twelve months"] == 1


def test_review_exactly_a_year_old_is_not_stale(data_dir: Path) -> None:
    health = assess(load_graph(data_dir), today=dt.date(2027, 11, 23))
    assert health.stale == []
    health = assess(load_graph(data_dir), today=dt.date(2027, 11, 24))
    assert len(health.stale) == 11


def test_build_date_follows_source_date_epoch(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date() == dt.date(2023, 11, 14)
