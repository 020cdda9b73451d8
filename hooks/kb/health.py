"""Editorial health: what needs an editor's attention.

Each record is judged on its own (:func:`concerns`), except whether any other record
cites a source, which needs every record's links. The health page judges the graph's
records (:func:`assess`); ``./dev validate`` judges a summary of each record made
where its file is read (:func:`summary`, :func:`tally`), so that worker processes
need not send whole records back. Both use the same checks.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from .graph import Graph
from .model import Entry
from .records import Record

STALE_AFTER_DAYS = 365
STALE = "stale"
SINGLE_SOURCE = "single_source"
NO_ADDRESS = "sources_without_address"
NO_RECORDS = "events_without_records"
UNCITED = "uncited_sources"
LABELS = {
    STALE: "not reviewed for over twelve months",
    SINGLE_SOURCE: "with a single source",
    NO_ADDRESS: "sources without an address",
    NO_RECORDS: "events without a linked record",
    UNCITED: "sources cited by no record",
}

Item = TypeVar("Item")


@dataclass(frozen=True)
class Health(Generic[Item]):
    """The records (or record summaries) under each concern, in kind-then-id order."""

    today: str
    stale: list[Item]
    single_source: list[Item]
    sources_without_address: list[Item]
    events_without_records: list[Item]
    uncited_sources: list[Item]

    def counts(self) -> dict[str, int]:
        return {label: len(getattr(self, concern)) for concern, label in LABELS.items()}


class Summary(NamedTuple):
    """What editorial health needs of one valid record: its concerns and the ids it refers to."""

    kind: str
    id: str
    concerns: tuple[str, ...]
    refers_to: frozenset[str]


class Facts(NamedTuple):
    """What editorial health needs of one valid record that its file alone decides, whatever the date.

    Kept between runs of ``./dev validate`` (see :mod:`kb.cache`): staleness is judged
    from ``reviewed`` on the day of each run.
    """

    reviewed: str
    concerns: tuple[str, ...]  # every concern but STALE and UNCITED


def build_date() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def stale_before(today: dt.date) -> str:
    """Review dates before this one are more than :data:`STALE_AFTER_DAYS` old."""
    return (today - dt.timedelta(days=STALE_AFTER_DAYS)).isoformat()


def concerns(kind: str, model: Entry, cutoff: str) -> tuple[str, ...]:
    """Every concern about one record that it shows by itself (all but :data:`UNCITED`)."""
    return dated(facts(kind, model), cutoff)


def facts(kind: str, model: Entry) -> Facts:
    """The record's review date and its concerns that no date changes."""
    found = []
    if kind == "sources":
        if not model.url:  # type: ignore[attr-defined]
            found.append(NO_ADDRESS)
    elif len(model.sources) == 1:  # type: ignore[attr-defined]
        found.append(SINGLE_SOURCE)
    if kind == "events" and not model.involves:  # type: ignore[attr-defined]
        found.append(NO_RECORDS)
    return Facts(model.reviewed, tuple(found))


def dated(known: Facts, cutoff: str) -> tuple[str, ...]:
    """The concerns of a record with these facts, staleness judged against ``cutoff``."""
    return (STALE, *known.concerns) if known.reviewed < cutoff else known.concerns


def assess(graph: Graph, today: dt.date | None = None) -> Health[Record]:
    """The health of the graph's records, for the health page."""
    today = today or build_date()
    cutoff = stale_before(today)
    records = sorted(graph.records.values(), key=lambda r: (r.kind, r.id))
    cited = set(graph.backlinks)  # every backlink comes from another record
    return _grouped(today, ((r, r.kind, r.id, concerns(r.kind, r.model, cutoff)) for r in records), cited)


def summary(kind: str, record_id: str, known: Facts, targets: Iterable[str], cutoff: str) -> Summary:
    """The :class:`Summary` of a valid record with these facts that refers to ``targets``.

    Made in the process that read the file (see :func:`kb.engine.check_data`).
    """
    refers_to = frozenset(target for target in targets if target != record_id)
    return Summary(kind, record_id, dated(known, cutoff), refers_to)


def tally(summaries: Iterable[Summary], today: dt.date) -> Health[Summary]:
    """The health of a data set from its records' summaries, as :func:`assess` judges a graph."""
    ordered = sorted(summaries, key=lambda s: (s.kind, s.id))
    present = {s.id for s in ordered}
    cited = {target for s in ordered for target in s.refers_to if target in present}
    return _grouped(today, ((s, s.kind, s.id, s.concerns) for s in ordered), cited)


def _grouped(today: dt.date, judged: Iterable[tuple[Item, str, str, tuple[str, ...]]], cited: set[str]) -> Health[Item]:
    groups: dict[str, list[Item]] = {concern: [] for concern in LABELS}
    for item, kind, record_id, own in judged:
        for concern in own:
            groups[concern].append(item)
        if kind == "sources" and record_id not in cited:
            groups[UNCITED].append(item)
    return Health(today.isoformat(), **groups)
