"""Rebuild a project as ``mkdocs serve --dirty`` does, with edits between builds, and report each build.

``mkdocs serve`` keeps one process and one site folder; before each rebuild it loads the
configuration afresh (plugins and hooks persist) and calls ``build(..., dirty=True)``.
This script does the same without the web server, so a test can see which files each
build wrote. Run in a child process: the plugins' and hooks' state is per process.

    python preview_driver.py PROJECT SITE STEPS.json

STEPS is a list of steps, each a list of edits applied before that build:
``["replace", path, old, new]``, ``["write", path, text]`` or ``["delete", path]``,
paths relative to PROJECT. Prints one JSON object per build: whether it succeeded, the
log messages, each HTML file's modification time, and the search index's locations.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def apply(project: Path, edit: list[str]) -> None:
    action, path, *args = edit
    target = project / path
    if action == "replace":
        old, new = args
        text = target.read_text(encoding="utf-8")
        if old not in text:
            raise SystemExit(f"{path} has no {old!r}")
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif action == "write":
        target.write_text(args[0], encoding="utf-8")
    elif action == "delete":
        target.unlink()
    else:
        raise SystemExit(f"unknown edit {action!r}")


def snapshot(site: Path) -> dict:
    html = {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}
    index = site / "search" / "search_index.json"
    locations = [doc["location"] for doc in json.loads(index.read_text())["docs"]] if index.exists() else []
    return {"html": html, "search": locations}


def main() -> None:
    project, site, steps_file = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    collect = Collect()
    logging.getLogger("mkdocs").addHandler(collect)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    config_file = str(project / "mkdocs.yml")
    started = False
    for edits in json.loads(steps_file.read_text()):
        for edit in edits:
            apply(project, edit)
        collect.messages = []
        config = load_config(config_file=config_file, site_dir=str(site))
        if not started:
            config.plugins.on_startup(command="serve", dirty=True)
            started = True
        config.site_url = SERVE_URL
        try:
            build(config, serve_url=SERVE_URL, dirty=True)
            ok = True
        except Exception as err:  # serve logs a failed build and keeps serving
            ok = False
            collect.messages.append(f"FAILED: {err}")
        print(json.dumps({"ok": ok, "log": collect.messages, **snapshot(site)}), flush=True)


if __name__ == "__main__":
    main()
