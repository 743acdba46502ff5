"""The source notebooks run under nbval (``--nbval-lax``) against a small synthetic extract.

Each notebook of the TOC gets the study's parameters injected the way the build
does it (papermill's ``injected-parameters`` cell), with the data paths pointing
at a small extract, and runs with the repository root as working directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from jahwal.inputs import synth
from jahwal.publish.build import declared_parameters
from jahwal.publish.toc import toc_notebooks
from jahwal.study.params import load_params

ROOT = Path(__file__).resolve().parents[1]
#: one page per part of the book, each reading a different kind of input
NBVAL_PAGES = {
    "11_research_design",
    "23_prisma",
    "31_infrastructure",
    "33_stage_outcomes",
    "41_participants",
    "51_outcome_framework",
    "91_data_contract",
}


@pytest.fixture(scope="module")
def nbval_folder(tmp_path_factory):
    base = tmp_path_factory.mktemp("nbval")
    extract = base / "extract"
    synth.write_extract(extract, scale=0.05, seed=11, years=(2019, 2022), reference_dir=ROOT / "data" / "reference")
    params = load_params(ROOT / "params" / "report-2023.yml", ROOT, check_paths=False).notebook_values()
    params["extract_dir"] = str(extract)
    for key, value in list(params.items()):
        if isinstance(value, str) and (ROOT / value).exists():
            params[key] = str(ROOT / value)
    out = base / "notebooks"
    out.mkdir()
    # nbval checks that a source notebook runs on its own, outside the build; the build tests run every
    # notebook of the TOC already, so one page per part that reads each kind of input is enough here
    for src in [n for n in toc_notebooks(ROOT) if n.stem in NBVAL_PAGES]:
        declared = declared_parameters(src)
        values = {k: v for k, v in params.items() if k in declared}
        pm.execute_notebook(
            str(src),
            str(out / src.name),
            parameters=values,
            prepare_only=True,
            kernel_name="python3",
            progress_bar=False,
        )
        nb = nbformat.read(out / src.name, as_version=4)
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = f"import os as _os\n_os.chdir({str(ROOT)!r})\n" + cell.source
        nbformat.write(nb, out / src.name)
    return out


@pytest.mark.slow
def test_source_notebooks_run_under_nbval(nbval_folder):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval-kernel-name",
            "python3",
            "--nbval-cell-timeout",
            "600",
            str(nbval_folder),
        ],
        capture_output=True,
        text=True,
        cwd=nbval_folder,
        env=env,
    )
    tail = proc.stdout[-4000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, tail
    assert " passed" in proc.stdout and " failed" not in proc.stdout
