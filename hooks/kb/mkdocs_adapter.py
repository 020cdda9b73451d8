"""Where the engine meets MkDocs: turns the engine's graph and pages into MkDocs files.

Keeping MkDocs here, in :mod:`kb.mkdocs_preview` (exact ``serve --dirty`` rebuilds)
and in the thin ``hooks/kb_hook.py`` means a move to another generator changes
these three files only.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from . import csp, publish
from .engine import load_graph
from .exports import download_files
from .graph import Graph
from .health import build_date
from .indexes import index_files
from .mkdocs_preview import Preview
from .pages import KINDS, TEMPLATES, Page, all_pages
from .problems import DataError

NAV_PAGES = {"index.md", "timeline.md", "health.md", "contributing.md", "obligations.md"} | {
    f"{kind}/index.md" for kind in KINDS
}
# Under the "mkdocs" logger tree, so that --strict counts our warnings.
log = logging.getLogger("mkdocs.plugins.kb")


class WarningCount(logging.Handler):
    """Counts warnings under the ``mkdocs`` logger, as ``--strict`` does, to know before MkDocs aborts."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Session:
    """What the hooks keep between events of one MkDocs command: the graph and where to publish."""

    command: str = "build"
    graph: Graph | None = None
    site_dir: Path | None = None  # the real output folder while a build is staged beside it
    staging: Path | None = None
    warnings: WarningCount = field(default_factory=WarningCount)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, for the benchmark
    preview: Preview = field(default_factory=Preview)  # what the site folder holds, under serve --dirty

    def new_build(self) -> None:
        """Forget what the last build did (mkdocs serve runs many in one process)."""
        self.timings.clear()
        self.preview.new_build()

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - started

    def write_timings(self) -> None:
        """Save the step timings where ``KB_PROFILE`` says (the benchmark reads them)."""
        target = os.environ.get("KB_PROFILE")
        if target:
            Path(target).write_text(json.dumps(self.timings), encoding="utf-8")


def start(session: Session, command: str, dirty: bool = False) -> None:
    session.command = command
    session.preview.start(command, dirty)


def stage(session: Session, config: MkDocsConfig) -> MkDocsConfig:
    """For ``mkdocs build``, build into a staging folder so a failure cannot touch the site."""
    if session.command != "build":
        return config
    session.site_dir = Path(config.site_dir)
    session.staging = publish.prepare(session.site_dir)
    config.site_dir = str(session.staging)
    session.warnings.count = 0
    if config.strict:
        logging.getLogger("mkdocs").addHandler(session.warnings)
    return config


def merge_search(session: Session, config: MkDocsConfig) -> None:
    session.preview.merge_search(config)


def finish(session: Session, config: MkDocsConfig) -> None:
    """Publish the staged build, unless --strict is about to fail it."""
    logging.getLogger("mkdocs").removeHandler(session.warnings)
    session.preview.finish()
    if session.staging is None or session.site_dir is None:
        return
    if config.strict and session.warnings.count:
        return  # MkDocs raises next; fail() discards the staging folder
    publish.swap(session.staging, session.site_dir)
    config.site_dir = str(session.site_dir)
    session.staging = None
    log.info(f"Published the build to {session.site_dir}")


def fail(session: Session) -> None:
    session.preview.failed()
    logging.getLogger("mkdocs").removeHandler(session.warnings)
    if session.staging is not None and session.site_dir is not None:
        publish.discard(session.staging)
        log.error(f"Build failed: {session.site_dir} was left as it was.")
        session.staging = None


def wrote(session: Session, page: MkDocsPage) -> None:
    """MkDocs is about to write ``page``'s HTML (the preview remembers what it was built from)."""
    session.preview.wrote(page)


def secure(session: Session, html: str) -> str:
    """The page with its Content-Security-Policy; not under serve, whose live reload is an inline script."""
    if session.command == "serve":
        return html
    with session.timed("csp"):
        return csp.with_policy(html)


def data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent / "data"


def load(config: MkDocsConfig) -> Graph:
    """The checked graph, or every data problem logged and the build stopped.

    Called from ``on_pre_build``, before MkDocs empties the output folder, so bad
    data leaves the previous site as it was.
    """
    try:
        return load_graph(data_dir(config))
    except DataError as err:
        for problem in err.problems:
            log.error(str(problem))
        raise PluginError(f"{err}; the site was not built") from None


def repository_pages(config: MkDocsConfig) -> list[Page]:
    """Repository documents that are also site pages, so there is one copy of each."""
    root = Path(config.config_file_path).resolve().parent
    return [Page("contributing.md", (root / "CONTRIBUTING.md").read_text(encoding="utf-8"))]


def data_files(graph: Graph, config: MkDocsConfig) -> dict[str, str]:
    """Downloads and the browser's indexes, as generated static files (served by mkdocs serve too)."""
    built = build_date().isoformat()
    return {**download_files(graph, built, config.site_url or ""), **index_files(graph)}


def add_pages(session: Session, files: Files, config: MkDocsConfig) -> Files:
    """Add every generated page as a virtual file; a clash with a file in docs/ is an error.

    Called once the data has loaded, before MkDocs writes anything: under ``serve
    --dirty``, this is where the preview empties the site folder if the theme changed.
    """
    graph = session.graph
    if graph is None:
        raise PluginError("the knowledge graph was not loaded: on_pre_build did not run")
    session.preview.begin(config)
    for path, content in data_files(graph, config).items():
        files.append(File.generated(config, path, content=content))
    for page in [*all_pages(graph), *repository_pages(config)]:
        if files.get_file_from_path(page.path) is not None:
            raise PluginError(f"docs/{page.path} clashes with a generated page; remove it")
        file = session.preview.page_file(config, page.path, page.markdown)
        if page.path not in NAV_PAGES:
            file.inclusion = InclusionLevel.NOT_IN_NAV  # record pages are reached by links, not the nav
        files.append(file)
    session.preview.keep(files)
    return files


def watch(server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Rebuild on any change to the data, the page templates, the theme overrides or CONTRIBUTING.md.

    MkDocs watches a theme's folders only with ``--watch-theme``; the overrides are this
    project's own templates, so they are watched always.
    """
    server.watch(str(data_dir(config)))
    server.watch(str(TEMPLATES))
    if config.theme.custom_dir:
        server.watch(config.theme.custom_dir)
    server.watch(str(Path(config.config_file_path).resolve().parent / "CONTRIBUTING.md"), recursive=False)
