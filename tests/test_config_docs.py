"""Every key of the configuration file that the code reads is in docs/deployment.md's
configuration reference, and every key documented there is read.

The keys are found by reading the code, not listed here: every module under src/flyt
that uses `raw_config` is a reader, and in it a string literal is a key where it is
- looked up in a table: `section.get("k")`, `item["k"]`, `"k" in section` (a table is
  a plain name, or an expression of `raw`/`raw_config()`; never `os.environ`), also
  through a loop variable over a literal or module-level tuple (`for k in KINDS`);
- passed to a helper of the module for a parameter the helper looks up a table with
  (`_text(section, "mail", "host")`, `_section(raw, "mail", MAIL_KEYS)`), or for its
  parameter `known` (a module-level tuple of the section's keys);
- a set of keys a table is compared with (`set(item) != {"from_day", "factor"}`);
- a field of the dataclass a table is unpacked into (`GoalSpec(**g)`).
A section's name is read the same way, so it counts as a key too. The documented keys
are the first column of the reference table: `key` at the top level, `[section] key`
or `[[section]] key` below it, `<year>`-style placeholders for keys that are data.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

from tests.support.source import SRC, syntax_tree, texts

DOC = Path(__file__).resolve().parents[1] / "docs" / "deployment.md"
REFERENCE_HEADING = "## Configuration reference"
ROW = re.compile(r"^\|\s*`(?:(\[\[?)([\w.]+)\]\]?\s+)?(<?[\w]+>?)`\s*\|")


# --- the code ---------------------------------------------------------------------------

def reader_modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "raw_config" in p.read_text(encoding="utf-8"))


def module_name(path: Path) -> str:
    return ".".join(("flyt", *path.relative_to(SRC).with_suffix("").parts))


def is_table(node: ast.expr) -> bool:
    """A TOML table: a plain name (`section`, `item`; not `environ`), or an expression
    of `raw` / `raw_config()`. Not `os.environ`, not `request.query_params`."""
    if isinstance(node, ast.Name):
        return node.id != "environ"
    return any(isinstance(n, ast.Name) and n.id in ("raw", "raw_config") for n in ast.walk(node))


def looked_up(node: ast.AST) -> ast.expr | None:
    """The key of `table.get(key, ...)` or `table[key]`, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" and node.args and is_table(node.func.value)):
        return node.args[0]
    if isinstance(node, ast.Subscript) and is_table(node.value):
        return node.slice
    return None


def module_tuples(module: ast.Module) -> dict[str, set[str]]:
    """Module-level `NAME = ("a", "b")`: the texts of each."""
    found = {}
    for node in module.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple | ast.List):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = texts(node.value.elts)
    return found


def values_of(node: ast.expr, tuples: dict[str, set[str]]) -> set[str]:
    """A literal, or a loop variable over a literal or module-level tuple: its texts."""
    if isinstance(node, ast.Constant):
        return texts([node])
    if not isinstance(node, ast.Name):
        return set()
    scope: ast.AST | None = node
    while scope is not None and not isinstance(scope, ast.FunctionDef | ast.Module):
        scope = getattr(scope, "parent", None)
    found: set[str] = set()
    for loop in ast.walk(scope) if scope is not None else ():
        if isinstance(loop, ast.For | ast.comprehension) and isinstance(
                loop.target, ast.Name) and loop.target.id == node.id:
            if isinstance(loop.iter, ast.Tuple | ast.List):
                found |= texts(loop.iter.elts)
            elif isinstance(loop.iter, ast.Name):
                found |= tuples.get(loop.iter.id, set())
    return found


def helper_parameters(module: ast.Module) -> dict[str, tuple[list[str], set[str]]]:
    """The module's own functions: their parameters, and those the function looks a
    table up with (`section.get(key)`: `key`) or checks a table against (`known`)."""
    helpers = {}
    for f in module.body:
        if isinstance(f, ast.FunctionDef):
            parameters = [a.arg for a in f.args.args]
            keys = {k.id for n in ast.walk(f) if isinstance(k := looked_up(n), ast.Name)}
            helpers[f.name] = (parameters, {p for p in parameters if p in keys})
    return helpers


