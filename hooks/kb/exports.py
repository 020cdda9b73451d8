"""Machine-readable outputs derived from the model and the graph."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from .graph import Graph
from .model import MODELS
from .records import Record
from .text import CITE_RE, LINK_RE

SCHEMA_BASE = "https://json-schema.org/draft/2020-12/schema"
ATOM_NS = "http://www.w3.org/2005/Atom"
DATA_LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"


def schema_for(kind: str) -> dict:
    """The JSON Schema of one kind's record files, generated from the model (the one source of truth)."""
    schema = MODELS[kind].model_json_schema()
    return {"$schema": SCHEMA_BASE, "$id": f"{kind}.schema.json", **schema}


def schema_texts() -> dict[str, str]:
    """``{file name: JSON text}`` for every kind, stable so that a committed copy can be compared."""
    return {
        f"{kind}.schema.json": json.dumps(schema_for(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for kind in MODELS
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# --- downloads: the whole knowledge base, a CSV per kind, an Atom feed of events --------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def record_data(record: Record) -> dict:
    """A record as plain data, with its id and kind first."""
    return {"id": record.id, "kind": record.kind, **record.model.model_dump(mode="json", exclude_defaults=False)}


def knowledge_base_json(graph: Graph, built: str) -> str:
    """Every record, grouped by kind, with counts and the build date: one record per line.

    A line per record keeps the file readable and easy to compare between builds, and
    lets the standard library use its C encoder (any ``indent`` falls back to a pure
    Python one, which took seconds at scale).
    """
    header = {
        "title": "China facial recognition knowledge base",
        "built": built,
        "licence": DATA_LICENCE,
        "counts": {kind: len(records) for kind, records in graph.by_kind.items()},
    }
    lines = ["{", *(f" {json.dumps(key)}: {_compact(value)}," for key, value in header.items()), ' "records": {']
    kinds = list(graph.by_kind.items())
    for number, (kind, records) in enumerate(kinds, start=1):
        rows = ",\n".join(f"   {_compact(record_data(record))}" for record in records)
        closing = "]," if number < len(kinds) else "]"
        lines.append(f"  {json.dumps(kind)}: [\n{rows}\n  {closing}" if rows else f"  {json.dumps(kind)}: [{closing}")
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def csv_cell(value: object) -> str:
    """A value as one CSV cell that no spreadsheet will run as a formula."""
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list):
        value = "; ".join(csv_cell(item) for item in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool):
        value = "true" if value else "false"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def kind_csv(records: list[Record], kind: str) -> str:
    """One row per record; nested relations (sanctions, provisions...) as JSON in their cell."""
    fields = ["id", *MODELS[kind].model_fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        data = record_data(record)
        writer.writerow([csv_cell(data.get(name)) for name in fields])
    return buffer.getvalue()


def atom_feed(graph: Graph, built: str, site_url: str, limit: int = 500) -> str:
    """An Atom (RFC 4287) feed of the newest events, each linking to its page."""
    feed_id = "tag:china-fr-kb.example,2026:events"
    base = site_url.rstrip("/") + "/" if site_url else ""
    events = list(reversed(graph.timeline))[:limit]
    updated = max((event.model.reviewed for event in events), default=built)
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    if base:
        root.set("xml:base", base)
    ET.SubElement(root, "id").text = feed_id
    ET.SubElement(root, "title").text = "China facial recognition knowledge base: events"
    ET.SubElement(root, "updated").text = _atom_time(updated)
    ET.SubElement(ET.SubElement(root, "author"), "name").text = "China facial recognition knowledge base editors"
    ET.SubElement(root, "link", {"rel": "self", "href": "downloads/events.atom"})
    ET.SubElement(root, "link", {"rel": "alternate", "href": "timeline/"})
    ET.SubElement(root, "rights").text = DATA_LICENCE
    for event in events:
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "id").text = f"{feed_id}:{event.id}"
        ET.SubElement(entry, "title").text = f"{event.model.date}: {event.model.name}"
        ET.SubElement(entry, "updated").text = _atom_time(event.model.reviewed)
        ET.SubElement(entry, "published").text = _atom_time(event.model.date)
        ET.SubElement(entry, "link", {"rel": "alternate", "href": f"events/{event.id}/"})
        ET.SubElement(entry, "category", {"term": event.model.event_type})
        ET.SubElement(entry, "summary").text = plain_summary(event.model.summary, graph)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _atom_time(date: str) -> str:
    """An RFC 3339 timestamp for a date of any precision (the first day of a year or month)."""
    parts = [*date.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def plain_summary(value: str, graph: Graph) -> str:
    """Text for places without Markdown: ``[[id]]`` becomes the name, citations are dropped."""
    value = CITE_RE.sub("", value)
    value = LINK_RE.sub(
        lambda m: graph.name(m.group(1).strip()) if m.group(1).strip() in graph.records else m.group(1), value
    )
    return " ".join(value.split())


def download_files(graph: Graph, built: str, site_url: str) -> dict[str, str]:
    """``{site path: content}`` for every download."""
    files = {
        "downloads/kb.json": knowledge_base_json(graph, built),
        "downloads/events.atom": atom_feed(graph, built, site_url),
    }
    for kind, records in graph.by_kind.items():
        files[f"downloads/{kind}.csv"] = kind_csv(records, kind)
    for name, text in schema_texts().items():
        files[f"downloads/schemas/{name}"] = text
    return files
