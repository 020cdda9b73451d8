"""Machine-readable outputs derived from the model and the graph."""

from __future__ import annotations

import json
from pathlib import Path

from .model import MODELS

SCHEMA_BASE = "https://json-schema.org/draft/2020-12/schema"


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
