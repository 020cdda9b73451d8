"""MkDocs hooks: the thin entry point. Each event delegates to the ``kb`` package.

The package is imported at the top level because MkDocs puts this file's folder
on ``sys.path`` only while it imports this file.
"""

from __future__ import annotations

from kb import mkdocs_adapter as adapter
from mkdocs.plugins import CombinedEvent, event_priority

_session = adapter.Session()  # the graph and output folder of the current command


def on_startup(command, dirty):
    adapter.start(_session, command, dirty)


def on_config(config):
    return adapter.stage(_session, config)


def on_pre_build(config):
    _session.new_build()
    with _session.timed("load, validate and link"):
        _session.graph = adapter.load(config)


def on_files(files, config):
    with _session.timed("pages and exports"):
        return adapter.add_pages(_session, files, config)


def on_post_page(output, page, config):
    adapter.wrote(_session, page)
    return adapter.secure(_session, output)


def on_post_template(output_content, template_name, config):
    return adapter.secure(_session, output_content) if template_name.endswith(".html") else output_content


@event_priority(50)  # before the search plugin writes its index
def _before_search_index(config):
    adapter.merge_search(_session, config)


@event_priority(-100)  # after every plugin has written its files (search writes its index here)
def _after_every_plugin(config):
    with _session.timed("publish"):
        adapter.finish(_session, config)
    _session.write_timings()


on_post_build = CombinedEvent(_before_search_index, _after_every_plugin)


def on_build_error(error):
    adapter.fail(_session)


def on_serve(server, config, builder):
    adapter.watch(server, config)
    return server
