"""Property: on random small extracts, the Chapter Ⅲ stage tables as published keep every hidden count protected.

Random extracts are random subsets of the persons of one small synthetic extract (scale 0.01, made once per
module), so that many cells are small. For each, the stage tables are built by the chapter functions, their
ledger cells are read back from the table payloads (as the build's check reads them) and the attacker's
calculation runs over them.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jahwal.chapters import ch3_stages
from jahwal.display import book_cells
from jahwal.display.attack import check, protected
from jahwal.display.ledger import Ledger
from jahwal.display.nb import Count, Table
from jahwal.inputs import contract, synth
from test_chapter3 import REF, _stage_tables

T = 10


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny") / "extract"
    synth.write_extract(out, scale=0.01, seed=20230101, years=(2019, 2022), reference_dir=REF)
    return contract.load_extract(out, window=("2019-01", "2022-12"))


def _subset(ex: contract.Extract, seed: int, share: float) -> contract.Extract:
    rng = np.random.default_rng(seed)
    people = ex.stages["person_id"].unique()
    keep = set(rng.choice(people, size=max(1, int(len(people) * share)), replace=False))
    pick = lambda df: df[df["person_id"].isin(keep)].reset_index(drop=True)  # noqa: E731
    return contract.Extract(pick(ex.participants), pick(ex.stages), pick(ex.counselling), pick(ex.outcomes), ex.window)


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), share=st.floats(0.1, 0.6))
def test_random_small_extracts_publish_no_recoverable_count(tiny, seed, share):
    ex = _subset(tiny, seed, share)
    tables = _stage_tables(ex)
    summary = ch3_stages.stage_summary(ex, 2022, T)
    payloads = [Table(df, key, ledger=spec).payload() for key, (df, spec) in tables.items()]
    payloads += [
        Count(f"ch33_{k}", summary[k], population=book_cells.POPULATION, by=by).payload()
        for k, by in ch3_stages.stage_count_cells(summary).items()
    ]
    led = Ledger.from_payloads(payloads)
    res = check(led, T)
    assert res.ok, res.messages()
    assert led.conflicts == []
    assert all(protected(iv.low, iv.high, T) for iv in res.intervals)
    shown = [e.value for e in led if e.value is not None]
    assert shown and not [v for v in shown if 1 <= v < T]
    assert len(book_cells.book_plan(ex, 2022, T).primary) > 0  # the subsets do have small cells
