"""Publish a build only when it succeeds: build beside the output folder, then swap.

MkDocs empties its output folder before it builds, and ``--strict`` fails only after
every page is written, so a failed build would otherwise leave an empty or partial
site where the good one was.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.kb-staging")


def prepare(site_dir: Path) -> Path:
    """A fresh, empty staging folder beside ``site_dir``."""
    staging = staging_dir(site_dir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def swap(staging: Path, site_dir: Path) -> None:
    """Move the finished build into place; the old site is removed only after that."""
    old = site_dir.with_name(f".{site_dir.name}.kb-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
