"""Helpers shared by the tests (imported as ``support``; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@functools.cache
def site_extensions() -> tuple[tuple[str, ...], dict[str, dict]]:
    """The Markdown extensions mkdocs.yml enables, and their settings."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    settings: dict[str, dict] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options:
            settings[name] = options
    return tuple(names), settings


def site_markdown(source: str) -> str:
    """HTML for ``source`` as the site renders it: Python-Markdown with mkdocs.yml's extensions."""
    import markdown

    names, settings = site_extensions()
    return markdown.markdown(source, extensions=list(names), extension_configs=settings)


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def start_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag in ``html``: its name and attributes, in order."""
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def write(data: Path, kind: str, record_id: str, text: str) -> Path:
    """Write one record file and return its path."""
    path = data / kind / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def add_health_concerns(data: Path) -> None:
    """An event that is stale and linked to nothing, and a source that nothing cites."""
    write(
        data,
        "events",
        "2020-01-01-orphan",
        "name: Orphan\ndate: 2020\nevent_type: other\nsources: [example-news-2019]\nreviewed: 2024-01-31\n",
    )
    write(data, "sources", "unused", "name: Unused\npublisher: P\nsource_type: news\nreviewed: 2026-11-23\n")


def break_in_every_way(data_dir: Path) -> None:
    """Problems of each stage: syntax, validation, text, unknown and wrong-kind references."""
    write(data_dir, "companies", "gamma", "name: Gamma\nfonded: 2019\nsources: [nowhere]\nreviewed: 2026-11-23\n")
    write(data_dir, "events", "broken", "name: [unclosed\n")
    write(
        data_dir,
        "companies",
        "delta",
        "name: Delta\nsummary: With [[pay-by-face]], [[missing-one]] and <b>.[@alpha-vision]\n"
        "sources: [example-news-2019]\nreviewed: 2026-11-23\n",
    )
    path = data_dir / "laws" / "example-law.yaml"  # now invalid: references to it are not reported again
    path.write_text(path.read_text().replace("status: in-force", "status: maybe"))


def make_project(tmp_path: Path, data: Path | None = None) -> Path:
    """A project folder with the real config, docs and hooks, and ``data`` (the fixture by default)."""
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, project / name)
    for folder in ("docs", "hooks", "overrides"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(data or GOOD, project / "data")
    return project


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def run_kb(*args: str, cwd: Path = ROOT, **options: object) -> subprocess.CompletedProcess:
    """``python -m kb ARGS`` in a child process, as editors and CI run it; output is captured."""
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin", **options.pop("env", {})}  # type: ignore[dict-item]
    if "KB_CACHE_DIR" in os.environ:  # the test's own store for validate's results (see conftest)
        env.setdefault("KB_CACHE_DIR", os.environ["KB_CACHE_DIR"])
    return subprocess.run(
        [sys.executable, "-m", "kb", *args], capture_output=True, cwd=cwd, env=env, check=False, **options
    )
