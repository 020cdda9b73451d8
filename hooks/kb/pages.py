"""Graph -> Markdown pages through Jinja templates (StrictUndefined, explicit escaping).

Templates produce Markdown, so Jinja's HTML autoescape does not apply; instead
every editor-supplied value passes one of the filters below: ``plain`` for
one-line labels, ``md`` for Markdown text fields, ``url`` for addresses.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import text
from .cache import files_digest
from .graph import Graph
from .health import assess
from .model import EVENT_TYPES, RECORD_KINDS, SANCTION_REGIMES, SINGULAR, Entry
from .names import name_words
from .records import Record

TEMPLATES = Path(__file__).parent / "templates"
KINDS = (*RECORD_KINDS, "sources")
KIND_TITLES = {
    "companies": "Companies",
    "bodies": "Bodies",
    "laws": "Laws and policies",
    "standards": "Standards",
    "use-cases": "Use cases",
    "people": "People",
    "events": "Events",
    "terms": "Glossary",
    "sources": "Sources",
}
# The obligations a use case triggers, in the order briefings discuss them.
OBLIGATION_LABELS = {
    "consent": "Consent",
    "separate-consent": "Separate consent for sensitive data",
    "notice": "Notices",
    "signage": "Signs in public places",
    "impact-assessment": "Impact assessment",
    "necessity": "Necessity and purpose limits",
    "retention": "Storage and retention",
    "security": "Security measures",
    "alternative": "Alternatives to face scanning",
    "minors": "Minors",
    "registration": "Filing or registration",
    "cross-border": "Cross-border transfer",
    "public-security": "Public security uses",
    "prohibition": "Prohibitions",
    "other": "Other requirements",
}
COMPARED_JURISDICTIONS = {"CN": "China", "UK": "United Kingdom"}
# Above this many events the timeline page lists years only and each year has its own page,
# so that no page grows past what a browser loads quickly.
TIMELINE_PAGE_LIMIT = 1000
# With more laws than this the matrix becomes a list per use case: a grid would be mostly empty
# and too wide to read or load.
MATRIX_MAX_COLUMNS = 30
# The header search finds records by name: each record page is indexed once (its heading, and for
# entities the aliases on the kind line); entities rank above events, which keep Material's
# default boost of 1. Source pages are not indexed at all.
ENTITY_BOOST = 4
SEARCH_BOOST = {kind: ENTITY_BOOST for kind in RECORD_KINDS if kind != "events"}
UNSEARCHED_KINDS = frozenset({"sources"})
UNSEARCHED = "<span data-search-exclude>{}</span>"  # shown on the page, left out of the search index
FIELD_LABELS = {
    "involves": "involved",
    "sources": "cited",
    "cited": "cited in the text",
    "mentioned": "mentioned in the text",
    "authority": "listing authority",
    "investor": "investor",
    "use_case": "deployment",
    "use_cases": "named in a provision",
    "issued_by": "issuer",
    "parent": "parent",
    "laws": "applicable rule",
    "affiliations": "affiliation",
    "people": "person",
    "supersedes": "supersedes",
    "superseded_by": "superseded by",
}


def _field_label(field_name: str) -> str:
    return FIELD_LABELS.get(field_name, field_name.replace("_", " "))


@dataclass
class Page:
    """A generated page: where it goes and its Markdown."""

    path: str
    markdown: str


@dataclass
class PageContext:
    """Per-page state for templates: how to reach the site root, and citations in order."""

    graph: Graph
    root: str
    cited: dict[str, None] = field(default_factory=dict)

    def link(self, record_id: str) -> str:
        """A Markdown link to a record's page, with its name as literal text."""
        record = self.graph.get(record_id)
        return f"[{text.plain(record.model.name)}]({self.url(record_id)})"

    def url(self, record_id: str) -> str:
        record = self.graph.get(record_id)
        return f"{self.root}{record.kind}/{record.id}.md"

    def cite(self, source_ids: object) -> str:
        """Footnote references (numbered by Python-Markdown in order of first use)."""
        ids = [source_ids] if isinstance(source_ids, str) else list(source_ids)  # type: ignore[call-overload]
        marks = []
        for source_id in ids:
            self.cited[source_id] = None
            marks.append(f"[^{source_id}]")
        return "".join(marks)

    def short(self, record_id: str) -> str:
        """A record's shortest well-known label (PIPL rather than its full title), escaped."""
        model = self.graph.get(record_id).model
        latin = [alias for alias in model.aliases if alias.isascii() and len(alias) < len(model.name)]
        return text.plain(min(latin, key=len) if latin else model.name)

    def provision_link(self, law: Record, provision: object) -> str:
        """``PIPL Article 28`` linking to the provision on the law's page, with its citations."""
        anchor = self.graph.provision_anchor(law, provision)  # type: ignore[arg-type]
        label = f"{self.short(law.id)} {text.plain(provision.article)}"  # type: ignore[attr-defined]
        return f"[{label}]({self.url(law.id)}#{anchor}){self.cite(provision.sources)}"  # type: ignore[attr-defined]

    # Lists that run to hundreds of items at scale are written here rather than as template
    # loops: each call from a template costs Jinja several lookups, and these are the hot ones.

    def links(self, ids: list[str]) -> str:
        """Links to records, comma-separated."""
        return ", ".join(map(self.link, ids))

    def timeline_rows(self, timeline: list) -> str:
        """Table rows for a record's own timeline: date, event (linked) or fact, citations."""
        return "".join(
            f"| {line.date} | {self.link(line.event) if line.event else text.plain(line.label)} "
            f"| {self.cite(line.sources)} |\n"
            for line in timeline
        )

    def referenced_by_items(self, referenced_by: dict[str, list[tuple[Record, list[str]]]]) -> str:
        """One bullet per kind: the records that refer here, each with the fields it does so through."""
        items = []
        for kind, rows in referenced_by.items():
            entries = " · ".join(
                f'{self.link(record.id)} <span class="kb-via">({", ".join(map(_field_label, fields))})</span>'
                for record, fields in rows
            )
            items.append(f"- **{KIND_TITLES[kind]}:** {entries}")
        return "\n".join(items)

    def source_items(self, source_ids: list[str]) -> str:
        """The numbered list of a record's sources: link, publisher and date."""
        lines = []
        for number, source_id in enumerate(source_ids, start=1):
            source = self.graph.get(source_id).model
            published = f", {source.published}" if source.published else ""
            lines.append(f"{number}. {self.link(source_id)} — {text.plain(source.publisher)}{published}\n")
        return "".join(lines)

    def md(self, value: str) -> str:
        """An editor's Markdown text field, references expanded."""
        return text.render(value, self.link, self.cite)

    def footnotes(self) -> str:
        """Definitions for every source cited on the page, each linking to the source's page."""
        lines = []
        for source_id in self.cited:
            source = self.graph.get(source_id).model
            details = ", ".join(text.plain(part) for part in (source.publisher, source.published or "undated") if part)
            lines.append(f"[^{source_id}]: [{text.plain(source.name)}]({self.url(source_id)}), {details}.")
        return "\n".join(lines)


