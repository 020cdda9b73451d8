"""MkDocs hooks: the thin entry point. Each event delegates to the ``kb`` package.

The package is imported at the top level because MkDocs puts this file's folder
on ``sys.path`` only while it imports this file.
"""

from __future__ import annotations

from kb import mkdocs_adapter as adapter
from kb.graph import Graph

_graph: Graph | None = None  # the one graph of the current build


def on_pre_build(config):
    global _graph
    _graph = adapter.load(config)


def on_files(files, config):
    return adapter.add_pages(_graph, files, config)


def on_serve(server, config, builder):
    adapter.watch(server, config)
    return server
