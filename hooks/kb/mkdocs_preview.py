"""Exact ``mkdocs serve --dirty`` for generated pages: rebuild only the pages whose Markdown changed.

MkDocs' dirty mode skips a page when ``File.is_modified()`` says so, which it judges
by modification times; a generated page has none, so every one counts as modified and
an edit to one record rebuilds thousands of pages. Here a generated page is modified
when its Markdown differs from the Markdown its HTML in the site folder was built
from, which is exact: the hooks render every page's Markdown on every build anyway,
so a change that shows on a page (a renamed record linked from it, a new event on its
timeline) changes its Markdown.

What else a page's HTML depends on is the configuration and the theme's templates:
when ``mkdocs.yml`` or a file of the theme's ``custom_dir`` changes, the site folder
is emptied and everything is built again. Three gaps of MkDocs' dirty mode are
closed too: pages that no longer exist are removed from the site folder, the search
index keeps one copy of each page's entries (Material's own merge assumes one page
changed), and MkDocs' warning that a dirty build may be inaccurate, which would fail
every preview under ``--strict``, is replaced by a count of what was rebuilt.

What stays a preview's limit: a page that was not rebuilt has its links to other
pages' anchors checked only when it is itself rebuilt. ``mkdocs build`` checks all.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from .cache import digest, files_digest

log = logging.getLogger("mkdocs.plugins.kb")
BUILD_LOGGER = "mkdocs.commands.build"
DIRTY_WARNING = "A 'dirty' build is being performed"
SEARCH_PLUGIN = "material/search"


class GeneratedPage(File):
    """A generated page that knows whether the site folder already holds its HTML."""

    markdown_digest: str = ""
    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed


def drop_dirty_warning(record: logging.LogRecord) -> bool:
    """Logging filter: MkDocs' general warning about dirty builds does not apply to an exact one."""
    return not record.getMessage().startswith(DIRTY_WARNING)


@dataclass
class Preview:
    """What the site folder holds between the rebuilds of one ``mkdocs serve --dirty``.

    ``enabled`` is False for any other command: then every page is built, as usual.
    """

    enabled: bool = False
    setting: str = ""  # digest of the configuration and theme templates the site folder was built with
    built_from: dict[str, str] = field(default_factory=dict)  # page src_uri -> digest of the Markdown of its HTML
    pages: dict[str, str] = field(default_factory=dict)  # page url -> its HTML file, for every page of the last build
    written: set[str] = field(default_factory=set)  # src_uris of the pages this build wrote
    files: Files | None = None

    def start(self, command: str, dirty: bool) -> None:
        self.enabled = command == "serve" and dirty
        if self.enabled:
            logging.getLogger(BUILD_LOGGER).addFilter(drop_dirty_warning)

    def new_build(self) -> None:
        self.written = set()

    def begin(self, config: MkDocsConfig) -> None:
        """Before any file is written: empty the site folder if the configuration or theme changed."""
        if not self.enabled:
            return
        setting = setting_digest(config)
        if setting != self.setting:
            if self.setting:
                log.info("Preview: mkdocs.yml or the theme changed, so every page is built again")
            clean_directory(config.site_dir)
            self.built_from.clear()
            self.setting = setting

    def page_file(self, config: MkDocsConfig, path: str, markdown: str) -> File:
        """A generated page's file; under the preview, marked unchanged when its HTML is current."""
        file = GeneratedPage.generated(config, path, content=markdown)
        if self.enabled:
            file.markdown_digest = digest(markdown.encode("utf-8"))
            file.changed = self.built_from.get(path) != file.markdown_digest
        return file

    def keep(self, files: Files) -> None:
        self.files = files

    def wrote(self, page: Page) -> None:
        """A page's HTML is about to be written: remember what it was built from."""
        if not self.enabled:
            return
        self.written.add(page.file.src_uri)
        if isinstance(page.file, GeneratedPage):
            self.built_from[page.file.src_uri] = page.file.markdown_digest

    def merge_search(self, config: MkDocsConfig) -> None:
        """Before the search plugin writes its index: the pages not rebuilt keep their entries, once."""
        plugin = config.plugins.get(SEARCH_PLUGIN)
        previous = getattr(plugin, "search_index_prev", None)
        if not self.enabled or self.files is None or previous is None:
            return
        kept = {page.url for page in documentation_pages(self.files) if page.file.src_uri not in self.written}
        entries = [entry for entry in previous.entries if entry["location"].split("#")[0] in kept]
        plugin.search_index.entries = entries + plugin.search_index.entries
        plugin.search_index_prev = None  # merged here; Material's merge would keep rebuilt pages twice

    def finish(self) -> None:
        """After the build: remove the HTML of pages that are gone, and say what was rebuilt."""
        if not self.enabled or self.files is None:
            return
        present = documentation_pages(self.files)
        pages = {page.url: page.file.abs_dest_path for page in present}
        for url, html in self.pages.items():
            if url not in pages:
                remove_page(html)
        gone = set(self.built_from) - {page.file.src_uri for page in present}
        for src_uri in gone:
            del self.built_from[src_uri]
        if self.pages:
            rebuilt, unchanged = len(self.written), len(pages) - len(self.written)
            log.info(f"Preview: rebuilt {rebuilt:,} of {len(pages):,} pages; the other {unchanged:,} had not changed")
        self.pages = pages

    def failed(self) -> None:
        """A failed build may have written pages that a later build would not rewrite: forget them."""
        for src_uri in self.written:
            self.built_from.pop(src_uri, None)


def setting_digest(config: MkDocsConfig) -> str:
    """Digest of what every page's HTML depends on besides its Markdown: mkdocs.yml and the theme overrides."""
    configuration = Path(config.config_file_path).read_bytes()
    custom_dir = config.theme.custom_dir
    return files_digest(Path(custom_dir), salt=configuration) if custom_dir else digest(configuration)


def documentation_pages(files: Files) -> list[Page]:
    return [file.page for file in files.documentation_pages() if file.page is not None]


def remove_page(html: str) -> None:
    """Delete a page's HTML file, and its folder when that is left empty."""
    target = Path(html)
    target.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty, or already gone
        os.rmdir(target.parent)
