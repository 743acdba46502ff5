"""Appendices: provenance for the methods appendix: package versions and the data sources used."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

#: packages whose versions shape the results
PACKAGES = [
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "papermill",
    "pandas",
    "numpy",
    "scipy",
    "pingouin",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "pandera",
    "kiwipiepy",
    "sphinxcontrib-bibtex",
]


def package_versions(packages: list[str] | None = None) -> pd.DataFrame:
    """Installed versions of the packages that shape the book's results.

    Examples
    --------
    >>> package_versions(["pandas"])["패키지"].tolist()
    ['pandas']
    """
    rows = [{"패키지": "python", "버전": platform.python_version()}] if packages is None else []
    for name in packages or PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "설치되지 않음"
        rows.append({"패키지": name, "버전": version})
    return pd.DataFrame(rows)


def data_sources(paths: dict[str, str], root: str | Path = ".") -> pd.DataFrame:
    """The data folders and files a study uses, with their file counts and total size."""
    from jahwal.inputs.digest import tree_digest

    root = Path(root)
    rows = []
    for label, rel in paths.items():
        p = root / rel
        files = (
            [p]
            if p.is_file()
            else sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith("."))
            if p.exists()
            else []
        )
        rows.append(
            {
                "자료": label,
                "경로": rel,
                "파일 수": len(files),
                "크기(KB)": round(sum(f.stat().st_size for f in files) / 1024, 1),
                "내용 해시(앞 12자리)": tree_digest(p)[:12] if p.exists() else "없음",
            }
        )
    return pd.DataFrame(rows)