def repeats_name(alias: str, names: tuple[str, ...]) -> bool:
    """True if ``alias`` has the words of one of ``names``, but for case, punctuation or a legal form.

    Such an alias ("X Co., Ltd.") adds nothing to a search by name: every word of it but the
    legal form is in the heading already. Words, not the joined screening key: "Sense Time"
    still adds words a search for it needs.
    """
    words = name_words(alias)
    return any(words == name_words(name) for name in names if name)


def kind_line(kind: str, model: Entry) -> str:
    """The HTML line under a record's heading: its kind and its aliases, in the editor's order.

    Material's search indexes what is outside the ``data-search-exclude`` spans: for entities,
    the aliases that add to the name (not the kind, nor an alias that only adds a legal form to
    the name); for events nothing, as their heading is enough.
    """
    label = SINGULAR[kind].capitalize()
    if kind == "events":
        aliases = f" · also known as {'; '.join(map(text.plain, model.aliases))}" if model.aliases else ""
        return f'<div class="kb-kind" data-search-exclude>{label}{aliases}</div>'
    searched = [not repeats_name(alias, (model.name, model.name_zh or "")) for alias in model.aliases]
    pieces = [(label, False)]
    for i, alias in enumerate(model.aliases):
        if i == 0:
            pieces += [(" · also known as", False), (" ", True)]
        elif searched[i - 1] and searched[i]:
            pieces.append(("; ", True))
        else:
            pieces += [(";", False), (" ", True)]  # the space keeps indexed aliases apart
        pieces.append((text.plain(alias), searched[i]))
    return f'<div class="kb-kind">{_mark_unsearched(pieces)}</div>'


def _mark_unsearched(pieces: list[tuple[str, bool]]) -> str:
    """``(text, indexed)`` pieces joined, each run of unindexed ones in a ``data-search-exclude`` span."""
    html = []
    for indexed, run in itertools.groupby(pieces, key=lambda piece: piece[1]):
        joined = "".join(part for part, _ in run)
        html.append(joined if indexed else UNSEARCHED.format(joined))
    return "".join(html)


_ENVIRONMENTS: dict[tuple[Path, str], Environment] = {}  # at most one: for the templates as they are now


def environment() -> Environment:
    """The page templates' environment, kept while no template changes.

    ``mkdocs serve`` builds many times in one process, and compiling the templates
    afresh took about 0.2 s of a 2 s preview rebuild with the repository's data. The key is
    the bytes of every template, so an edited template is compiled again at the next
    build; within one build templates are not checked again (``auto_reload=False``).
    """
    key = (TEMPLATES, files_digest(TEMPLATES))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        _ENVIRONMENTS.clear()
        env = _ENVIRONMENTS[key] = _new_environment(TEMPLATES)
    return env


