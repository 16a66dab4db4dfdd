"""Reading flyt's own source for the tests that check it against its texts and docs."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import flyt

SRC = Path(flyt.__file__).resolve().parent


@cache
def syntax_tree(path: Path) -> ast.Module:
    """The module's syntax tree, each node knowing its `parent` (for finding the
    function or loop a name is in)."""
    module = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(module):
        for child in ast.iter_child_nodes(node):
            child.parent = node  # type: ignore[attr-defined]
    return module


def texts(nodes: list[ast.expr]) -> set[str]:
    """The string literals among `nodes`."""
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}
