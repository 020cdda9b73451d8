"""The knowledge graph: ids resolved, backlinks and timelines built.

Pure: records in, a :class:`Graph` out. Each record arrives with its links already
found and checked where its file was read (:mod:`kb.refs`), so building the graph
finds no problems of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from .model import (
    OBLIGATIONS,
    RECORD_KINDS,
    SANCTION_REGIMES,
    Deployment,
    Provision,
)
from .records import Record
from .refs import model_texts

CJK_RE = re.compile(r"[\u3400-\u9fff]")
SCRUTINY_EVENT_TYPES = frozenset({"controversy", "enforcement", "lawsuit", "ruling", "sanction", "incident"})


class Backlink(NamedTuple):
    """``source`` refers to the target through its field ``field``.

    A named tuple: a large data set has hundreds of thousands, made and hashed once each.
    """

    source: str
    field: str


@dataclass(frozen=True)
class Dated:
    """One line of a record's own timeline."""

    date: str
    label: str
    event: str | None = None  # id of the event record, when the line is one
    sources: tuple[str, ...] = ()


@dataclass
class Graph:
    records: dict[str, Record]
    by_kind: dict[str, list[Record]] = field(default_factory=dict)
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)
    events_of: dict[str, list[Record]] = field(default_factory=dict)
    timeline: list[Record] = field(default_factory=list)
    deployments: dict[str, list[tuple[Record, Deployment]]] = field(default_factory=dict)
    general_provisions: list[tuple[Record, Provision]] = field(default_factory=list)
    provisions: dict[str, list[tuple[Record, Provision]]] = field(default_factory=dict)
    terms_used: dict[str, list[Record]] = field(default_factory=dict)

    def term_users(self, term: str) -> list[Record]:
        """Records whose text uses the glossary term ``term`` (English or Chinese), by name."""
        return self.terms_used.get(term, [])

    def deployments_of(self, use_case: str) -> list[tuple[Record, Deployment]]:
        """``(company, deployment)`` pairs that serve ``use_case``."""
        return self.deployments.get(use_case, [])

    def provisions_for(self, use_case: str) -> list[tuple[Record, Provision]]:
        """``(law, provision)`` pairs that name ``use_case`` or apply to every use case."""
        return self.provisions.get(use_case, []) + self.general_provisions

    def obligations_for(self, use_case: str) -> dict[str, dict[str, list[tuple[Record, Provision]]]]:
        """``{obligation: {jurisdiction: [(law, provision), ...]}}`` for ``use_case``."""
        table: dict[str, dict[str, list[tuple[Record, Provision]]]] = {}
        for law, provision in self.provisions_for(use_case):
            for obligation in provision.obligations or ["other"]:
                table.setdefault(obligation, {}).setdefault(law.model.jurisdiction, []).append((law, provision))
        return table

    def obligation_summary(self, use_case: str) -> dict[str, list[str]]:
        """``{jurisdiction: [obligation, ...]}`` for ``use_case``, obligations in model order."""
        summary: dict[str, list[str]] = {}
        table = self.obligations_for(use_case)
        for obligation in OBLIGATIONS:
            for jurisdiction in table.get(obligation, {}):
                summary.setdefault(jurisdiction, []).append(obligation)
        return summary

    def controversies_of(self, record_id: str) -> list[Record]:
        """Events involving the record that are controversies, enforcement, litigation or listings."""
        return [e for e in self.events_of.get(record_id, []) if e.model.event_type in SCRUTINY_EVENT_TYPES]

    def provision_anchor(self, law: Record, provision: Provision) -> str:
        """The anchor of a provision on its law's page."""
        return f"provision-{law.model.provisions.index(provision) + 1}"

    @cached_property
    def years(self) -> dict[str, list[Record]]:
        """Events grouped by year, oldest first (derived from the timeline, computed once)."""
        years: dict[str, list[Record]] = {}
        for event in self.timeline:
            years.setdefault(event.model.date[:4], []).append(event)
        return years

    def get(self, record_id: str) -> Record:
        return self.records[record_id]

    def name(self, record_id: str) -> str:
        return self.records[record_id].model.name

    def record_timeline(self, record: Record) -> list[Dated]:
        """Dated facts of the record itself and the events that involve it, oldest first."""
        lines = list(own_dated_facts(record, self.name))
        lines += [
            Dated(event.model.date, event.model.name, event.id, tuple(event.model.sources))
            for event in self.events_of.get(record.id, [])
        ]
        return sorted(lines, key=lambda line: (line.date, line.event or "", line.label))


# --- building --------------------------------------------------------------------------------