def argument(call: ast.Call, parameters: list[str], name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    index = parameters.index(name)
    return call.args[index] if index < len(call.args) else None


def unpacked_fields(call: ast.Call, module_path: Path) -> set[str]:
    """`Class(**table)` with a dataclass: its fields are the table's keys."""
    if not any(k.arg is None for k in call.keywords) or not isinstance(call.func, ast.Name):
        return set()
    cls = getattr(importlib.import_module(module_name(module_path)), call.func.id, None)
    return {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()


def keys_in(path: Path) -> Iterator[tuple[str, int]]:
    """(key, line) for every configuration key `path` reads."""
    module = syntax_tree(path)
    tuples = module_tuples(module)
    helpers = helper_parameters(module)
    for node in ast.walk(module):
        found: set[str] = set()
        if (key := looked_up(node)) is not None:
            found |= values_of(key, tuples)
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in helpers:
                parameters, key_parameters = helpers[node.func.id]
                for name in key_parameters:
                    if (arg := argument(node, parameters, name)) is not None:
                        found |= values_of(arg, tuples)
                if "known" in parameters and isinstance(
                        arg := argument(node, parameters, "known"), ast.Name):
                    found |= tuples.get(arg.id, set())
            found |= unpacked_fields(node, path)
        elif isinstance(node, ast.Compare):
            if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops) and all(
                    isinstance(c, ast.Name) and is_table(c) for c in node.comparators):
                found |= texts([node.left])
            sides = (node.left, *node.comparators)
            if any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                   and c.func.id == "set" for c in sides):
                found |= {k for side in sides if isinstance(side, ast.Set)
                          for k in texts(side.elts)}
        for key in found:
            yield key, node.lineno


KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def code_keys() -> dict[str, list[str]]:
    """Every key read (key → the places that read it)."""
    keys: dict[str, list[str]] = {}
    for path in reader_modules():
        for key, line in keys_in(path):
            if KEY.fullmatch(key):  # not every `"x" in text` is a table look-up ("/")
                keys.setdefault(key, []).append(f"{path.relative_to(SRC.parent)}:{line}")
    return keys


# --- the documentation ------------------------------------------------------------------

def reference_rows() -> list[tuple[str, str]]:
    """(section, key) of every row of the reference table ('' for the top level)."""
    text = DOC.read_text(encoding="utf-8")
    assert REFERENCE_HEADING in text, f"{DOC.name} has no {REFERENCE_HEADING!r}"
    part = text.split(REFERENCE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in part.splitlines():
        if (found := ROW.match(line)) is not None:
            rows.append((found.group(2) or "", found.group(3)))
    return rows


def documented_names() -> set[str]:
    """Keys and the names of the sections they are in (`[web.oidc]`: web, oidc)."""
    names = set()
    for section, key in reference_rows():
        names.add(key)
        names.update(n for n in section.split(".") if n)
    return names


# --- the tests --------------------------------------------------------------------------

def test_the_reading_finds_keys_of_every_kind() -> None:
    # A guard on the reading itself, one key per way of reading it.
    keys = code_keys()
    for key in ("database_url",  # raw.get("database_url")
                "targets",  # "targets" in section, section["targets"]
                "kpi",  # GoalSpec(**g)
                "client_id",  # for key in ("client_id",): section.get(key)
                "host",  # _text(section, "mail", "host")
                "mail",  # _section(raw, "mail", MAIL_KEYS)
                "monthly",  # _section(raw, "distribution", KINDS)
                "from_day",  # set(item) != {"from_day", "factor"}
                "snapshot_time"):  # _clock(section, "snapshot_time", ...)
        assert key in keys, key
    assert "FLYT_PSEUDONYM_KEY" not in keys  # os.environ.get(...) is not the file
    assert "." not in keys  # "." in parsed.domain is not a table


def test_every_key_the_code_reads_is_documented() -> None:
    documented = documented_names()
    missing = sorted(f"{key} (read at {', '.join(places)})"
                     for key, places in code_keys().items() if key not in documented)
    assert missing == [], f"not in {DOC.name}'s {REFERENCE_HEADING!r}:\n" + "\n".join(missing)


def test_every_documented_key_is_read() -> None:
    keys = code_keys()
    stale = sorted(f"[{section}] {key}" if section else key
                   for section, key in reference_rows()
                   if not key.startswith("<")
                   and ({key, *section.split(".")} - {""}) - keys.keys())
    assert stale == []


def test_every_key_is_documented_once() -> None:
    rows = reference_rows()
    assert len(rows) > 30
    assert len(rows) == len(set(rows))
