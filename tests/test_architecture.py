"""The package follows the flow: imports only point downstream, and named dotted paths resolve.

Layers, upstream first (a module may import from its own layer and the ones before it)::

    errors, vocab → study → inputs → qual → analysis → display → chapters → publish → cli
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "jahwal"
LAYERS = ["errors", "vocab", "study", "inputs", "qual", "analysis", "display", "chapters", "publish", "cli"]
#: the top of the package (``jahwal/__init__.py``) and the two shared modules rank first
TOP = {"__init__": 0, "errors": 0, "vocab": 0}


def layer(module: str) -> int:
    """Rank of a dotted ``jahwal.…`` module in the flow."""
    parts = module.split(".")
    if parts[0] != "jahwal":
        raise ValueError(module)
    if len(parts) == 1:
        return 0
    head = parts[1]
    if head in TOP:
        return TOP[head]
    if head not in LAYERS:
        raise AssertionError(f"{module}: not in a layer of the flow {LAYERS}")
    return LAYERS.index(head)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def jahwal_imports(path: Path, name: str | None = None) -> list[tuple[int, str]]:
    """Every ``jahwal`` module a file imports (at the top or inside functions), with its line."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "jahwal"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "jahwal":
                continue
            if node.module is None or mod in ("jahwal",) or mod.count(".") == 1:
                # ``from jahwal.analysis import stages`` imports the submodule
                for a in node.names:
                    sub = f"{mod}.{a.name}"
                    out.append((node.lineno, sub if importlib.util.find_spec(mod) and _is_module(sub) else mod))
            else:
                out.append((node.lineno, mod))
    return out


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_sits_in_a_layer():
    names = [module_name(p) for p in MODULES]
    assert "jahwal.analysis.stages" in names and "jahwal.publish.build" in names
    for n in names:
        layer(n)


def test_the_flat_modules_are_gone():
    flat = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "errors", "vocab", "cli"))
    assert flat == []


def upstream_imports(path: Path, me: str | None = None) -> list[str]:
    """The imports of ``path`` that point upstream (against the flow), as messages."""
    me = me or module_name(path)

    def where(m: str) -> str:
        return LAYERS[layer(m)] if layer(m) else "top"

    return [
        f"{me} ({where(me)}) line {line} imports {mod} ({where(mod)})"
        for line, mod in jahwal_imports(path, me)
        if layer(mod) > layer(me)
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_point_downstream(path):
    bad = upstream_imports(path)
    assert not bad, "\n".join(bad)


def test_the_layer_check_catches_an_upstream_import(tmp_path):
    """An inputs module importing a chapter module (even lazily) is named, with the line."""
    src = tmp_path / "fake.py"
    src.write_text(
        "from jahwal.errors import JahwalError\nfrom jahwal.study import params\n\n"
        "def f():\n    from jahwal.chapters import ch5\n    from .contract import Extract\n",
        encoding="utf-8",
    )
    assert upstream_imports(src, "jahwal.inputs.fake") == [
        "jahwal.inputs.fake (inputs) line 5 imports jahwal.chapters.ch5 (chapters)"
    ]
    # the relative import resolves inside the module's own package, which is allowed
    assert upstream_imports(src, "jahwal.study.fake") == [
        "jahwal.study.fake (study) line 5 imports jahwal.chapters.ch5 (chapters)"
    ]


# ------------------------------------------------------------------ dotted paths in the book
DOTTED = re.compile(r"(?<![\w./-])jahwal(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
#: file names that look like dotted paths
NOT_PATHS = {"jahwal.css"}


def _texts() -> list[Path]:
    files = [ROOT / "_config.yml", ROOT / "README.md"]
    for folder, patterns in (("book", ["*.md"]), ("notebooks", ["*.ipynb"]), ("data", ["*.md", "*.csv", "*.yml"])):
        for pat in patterns:
            files += sorted((ROOT / folder).rglob(pat))
    return [f for f in files if f.is_file()]


def named_paths() -> list[tuple[str, str]]:
    out = []
    for f in _texts():
        for m in DOTTED.finditer(f.read_text(encoding="utf-8")):
            name = m.group(0).rstrip(".")
            if name not in NOT_PATHS:
                out.append((str(f.relative_to(ROOT)), name))
    return sorted(set(out))


def resolve(dotted: str):
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def test_the_book_names_dotted_paths():
    names = {n for _, n in named_paths()}
    assert "jahwal.publish.sphinx_ext" in names and "jahwal.analysis.compare.compare_groups" in names


@pytest.mark.parametrize("where,dotted", named_paths())
def test_dotted_path_resolves(where, dotted):
    try:
        resolve(dotted)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"{where}: {dotted} does not resolve ({exc})")


def test_resolve_fails_on_a_missing_name():
    with pytest.raises(AttributeError):
        resolve("jahwal.inputs.contract.no_such_function")


def test_delegated_commands_name_modules_with_a_main():
    from jahwal import cli

    assert set(cli.DELEGATED) == {"audit", "qual", "lit", "pdf", "browser", "snapshot"}
    for command, module in cli.DELEGATED.items():
        assert callable(importlib.import_module(f"jahwal.{module}").main), command
