"""Editorial health: what needs an editor's attention, from the graph alone."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .graph import Graph
from .records import Record

STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Health:
    today: str
    stale: list[Record]
    single_source: list[Record]
    sources_without_address: list[Record]
    events_without_records: list[Record]
    uncited_sources: list[Record]

    def counts(self) -> dict[str, int]:
        return {
            "not reviewed for over twelve months": len(self.stale),
            "with a single source": len(self.single_source),
            "sources without an address": len(self.sources_without_address),
            "events without a linked record": len(self.events_without_records),
            "sources cited by no record": len(self.uncited_sources),
        }


def build_date() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def assess(graph: Graph, today: dt.date | None = None) -> Health:
    today = today or build_date()
    cutoff = (today - dt.timedelta(days=STALE_AFTER_DAYS)).isoformat()
    records = sorted(graph.records.values(), key=lambda r: (r.kind, r.id))
    return Health(
        today=today.isoformat(),
        stale=[r for r in records if r.model.reviewed < cutoff],
        single_source=[r for r in records if r.kind != "sources" and len(r.model.sources) == 1],
        sources_without_address=[r for r in records if r.kind == "sources" and not r.model.url],
        events_without_records=[r for r in records if r.kind == "events" and not r.model.involves],
        uncited_sources=[r for r in records if r.kind == "sources" and not _cited(graph, r.id)],
    )


def _cited(graph: Graph, source_id: str) -> bool:
    return any(link.source != source_id for link in graph.backlinks.get(source_id, []))
