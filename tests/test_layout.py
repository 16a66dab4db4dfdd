"""The layout shows the architecture (docs/architecture.md) and keeps to it.

Read from the code, not listed by hand where the tree can say it: every package under
src/flyt is named in docs/architecture.md, and the imports (each module's syntax tree)
point down: a layer never uses an area or a shell, and an area uses another area only
through its public surface (the package itself, its ``commands`` and ``pages``, and the
modules its ``__init__`` names in ``__all__``), and the shells (cli, web) only from its
own ``commands`` and ``pages``.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

from tests.support.source import SRC, syntax_tree

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"

# Bottom up: a layer may use the ones before it (and the foundation modules).
LAYERS = ("domain", "disclosure", "store", "engine", "ingest", "output")
FOUNDATION = {"flyt", "flyt.config", "flyt.i18n"}
AREAS = ("accounts", "capacity", "deviations", "distribution", "payment", "plan", "plo",
         "reports", "simulation")
SHELLS = ("cli", "web")
SHELL_FACING = ("commands", "pages")  # an area's modules that plug into the shells


def packages() -> list[str]:
    """Every package under src/flyt, as a path below it (``web/auth``)."""
    return sorted(str(p.parent.relative_to(SRC)) for p in SRC.rglob("__init__.py")
                  if p.parent != SRC)


def module_of(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(("flyt", *(parts[:-1] if parts[-1] == "__init__" else parts)))


def is_module(name: str) -> bool:
    """Whether ``flyt.a.b`` is a module or package under src/flyt."""
    relative = Path(*name.split(".")[1:])
    return ((SRC / relative).with_suffix(".py").is_file()
            or (SRC / relative / "__init__.py").is_file())


def imported(path: Path) -> Iterator[tuple[str, int]]:
    """The flyt modules a module imports (``from flyt.x import y``: ``flyt.x.y`` when y is
    a module, else ``flyt.x``), with their line."""
    for node in ast.walk(syntax_tree(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "flyt":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: a relative import"
            if node.module is None or node.module.split(".")[0] != "flyt":
                continue
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                yield (name if is_module(name) else node.module), node.lineno


def top(module: str) -> str:
    """``flyt.web.auth.x`` → ``web``; a foundation module is itself."""
    parts = module.split(".")
    return module if module in FOUNDATION or len(parts) == 1 else parts[1]


def own_module(module: str) -> str:
    """``flyt.payment.pages`` → ``pages``; the package itself → ``""``."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else ""


def public_surface(area: str) -> set[str]:
    package = f"flyt.{area}"
    exported: set[str] = set()
    for node in syntax_tree(SRC / area / "__init__.py").body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__"
                                                 for t in node.targets)):
            exported = set(ast.literal_eval(node.value))
    return {package} | {f"{package}.{name}" for name in (*SHELL_FACING, *exported)}


def edges() -> Iterator[tuple[str, str, str]]:
    """(importing module, imported module, where) for every import of a flyt module."""
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for name, line in imported(path):
            yield module_of(path), name, f"{path.relative_to(SRC)}:{line}"


def test_every_package_is_named_in_the_architecture_document():
    text = DOC.read_text(encoding="utf-8")
    assert [p for p in packages() if f"{p}/" not in text] == []


def test_every_folder_of_templates_is_package_data():
    # An area keeps its templates beside its code: a wheel must carry them too.
    pyproject = tomllib.loads((DOC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["flyt"]
    folders = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("templates") if p.is_dir())
    assert [f for f in folders if f"{f}/*" not in globs] == []


def test_the_layers_and_areas_cover_every_package():
    named = set(LAYERS) | set(AREAS) | set(SHELLS) | {"demo", "reference"}
    assert {p.split("/")[0] for p in packages()} == named


def test_a_layer_uses_only_the_layers_below_it():
    wrong = []
    for importer, name, where in edges():
        if top(importer) not in LAYERS or name in FOUNDATION:
            continue
        used = top(name)
        if used not in LAYERS or LAYERS.index(used) > LAYERS.index(top(importer)):
            wrong.append(f"{where}: {name}")
    assert wrong == []


def test_an_area_uses_another_area_only_through_its_public_surface():
    surfaces = {area: public_surface(area) for area in AREAS}
    wrong = [f"{where}: {name}" for importer, name, where in edges()
             if top(importer) in AREAS and top(name) in AREAS and top(name) != top(importer)
             and name not in surfaces[top(name)]]
    assert wrong == []


def test_an_area_plugs_into_the_shells_only_from_its_commands_and_pages():
    wrong = [f"{where}: {name}" for importer, name, where in edges()
             if top(importer) in AREAS and top(name) in SHELLS
             and own_module(importer) not in SHELL_FACING]
    assert wrong == []


def test_the_check_sees_a_reach_into_another_areas_internals():
    # The rule above must be able to fail: payment's basis is not distribution's to use.
    assert "flyt.payment.basis" not in public_surface("payment")
    assert "flyt.payment.commands" in public_surface("payment")
    assert "flyt.accounts.users" in public_surface("accounts")
    assert is_module("flyt.payment.basis") and not is_module("flyt.payment.gather")
