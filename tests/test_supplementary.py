"""보완 분석 (jahwal.analysis.supplementary): bands, stratified comparisons, covariate adjustment, suppression."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from jahwal.analysis import supplementary
from jahwal.analysis.compare import compare_groups
from jahwal.chapters import ch3_supplementary
from jahwal.display.disclosure import SUPPRESSED
from jahwal.inputs import contract, synth

REF = Path(__file__).resolve().parents[1] / "data" / "reference"
ONE = [("표 T", "y", "x", None)]


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """Outcome data of 2022 from a scale-0.05 synthetic extract (generated once)."""
    out = tmp_path_factory.mktemp("synth") / "small"
    synth.write_extract(out, scale=0.05, seed=11, years=(2021, 2022), reference_dir=REF)
    ex = contract.load_extract(out, window=("2021-01", "2022-12"))
    return supplementary.analysis_data(ex, 2022, [0, 12, 36, 60])


def _toy(seed=0, n=300):
    rng = np.random.default_rng(seed)
    u = rng.choice(["시장진입형", "근로유지형"], n, p=[0.5, 0.5])
    g = np.where(rng.random(n) < np.where(u == "시장진입형", 0.7, 0.3), "수행", "미수행")
    y = 100 + 20 * (u == "시장진입형") + 5 * (g == "수행") + rng.normal(0, 3, n)
    return pd.DataFrame({"unit_type": u, "group_x": g, "y": y})


# ---------------------------------------------------------------- bands
def test_band_labels_and_assignment():
    assert supplementary.band_labels([0, 12, 36, 60]) == ["12개월 미만", "12–35개월", "36–59개월", "60개월 이상"]
    b = supplementary.participation_band(pd.Series([0, 11, 12, 35, 36, 59, 60, None]), [0, 12, 36, 60])
    assert b.tolist() == [
        "12개월 미만",
        "12개월 미만",
        "12–35개월",
        "12–35개월",
        "36–59개월",
        "36–59개월",
        "60개월 이상",
        None,
    ]
    # cut points not starting at 0: shorter spells are left out
    assert supplementary.participation_band(pd.Series([3, 6]), [6]).tolist() == [None, "6개월 이상"]


@pytest.mark.parametrize(
    "cuts, message",
    [([], "empty"), ([12, 6], "increase"), ([0, 0], "increase"), ([-1, 5], "negative"), (["a"], "integers")],
)
def test_bad_cut_points(cuts, message):
    with pytest.raises(ValueError, match=message):
        supplementary.check_cuts(cuts)


# ---------------------------------------------------------------- stratified
def test_stratified_tests_equal_compare_groups_within_each_stratum():
    d = _toy()
    res = supplementary.stratified_tests(d, "unit_type", comparisons=ONE, threshold=10).set_index("stratum")
    assert list(res.index) == ["시장진입형", "근로유지형"]  # code-list order
    for s in res.index:
        direct = compare_groups(d[d["unit_type"] == s], "y", "group_x").iloc[0]
        for col in ("diff", "diff_ci_low", "diff_ci_high", "hedges_g", "t", "p"):
            assert res.loc[s, col] == pytest.approx(direct[col])
        assert res.loc[s, "n1"] == direct["n1"]
    # the stratum-specific differences are near the true 5; the pooled one is confounded by type
    assert res["diff"].between(3, 7).all()
    pooled = compare_groups(d, "y", "group_x").iloc[0]["diff"]
    assert pooled > 8


def test_small_strata_are_suppressed():
    d = _toy()
    d.loc[d.index[:6], "unit_type"] = "청년자립도전"
    d.loc[d.index[:6], "group_x"] = ["수행"] * 3 + ["미수행"] * 3
    res = supplementary.stratified_tests(d, "unit_type", comparisons=ONE, threshold=10).set_index("stratum")
    assert bool(res.loc["청년자립도전", "suppressed"]) and np.isnan(res.loc["청년자립도전", "diff"])
    assert not res.loc["시장진입형", "suppressed"]
    with pytest.raises(ValueError, match="no column"):
        supplementary.stratified_tests(d, "nonexistent", comparisons=ONE, threshold=10)


def test_stratified_table_suppresses_with_secondary_cells_per_comparison():
    res = pd.DataFrame(
        {
            "stratum": ["A", "B", "C"],
            "table_id": "표 Ⅲ-9",
            "outcome": "incentive",
            "indicator": "assessment",
            "n1": [5, 40, 60],
            "n2": [50, 45, 70],
            "mean1": 1.0,
            "mean2": 1.0,
            "diff": [100.0, 200.0, 300.0],
            "diff_ci_low": 0.0,
            "diff_ci_high": 1.0,
            "hedges_g": 0.1,
            "g_ci_low": 0.0,
            "g_ci_high": 0.2,
            "t": 1.0,
            "df": 10.0,
            "p": [0.5, 0.01, 0.0001],
            "variant": "welch",
            "stars": "",
            "suppressed": [True, False, False],
        }
    )
    t = ch3_supplementary.stratified_table(res, "unit_type", {"A": 1.0}, threshold=10)
    # A is below the threshold; B, the next smallest of the column, is hidden too (the totals are published)
    assert t["인원(수행)"].tolist() == [SUPPRESSED, SUPPRESSED, 60]
    assert t.loc[1, "평균 차이(원)"] == SUPPRESSED and t.loc[2, "평균 차이(원)"] == 300
    assert t.loc[2, "p"] == "<.001"
    assert t["인원(미수행)"].tolist() == [50, 45, 70]


# ---------------------------------------------------------------- adjusted
def test_design_matrix_keeps_missing_as_a_level():
    d = pd.DataFrame({"g": ["수행", "미수행", "수행", "미수행"], "sex": ["남성", "여성", None, "남성"]})
    X = supplementary.design_matrix(d, "g", ["sex"])
    assert X.columns.tolist() == ["const", "group", "sex[여성]", "sex[미상]"]
    assert X["group"].tolist() == [1, 0, 1, 0] and X["sex[미상]"].tolist() == [0, 0, 1, 0]
    with pytest.raises(ValueError, match="covariate"):
        supplementary.design_matrix(d, "g", ["age"])


def test_adjusted_effects_agree_with_least_squares():
    d = _toy(seed=3)
    r = supplementary.adjusted_effects(d, covariates=["unit_type"], comparisons=ONE, threshold=10).iloc[0]
    # raw difference = difference of means
    m = d.groupby("group_x")["y"].mean()
    assert r["raw_diff"] == pytest.approx(m["수행"] - m["미수행"])
    # adjusted = OLS coefficient; HC3 interval as statsmodels computes it
    X = np.column_stack([np.ones(len(d)), d["group_x"] == "수행", d["unit_type"] == "근로유지형"]).astype(float)
    beta, *_ = np.linalg.lstsq(X, d["y"].to_numpy(), rcond=None)
    assert r["adj_diff"] == pytest.approx(beta[1])
    fit = sm.OLS(d["y"].to_numpy(), X).fit(cov_type="HC3")
    lo, hi = fit.conf_int(0.05)[1]
    assert (r["adj_ci_low"], r["adj_ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    # confounding by type is removed: the true effect is 5
    assert r["raw_diff"] > 8 and 4 < r["adj_diff"] < 6
    assert r["n_parameters"] == 3 and not r["suppressed"]


def test_adjusted_effects_suppress_small_groups():
    d = _toy().iloc[:40].copy()
    d["group_x"] = ["수행"] * 35 + ["미수행"] * 5
    r = supplementary.adjusted_effects(d, covariates=["unit_type"], comparisons=ONE, threshold=10).iloc[0]
    assert r["suppressed"] and np.isnan(r["adj_diff"])


# ---------------------------------------------------------------- on a synthetic extract
def test_supplementary_analyses_on_a_small_extract(small_data):
    assert {"participation_band", "unit_type", "group_assessment"} <= set(small_data.columns)
    by_unit = supplementary.stratified_tests(small_data, "unit_type", threshold=10)
    by_band = supplementary.stratified_tests(small_data, "participation_band", cuts=[0, 12, 36, 60], threshold=10)
    adjusted = supplementary.adjusted_effects(small_data, threshold=10)
    assert len(by_unit) == 8 * by_unit["stratum"].nunique()
    shown = by_unit[~by_unit["suppressed"]]
    assert (shown[["n1", "n2"]].min(axis=1) >= 10).all()
    assert (by_unit.loc[by_unit["suppressed"], ["n1", "n2"]].min(axis=1) < 10).all()
    assert set(by_band["stratum"]) <= set(supplementary.band_labels([0, 12, 36, 60]))
    # the first band has the most people
    assert by_band[by_band["table_id"] == "표 Ⅲ-9"].iloc[0]["stratum"] == "12개월 미만"
    assert len(adjusted) == 8
    s = ch3_supplementary.summary(by_unit, by_band, adjusted)
    assert s["n_stratum_tests"] == len(by_unit) + len(by_band)
    assert 0 <= s["n_adjusted_sign_kept"] <= s["n_adjusted"] <= 8
    # every count published in the display tables is 0 or at least 10
    for t in (
        ch3_supplementary.stratified_table(by_unit, "unit_type", {"시장진입형": 58660}, 10),
        ch3_supplementary.stratified_table(by_band, "participation_band", None, 10),
        ch3_supplementary.adjusted_table(adjusted, 10),
    ):
        counts = pd.to_numeric(pd.concat([t["인원(수행)"], t["인원(미수행)"]]), errors="coerce").dropna()
        assert not counts.between(1, 9).any()


def test_figures_have_korean_titles(small_data):
    from jahwal.display.figures import set_theme

    set_theme()
    by_unit = supplementary.stratified_tests(small_data, "unit_type", threshold=10)
    fig = ch3_supplementary.forest_figure(by_unit, "unit_type")
    assert "사업단 유형" in fig._suptitle.get_text()
    assert fig.axes[0].get_xlabel() == "Hedges' g"
    fig2 = ch3_supplementary.adjusted_figure(supplementary.adjusted_effects(small_data, threshold=10))
    assert "보정" in fig2._suptitle.get_text()