def build_graph(records: list[Record]) -> Graph:
    """Link the records: backlinks, timelines, deployments and provisions by use case, glossary users.

    A link to a record that failed validation (kept by :func:`kb.refs.resolved`, which
    does not report it twice) leads to no backlink: that record is not in the graph.
    """
    graph = Graph({record.id: record for record in records})
    present = graph.records
    backlinks: dict[str, dict[Backlink, None]] = defaultdict(dict)
    for record in records:
        source = record.id
        for link in record.links:
            target = link.target
            if target != source and target in present:
                backlinks[target][Backlink(source, link.how)] = None
    graph.backlinks = {target: list(links) for target, links in backlinks.items()}
    by_name = sorted(records, key=lambda r: (r.model.name.casefold(), r.id))
    graph.by_kind = {kind: [] for kind in (*RECORD_KINDS, "sources")}
    for record in by_name:
        graph.by_kind[record.kind].append(record)
    graph.timeline = sorted(graph.by_kind["events"], key=lambda event: (event.model.date, event.id))
    events_of: dict[str, list[Record]] = defaultdict(list)
    for event in graph.timeline:
        for involved in dict.fromkeys(event.model.involves):
            if involved in graph.records:
                events_of[involved].append(event)
    graph.events_of = dict(events_of)
    graph.deployments = _group(
        (deployment.use_case, (company, deployment))
        for company in graph.by_kind["companies"]
        for deployment in company.model.deployments
    )
    graph.provisions = _group(
        (use_case, (law, provision))
        for law in graph.by_kind["laws"]
        for provision in law.model.provisions
        for use_case in dict.fromkeys(provision.use_cases)
        if not provision.all_use_cases
    )
    graph.general_provisions = [
        (law, provision)
        for law in graph.by_kind["laws"]
        for provision in law.model.provisions
        if provision.all_use_cases
    ]
    graph.terms_used = _term_users(graph, by_name)
    return graph


def _term_users(graph: Graph, by_name: list[Record]) -> dict[str, list[Record]]:
    """For each glossary term, the records whose text fields mention it."""
    labels: dict[str, str] = {}
    for term in graph.by_kind.get("terms", []):
        for label in (term.model.name, term.model.name_zh, *term.model.aliases):
            if label:
                labels[label.casefold()] = term.id
    if not labels:
        return {}
    # Latin labels match as whole words; Chinese ones anywhere (Chinese has no spaces between words).
    latin = [label for label in labels if not CJK_RE.search(label)]
    chinese = [label for label in labels if CJK_RE.search(label)]
    parts = []
    if latin:
        parts.append(rf"(?<![\w-])(?:{'|'.join(map(re.escape, sorted(latin, key=len, reverse=True)))})(?![\w-])")
    if chinese:
        parts.append("|".join(map(re.escape, sorted(chinese, key=len, reverse=True))))
    pattern = re.compile("|".join(parts), re.IGNORECASE)
    found: dict[str, dict[str, Record]] = defaultdict(dict)
    for record in by_name:
        if record.kind in ("terms", "sources"):
            continue
        for match in pattern.finditer("\n".join(model_texts(record.model))):
            found[labels[match.group().casefold()]][record.id] = record
    return {term: list(records.values()) for term, records in found.items()}


def _group(pairs: Iterator[tuple[str, tuple[Record, object]]]) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(grouped)


# --- a record's own dated facts ----------------------------------------------------------------


def own_dated_facts(record: Record, name_of: Callable[[str], str]) -> Iterator[Dated]:
    """Dates the record carries itself: founding, listings, adoption, publication."""
    model = record.model
    sources = tuple(getattr(model, "sources", ()))
    for attribute, label in (
        ("founded", "Founded"),
        ("established", "Established"),
        ("adopted", "Adopted"),
        ("published", "Published"),
        ("effective", "Takes effect"),
    ):
        value = getattr(model, attribute, None)
        if value and record.kind != "sources":
            yield Dated(value, label, None, sources)
    for listing in getattr(model, "stock_listings", ()):
        yield Dated(listing.listed_on, f"Listed on {listing.exchange} ({listing.ticker})", None, tuple(listing.sources))
    for sanction in getattr(model, "sanctions", ()):
        regime = SANCTION_REGIMES[sanction.regime]
        yield Dated(sanction.listed_on, f"Added to the {regime}", None, tuple(sanction.sources))
        if sanction.removed_on:
            yield Dated(sanction.removed_on, f"Removed from the {regime}", None, tuple(sanction.sources))
    for investment in getattr(model, "investments", ()):
        if investment.date:
            who = investment.investor_name or (name_of(investment.investor) if investment.investor else "investors")
            label = f"Investment from {who}" + (f": {investment.amount}" if investment.amount else "")
            yield Dated(investment.date, label, None, tuple(investment.sources))
