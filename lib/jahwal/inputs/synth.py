"""A synthetic 자활정보시스템 extract calibrated to the 2023 report's published figures.

The real extract is confidential. :func:`generate` builds a participant-level
extract that satisfies the data contract (:mod:`jahwal.inputs.contract`) and, at scale
1 for 2019–2022, reproduces what the report published (``data/reference``):

* every count exactly: intake and assessment by year, 2022 intake, assessment
  and IAP status by province, IAP and ISP status by year;
* per-person counselling by year and by 2022 province (mean, median, maximum,
  standard deviation);
* the 2022 subgroup means of 그림 Ⅲ-1 to Ⅲ-10;
* the post-closure counselling rate of 2022;
* the groups of 표 Ⅲ-9 to Ⅲ-20 (n, mean, standard deviation, and so t).

Everything the report does not publish is chosen plausibly and listed in
:data:`ASSUMPTIONS` (shown in the calibration appendix). The generator is
deterministic: the same scale, seed and years give byte-identical files.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats

from jahwal.inputs.contract import TABLES
from jahwal.vocab import OUTCOMES

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "data" / "reference"
FOCUS_YEAR = 2022
PUBLISHED_YEARS = (2019, 2022)

# ---------------------------------------------------------------- assumptions
#: Distributions and values the report does not publish (shown in the appendix).
ASSUMPTIONS: list[dict[str, str]] = [
    {
        "항목": "2020·2021년 사정 인원",
        "가정": "사정 비율이 2019년 값에서 2022년 값까지 해마다 같은 폭으로 늘어난다고 보고 계산",
        "근거": "그림 Ⅲ-12의 두 해 값만 본문에 있음",
    },
    {
        "항목": "2019–2021년 시도 분포",
        "가정": "2022년 시도별 초기상담·사정·IAP 비율을 그해 전국 합계에 맞추어 배분",
        "근거": "시도별 값은 2022년만 공표",
    },
    {
        "항목": "상담 경험자 수",
        "가정": "초기상담 인원의 약 60%가 한 해 1회 이상 상담을 받는다고 두고, 시도별 비중은 표 Ⅲ-8의 시도 평균으로 전국 평균이 맞도록 조정",
        "근거": "표 Ⅲ-7·Ⅲ-8에 인원 수가 없음",
    },
    {
        "항목": "상담 횟수 분포",
        "가정": "최소 1회, 공표된 중위값을 경계로 아래는 1회부터 중위값까지, 위쪽 꼬리는 거듭제곱 곡선으로 평균·표준편차·최대값을 맞춤",
        "근거": "표 Ⅲ-7·Ⅲ-8은 요약통계만 공표",
    },
    {
        "항목": "참여자 특성의 구성비",
        "가정": "성별·연령·혼인·가구·신용·주거·건강·수급유형·역량점수·사업단 유형의 구성비는 자활사업 일반 현황에 가깝게 임의로 정함(특성끼리는 독립)",
        "근거": "보고서는 범주별 평균 상담횟수만 공표",
    },
    {
        "항목": "공표되지 않은 범주의 평균 상담횟수",
        "가정": "같은 특성의 공표 범주와 전체 평균이 맞도록 남은 범주에 같은 값을 둠(여성이 남성보다 많다는 본문 서술은 유지)",
        "근거": "그림 Ⅲ-1~Ⅲ-10 중 본문에 없는 값",
    },
    {
        "항목": "성과 분석 대상",
        "가정": "2022년 자활근로 참여자 20,286명(표 Ⅲ-9의 두 집단 합)을 초기상담 참여자 가운데에서 뽑고, 다른 해는 초기상담 인원의 같은 비율로 둠",
        "근거": "2022년 외 성과 자료는 공표되지 않음",
    },
    {
        "항목": "IAP 수행 점검 기록",
        "가정": "표 Ⅲ-15·Ⅲ-16의 집단 크기(8,218/1,598)는 표 Ⅲ-10의 IAP 수립 변수로는 나올 수 없어, 실행·점검 단계의 'IAP 수행 점검' 기록(수행/미수행)으로 둠",
        "근거": "표 Ⅲ-15의 제목은 'IAP 수행 여부'",
    },
    {
        "항목": "종결자와 종결 후 상담",
        "가정": "초기상담 인원의 약 40%가 그해 종결되고, 종결 후 상담 비율은 2019년 8.5%에서 2022년 공표값까지 늘어난다고 둠",
        "근거": "그림 Ⅲ-14는 2022년 값만 본문에 있음",
    },
    {
        "항목": "자립성과금·자활급여 분포",
        "가정": "단계 수행 여부의 조합마다 감마 분포를 두고, 공표된 집단별 평균·표준편차에 맞도록 조합별 평균·표준편차를 풀어서 정함",
        "근거": "표 Ⅲ-9~Ⅲ-20은 집단 요약만 공표",
    },
    {
        "항목": "연도 간 연결",
        "가정": "한 해 참여자의 30%는 전년도 참여자가 이어서 참여하고, 재참여 기록(Base ID)이 1% 섞여 있어 첫 기록 규칙으로 걸러짐",
        "근거": "보고서는 Base ID 기준 첫 기록만 사용",
    },
    {
        "항목": "2019–2022년 밖의 연도",
        "가정": "2022년 값을 기준으로 2019–2022년 평균 증가율만큼 인원을 늘리거나 줄이고 비율·분포는 2022년 것을 그대로 씀(외삽)",
        "근거": "공표 자료 밖의 연도",
    },
]

SHARES: dict[str, dict[str, float]] = {
    "sex": {"남성": 0.42, "여성": 0.58},
    "age_band": {
        "20세 미만": 0.02,
        "20-29세": 0.10,
        "30-39세": 0.12,
        "40-49세": 0.21,
        "50-59세": 0.31,
        "60세 이상": 0.24,
    },
    "marital_status": {"미혼": 0.34, "기혼": 0.22, "이혼": 0.33, "사별": 0.06, "별거": 0.05},
    "household_type": {
        "1인가구": 0.48,
        "부부가구": 0.10,
        "노인부부가구": 0.04,
        "한부모가구": 0.17,
        "조손가구": 0.02,
        "새터민가구": 0.02,
        "공동체 가구(시설거주)": 0.03,
        "기타가구": 0.14,
    },
    "credit_status": {
        "신용양호": 0.55,
        "신용회복 진행": 0.10,
        "개인회생": 0.06,
        "파산면책": 0.08,
        "채무불이행": 0.16,
        "전환대출신청 필요": 0.05,
    },
    "housing_stability": {"안정": 0.78, "1년 이내 이주 필요": 0.15, "즉시 이주 필요": 0.07},
    "physical_health": {"양호": 0.38, "보통": 0.42, "허약": 0.20},
    "psychological_health": {"양호": 0.34, "보통": 0.44, "허약": 0.22},
    "mental_illness": {"없음": 0.80, "있음": 0.20},
    "psychological_difficulty": {"없음": 0.70, "있음": 0.30},
    "recipient_type": {
        "조건부수급자": 0.55,
        "일반수급자": 0.15,
        "차상위자": 0.15,
        "자활급여특례자": 0.10,
        "기타": 0.05,
    },
    "capability_band": {"45점 미만": 0.25, "45-59점": 0.35, "60-79점": 0.30, "80점 이상": 0.10},
    "unit_type": {
        "시장진입형": 0.22,
        "사회서비스형": 0.38,
        "근로유지형": 0.30,
        "인턴·도우미형": 0.06,
        "청년자립도전": 0.04,
    },
}
AGE_BANDS = {
    "20세 미만": (16, 19),
    "20-29세": (20, 29),
    "30-39세": (30, 39),
    "40-49세": (40, 49),
    "50-59세": (50, 59),
    "60세 이상": (60, 72),
}
CAPABILITY_BANDS = {"45점 미만": (20, 44), "45-59점": (45, 59), "60-79점": (60, 79), "80점 이상": (80, 100)}
#: report variable name → (participant column, category translation)
FIGURE_VARIABLES: dict[str, tuple[str, dict[str, str]]] = {
    "성별": ("sex", {}),
    "연령대": ("age_band", {}),
    "혼인상태": ("marital_status", {}),
    "가구유형": ("household_type", {}),
    "신용상태": ("credit_status", {}),
    "주거안정": ("housing_stability", {}),
    "신체건강": ("physical_health", {}),
    "심리건강": ("psychological_health", {}),
    "정신질환": ("mental_illness", {}),
    "심리적어려움": ("psychological_difficulty", {}),
    "진입시수급유형": ("recipient_type", {}),
    "자활역량점수": ("capability_band", {}),
    "사업단유형": (
        "unit_type",
        {
            "청년도전자활사업단": "청년자립도전",
            "사회서비스형 사업단": "사회서비스형",
            "시장진입형 사업단": "시장진입형",
        },
    ),
}
#: unpublished-category hints: (variable, category) → offset from the balancing value
CATEGORY_HINTS = {("sex", "여성"): 0.25, ("sex", "남성"): -0.35}
COUNSELLED_SHARE = 0.60
CLOSED_SHARE = 0.40
CONTINUING_SHARE = 0.30
DUPLICATE_SHARE = 0.01
POST_CLOSURE_RATE_2019 = 0.085
OUTCOME_SHARE_OTHER_YEARS = 20286 / 51183


# ---------------------------------------------------------------- reference targets
@dataclass
class Targets:
    """Calibration targets read from ``data/reference``."""

    intake: dict[int, int]
    assessed: dict[int, int | None]
    iap: dict[int, dict[str, int]]
    isp: dict[int, dict[str, int]]
    province: pd.DataFrame  # 2022: province, intake_n, assessed_n, 수립, 미수립, 시스템 미입력
    counselling_year: pd.DataFrame
    counselling_province: pd.DataFrame
    subgroups: pd.DataFrame
    post_closure: dict[int, float | None]
    tests: pd.DataFrame


def read_targets(reference_dir: str | Path = REFERENCE_DIR) -> Targets:
    """Read the published figures that the generator reproduces."""
    ref = Path(reference_dir)
    iap = pd.read_csv(ref / "tab_III_04_iap_by_year.csv")
    iap = iap[~iap["is_total"].astype(bool)]
    iap_y = {int(y): dict(zip(g["status"], g["n"].astype(int))) for y, g in iap.groupby("year")}
    intake = {y: sum(v.values()) for y, v in iap_y.items()}
    isp = pd.read_csv(ref / "tab_III_06_isp_by_year.csv")
    isp = isp[~isp["is_total"].astype(bool)]
    isp_y = {
        int(y): {("수립" if s == "수립" else "시스템 미입력"): int(n) for s, n in zip(g["status"], g["n"])}
        for y, g in isp.groupby("year")
    }
    ia = pd.read_csv(ref / "fig_III_11_12_intake_assessment_by_year.csv")
    assessed = {int(r.year): (None if pd.isna(r.assessed_n) else int(r.assessed_n)) for r in ia.itertuples()}
    for r in ia.itertuples():
        if not pd.isna(r.intake_n) and int(r.intake_n) != intake.get(int(r.year), int(r.intake_n)):
            raise ValueError(
                f"그림 Ⅲ-11과 표 Ⅲ-4의 {r.year}년 초기상담 인원이 다릅니다 / intake differs between figures"
            )
    p3 = pd.read_csv(ref / "tab_III_03_assessment_by_province_2022.csv")
    p3 = p3[~p3["is_total"].astype(bool)][["province", "intake_n", "assessed_n"]]
    p5 = pd.read_csv(ref / "tab_III_05_iap_by_province_2022.csv")
    p5 = p5[~p5["is_total"].astype(bool)].pivot(index="province", columns="status", values="n").reset_index()
    prov = p3.merge(p5, on="province", how="left")
    cy = pd.read_csv(ref / "tab_III_07_counselling_by_year.csv")
    cp = pd.read_csv(ref / "tab_III_08_counselling_by_province_2022.csv")
    cp = cp[~cp["is_total"].astype(bool)]
    sg = pd.read_csv(ref / "fig_III_01_10_counselling_by_characteristic.csv")
    pc = pd.read_csv(ref / "fig_III_14_post_closure_by_year.csv")
    post = {
        int(r.year): (None if pd.isna(r.pct) else float(r.pct) / 100) for r in pc[pc["status"] == "있음"].itertuples()
    }
    tests = pd.read_csv(ref / "tab_III_09_20_outcome_tests.csv")
    return Targets(intake, assessed, iap_y, isp_y, prov, cy, cp, sg, post, tests)


# ---------------------------------------------------------------- small helpers
def largest_remainder(total: int, weights: np.ndarray | list[float]) -> np.ndarray:
    """Split an integer total in proportion to weights (Hamilton's method).

    Examples
    --------
    >>> largest_remainder(10, [1, 1, 1]).tolist()
    [4, 3, 3]
    """
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=int)
    raw = w / w.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="mergesort")
    base[order[:rest]] += 1
    return base


def choose_exact(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of exactly ``k`` items drawn without replacement with the given weights."""
    n = len(weights)
    k = int(min(max(k, 0), n))
    if k == 0:
        return np.array([], dtype=int)
    w = np.clip(np.asarray(weights, dtype=float), 1e-12, None)
    keys = np.log(rng.random(n)) / w  # Efraimidis–Spirakis
    return np.argpartition(-keys, k - 1)[:k]


def _count_pmf(params: np.ndarray, med: int, maximum: int, split: tuple[float | None, float | None]) -> np.ndarray:
    """pmf on 1..maximum: a shifted negative binomial, reweighted around the median."""
    r = np.exp(params[0])
    p = 1 / (1 + np.exp(-params[1]))
    v = np.arange(1, maximum + 1)
    q = stats.nbinom.pmf(v - 1, r, p)
    q = q / q.sum()
    below, above = v < med, v > med
    qa, qb, qm = q[below].sum(), q[above].sum(), q[v == med].sum()
    a = qa if split[0] is None else split[0]
    b = qb if split[1] is None else split[1]
    a = min(a, 0.5 - 1e-3) if below.any() else 0.0
    b = min(b, 0.5 - 1e-3)
    c = 1 - a - b
    out = q.copy()
    if below.any() and qa > 0:
        out[below] *= a / qa
    if qb > 0:
        out[above] *= b / qb
    out[v == med] = c if qm > 0 else c
    return out


def counts_distribution(
    n: int,
    mean: float,
    median: float,
    sd: float,
    maximum: int,
    rng: np.random.Generator,
    above_median: float | None = None,
) -> np.ndarray:
    """Integer counts (min 1) with the median and maximum exact, mean and sd close to the targets.

    A shifted negative binomial on ``1..maximum`` is reweighted so that just under
    half of the mass lies on each side of the median, its two parameters are
    solved for the mean and the standard deviation, and the pmf is turned into
    exactly ``n`` values by largest remainders (one value is the maximum).

    Parameters
    ----------
    above_median : float, optional
        Share of values above the median (just under 0.5 pushes the median up
        when several groups are pooled).

    Examples
    --------
    >>> x = counts_distribution(2000, 4.9, 3, 6.7, 139, np.random.default_rng(0))
    >>> int(np.median(x)), int(x.max()), int(x.min())
    (3, 139, 1)
    """
    if n <= 0:
        return np.zeros(0, dtype=int)
    med, maximum = int(round(median)), int(maximum)
    if n == 1:
        return np.array([med])
    margin = max(1.5 / n, 1e-3)
    split_b = None if above_median is None else min(above_median, 0.5 - margin)
    # one value is the published maximum: fit the other n - 1 values
    m1 = (n * mean - maximum) / (n - 1)
    ex2 = ((n - 1) * sd * sd + n * mean * mean - maximum * maximum) / (n - 1)
    sd1 = math.sqrt(max(ex2 - m1 * m1, 0.05))
    target = np.array([max(m1, 1.0001), sd1])
    top = maximum - 1 if maximum > med else maximum
    v = np.arange(1, top + 1)

    def fit(split):
        def loss(z):
            q = _count_pmf(z, med, top, split)
            mu = (v * q).sum()
            sig = math.sqrt(max((v * v * q).sum() - mu * mu, 1e-12))
            return (np.array([mu, sig]) - target) / target

        best, err = None, np.inf
        for r0 in (-1.0, 0.0, 1.5):
            for p0 in (-2.0, 0.0, 2.0):
                res = optimize.least_squares(loss, np.array([r0, p0]), bounds=([-6, -12], [6, 12]))
                e = float(np.abs(res.fun).max())
                if e < err:
                    best, err = res.x, e
        return best

    z = fit((None, split_b))
    q = _count_pmf(z, med, top, (None, split_b))
    # keep each side of the median strictly under half of the values
    a = q[v < med].sum()
    b = q[v > med].sum()
    q[v < med] *= min(1.0, (0.5 - margin) / a) if a > 0 else 1.0
    q[v > med] *= min(1.0, (0.5 - margin) / b) if b > 0 else 1.0
    q[v == med] += 1 - q.sum()
    counts = largest_remainder(n - 1, q)
    x = np.append(np.repeat(v, counts), maximum)
    x = _polish(x, mean, sd, med, maximum, rng)
    return rng.permutation(x)


def _polish(x: np.ndarray, mean: float, sd: float, med: int, maximum: int, rng: np.random.Generator) -> np.ndarray:
    """Move single units among values above the median to fix the mean, then the spread.

    Values stay above the median and below the maximum, so the median, the
    minimum and the maximum are unchanged.
    """
    x = np.sort(x).astype(int)
    n = len(x)
    last = n - 1  # the one value at the maximum stays
    for _ in range(60):
        diff = int(round(mean * n)) - int(x.sum())
        if diff == 0:
            break
        if diff > 0:
            pool = np.flatnonzero((x > med) & (x < maximum - 1))
        else:
            pool = np.flatnonzero(x > med + 1)
        pool = pool[pool != last]
        if len(pool) == 0:
            break
        k = min(abs(diff), len(pool))
        pick = rng.choice(pool, k, replace=False, p=x[pool] / x[pool].sum())
        x[pick] += 1 if diff > 0 else -1
    for _ in range(60):
        cur = x.std(ddof=1)
        if abs(cur - sd) <= 0.01 * sd:
            break
        upper = np.flatnonzero((x > med + 1) & (np.arange(n) != last))
        if len(upper) < 4:
            break
        order = upper[np.argsort(x[upper], kind="mergesort")]
        half = len(order) // 2
        low_part, high_part = order[:half], order[half:]
        # each pair move changes the sum of squares by about 2 * (x_hi - x_lo)
        gap = abs(sd * sd - cur * cur) * (n - 1)
        spread = max(float(np.mean(x[high_part]) - np.mean(x[low_part])), 1.0)
        k = int(min(max(gap / (2 * spread), 1), half))
        hi = rng.choice(high_part, k, replace=False)
        lo = rng.choice(low_part, k, replace=False)
        if cur < sd:
            ok = x[hi] < maximum - 1
            x[hi[ok]] += 1
            x[lo[ok]] -= 1
        else:
            ok = (x[hi] - 1 > med) & (x[lo] + 1 < maximum)
            x[hi[ok]] -= 1
            x[lo[ok]] += 1
        x[lo] = np.maximum(x[lo], med + 1)
    return x


def summary(x: np.ndarray) -> dict[str, float]:
    return {
        "mean": float(np.mean(x)),
        "median": float(np.median(x)),
        "max": float(np.max(x)),
        "sd": float(np.std(x, ddof=1)),
    }


def assign_categories(
    x: np.ndarray, sizes: dict[str, int], targets: dict[str, float], rng: np.random.Generator, tol: float = 0.004
) -> np.ndarray:
    """Assign categories of the given sizes so that each category's mean of ``x`` hits its target.

    Starts from a random assignment and swaps people between the category whose
    mean is furthest above its target and the one furthest below.
    """
    cats = list(sizes)
    labels = np.repeat(np.arange(len(cats)), [sizes[c] for c in cats])
    labels = rng.permutation(labels)
    x = np.asarray(x, dtype=float)
    tgt = np.array([targets.get(c, np.nan) for c in cats])
    n_k = np.array([sizes[c] for c in cats], dtype=float)
    for _ in range(400):
        sums = np.bincount(labels, weights=x, minlength=len(cats))
        means = sums / np.maximum(n_k, 1)
        gap = (means - tgt) / tgt
        gap = np.where(np.isnan(tgt) | (n_k == 0), 0.0, gap)
        if np.abs(gap).max() <= tol:
            break
        a = int(np.argmax(gap))
        b = int(np.argmin(gap))
        if gap[a] <= tol and gap[b] >= -tol:
            break
        # a has too high a mean: move high values from a to b and low values from b to a
        need = max(
            gap[a] * tgt[a] * n_k[a] if not np.isnan(tgt[a]) else 0,
            -gap[b] * tgt[b] * n_k[b] if not np.isnan(tgt[b]) else 0,
        )
        ia = np.flatnonzero(labels == a)
        ib = np.flatnonzero(labels == b)
        ia = ia[np.argsort(-x[ia], kind="mergesort")]
        ib = ib[np.argsort(x[ib], kind="mergesort")]
        m = min(len(ia), len(ib))
        gain = x[ia[:m]] - x[ib[:m]]
        # random partners to avoid moving only the extremes
        pa = rng.permutation(ia)[:m]
        pb = rng.permutation(ib)[:m]
        gain = x[pa] - x[pb]
        ok = gain > 0
        pa, pb, gain = pa[ok], pb[ok], gain[ok]
        if len(gain) == 0:
            break
        csum = np.cumsum(gain)
        k = int(np.searchsorted(csum, need)) + 1
        k = max(1, min(k, len(gain)))
        labels[pa[:k]] = b
        labels[pb[:k]] = a
    return np.array(cats, dtype=object)[labels]


def category_targets(
    variable: str, shares: dict[str, float], published: dict[str, float], overall: float
) -> dict[str, float]:
    """Mean for every category: published values, the rest balanced to the overall mean."""
    out = dict(published)
    rest = [c for c in shares if c not in published]
    if not rest:  # all published: shift them together so the weighted mean is the overall mean
        implied = sum(shares[c] * published[c] for c in published)
        return {c: v * overall / implied for c, v in published.items()}
    if rest:
        w_pub = sum(shares[c] for c in published)
        w_rest = sum(shares[c] for c in rest)
        balance = (overall - sum(shares[c] * published[c] for c in published)) / w_rest if w_rest else overall
        hints = {c: CATEGORY_HINTS.get((variable, c), 0.0) for c in rest}
        shift = sum(shares[c] * hints[c] for c in rest) / w_rest if w_rest else 0.0
        for c in rest:
            out[c] = max(1.05, balance + hints[c] - shift)
        del w_pub
    return out


# ---------------------------------------------------------------- outcome calibration
def solve_cells(
    cell_n: np.ndarray, groups: list[tuple[np.ndarray, int, float, float]], prior_mean: float, prior_sd: float
) -> tuple[np.ndarray, np.ndarray]:
    """Cell means and standard deviations that reproduce the groups' n, mean and sd.

    ``groups`` holds ``(member cells as a boolean array, n, mean, sd)``. Solved by
    least squares with a weak pull toward the prior so the solution is unique.
    """
    k = len(cell_n)
    groups = [g for g in groups if g[1] >= 2 and cell_n[g[0]].sum() >= 2]
    scale_m, scale_v = prior_mean, prior_sd**2 + prior_mean**2
    G = np.array([mask for mask, *_ in groups], dtype=float)  # groups x cells
    n_g = np.array([g[1] for g in groups], dtype=float)
    first = np.array([g[1] * g[2] for g in groups])
    second = np.array([(g[1] - 1) * g[3] ** 2 + g[1] * g[2] ** 2 for g in groups])
    w1 = 1e3 / (n_g * scale_m)
    w2 = 1e3 / (n_g * scale_v)
    prior_w = 0.05

    def unpack(z):
        return prior_mean * np.exp(z[:k]), prior_sd * np.exp(z[k:])

    def resid(z):
        m, s = unpack(z)
        r1 = w1 * (G @ (cell_n * m) - first)
        r2 = w2 * (G @ ((cell_n - 1) * s**2 + cell_n * m**2) - second)
        cv = s / np.maximum(m, 1)
        return np.concatenate([r1, r2, prior_w * z, 10 * np.clip(cv - 3, 0, None)])

    def jac(z):
        m, s = unpack(z)
        cv = s / np.maximum(m, 1)
        over = (cv > 3).astype(float)
        J = np.zeros((2 * len(groups) + 2 * k + k, 2 * k))
        J[: len(groups), :k] = w1[:, None] * G * (cell_n * m)[None, :]
        J[len(groups) : 2 * len(groups), :k] = w2[:, None] * G * (2 * cell_n * m**2)[None, :]
        J[len(groups) : 2 * len(groups), k:] = w2[:, None] * G * (2 * (cell_n - 1) * s**2)[None, :]
        J[2 * len(groups) : 2 * len(groups) + 2 * k] = prior_w * np.eye(2 * k)
        rows = 2 * len(groups) + 2 * k + np.arange(k)
        J[rows, np.arange(k)] = -10 * cv * over
        J[rows, k + np.arange(k)] = 10 * cv * over
        return J

    res = optimize.least_squares(resid, np.zeros(2 * k), jac=jac, method="lm", max_nfev=4000, x_scale="jac")
    return unpack(res.x)


def gamma_values(n: int, mean: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """``n`` nonnegative values with exactly the given sample mean and sd (gamma-shaped)."""
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.array([mean])
    shape = max((mean / sd) ** 2, 0.3) if sd > 0 else 50.0
    z = rng.gamma(shape, 1.0, n)
    z = (z - z.mean()) / (z.std(ddof=1) or 1.0)
    y = mean + sd * z
    if y.min() < 0:  # keep amounts nonnegative; rescale the spread below the mean
        y = np.clip(y, 0, None)
        for _ in range(50):
            y = mean + (y - y.mean()) * (sd / (y.std(ddof=1) or 1.0))
            if y.min() >= 0:
                break
            y = np.clip(y, 0, None)
    return y


# ---------------------------------------------------------------- the generator
def _year_plan(t: Targets, years: tuple[int, int], scale: float) -> pd.DataFrame:
    """Intake, assessment, IAP, ISP, closure, counselled and outcome counts per year."""
    rows = []
    y_pub = sorted(t.intake)
    growth = (t.intake[y_pub[-1]] / t.intake[y_pub[0]]) ** (1 / (y_pub[-1] - y_pub[0])) if len(y_pub) > 1 else 1.0
    r19 = t.assessed[y_pub[0]] / t.intake[y_pub[0]]
    r22 = t.assessed[y_pub[-1]] / t.intake[y_pub[-1]]
    for y in range(years[0], years[1] + 1):
        base_y = min(max(y, y_pub[0]), y_pub[-1])
        factor = growth ** (y - base_y)
        intake = t.intake[base_y] * factor
        published_assessed = t.assessed.get(y) if y in t.intake else None
        rate = (
            published_assessed / t.intake[y]
            if published_assessed
            else (r19 + (r22 - r19) * (base_y - y_pub[0]) / (y_pub[-1] - y_pub[0]))
        )
        n = int(round(intake * scale))
        iap = t.iap[base_y]
        iap_n = largest_remainder(n, [iap["수립"], iap["미수립"], iap["시스템 미입력"]])
        isp = t.isp[base_y]
        isp_s = int(round(isp["수립"] * n / t.intake[base_y]))
        post = t.post_closure.get(y)
        if post is None:
            p22 = t.post_closure.get(FOCUS_YEAR) or 0.14
            post = POST_CLOSURE_RATE_2019 + (p22 - POST_CLOSURE_RATE_2019) * (min(max(y, 2019), 2022) - 2019) / 3
        rows.append(
            {
                "year": y,
                "intake": n,
                "assessed": published_assessed if (published_assessed and scale == 1) else int(round(rate * n)),
                "iap_수립": int(iap_n[0]),
                "iap_미수립": int(iap_n[1]),
                "iap_시스템 미입력": int(iap_n[2]),
                "isp_수립": isp_s,
                "closed": int(round(CLOSED_SHARE * n)),
                "post_rate": post,
                "outcome": int(round(OUTCOME_SHARE_OTHER_YEARS * n)),
                "counselled": int(round(COUNSELLED_SHARE * n)),
                "published": y in t.intake,
            }
        )
    return pd.DataFrame(rows)


def _province_quota(t: Targets, plan_row: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """Counts per province for one year: exact 2022 table at scale 1, else proportional."""
    prov = t.province.copy()
    exact = plan_row["year"] == FOCUS_YEAR and plan_row["intake"] == prov["intake_n"].sum()
    if exact:
        q = prov.rename(columns={"intake_n": "intake", "assessed_n": "assessed"})
        return q[["province", "intake", "assessed", "수립", "미수립", "시스템 미입력"]].reset_index(drop=True)
    n = int(plan_row["intake"])
    intake = largest_remainder(n, prov["intake_n"].values)
    assessed = largest_remainder(
        int(plan_row["assessed"]), prov["assessed_n"].values / prov["intake_n"].values * intake
    )
    assessed = np.minimum(assessed, intake)
    # fix the total after capping
    diff = int(plan_row["assessed"]) - assessed.sum()
    if diff:
        room = intake - assessed
        add = largest_remainder(diff, room) if diff > 0 else -largest_remainder(-diff, assessed)
        assessed = assessed + add
    out = pd.DataFrame({"province": prov["province"].values, "intake": intake, "assessed": assessed})
    mi = largest_remainder(int(plan_row["iap_미수립"]), prov["미수립"].values / prov["intake_n"].values * intake)
    mi = np.minimum(mi, intake)
    su = largest_remainder(int(plan_row["iap_수립"]), prov["수립"].values / prov["intake_n"].values * intake)
    su = np.minimum(su, intake - mi)
    deficit = int(plan_row["iap_수립"]) - su.sum()
    if deficit > 0:
        su = su + largest_remainder(deficit, intake - mi - su)
    out["수립"] = su
    out["미수립"] = mi
    out["시스템 미입력"] = intake - su - mi
    return out


def _build_year(
    t: Targets, row: pd.Series, rng: np.random.Generator, scale: float, prev: pd.DataFrame | None, next_pid: int
) -> tuple[dict[str, pd.DataFrame], int]:
    y = int(row["year"])
    quota = _province_quota(t, row, rng)
    n = int(quota["intake"].sum())
    province = np.repeat(quota["province"].values, quota["intake"].values)
    # persons: continuing from last year, the rest new
    n_cont = int(round(CONTINUING_SHARE * n)) if prev is not None else 0
    pid = np.empty(n, dtype=np.int64)
    months_prev = np.zeros(n, dtype=int)
    cont_idx = rng.choice(n, n_cont, replace=False) if n_cont else np.array([], dtype=int)
    if n_cont:
        src = rng.choice(len(prev), min(n_cont, len(prev)), replace=False)
        pid[cont_idx[: len(src)]] = prev["pid"].values[src]
        months_prev[cont_idx[: len(src)]] = prev["participation_months"].values[src]
        cont_idx = cont_idx[: len(src)]
    new_mask = np.ones(n, dtype=bool)
    new_mask[cont_idx] = False
    n_new = int(new_mask.sum())
    pid[new_mask] = np.arange(next_pid, next_pid + n_new)
    next_pid += n_new
    doy = rng.integers(0, 365 if y % 4 else 366, n)
    intake_date = pd.Timestamp(f"{y}-01-01") + pd.to_timedelta(doy, unit="D")
    start_month = intake_date.month.values
    months = np.where(new_mask, 13 - start_month, months_prev + 12)
    if prev is None:  # the first year: some people already had earlier spells
        earlier = rng.geometric(1 / 14, n) - 1
        months = months + np.where(rng.random(n) < 0.35, earlier, 0)
    df = pd.DataFrame(
        {"pid": pid, "year": y, "province": province, "intake_date": intake_date, "participation_months": months}
    )

    # assessment: exact per province
    assessed = np.zeros(n, dtype=bool)
    iap = np.empty(n, dtype=object)
    start = 0
    for q in quota.itertuples(index=False):
        idx = np.arange(start, start + q.intake)
        a_idx = rng.choice(idx, q.assessed, replace=False)
        assessed[a_idx] = True
        # IAP status: 수립 preferably among the assessed
        w = np.where(assessed[idx], 3.0, 1.0)
        s_idx = idx[choose_exact(rng, w, q.수립)]
        iap[idx] = "시스템 미입력"
        iap[s_idx] = "수립"
        rest = idx[iap[idx] == "시스템 미입력"]
        m_idx = rest[choose_exact(rng, np.where(assessed[rest], 2.0, 1.0), q.미수립)]
        iap[m_idx] = "미수립"
        start += q.intake
    df["assessed"] = assessed
    df["iap_status"] = iap
    return {"persons": df, "quota": quota}, next_pid


def generate(
    scale: float = 1.0,
    seed: int = 20230101,
    years: tuple[int, int] = (2019, 2022),
    reference_dir: str | Path = REFERENCE_DIR,
) -> dict[str, pd.DataFrame]:
    """Generate the four contract tables (English column aliases).

    Parameters
    ----------
    scale : float
        Multiplies every person count (1 reproduces the report).
    seed : int
        Random seed; the same seed gives the same extract.
    years : (int, int)
        First and last year; years outside 2019–2022 are extrapolated.
    reference_dir : path
        The published figures to calibrate to.

    Returns
    -------
    dict of DataFrame
        ``participants``, ``stages``, ``counselling``, ``outcomes``.
    """
    if scale <= 0:
        raise ValueError("scale는 0보다 커야 합니다 / scale must be positive")
    if years[0] > years[1]:
        raise ValueError("years의 처음이 끝보다 늦습니다 / years must be (first, last)")
    t = read_targets(reference_dir)
    plan = _year_plan(t, years, scale)
    rng = np.random.default_rng(seed)
    all_persons, prev, next_pid = [], None, 1
    for _, row in plan.iterrows():
        built, next_pid = _build_year(t, row, rng, scale, prev, next_pid)
        persons = built["persons"]
        _stage_details(persons, row, t, rng)
        _outcome_population(persons, row, t, rng, scale)
        _counselling_counts(persons, row, t, rng, scale)
        _characteristics(persons, row, t, rng, scale)
        _outcome_values(persons, row, t, rng, scale)
        all_persons.append(persons)
        prev = persons
    persons = pd.concat(all_persons, ignore_index=True)
    return _to_tables(persons, rng)


def _stage_details(df: pd.DataFrame, row: pd.Series, t: Targets, rng: np.random.Generator) -> None:
    n = len(df)
    y = int(row["year"])
    # ISP: among IAP 수립 first
    isp = np.full(n, "시스템 미입력", dtype=object)
    w = np.where(df["iap_status"].values == "수립", 5.0, 1.0)
    isp[choose_exact(rng, w, int(row["isp_수립"]))] = "수립"
    df["isp_status"] = isp
    # closure
    closed = np.zeros(n, dtype=bool)
    closed[choose_exact(rng, np.ones(n), int(row["closed"]))] = True
    df["closed"] = closed
    year_end = pd.Timestamp(f"{y}-12-31")
    span = (year_end - df["intake_date"]).dt.days.values
    df["assessment_offset"] = (rng.random(n) * np.minimum(span, 60)).astype(int)
    df["closure_offset"] = (span * (0.4 + 0.6 * rng.random(n))).astype(int)
    df["post"] = None


def _outcome_population(df: pd.DataFrame, row: pd.Series, t: Targets, rng: np.random.Generator, scale: float) -> None:
    """Choose the 자활근로 participants and their stage indicators (exact at 2022, scale 1)."""
    n = len(df)
    y = int(row["year"])
    g = _test_groups(t, y, scale, row)
    total = g["total"]
    iap = df["iap_status"].values
    assessed = df["assessed"].values
    chosen = np.zeros(n, dtype=bool)
    # quotas per IAP status, then the assessed share inside each status
    q_iap = {"수립": g["iap_수립"], "미수립": g["iap_미수립"]}
    q_iap["시스템 미입력"] = total - q_iap["수립"] - q_iap["미수립"]
    avail = {s: (iap == s) for s in q_iap}
    share = {s: assessed[avail[s]].mean() if avail[s].any() else 0 for s in q_iap}
    raw = np.array([q_iap[s] * share[s] for s in q_iap])
    want_a = g["assessed"]
    k = want_a / raw.sum() if raw.sum() else 0
    a_quota = largest_remainder(want_a, raw * k)
    for (s, q), qa in zip(q_iap.items(), a_quota):
        ia = np.flatnonzero(avail[s] & assessed)
        iu = np.flatnonzero(avail[s] & ~assessed)
        qa = int(min(qa, len(ia), q))
        qu = int(min(q - qa, len(iu)))
        qa = int(min(q - qu, len(ia)))
        chosen[rng.choice(ia, qa, replace=False)] = True
        chosen[rng.choice(iu, qu, replace=False)] = True
    df["outcome"] = chosen
    idx = np.flatnonzero(chosen)
    # individual counselling among the chosen: more likely when assessed
    w = np.where(assessed[idx], 1.6, 1.0)
    couns = np.zeros(n, dtype=bool)
    couns[idx[choose_exact(rng, w, g["counselled"])]] = True
    df["outcome_counselled"] = couns
    # IAP monitoring: 수행 among 수립, 미수행 among 미수립
    mon = np.full(n, "시스템 미입력", dtype=object)
    for s, target, label in (("수립", g["mon_수행"], "수행"), ("미수립", g["mon_미수행"], "미수행")):
        pool = np.flatnonzero(chosen & (iap == s))
        mon[pool[choose_exact(rng, np.ones(len(pool)), target)]] = label
        rest = np.flatnonzero(~chosen & (iap == s))
        share_mon = target / max(len(pool), 1)
        mon[rest[choose_exact(rng, np.ones(len(rest)), int(round(share_mon * len(rest))))]] = label
    df["iap_monitoring"] = mon
    # closure inside the outcome population: exact; outside: the rest of the year's closures
    closed = df["closed"].values.copy()
    n_closed_total = int(closed.sum())
    closed[:] = False
    c_in = idx[choose_exact(rng, np.ones(len(idx)), g["closed"])]
    closed[c_in] = True
    out_idx = np.flatnonzero(~chosen)
    c_out = out_idx[choose_exact(rng, np.ones(len(out_idx)), max(n_closed_total - g["closed"], 0))]
    closed[c_out] = True
    df["closed"] = closed
    post = np.full(n, None, dtype=object)
    post[closed] = "없음"
    post[c_in[choose_exact(rng, np.ones(len(c_in)), g["post"])]] = "있음"
    total_post = int(round(row["post_rate"] * closed.sum()))
    post[c_out[choose_exact(rng, np.ones(len(c_out)), max(total_post - g["post"], 0))]] = "있음"
    df["post"] = post


def _test_groups(t: Targets, year: int, scale: float, row: pd.Series) -> dict[str, int]:
    """Group sizes of the outcome tests for one year (published for 2022)."""
    tests = t.tests

    def n_of(fig, performed):
        r = tests[(tests["figure_id"] == fig) & (tests["performed"] == performed)]
        return int(r["n"].iloc[0])

    base = {
        "total": n_of("표 Ⅲ-9", True) + n_of("표 Ⅲ-9", False),
        "assessed": n_of("표 Ⅲ-9", True),
        "iap_수립": n_of("표 Ⅲ-10", True),
        "iap_미수립": n_of("표 Ⅲ-10", False),
        "mon_수행": n_of("표 Ⅲ-15", True),
        "mon_미수행": n_of("표 Ⅲ-15", False),
        "counselled": n_of("표 Ⅲ-11", True),
        "closed": n_of("표 Ⅲ-12", True) + n_of("표 Ⅲ-12", False),
        "post": n_of("표 Ⅲ-12", True),
    }
    if year == FOCUS_YEAR and scale == 1:
        return base
    factor = int(row["outcome"]) / base["total"]
    out = {k: int(round(v * factor)) for k, v in base.items()}
    out["total"] = int(row["outcome"])
    return out


def _counselling_counts(df: pd.DataFrame, row: pd.Series, t: Targets, rng: np.random.Generator, scale: float) -> None:
    """Counselling events per person (exact medians and maxima; mean and sd close)."""
    y = int(row["year"])
    n = len(df)
    counts = np.zeros(n, dtype=int)
    cy = t.counselling_year.set_index("year")
    base_y = min(max(y, int(cy.index.min())), int(cy.index.max()))
    must = df["outcome_counselled"].values
    never = df["outcome"].values & ~must
    if y == FOCUS_YEAR or base_y == FOCUS_YEAR:
        cp = t.counselling_province.set_index("province")
        intake = df.groupby("province").size()
        target_mean = float(cy.loc[base_y, "mean"])
        provs = [p for p in cp.index if p in intake.index]
        m = cp.loc[provs, "mean"].values
        w0 = intake.loc[provs].values.astype(float)
        must_p = df.loc[must].groupby("province").size().reindex(provs).fillna(0).values
        avail_p = df.loc[~never].groupby("province").size().reindex(provs).fillna(0).values.astype(int)
        total = int(round(COUNSELLED_SHARE * n))

        def k_for(theta):
            w = w0 * np.exp(theta * (m - m.mean()))
            return np.minimum(np.maximum(largest_remainder(total, w), must_p.astype(int)), avail_p)

        def gap(theta):
            k = k_for(theta)
            return (k * m).sum() / k.sum() - target_mean

        try:
            theta = optimize.brentq(gap, -3, 3)
        except ValueError:
            theta = 0.0
        k = k_for(theta)
        for p, kp in zip(provs, k):
            rowp = cp.loc[p]
            push = 0.5 if rowp["median"] < cy.loc[base_y, "median"] else None
            vals = counts_distribution(
                int(kp), rowp["mean"], rowp["median"], rowp["sd"], int(rowp["max"]), rng, above_median=push
            )
            pool = np.flatnonzero((df["province"].values == p))
            forced = pool[must[pool]]
            free = pool[~must[pool] & ~never[pool]]
            extra = rng.choice(free, int(kp) - len(forced), replace=False)
            who = np.concatenate([forced, extra])
            counts[who] = vals
        # the national median must be the published value: move people at the boundary
        _fix_median(counts, int(cy.loc[base_y, "median"]), rng)
    else:
        r = cy.loc[base_y]
        total = int(round(COUNSELLED_SHARE * n))
        pool_free = np.flatnonzero(~must & ~never)
        who = np.concatenate([np.flatnonzero(must), rng.choice(pool_free, total - int(must.sum()), replace=False)])
        counts[who] = counts_distribution(len(who), r["mean"], r["median"], r["sd"], int(r["max"]), rng)
    df["counselling_n"] = counts


def _fix_median(counts: np.ndarray, median: int, rng: np.random.Generator) -> None:
    """Nudge values across the median so the median of positive counts equals ``median``."""
    pos = np.flatnonzero(counts > 0)
    for _ in range(50):
        med = np.median(counts[pos])
        if med == median:
            return
        if med < median:  # too many small values: raise some values equal to median-1 to median
            cand = pos[counts[pos] == median - 1] if median > 1 else pos[counts[pos] < median]
            need = int((counts[pos] < median).sum() - len(pos) / 2) + 1
            pick = rng.choice(cand, min(max(need, 1), len(cand)), replace=False)
            counts[pick] = median
        else:
            cand = pos[counts[pos] == median + 1]
            need = int((counts[pos] > median).sum() - len(pos) / 2) + 1
            pick = rng.choice(cand, min(max(need, 1), len(cand)), replace=False)
            counts[pick] = median


def _characteristics(df: pd.DataFrame, row: pd.Series, t: Targets, rng: np.random.Generator, scale: float) -> None:
    n = len(df)
    y = int(row["year"])
    counselled = df["counselling_n"].values > 0
    calibrate = y == FOCUS_YEAR
    sg = t.subgroups
    x = df["counselling_n"].values.astype(float)
    overall = x[counselled].mean() if counselled.any() else 0
    for var, shares in SHARES.items():
        cats = list(shares)
        values = np.empty(n, dtype=object)
        pool = np.arange(n) if var != "unit_type" else np.flatnonzero(df["outcome"].values)
        if var == "unit_type":
            values[:] = None
        report_var = next((k for k, (col, _) in FIGURE_VARIABLES.items() if col == var), None)
        if calibrate and report_var is not None:
            translate = FIGURE_VARIABLES[report_var][1]
            pub = sg[(sg["variable"] == report_var) & sg["mean_counselling"].notna()]
            published = {translate.get(c, c): float(v) for c, v in zip(pub["category"], pub["mean_counselling"])}
            cal = pool[counselled[pool]]
            sizes = dict(zip(cats, largest_remainder(len(cal), [shares[c] for c in cats])))
            target = category_targets(var, shares, published, float(x[cal].mean()) if len(cal) else overall)
            values[cal] = assign_categories(x[cal], sizes, target, rng)
            rest = pool[~counselled[pool]]
        else:
            rest = pool
        values[rest] = rng.choice(np.array(cats, dtype=object), len(rest), p=np.array([shares[c] for c in cats]))
        df[var] = values
    # numeric encodings of bands
    lo = np.array([AGE_BANDS[b][0] for b in df["age_band"]])
    hi = np.array([AGE_BANDS[b][1] for b in df["age_band"]])
    df["birth_year"] = y - (lo + (rng.random(n) * (hi - lo + 1)).astype(int))
    lo = np.array([CAPABILITY_BANDS[b][0] for b in df["capability_band"]])
    hi = np.array([CAPABILITY_BANDS[b][1] for b in df["capability_band"]])
    df["capability_score"] = lo + (rng.random(n) * (hi - lo + 1)).astype(int)


def _outcome_values(df: pd.DataFrame, row: pd.Series, t: Targets, rng: np.random.Generator, scale: float) -> None:
    """자립성과금 and 자활급여 for the outcome population, calibrated to 표 Ⅲ-9 to Ⅲ-20."""
    sel = np.flatnonzero(df["outcome"].values)
    sub = df.iloc[sel]
    cell_key = (
        sub["assessed"].astype(int).astype(str)
        + "|"
        + sub["iap_status"].astype(str)
        + "|"
        + sub["iap_monitoring"].astype(str)
        + "|"
        + sub["outcome_counselled"].astype(int).astype(str)
        + "|"
        + sub["post"].fillna("미종결").astype(str)
    ).values
    cells, inv = np.unique(cell_key, return_inverse=True)
    cell_n = np.bincount(inv).astype(float)
    parts = [c.split("|") for c in cells]
    member = {
        ("사정", True): np.array([p[0] == "1" for p in parts]),
        ("사정", False): np.array([p[0] == "0" for p in parts]),
        ("IAP", True): np.array([p[1] == "수립" for p in parts]),
        ("IAP", False): np.array([p[1] == "미수립" for p in parts]),
        ("IAP수행", True): np.array([p[2] == "수행" for p in parts]),
        ("IAP수행", False): np.array([p[2] == "미수행" for p in parts]),
        ("개별상담", True): np.array([p[3] == "1" for p in parts]),
        ("개별상담", False): np.array([p[3] == "0" for p in parts]),
        ("종결후상담", True): np.array([p[4] == "있음" for p in parts]),
        ("종결후상담", False): np.array([p[4] == "없음" for p in parts]),
    }
    tests = t.tests[t.tests["outcome"].isin(list(OUTCOMES.values()))]
    for column, outcome in OUTCOMES.items():
        groups = []
        for r in tests[tests["outcome"] == outcome].itertuples():
            stage = r.stage
            if outcome == "자활급여" and stage == "IAP":
                stage = "IAP수행"
            mask = member[(stage, bool(r.performed))]
            n_cells = int(cell_n[mask].sum())
            groups.append((mask, n_cells, float(r.mean), float(r.sd)))
        prior_mean = float(np.mean([g[2] for g in groups]))
        prior_sd = float(np.mean([g[3] for g in groups]))
        m, s = solve_cells(cell_n, groups, prior_mean, prior_sd)
        values = np.zeros(len(sel))
        for c in range(len(cells)):
            where = np.flatnonzero(inv == c)
            values[where] = gamma_values(len(where), m[c], s[c], rng)
        df.loc[df.index[sel], column] = np.round(values, 0)
    # 사업단 type is already assigned; keep wages consistent with a plausible day count
    df["incentive"] = df.get("incentive")
    df["wage"] = df.get("wage")


def _to_tables(p: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Person-years → the four contract tables."""
    pid = p["pid"].map(lambda i: f"P{i:08d}")
    n = len(p)
    base = pd.DataFrame(
        {
            "base_id": [f"B{i:09d}" for i in range(1, n + 1)],
            "person_id": pid.values,
            "year": p["year"].values,
            "entry_date": p["intake_date"].dt.strftime("%Y-%m-%d").values,
            "province": p["province"].values,
            "sex": p["sex"].values,
            "birth_year": p["birth_year"].values,
            "marital_status": p["marital_status"].values,
            "household_type": p["household_type"].values,
            "credit_status": p["credit_status"].values,
            "housing_stability": p["housing_stability"].values,
            "physical_health": p["physical_health"].values,
            "psychological_health": p["psychological_health"].values,
            "mental_illness": p["mental_illness"].values,
            "psychological_difficulty": p["psychological_difficulty"].values,
            "recipient_type": p["recipient_type"].values,
            "capability_score": p["capability_score"].values,
            "participation_months": p["participation_months"].values,
        }
    )
    # re-entries in the same year (dropped by the first-entry rule)
    n_dup = int(round(DUPLICATE_SHARE * n))
    dup_idx = rng.choice(n, n_dup, replace=False)
    dup = base.iloc[np.sort(dup_idx)].copy()
    later = pd.to_datetime(dup["entry_date"]) + pd.to_timedelta(rng.integers(1, 90, n_dup), unit="D")
    year_end = pd.to_datetime(dup["year"].astype(str) + "-12-31")
    dup["entry_date"] = later.where(later <= year_end, year_end).dt.strftime("%Y-%m-%d").values
    dup["base_id"] = [f"B{i:09d}" for i in range(n + 1, n + n_dup + 1)]
    participants = pd.concat([base, dup], ignore_index=True)
    order = rng.permutation(len(participants))
    participants = participants.iloc[order].reset_index(drop=True)

    year_end = pd.to_datetime(p["year"].astype(str) + "-12-31")
    assess_date = p["intake_date"] + pd.to_timedelta(p["assessment_offset"], unit="D")
    close_date = p["intake_date"] + pd.to_timedelta(p["closure_offset"], unit="D")
    stages = pd.DataFrame(
        {
            "person_id": pid.values,
            "year": p["year"].values,
            "intake_date": p["intake_date"].dt.strftime("%Y-%m-%d").values,
            "assessment_date": assess_date.where(p["assessed"] & (assess_date <= year_end))
            .dt.strftime("%Y-%m-%d")
            .values,
            "iap_status": p["iap_status"].values,
            "iap_monitoring": p["iap_monitoring"].values,
            "isp_status": p["isp_status"].values,
            "closure_date": close_date.where(p["closed"] & (close_date <= year_end)).dt.strftime("%Y-%m-%d").values,
            "post_closure_counselling": p["post"].values,
        }
    )
    # counselling events: dates between intake and the end of the year (categoricals keep memory low)
    reps = p["counselling_n"].values
    ev_person = np.repeat(np.arange(n), reps)
    start = p["intake_date"].values.astype("datetime64[D]").astype(np.int64)[ev_person]
    span = year_end.values.astype("datetime64[D]").astype(np.int64)[ev_person] - start
    day = start + (rng.random(len(ev_person)) * (span + 1)).astype(np.int64)
    kind_code = np.where(rng.random(len(ev_person)) < 0.82, 0, np.where(rng.random(len(ev_person)) < 0.6, 1, 2)).astype(
        np.int8
    )
    # every counselled person has at least one individual session
    first = np.r_[0, np.cumsum(reps)[:-1]][reps > 0]
    kind_code[first] = 0
    uniq_pid, pid_code = np.unique(p["pid"].values, return_inverse=True)
    ev_pid = pid_code[ev_person]
    order = np.lexsort((ev_pid, day))
    days, day_code = np.unique(day[order], return_inverse=True)
    counselling = pd.DataFrame(
        {
            "person_id": pd.Categorical.from_codes(ev_pid[order], categories=[f"P{i:08d}" for i in uniq_pid]),
            "date": pd.Categorical.from_codes(day_code, categories=pd.to_datetime(days, unit="D").strftime("%Y-%m-%d")),
            "kind": pd.Categorical.from_codes(kind_code[order], categories=["개별상담", "집단상담", "전화상담"]),
        }
    )
    del ev_person, start, span, day, kind_code, order, ev_pid
    o = p[p["outcome"]]
    outcomes = pd.DataFrame(
        {
            "person_id": pid[p["outcome"]].values,
            "year": o["year"].values,
            "unit_type": o["unit_type"].values,
            "incentive": o["incentive"].astype(float).values,
            "wage": o["wage"].astype(float).values,
        }
    )
    return {"participants": participants, "stages": stages, "counselling": counselling, "outcomes": outcomes}


# ---------------------------------------------------------------- writing
def write_extract(
    out: str | Path,
    scale: float = 1.0,
    seed: int = 20230101,
    years: tuple[int, int] = (2019, 2022),
    reference_dir: str | Path = REFERENCE_DIR,
    fmt: str = "csv",
) -> list[Path]:
    """Generate and write an extract with Korean column names (as a real extract would have).

    The folder is written atomically: a new folder is filled and then swapped in.
    """
    import shutil

    tables = generate(scale=scale, seed=seed, years=tuple(years), reference_dir=reference_dir)
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    files = []
    for alias, df in tables.items():
        table = TABLES[alias]
        named = df.rename(columns={c.alias: c.name for c in table.columns})
        path = tmp / f"{alias}.{fmt}"
        if fmt == "csv":
            named.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        elif fmt == "parquet":
            named.to_parquet(path, index=False)
        elif fmt == "xlsx":
            named.to_excel(path, index=False, engine="openpyxl")
        else:
            raise ValueError(f"지원하지 않는 형식 / unsupported format: {fmt}")
        files.append(out / path.name)
    meta = {
        "generator": "jahwal.inputs.synth",
        "scale": scale,
        "seed": seed,
        "years": list(years),
        "rows": {k: int(len(v)) for k, v in tables.items()},
    }
    (tmp / "README.md").write_text(
        "# 합성 추출 자료\n\n이 폴더는 `jahwal synth`가 만든 합성 자료입니다. 실제 자활정보시스템 자료가 아닙니다.\n\n"
        f"```json\n{json.dumps(meta, ensure_ascii=False, indent=1)}\n```\n",
        encoding="utf-8",
    )
    if out.exists():
        old = out.with_name(out.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(out)
    return files


def assumptions_table() -> pd.DataFrame:
    """The generator's assumptions as a table (for the calibration appendix)."""
    return pd.DataFrame(ASSUMPTIONS)
