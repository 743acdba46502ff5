"""Group comparisons (jahwal.analysis.compare): agreement with scipy and pingouin, hand-computed cases, report values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from jahwal.analysis.compare import compare_groups, participation_days, stars, t_from_summary

REF = Path(__file__).resolve().parents[1] / "data" / "reference"


def _frame(x, y, labels=("수행", "미수행")):
    return pd.DataFrame({"y": list(x) + list(y), "g": [labels[0]] * len(x) + [labels[1]] * len(y)})


@pytest.fixture(scope="module")
def unequal():
    rng = np.random.default_rng(42)
    x = rng.normal(10, 1, 60)
    y = rng.normal(9.2, 4, 25)
    return x, y, compare_groups(_frame(x, y), "y", "g").iloc[0]


def test_hand_computed_student_case():
    # x = 1..4, y = 5..8: both sd = 1.2910, pooled se = 0.9129, t = -4 / 0.9129 = -4.3818, df = 6
    r = compare_groups(_frame([1, 2, 3, 4], [5, 6, 7, 8]), "y", "g", variant="student").iloc[0]
    assert (r["n1"], r["n2"]) == (4, 4)
    assert r["mean1"] == 2.5 and r["mean2"] == 6.5 and r["diff"] == -4.0
    assert r["sd1"] == pytest.approx(1.290994, abs=1e-6)
    assert r["t"] == pytest.approx(-4.381780, abs=1e-6)
    assert r["df"] == 6
    # 95% interval of the difference: -4 ± t(.975, 6) × 0.912871 = -4 ± 2.233720
    assert r["diff_ci_low"] == pytest.approx(-6.233720, abs=1e-5)
    assert r["diff_ci_high"] == pytest.approx(-1.766280, abs=1e-5)
    # Hedges' g = d × (1 − 3 / (4·8 − 9)) = −3.098387 × 0.869565 = −2.694249
    assert r["hedges_g"] == pytest.approx(-2.694249, abs=1e-5)
    # equal sizes and variances: Welch gives the same t and df
    assert r["t_welch"] == pytest.approx(r["t_student"])
    assert r["df_welch"] == pytest.approx(6.0)
    assert r["stars"] == "**" and r["significant"]


def test_student_and_welch_agree_with_scipy(unequal):
    x, y, r = unequal
    st = stats.ttest_ind(x, y, equal_var=True)
    we = stats.ttest_ind(x, y, equal_var=False)
    assert r["t_student"] == pytest.approx(st.statistic, rel=1e-10)
    assert r["p_student"] == pytest.approx(st.pvalue, rel=1e-8)
    assert r["df_student"] == len(x) + len(y) - 2
    assert r["t_welch"] == pytest.approx(we.statistic, rel=1e-10)
    assert r["p_welch"] == pytest.approx(we.pvalue, rel=1e-8)
    assert r["df_welch"] == pytest.approx(we.df, rel=1e-10)
    ci = we.confidence_interval(0.95)
    assert r["variant"] == "welch"
    assert (r["diff_ci_low"], r["diff_ci_high"]) == (pytest.approx(ci.low, rel=1e-8), pytest.approx(ci.high, rel=1e-8))


def test_levene_is_mean_centred_as_in_scipy(unequal):
    x, y, r = unequal
    lev = stats.levene(x, y, center="mean")
    assert r["levene_w"] == pytest.approx(lev.statistic)
    assert r["levene_p"] == pytest.approx(lev.pvalue)
    assert r["levene_p"] < 0.05


def test_hedges_g_and_interval_agree_with_pingouin(unequal):
    x, y, r = unequal
    g = pg.compute_effsize(x, y, eftype="hedges")
    ci = pg.compute_esci(stat=g, nx=len(x), ny=len(y), eftype="cohen", decimals=12)
    assert r["hedges_g"] == pytest.approx(g)
    assert r["g_ci_low"] == pytest.approx(ci[0]) and r["g_ci_high"] == pytest.approx(ci[1])
    # not rounded to two decimals (pingouin's default)
    assert r["g_ci_low"] != round(r["g_ci_low"], 2)


def test_auto_variant_follows_levene():
    rng = np.random.default_rng(7)
    x, y = rng.normal(0, 1, 50), rng.normal(0.3, 1, 50)
    r = compare_groups(_frame(x, y), "y", "g").iloc[0]
    assert r["levene_p"] >= 0.05
    assert r["variant"] == "student" and "Student" in r["reason"] and r["t"] == r["t_student"]
    forced = compare_groups(_frame(x, y), "y", "g", variant="welch").iloc[0]
    assert forced["variant"] == "welch" and forced["t"] == forced["t_welch"] and "매개변수" in forced["reason"]


def test_other_confidence_levels_and_alpha():
    x, y = [1.0, 2, 3, 4, 5], [2.0, 4, 6, 8, 11]
    r90 = compare_groups(_frame(x, y), "y", "g", confidence=0.90, variant="welch").iloc[0]
    we = stats.ttest_ind(x, y, equal_var=False).confidence_interval(0.90)
    assert r90["diff_ci_low"] == pytest.approx(we.low) and r90["diff_ci_high"] == pytest.approx(we.high)
    strict = compare_groups(_frame(x, y), "y", "g", alpha=0.01).iloc[0]
    assert not strict["significant"] or strict["p"] < 0.01


def test_rows_outside_the_two_groups_are_ignored():
    df = pd.concat([_frame([1, 2, 3], [4, 5, 6]), pd.DataFrame({"y": [100.0, np.nan], "g": [None, "수행"]})])
    r = compare_groups(df, "y", "g").iloc[0]
    assert (r["n1"], r["n2"], r["mean1"]) == (3, 3, 2.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"variant": "both"}, "variant"),
        ({"alpha": 1.5}, "alpha"),
        ({"confidence": 95}, "confidence"),
        ({"dv": "none"}, "no column"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, message):
    df = _frame([1, 2, 3], [4, 5, 6])
    args = {"dv": "y", **kwargs}
    with pytest.raises(ValueError, match=message):
        compare_groups(df, args.pop("dv"), "g", **args)


def test_a_group_of_one_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        compare_groups(_frame([1.0], [2.0, 3.0]), "y", "g")


def test_stars():
    assert [stars(p) for p in (0.0009, 0.005, 0.04, 0.05, float("nan"))] == ["***", "**", "*", "", ""]


def test_t_from_summary_reproduces_printed_t_of_tab_III_10():
    tests = pd.read_csv(REF / "tab_III_09_20_outcome_tests.csv")
    g = tests[tests["figure_id"] == "표 Ⅲ-10"]
    yes, no = g[g["performed"]].iloc[0], g[~g["performed"]].iloc[0]
    r = t_from_summary(yes.n, yes["mean"], yes.sd, no.n, no["mean"], no.sd)
    # 표 Ⅲ-10 prints -7.655 (sign reversed against its means); Welch's t has the printed size
    assert abs(r["t_welch"]) == pytest.approx(abs(yes.t), abs=0.001)
    assert abs(r["t_student"]) != pytest.approx(abs(yes.t), abs=0.001)


def test_participation_days_of_tab_III_14():
    tests = pd.read_csv(REF / "tab_III_09_20_outcome_tests.csv")
    rates = pd.read_csv(REF / "daily_rates.csv").set_index("unit_type")["daily_wage_won"].to_dict()
    wage = tests[(tests["figure_id"] == "표 Ⅲ-13") & tests["performed"]]["mean"].iloc[0]
    days = participation_days(wage, rates).set_index("unit_type")["days"]
    printed = tests[(tests["figure_id"] == "표 Ⅲ-14") & tests["performed"]].set_index("unit_type")["mean"]
    for unit in ("시장진입형", "사회서비스형"):
        assert float(days[unit]) == pytest.approx(printed[unit], abs=0.05), f"표 Ⅲ-14 {unit}"
    assert float(days["근로유지형"]) == pytest.approx(wage / 30120)


def test_participation_days_rejects_unknown_types_and_bad_rates():
    with pytest.raises(ValueError, match="no daily rate"):
        participation_days(1.0, {"시장진입형": 58660}, types=["근로유지형"])
    with pytest.raises(ValueError, match="positive"):
        participation_days(1.0, {"시장진입형": 0})
