"""The knowledge graph: ids resolved, text checked, backlinks and timelines built.

Pure: records in, a :class:`Graph` and located problems out. Which fields hold
references or Markdown text is read off the model's ``Annotated`` markers, so a
new field is checked and linked without touching this module.
"""

from __future__ import annotations

import re
import types
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Annotated, Union, cast, get_args, get_origin

from pydantic import BaseModel

from .load import Mapping, Node, Scalar, Sequence
from .model import (
    ID_RE,
    MODELS,
    OBLIGATIONS,
    RECORD_KINDS,
    SANCTION_REGIMES,
    Deployment,
    MarkdownText,
    Provision,
    RefTo,
)
from .problems import Mark, Problems, field_path
from .records import Record, Rejected
from .text import scan

Loc = tuple[str | int, ...]
CJK_RE = re.compile(r"[\u3400-\u9fff]")
SCRUTINY_EVENT_TYPES = frozenset({"controversy", "enforcement", "lawsuit", "ruling", "sanction", "incident"})


@dataclass(frozen=True)
class Backlink:
    """``source`` refers to the target through its field ``field``."""

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
    broken: frozenset[str] = frozenset()  # ids of files that failed validation
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


# --- finding references and text by walking the model ----------------------------------------


@cache
def _marker(annotation: object) -> tuple[str, object] | None:
    """What a field annotation holds: ``("ref", RefTo)``, ``("text", None)``, ``("model", cls)``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extras = get_args(annotation)
        for extra in extras:
            if isinstance(extra, RefTo):
                return ("ref", extra)
            if isinstance(extra, MarkdownText):
                return ("text", None)
        return _marker(base)
    if origin in (list, Union, types.UnionType):
        for arg in get_args(annotation):
            found = _marker(arg)
            if found:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation)
    return None


@cache
def _field_markers(model_class: type[BaseModel]) -> tuple[tuple[str, str, object], ...]:
    """``(field, what, detail)`` for each field of ``model_class`` that holds refs, text or models."""
    found = []
    for name, info in model_class.model_fields.items():
        marker = None
        for extra in info.metadata:
            if isinstance(extra, RefTo):
                marker = ("ref", extra)
            elif isinstance(extra, MarkdownText):
                marker = ("text", None)
        marker = marker or _marker(info.annotation)
        if marker:
            found.append((name, *marker))
    return tuple(found)


def walk(model_class: type[BaseModel], node: Node, loc: Loc = ()) -> Iterator[tuple[Loc, str, object, Scalar]]:
    """Every reference and text value in a record's nodes: ``(loc, "ref"|"text", RefTo|None, scalar)``.

    Guided by the model class but reading the file's nodes, so it also works on a
    record that failed validation (its unknown ids are reported in the same run) and
    every value comes with its position.
    """
    if not isinstance(node, Mapping):
        return
    for name, what, detail in _field_markers(model_class):
        child = node.values.get(name)
        items = list(enumerate(child.items)) if isinstance(child, Sequence) else [(None, child)]
        for index, item in items:
            item_loc = (*loc, name) if index is None else (*loc, name, index)
            if what == "model" and isinstance(item, Mapping):
                yield from walk(cast(type[BaseModel], detail), item, item_loc)
            elif what != "model" and isinstance(item, Scalar) and item.value:
                yield item_loc, what, detail, item


# --- building --------------------------------------------------------------------------------


def build_graph(records: list[Record], problems: Problems, rejected: Iterable[Rejected] = ()) -> Graph:
    """Resolve every reference; unknown ids and bad text become located problems.

    ``rejected`` records failed validation: their own references are still checked,
    and references to them are not reported as unknown (their errors already are).
    """
    rejected = list(rejected)
    graph = Graph({record.id: record for record in records})
    graph.broken = frozenset(r.id for r in rejected) - graph.records.keys()
    backlinks: dict[str, dict[Backlink, None]] = defaultdict(dict)
    for record in records:
        for target, field_name in _checked_references(MODELS[record.kind], record.node, graph, problems):
            if target != record.id:
                backlinks[target][Backlink(record.id, field_name)] = None
    for reject in rejected:
        if reject.node is not None:
            for _ in _checked_references(MODELS[reject.kind], reject.node, graph, problems):
                pass
    graph.backlinks = {target: list(links) for target, links in backlinks.items()}
    graph.by_kind = {kind: [] for kind in (*RECORD_KINDS, "sources")}
    for record in sorted(records, key=lambda r: (r.model.name.casefold(), r.id)):
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
    graph.terms_used = _term_users(graph)
    return graph


def _term_users(graph: Graph) -> dict[str, list[Record]]:
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
    for record in sorted(graph.records.values(), key=lambda r: (r.model.name.casefold(), r.id)):
        if record.kind in ("terms", "sources"):
            continue
        texts = [scalar.value for _, what, _, scalar in walk(MODELS[record.kind], record.node) if what == "text"]
        for match in pattern.finditer("\n".join(texts)):
            found[labels[match.group().casefold()]][record.id] = record
    return {term: list(records.values()) for term, records in found.items()}


def _group(pairs: Iterator[tuple[str, tuple[Record, object]]]) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(grouped)


def _checked_references(
    model_class: type[BaseModel], root: Mapping, graph: Graph, problems: Problems
) -> Iterator[tuple[str, str]]:
    """``(target id, how)`` for each valid reference in a record; problems for the rest.

    ``how`` is the field that holds a reference (``authority``, ``involves``...),
    or ``cited`` / ``mentioned`` for ``[@id]`` / ``[[id]]`` in text.
    """
    for loc, what, detail, scalar in walk(model_class, root):
        if what == "ref":
            leaf = str(next(part for part in reversed(loc) if isinstance(part, str)))
            kinds = cast(RefTo, detail).kinds
            if ID_RE.match(scalar.value) and _check_target(loc, scalar.value, kinds, graph, problems, scalar.mark):
                yield scalar.value, leaf
            continue
        references, text_problems = scan(scalar.value)
        for text_problem in text_problems:
            problems.add(scalar.mark_at(text_problem.offset), f"{field_path(loc)}: {text_problem.message}")
        for reference in references:
            kinds = ("sources",) if reference.kind == "cite" else (*RECORD_KINDS, "sources")
            if _check_target(loc, reference.target, kinds, graph, problems, scalar.mark_at(reference.offset)):
                yield reference.target, "cited" if reference.kind == "cite" else "mentioned"


def _check_target(loc: Loc, target: str, kinds: tuple[str, ...], graph: Graph, problems: Problems, mark: Mark) -> bool:
    """Whether ``target`` names an existing record of one of ``kinds``; else a located problem."""
    found = graph.records.get(target)
    if found is None:
        if target not in graph.broken:
            problems.add(mark, f"{field_path(loc)}: unknown id {target!r}")
        return False
    if found.kind not in kinds:
        wanted = " or ".join(kinds) if len(kinds) < 4 else "a record"
        problems.add(mark, f"{field_path(loc)}: {target!r} is a {found.kind} record; expected {wanted}")
        return False
    return True


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
