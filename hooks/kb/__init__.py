"""The knowledge-base engine: data files in, validated graph and Markdown pages out.

Nothing in this package imports MkDocs except ``mkdocs_adapter`` and ``mkdocs_preview``; the hook file
``hooks/kb_hook.py`` is the only thing MkDocs loads.
"""