def _new_environment(folder: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701  (the output is Markdown; the filters below escape every value)
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # environment() checks the templates once per build, not at every page
    )
    env.filters["plain"] = text.plain
    env.filters["url"] = text.href
    env.filters["json_str"] = json.dumps
    env.globals.update(
        KIND_TITLES=KIND_TITLES,
        SINGULAR=SINGULAR,
        REGIMES=SANCTION_REGIMES,
        SEARCH_BOOST=SEARCH_BOOST,
        UNSEARCHED_KINDS=UNSEARCHED_KINDS,
        kind_line=kind_line,
        OBLIGATION_LABELS=OBLIGATION_LABELS,
        JURISDICTIONS=COMPARED_JURISDICTIONS,
    )
    return env


def _render(env: Environment, template: str, graph: Graph, root: str, **values: object) -> str:
    context = PageContext(graph, root)
    markdown = env.get_template(template).render(graph=graph, ctx=context, **values)
    notes = context.footnotes()
    return f"{markdown.rstrip()}\n\n{notes}\n" if notes else markdown


def referenced_by(graph: Graph, record: Record) -> dict[str, list[tuple[Record, list[str]]]]:
    """``{kind: [(record, fields), ...]}`` of the records that refer to ``record``, by name, kinds in order."""
    fields: dict[str, list[str]] = {}
    for link in graph.backlinks.get(record.id, []):
        fields.setdefault(link.source, []).append(link.field)
    sources = sorted((graph.get(source) for source in fields), key=lambda r: (r.model.name.casefold(), r.id))
    grouped: dict[str, list[tuple[Record, list[str]]]] = {}
    for source in sources:
        grouped.setdefault(source.kind, []).append((source, fields[source.id]))
    return {kind: grouped[kind] for kind in KINDS if kind in grouped}


def record_page(env: Environment, graph: Graph, record: Record) -> Page:
    markdown = _render(
        env,
        f"record/{record.kind}.md.j2",
        graph,
        "../",
        record=record,
        r=record.model,
        referenced_by=referenced_by(graph, record),
        timeline=graph.record_timeline(record),
    )
    return Page(f"{record.kind}/{record.id}.md", markdown)


def index_page(env: Environment, graph: Graph, kind: str) -> Page:
    markdown = _render(
        env,
        f"index/{kind}.md.j2",
        graph,
        "../",
        kind=kind,
        records=graph.by_kind[kind],
        whole_timeline=len(graph.timeline) <= TIMELINE_PAGE_LIMIT,
    )
    return Page(f"{kind}/index.md", markdown)


def timeline_page(env: Environment, graph: Graph, year: str | None = None) -> Page:
    """The timeline of one year, or of every year while they fit on one page."""
    all_years = graph.years
    if year is not None:
        shown = {year: all_years[year]}
    elif len(graph.timeline) <= TIMELINE_PAGE_LIMIT:
        shown = all_years
    else:
        shown = {}
    events = [event for year_events in shown.values() for event in year_events]
    involved = sorted(
        {record_id for event in events for record_id in event.model.involves if record_id in graph.records},
        key=lambda record_id: graph.name(record_id).casefold(),
    )
    used_types = [kind for kind in EVENT_TYPES if any(e.model.event_type == kind for e in events)]
    markdown = _render(
        env,
        "timeline.md.j2",
        graph,
        "" if year is None else "../",
        year=year,
        years=shown,
        counts={y: len(e) for y, e in all_years.items()},
        involved=involved,
        event_types=used_types,
    )
    return Page("timeline.md" if year is None else f"timeline/{year}.md", markdown)


def health_page(env: Environment, graph: Graph) -> Page:
    return Page("health.md", _render(env, "health.md.j2", graph, "", health=assess(graph)))


def obligations_page(env: Environment, graph: Graph) -> Page:
    laws = [
        law
        for code in (*COMPARED_JURISDICTIONS, "EU", "US", "INT", "HK", "TW", "other")
        for law in graph.by_kind["laws"]
        if law.model.jurisdiction == code and law.model.provisions
    ]
    grid = len(laws) <= MATRIX_MAX_COLUMNS
    return Page("obligations.md", _render(env, "obligations.md.j2", graph, "", laws=laws, grid=grid))


def home_page(env: Environment, graph: Graph) -> Page:
    recent = list(reversed(graph.timeline[-8:]))
    return Page("index.md", _render(env, "home.md.j2", graph, "", recent=recent))


def all_pages(graph: Graph) -> Iterator[Page]:
    """Every generated page: home, timeline, an index per kind, a page per record."""
    env = environment()
    yield home_page(env, graph)
    yield timeline_page(env, graph)
    for year in graph.years:
        yield timeline_page(env, graph, year)
    yield health_page(env, graph)
    yield obligations_page(env, graph)
    for kind in KINDS:
        yield index_page(env, graph, kind)
        for record in graph.by_kind[kind]:
            yield record_page(env, graph, record)
