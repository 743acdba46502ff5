"""The shipped corpus against the counts printed in the report (tables Ⅳ-2–Ⅳ-11)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from jahwal.qual import code_frequencies, code_tree, cooccurrence, load_corpus, participant_summary

ROOT = Path(__file__).resolve().parents[1]
QUAL = ROOT / "data" / "qualitative"
SEED = Path("/work/shared/seed/000_c68e2998ea2164a3.txt")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(QUAL)


@pytest.fixture(scope="module")
def reference():
    return pd.read_csv(QUAL / "reference_counts.csv", dtype={"n_quotes": int}, keep_default_na=False)


def _code_counts(corpus, group):
    return code_frequencies(corpus, group).set_index("code_id")


@pytest.mark.parametrize("group,tables", [("practitioners", "표 Ⅳ-2–Ⅳ-5"), ("residents", "표 Ⅳ-7–Ⅳ-11")])
def test_quotes_per_code_equal_report(corpus, reference, group, tables):
    freq = _code_counts(corpus, group)
    ref = reference.query("group == @group and kind == 'code'")
    assert len(ref) > 20
    bad = []
    for row in ref.itertuples(index=False):
        col = "n_quotes" if row.scope == "rolled" else "n_quotes_direct"
        got = int(freq.at[row.key, col])
        if got != row.n_quotes:
            bad.append(
                f"{row.table_id} {row.key} {row.label}: corpus {got}, report {row.n_quotes} (lines {row.source_lines})"
            )
    assert not bad, f"{tables}: " + "; ".join(bad)


@pytest.mark.parametrize("group", ["practitioners", "residents"])
def test_quotes_per_participant_and_table_equal_report(corpus, reference, group):
    c = corpus.subset(group)
    top = code_tree(c.codes).set_index("code_id")["top_id"]
    seg = c.codings.merge(c.segments, on="segment_id").assign(top=lambda d: d["code_id"].map(top))
    seg = seg.drop_duplicates(["segment_id", "top"])
    ref = reference.query("group == @group and kind == 'participant'")
    per_table = ref[ref["scope"] != "all"]
    for row in per_table.itertuples(index=False):
        got = int(((seg["participant_id"] == row.key) & (seg["top"] == row.scope)).sum())
        assert got == row.n_quotes, f"{row.table_id} {row.label}: corpus {got}, report {row.n_quotes}"
    totals = ref[ref["scope"] == "all"].set_index("key")["n_quotes"]
    got = c.segments["participant_id"].value_counts().reindex(totals.index, fill_value=0)
    pd.testing.assert_series_equal(got.rename(None), totals.rename(None), check_names=False, check_dtype=False)
    # every participant of 표 Ⅳ-1 / Ⅳ-6 has a total row, including those never quoted
    assert set(totals.index) == set(c.participants["participant_id"])


def test_report_totals_tab_IV_2_to_IV_11(corpus):
    prac, res = corpus.subset("practitioners"), corpus.subset("residents")
    assert prac.segments["quote_id"].nunique() == 140
    assert res.segments["quote_id"].nunique() == 88
    assert len(res.segments) == 89  # one block is shared by participants 12 and 11
    assert prac.segments["participant_id"].nunique() == 16
    assert res.segments["participant_id"].nunique() == 23


def test_participant_tables_IV_1_and_IV_6(corpus):
    s = participant_summary(corpus, ["practitioners", "residents"]).set_index("group")
    assert s.loc["practitioners", ["n_total", "n_female", "n_male"]].tolist() == [22, 17, 5]
    assert s.loc["residents", ["n_total", "n_female", "n_male"]].tolist() == [25, 18, 7]
    assert (s.loc["practitioners", "min_age"], s.loc["practitioners", "max_age"]) == (26, 61)
    assert (s.loc["residents", "min_age"], s.loc["residents", "max_age"]) == (23, 64)
    p = corpus.participants.set_index("participant_id")
    assert p.at["P12", "tenure_text"] == "2년 10개월" and p.at["P12", "tenure_months"] == 34
    assert p.at["R08", "tenure_months"] == 10 and p.at["R13", "age"] == 63


def test_segments_point_into_their_report_tables(corpus, reference):
    """Each segment's report lines fall inside the line span of its code's table section."""
    spans = reference.query("kind == 'code' and scope == 'rolled'").set_index("key")["source_lines"]
    top = code_tree(corpus.codes).set_index("code_id")["top_id"]
    for sid, cid in zip(corpus.codings["segment_id"], corpus.codings["code_id"]):
        line = corpus.segments.set_index("segment_id").at[sid, "report_line"]
        nums = [int(x) for x in re.findall(r"\d+", line)]
        lo, hi = (int(x) for x in spans[top[cid]].split("-"))
        assert lo <= min(nums) and max(nums) <= hi, (sid, cid, line, spans[top[cid]])


def test_repeated_passages_share_their_span(corpus):
    seg = corpus.segments.set_index("segment_id")
    assert seg.loc["PQ049", ["start", "end"]].tolist() == seg.loc["PQ077", ["start", "end"]].tolist()
    a, b = seg.loc["PQ027"], seg.loc["PQ026"]
    assert a["session_id"] == b["session_id"] and a["start"] <= b["start"] and b["end"] <= a["end"]
    pairs = cooccurrence(corpus, "practitioners", level="코드")
    assert set(zip(pairs["code_a"], pairs["code_b"])) == {("P2.1", "P2.2.2.c"), ("P3.3.1.e", "P4.1.2.c")}


def test_corpus_is_marked_illustrative_and_pseudonymous(corpus):
    readme = (QUAL / "README.md").read_text(encoding="utf-8")
    assert "예시 자료" in readme and "실제 녹취록이 아닙니다" in readme
    assert corpus.participants["participant_id"].str.fullmatch(r"[PR]\d{2}").all()


@pytest.mark.skipif(not SEED.exists(), reason="report text not available")
def test_segments_do_not_repeat_the_report_wording(corpus):
    norm = lambda s: re.sub(r"[^가-힣]", "", s)  # noqa: E731
    seed = norm(SEED.read_text(encoding="utf-8"))
    k = 20
    grams = {seed[i : i + k] for i in range(len(seed) - k + 1)}
    hits = []
    for sid, text in zip(corpus.segments["segment_id"], corpus.segments["text"]):
        t = norm(text)
        hits += [(sid, t[i : i + k]) for i in range(len(t) - k + 1) if t[i : i + k] in grams]
    assert not hits, hits[:5]
