"""Reproduction audit: recompute the report's published figures from each other.

Every figure that the 2023 report publishes and that follows from other
published figures (a rate from its counts, a total from its rows, a *t* from
group sizes, means and standard deviations, participation days from a wage
divided by the daily rate, a number the prose repeats from a table) is
recomputed and compared with the printed value.

Which figures relate to which, and how, is *data*: ``audit_checks.yml`` in the
reference folder lists the checks as a kind plus selectors (file, row filters,
column). This module only interprets those selectors, so a new year's
reference folder is audited by editing that file, not this code.

Verdicts
--------
``일치``
    The printed value equals the recomputed one within its printed precision.
``반올림 차이``
    Off by more than half a unit of the last printed digit but not more than
    ``rounding_band`` half-units (truncation instead of rounding, rounding of
    an intermediate result).
``불일치``
    A real disagreement. ``cause`` names the likely reason, one of
    :data:`CAUSES`.
``점검 불가``
    A value the check needs is missing (file, row, column or an unpublished
    cell); ``detail`` says which.
"""
from __future__ import annotations

import argparse
import itertools
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml
from scipy import stats

__all__ = [
    "CAUSES",
    "COLUMNS",
    "VERDICTS",
    "default_reference_dir",
    "load_checks",
    "main",
    "mismatch_table",
    "printed_decimals",
    "rounding_tolerance",
    "run_audit",
    "summarise",
    "summary_table",
    "verdict_for",
]

#: Verdicts in display order.
VERDICTS = ("일치", "반올림 차이", "불일치", "점검 불가")
#: Allowed causes of a ``불일치`` verdict.
CAUSES = ("부호", "행·라벨 뒤바뀜", "행 복사", "본문·표 불일치", "반올림", "검정 방식")
#: Columns of the frame returned by :func:`run_audit`.
COLUMNS = (
    "check_id", "figure_id", "kind", "description", "printed", "recomputed",
    "difference", "tolerance", "verdict", "cause", "detail",
)
KINDS = ("ratio", "equal", "difference", "ttest", "stars")
AGGREGATES = ("one", "sum", "min", "max", "mean")
CHECKS_FILE = "audit_checks.yml"
_EPS = 1e-9
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Unavailable(Exception):
    """A value a check needs is not in the reference folder (verdict 점검 불가)."""


# ---------------------------------------------------------------- precision
def printed_decimals(text: Any) -> int:
    """Number of decimals a value was printed with.

    Thousands separators, ``%`` and surrounding spaces are ignored.

    Parameters
    ----------
    text : str or number
        The value as printed (a number is converted with ``str``).

    Returns
    -------
    int
        Digits after the decimal point (0 for an integer).

    Examples
    --------
    >>> printed_decimals("30.80")
    2
    >>> printed_decimals("1,528,910.64")
    2
    >>> printed_decimals("216")
    0
    """
    s = str(text).strip().replace(",", "").rstrip("%")
    if s == "":
        raise ValueError("빈 값의 자릿수는 알 수 없습니다 / empty value has no precision")
    _to_float(s)
    return len(s.split(".", 1)[1]) if "." in s else 0


def rounding_tolerance(text: Any, band: float = 1.0) -> float:
    """Largest difference explained by rounding a value to its printed digits.

    Parameters
    ----------
    text : str or number
        The value as printed.
    band : float, default 1.0
        Multiple of the half unit of the last printed digit.

    Returns
    -------
    float
        ``band * 0.5 * 10**-k`` where *k* is :func:`printed_decimals`.

    Examples
    --------
    >>> rounding_tolerance("30.80")
    0.005
    >>> rounding_tolerance("183.3", band=2)
    0.1
    """
    if not isinstance(band, (int, float)) or band <= 0:
        raise ValueError(f"band는 양수여야 합니다 / band must be positive, got {band!r}")
    return band * 0.5 * 10.0 ** (-printed_decimals(text))


def verdict_for(printed: Any, recomputed: float, *, input_tolerance: float = 0.0,
                band: float = 2.0) -> tuple[str, float, float]:
    """Compare one printed value with its recomputation.

    Parameters
    ----------
    printed : str or number
        The value as printed; its decimals set the tolerance.
    recomputed : float
        The value recomputed from other printed figures.
    input_tolerance : float, default 0.0
        Extra slack from rounding of the inputs (propagated by the caller).
    band : float, default 2.0
        Half-units of the last printed digit within which a difference counts
        as ``반올림 차이`` rather than ``불일치``.

    Returns
    -------
    tuple of (str, float, float)
        Verdict (``일치``, ``반올림 차이`` or ``불일치``), difference
        ``printed - recomputed`` and the tolerance used for ``일치``.

    Examples
    --------
    >>> verdict_for("42.75", 22108 / 51709 * 100)[0]
    '일치'
    >>> verdict_for("183.3", 10756663.21 / 58660)[0]
    '반올림 차이'
    >>> verdict_for("183.4", 10711448.74 / 58660)[0]
    '불일치'
    """
    if band < 1:
        raise ValueError(f"band는 1 이상이어야 합니다 / band must be >= 1, got {band!r}")
    if input_tolerance < 0 or not math.isfinite(input_tolerance):
        raise ValueError("input_tolerance는 0 이상의 유한값이어야 합니다 / must be finite and >= 0")
    value = _to_float(printed)
    if not math.isfinite(recomputed):
        raise ValueError("재계산 값이 유한하지 않습니다 / recomputed value is not finite")
    diff = value - recomputed
    eps = _EPS * max(1.0, abs(value))
    tol = rounding_tolerance(printed) + input_tolerance + eps
    if abs(diff) <= tol:
        return "일치", diff, tol
    if abs(diff) <= rounding_tolerance(printed, band) + input_tolerance + eps:
        return "반올림 차이", diff, tol
    return "불일치", diff, tol


def _to_float(text: Any) -> float:
    s = str(text).strip().replace(",", "").rstrip("%")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"숫자가 아닙니다 / not a number: {text!r}") from None


def _half_unit(text: str) -> float:
    """Rounding half-unit of an *input*; integers are exact counts."""
    k = printed_decimals(text)
    return 0.0 if k == 0 else 0.5 * 10.0 ** (-k)


# ---------------------------------------------------------------- loading
def default_reference_dir() -> Path:
    """The reference folder shipped with the repository (``data/reference``).

    Examples
    --------
    >>> default_reference_dir().name
    'reference'
    """
    return Path(__file__).resolve().parents[3] / "data" / "reference"


def load_checks(source: str | Path | Mapping[str, Any] | None = None,
                reference_dir: str | Path | None = None) -> dict[str, Any]:
    """Read and validate the check definitions.

    Parameters
    ----------
    source : path, mapping or None
        A YAML file, an already parsed mapping, or ``None`` for
        ``audit_checks.yml`` inside ``reference_dir``.
    reference_dir : path, optional
        Used only when ``source`` is ``None``.

    Returns
    -------
    dict
        With keys ``defaults``, ``sets`` and ``checks`` (a list of mappings).

    Examples
    --------
    >>> spec = load_checks({"checks": [{"id": "x", "kind": "equal", "figure_id": "표 Ⅲ-1",
    ...     "printed": {"value": "1"}, "value": {"value": "1"}}]})
    >>> len(spec["checks"])
    1
    """
    if source is None:
        if reference_dir is None:
            raise ValueError("checks 또는 reference_dir가 필요합니다 / checks or reference_dir required")
        source = Path(reference_dir) / CHECKS_FILE
    if isinstance(source, Mapping):
        spec = dict(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"점검 정의 파일이 없습니다 / checks file not found: {path}")
        with path.open(encoding="utf-8") as fh:
            spec = yaml.safe_load(fh) or {}
        if not isinstance(spec, Mapping):
            raise ValueError(f"{path}: 최상위는 매핑이어야 합니다 / top level must be a mapping")
    checks = spec.get("checks")
    if not isinstance(checks, list) or not checks:
        raise ValueError("checks 목록이 비어 있습니다 / 'checks' must be a non-empty list")
    seen = set()
    for i, chk in enumerate(checks):
        if not isinstance(chk, Mapping):
            raise ValueError(f"checks[{i}]는 매핑이어야 합니다 / must be a mapping")
        cid = chk.get("id")
        if not cid or cid in seen:
            raise ValueError(f"checks[{i}]: id가 없거나 중복입니다 / missing or duplicate id {cid!r}")
        seen.add(cid)
        kind = chk.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{cid}: 알 수 없는 kind {kind!r} / unknown kind; one of {KINDS}")
        need = {"ratio": ("printed", "numerator", "denominator"), "equal": ("printed", "value"),
                "difference": ("printed", "a", "b"), "ttest": ("printed", "group_a", "group_b"),
                "stars": ("printed", "group_a", "group_b")}[kind]
        missing = [k for k in ("figure_id", *need) if k not in chk]
        if missing:
            raise ValueError(f"{cid}: 필요한 키가 없습니다 / missing keys {missing}")
        if chk.get("cause") not in (None, "", *CAUSES):
            raise ValueError(f"{cid}: cause는 {CAUSES} 중 하나 / cause must be one of {CAUSES}")
        if kind == "ttest" and chk.get("method", "either") not in ("either", "student", "welch"):
            raise ValueError(f"{cid}: method는 either/student/welch / bad method")
    out = {"defaults": dict(spec.get("defaults") or {}), "sets": dict(spec.get("sets") or {}),
           "checks": list(checks)}
    band = out["defaults"].get("rounding_band", 2.0)
    if not isinstance(band, (int, float)) or band < 1:
        raise ValueError(f"defaults.rounding_band는 1 이상 / must be >= 1, got {band!r}")
    return out


class _Reference:
    """Lazily read reference CSVs as strings (printed precision is kept)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._cache: dict[str, pd.DataFrame | None] = {}

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            path = self.folder / name
            self._cache[name] = (pd.read_csv(path, dtype=str, keep_default_na=False,
                                             encoding="utf-8")
                                 if path.is_file() else None)
        df = self._cache[name]
        if df is None:
            raise Unavailable(f"파일 없음: {name}")
        return df


@dataclass
class _Value:
    value: float
    text: str           # printed text of the (first) cell, sets the precision
    half_unit: float    # propagated rounding half-unit of the inputs
    where: str          # human-readable location


def _select(ref: _Reference, sel: Mapping[str, Any], *, as_printed: bool = False) -> _Value:
    """Resolve one selector to a number."""
    if not isinstance(sel, Mapping):
        raise ValueError(f"선택자는 매핑이어야 합니다 / selector must be a mapping: {sel!r}")
    if "value" in sel:  # a constant
        text = str(sel["value"])
        return _Value(_to_float(text), text, 0.0, f"상수 {text}")
    name, col = sel.get("file"), sel.get("column")
    if not name or not col:
        raise ValueError(f"선택자에 file과 column이 필요합니다 / selector needs file and column: {sel!r}")
    agg = sel.get("agg", "one")
    if agg not in AGGREGATES:
        raise ValueError(f"agg는 {AGGREGATES} 중 하나 / bad agg {agg!r}")
    df = ref.frame(name)
    where = sel.get("where") or {}
    loc = f"{name}[{', '.join(f'{k}={v}' for k, v in where.items())}].{col}"
    if col not in df.columns:
        raise Unavailable(f"열 없음: {name}.{col}")
    mask = pd.Series(True, index=df.index)
    for key, want in where.items():
        if key not in df.columns:
            raise Unavailable(f"열 없음: {name}.{key}")
        wants = [str(w) for w in want] if isinstance(want, (list, tuple)) else [str(want)]
        absent = sorted(set(wants) - set(df[key]))
        if absent:  # every listed member must be there, or a sum would be silently short
            raise Unavailable(f"행 없음: {name}[{key}={', '.join(absent)}]")
        mask &= df[key].isin(wants)
    cells = df.loc[mask, col].astype(str).str.strip()
    if cells.empty:
        raise Unavailable(f"행 없음: {loc}")
    if agg == "one" and len(cells) > 1:
        raise Unavailable(f"행이 여러 개({len(cells)}): {loc}")
    if (cells == "").any():
        raise Unavailable(f"값 없음(미공표): {loc}")
    try:
        values = [_to_float(c) for c in cells]
    except ValueError as exc:
        raise Unavailable(f"{loc}: {exc}") from None
    halves = [0.0 if as_printed else _half_unit(c) for c in cells]
    k = max(printed_decimals(c) for c in cells)
    if agg in ("one", "sum"):
        total = float(sum(values))
        text = cells.iloc[0] if len(cells) == 1 else f"{total:.{k}f}"
        return _Value(total, text, float(sum(halves)), loc)
    if agg == "mean":
        mean = float(np.mean(values))
        return _Value(mean, f"{mean:.{k}f}", float(np.mean(halves)), loc)
    pick = int(np.argmax(values) if agg == "max" else np.argmin(values))
    return _Value(values[pick], cells.iloc[pick], halves[pick], loc)


def _select_text(ref: _Reference, sel: Mapping[str, Any]) -> str:
    """Resolve a selector to the raw printed string of exactly one cell."""
    name, col = sel.get("file"), sel.get("column")
    df = ref.frame(name)
    if col not in df.columns:
        raise Unavailable(f"열 없음: {name}.{col}")
    mask = pd.Series(True, index=df.index)
    for key, want in (sel.get("where") or {}).items():
        if key not in df.columns:
            raise Unavailable(f"열 없음: {name}.{key}")
        mask &= df[key] == str(want)
    cells = df.loc[mask, col]
    if len(cells) != 1:
        raise Unavailable(f"행 없음 또는 여러 개: {name}.{col} {dict(sel.get('where') or {})}")
    return str(cells.iloc[0]).strip()


def _group(ref: _Reference, sel: Mapping[str, Any]) -> tuple[float, float, float]:
    cols = {"n": "n", "mean": "mean", "sd": "sd", **(sel.get("columns") or {})}
    base = {k: v for k, v in sel.items() if k != "columns"}
    return tuple(_select(ref, {**base, "column": cols[k]}).value for k in ("n", "mean", "sd"))


# ---------------------------------------------------------------- expansion
def _substitute(obj: Any, values: Mapping[str, str]) -> Any:
    if isinstance(obj, str):
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), obj)
    if isinstance(obj, Mapping):
        return {_substitute(k, values): _substitute(v, values) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_substitute(v, values) for v in obj]
    return obj


def _resolve_sets(obj: Any, sets: Mapping[str, Any], cid: str) -> Any:
    """Replace every string ``"$name"`` by the list ``sets[name]``."""
    if isinstance(obj, str) and obj.startswith("$"):
        if obj[1:] not in sets:
            raise ValueError(f"{cid}: 정의되지 않은 집합 {obj} / unknown set")
        return sets[obj[1:]]
    if isinstance(obj, Mapping):
        return {k: _resolve_sets(v, sets, cid) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_resolve_sets(v, sets, cid) for v in obj]
    return obj


def _expand(check: Mapping[str, Any], sets: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Expand ``for_each`` into one concrete check per combination."""
    check = _resolve_sets(dict(check), sets, check["id"])
    loops = check.get("for_each")
    body = {k: v for k, v in check.items() if k != "for_each"}
    if not loops:
        return [body]
    if not isinstance(loops, Mapping):
        raise ValueError(f"{check['id']}: for_each는 매핑이어야 합니다 / for_each must be a mapping")
    axes = []
    for name, items in loops.items():
        if not isinstance(items, list) or not items:
            raise ValueError(f"{check['id']}: for_each.{name}는 비어 있지 않은 목록 / must be a list")
        axis = []
        for item in items:
            if isinstance(item, Mapping):
                vals = {str(k): str(v) for k, v in item.items() if k != "id"}
                label = str(item.get("id", "/".join(vals.values())))
            else:
                vals, label = {name: str(item)}, str(item)
            axis.append((label, vals))
        axes.append(axis)
    out = []
    for combo in itertools.product(*axes):
        values: dict[str, str] = {}
        for _, vals in combo:
            values.update(vals)
        suffix = ".".join(label.replace(" ", "") for label, _ in combo)
        concrete = _substitute(body, values)
        concrete["id"] = f"{check['id']}.{suffix}"
        concrete["_family"] = check.get("family", check["id"])
        out.append(concrete)
    return out


# ---------------------------------------------------------------- evaluation
def _row(chk: Mapping[str, Any], **kw: Any) -> dict[str, Any]:
    row = {c: np.nan for c in ("printed", "recomputed", "difference", "tolerance")}
    row.update(check_id=chk["id"], figure_id=chk["figure_id"], kind=chk["kind"],
               description=chk.get("description", ""), verdict="", cause="", detail="")
    row.update(kw)
    return row


def _p_band(p: float, thresholds: Sequence[float]) -> int:
    return sum(p < t for t in thresholds)


def _ttest(ref: _Reference, chk: Mapping[str, Any]) -> dict[str, float]:
    n1, m1, s1 = _group(ref, chk["group_a"])
    n2, m2, s2 = _group(ref, chk["group_b"])
    if min(n1, n2) < 2 or min(s1, s2) < 0:
        raise Unavailable("n이 2 미만이거나 표준편차가 음수")
    res = {}
    for name, equal in (("student", True), ("welch", False)):
        r = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=equal)
        res[name], res[f"{name}_p"] = float(r.statistic), float(r.pvalue)
    return res


def _evaluate(ref: _Reference, chk: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    band = float(defaults.get("rounding_band", 2.0))
    kind = chk["kind"]
    printed_sel = chk["printed"]
    if kind == "stars":
        text = _select_text(ref, printed_sel)
        if text.strip("*") != "":
            raise Unavailable(f"별표가 아닌 값: {text!r}")
        thresholds = [float(t) for t in defaults.get("p_thresholds", (0.05, 0.01, 0.001))]
        tt = _ttest(ref, chk)
        t_sel = chk.get("t")
        method = "student"
        if t_sel is not None:  # the method whose |t| is closest to the printed t
            t_printed = abs(_select(ref, t_sel).value)
            method = min(("student", "welch"), key=lambda m: abs(abs(tt[m]) - t_printed))
        other = "welch" if method == "student" else "student"
        want = _p_band(tt[f"{method}_p"], thresholds)
        got = len(text)
        detail = (f"{'Student' if method == 'student' else 'Welch'} p={tt[f'{method}_p']:.3g} "
                  f"→ '{'*' * want}', 인쇄 '{text}'")
        if got == want:
            return _row(chk, printed=got, recomputed=want, difference=0.0, tolerance=0.0,
                        verdict="일치", detail=detail)
        cause = "검정 방식" if got == _p_band(tt[f"{other}_p"], thresholds) else chk.get("cause", "")
        return _row(chk, printed=got, recomputed=want, difference=float(got - want), tolerance=0.0,
                    verdict="불일치", cause=cause, detail=detail)

    p = _select(ref, printed_sel, as_printed=True)
    if kind == "ttest":
        tt = _ttest(ref, chk)
        method = chk.get("method", "either")
        allowed = ("student", "welch") if method == "either" else (method,)
        label = {"student": "Student", "welch": "Welch"}
        detail = f"Student t={tt['student']:.3f}, Welch t={tt['welch']:.3f}"
        verdicts = {m: verdict_for(p.text, tt[m], band=band) for m in ("student", "welch")}
        flipped = {m: verdict_for(p.text, -tt[m], band=band) for m in ("student", "welch")}
        for m in allowed:
            if verdicts[m][0] == "일치":
                return _row(chk, printed=p.value, recomputed=tt[m], difference=verdicts[m][1],
                            tolerance=verdicts[m][2], verdict="일치",
                            detail=f"{detail}; {label[m]}와 일치")
        for m in allowed:
            if flipped[m][0] == "일치":
                return _row(chk, printed=p.value, recomputed=tt[m], difference=verdicts[m][1],
                            tolerance=verdicts[m][2], verdict="불일치", cause="부호",
                            detail=f"{detail}; 절댓값은 {label[m]}와 같고 부호가 반대")
        others = [m for m in ("student", "welch") if m not in allowed]
        for m in others:
            if verdicts[m][0] == "일치":
                return _row(chk, printed=p.value, recomputed=tt[allowed[0]],
                            difference=p.value - tt[allowed[0]], tolerance=verdicts[m][2],
                            verdict="불일치", cause="검정 방식",
                            detail=f"{detail}; 지정한 방식이 아닌 {label[m]}와 일치")
        best = min(allowed, key=lambda m: abs(verdicts[m][1]))
        v, diff, tol = verdicts[best]
        return _row(chk, printed=p.value, recomputed=tt[best], difference=diff, tolerance=tol,
                    verdict=v, detail=f"{detail}; 가장 가까운 것은 {label[best]}")

    scale = float(chk.get("scale", 1.0))
    if kind == "ratio":
        num, den = _select(ref, chk["numerator"]), _select(ref, chk["denominator"])
        if den.value == 0:
            raise Unavailable(f"분모가 0: {den.where}")
        rec = scale * num.value / den.value
        slack = abs(scale / den.value) * num.half_unit + abs(scale * num.value / den.value ** 2) * den.half_unit
        detail = f"{num.value:g} / {den.value:g}" + (f" × {scale:g}" if scale != 1 else "")
    elif kind == "equal":
        val = _select(ref, chk["value"])
        rec, slack, detail = scale * val.value, abs(scale) * val.half_unit, val.where
    else:  # difference
        a, b = _select(ref, chk["a"]), _select(ref, chk["b"])
        rec = scale * (a.value - b.value)
        slack = abs(scale) * (a.half_unit + b.half_unit)
        detail = f"({a.value:g} − {b.value:g})" + (f" × {scale:g}" if scale != 1 else "")
    verdict, diff, tol = verdict_for(p.text, rec, input_tolerance=slack, band=band)
    return _row(chk, printed=p.value, recomputed=rec, difference=diff, tolerance=tol,
                verdict=verdict, detail=detail, _text=p.text, _slack=slack)


def _assign_causes(df: pd.DataFrame, checks: Mapping[str, Mapping[str, Any]]) -> None:
    """Name the likely cause of each unexplained 불일치 (in place)."""
    numeric = df["kind"].isin(["ratio", "equal", "difference"])
    for idx in df.index[(df["verdict"] == "불일치") & (df["cause"] == "") & numeric]:
        row, chk = df.loc[idx], checks[df.at[idx, "check_id"]]
        text, slack = row["_text"], row["_slack"]
        if row["recomputed"] != 0 and verdict_for(text, -row["recomputed"],
                                                  input_tolerance=slack)[0] == "일치":
            df.at[idx, "cause"] = "부호"
            continue
        if chk.get("cause"):
            df.at[idx, "cause"] = chk["cause"]
            continue
        family = df["_family"] == chk.get("_family", chk["id"])
        peers = df[family & (df.index != idx) & df["recomputed"].notna()]
        hits = [j for j in peers.index
                if verdict_for(text, peers.at[j, "recomputed"], input_tolerance=slack)[0] == "일치"]
        same = [j for j in hits if peers.at[j, "figure_id"] == row["figure_id"]]
        if same:
            df.at[idx, "cause"] = "행·라벨 뒤바뀜"
            df.at[idx, "detail"] += f"; 같은 표의 {df.at[same[0], 'check_id']} 재계산값과 같음"
        elif hits:
            df.at[idx, "cause"] = "행 복사"
            df.at[idx, "detail"] += f"; {df.at[hits[0], 'check_id']} 재계산값과 같음"


def run_audit(reference_dir: str | Path, checks: str | Path | Mapping[str, Any] | None = None
              ) -> pd.DataFrame:
    """Recompute every published figure that follows from other published figures.

    Parameters
    ----------
    reference_dir : str or Path
        Folder with the transcribed figures (``data/reference``).
    checks : path or mapping, optional
        Check definitions; by default ``audit_checks.yml`` in ``reference_dir``.

    Returns
    -------
    pandas.DataFrame
        One row per check, in definition order, with columns

        * ``check_id`` -- check id, with the ``for_each`` labels appended.
        * ``figure_id`` -- the table or figure whose printed value is tested.
        * ``kind`` -- ``ratio``, ``equal``, ``difference``, ``ttest`` or ``stars``.
        * ``description`` -- what is compared (Korean).
        * ``printed`` -- the printed value (number of stars for ``stars``).
        * ``recomputed`` -- the value recomputed from other printed values.
        * ``difference`` -- ``printed - recomputed``.
        * ``tolerance`` -- largest difference accepted as ``일치``.
        * ``verdict`` -- one of :data:`VERDICTS`.
        * ``cause`` -- for ``불일치``, one of :data:`CAUSES` (may be empty).
        * ``detail`` -- inputs, method or the reason a check could not run.

    Notes
    -----
    A printed value with *k* decimals matches when
    ``|difference| <= 0.5 * 10**-k`` plus the rounding slack of the inputs
    (inputs printed with decimals contribute half a unit of their last digit,
    propagated linearly; integer inputs are exact counts) plus a tiny epsilon.
    Up to ``defaults.rounding_band`` half-units is ``반올림 차이``.

    For *t* both Student's and Welch's statistics are computed with
    :func:`scipy.stats.ttest_ind_from_stats`; the printed *t* matches if it
    equals either (unless the check fixes ``method``); a value equal to the
    negated statistic is ``불일치`` with cause ``부호``.

    Unexplained mismatches get a cause from the data: a negated value gives
    ``부호``; a value equal to the recomputation of another row of the same
    table gives ``행·라벨 뒤바뀜``, of another table in the same check family
    ``행 복사``; otherwise the cause declared in the check (e.g.
    ``본문·표 불일치`` for prose claims).

    Examples
    --------
    >>> df = run_audit(default_reference_dir())
    >>> df.loc[df["check_id"] == "ttest.표Ⅲ-10", ["verdict", "cause"]].values.tolist()
    [['불일치', '부호']]
    >>> set(df["verdict"]) <= set(VERDICTS)
    True
    """
    if reference_dir is None or str(reference_dir) == "":
        raise ValueError("reference_dir가 필요합니다 / reference_dir is required")
    folder = Path(reference_dir)
    if not folder.is_dir():
        raise ValueError(f"참조 폴더가 없습니다 / reference folder not found: {folder}")
    spec = load_checks(checks, folder)
    ref = _Reference(folder)
    rows, concrete = [], {}
    for check in spec["checks"]:
        for chk in _expand(check, spec["sets"]):
            chk.setdefault("_family", chk["id"])
            concrete[chk["id"]] = chk
            try:
                row = _evaluate(ref, chk, spec["defaults"])
            except Unavailable as exc:
                row = _row(chk, verdict="점검 불가", detail=str(exc))
            except (ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
                row = _row(chk, verdict="점검 불가", detail=f"오류: {exc}")
            row["_family"] = chk["_family"]
            rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("_text", "_slack"):
        if col not in df:
            df[col] = np.nan
    _assign_causes(df, concrete)
    df = df[list(COLUMNS)].reset_index(drop=True)
    for col in ("printed", "recomputed", "difference", "tolerance"):
        df[col] = df[col].astype(float)
    return df


def summarise(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Count checks by verdict (optionally within another column).

    Parameters
    ----------
    df : DataFrame
        The output of :func:`run_audit`.
    by : str, optional
        A column of ``df`` (e.g. ``"figure_id"``) to count within.

    Returns
    -------
    pandas.DataFrame
        Columns ``verdict``, ``n_checks`` and ``share_pct`` (percent of all
        checks), preceded by ``by`` when given. Every verdict appears, with
        zero counts, in the order of :data:`VERDICTS`.

    Examples
    --------
    >>> toy = pd.DataFrame({"verdict": ["일치", "일치", "불일치"]})
    >>> summarise(toy)["n_checks"].tolist()
    [2, 0, 1, 0]
    """
    if not isinstance(df, pd.DataFrame) or "verdict" not in df.columns:
        raise ValueError("verdict 열이 있는 DataFrame이 필요합니다 / need a DataFrame with 'verdict'")
    unknown = set(df["verdict"]) - set(VERDICTS)
    if unknown:
        raise ValueError(f"알 수 없는 판정 / unknown verdicts: {sorted(unknown)}")
    total = max(len(df), 1)
    if by is None:
        counts = df["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
        return pd.DataFrame({"verdict": list(VERDICTS), "n_checks": counts.astype(int).values,
                             "share_pct": (counts.values / total * 100).round(1)})
    if by not in df.columns:
        raise ValueError(f"열이 없습니다 / unknown column: {by!r}")
    keys = list(dict.fromkeys(df[by]))
    idx = pd.MultiIndex.from_product([keys, VERDICTS], names=[by, "verdict"])
    counts = df.groupby([by, "verdict"]).size().reindex(idx, fill_value=0)
    out = counts.rename("n_checks").reset_index()
    out["share_pct"] = (out["n_checks"] / total * 100).round(1)
    return out


def _fmt(value: float) -> str:
    if pd.isna(value):
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """Verdict counts with Korean column headers, for display.

    Parameters
    ----------
    df : DataFrame
        The output of :func:`run_audit`.

    Returns
    -------
    pandas.DataFrame
        Columns ``판정``, ``점검 수``, ``비율(%)``.

    Examples
    --------
    >>> summary_table(pd.DataFrame({"verdict": ["일치", "불일치"]})).columns.tolist()
    ['판정', '점검 수', '비율(%)']
    """
    s = summarise(df)
    return s.rename(columns={"verdict": "판정", "n_checks": "점검 수", "share_pct": "비율(%)"})


def mismatch_table(df: pd.DataFrame, verdicts: Iterable[str] = ("불일치", "반올림 차이")
                   ) -> pd.DataFrame:
    """Checks with the given verdicts, Korean headers and formatted numbers.

    Parameters
    ----------
    df : DataFrame
        The output of :func:`run_audit`.
    verdicts : iterable of str, default ("불일치", "반올림 차이")
        Which verdicts to list (each one of :data:`VERDICTS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``표·그림``, ``점검``, ``내용``, ``인쇄값``, ``재계산값``,
        ``판정``, ``원인``, in the order of the checks.

    Examples
    --------
    >>> df = run_audit(default_reference_dir())
    >>> mismatch_table(df, ["불일치"]).iloc[0][["표·그림", "원인"]].tolist()
    ['표 Ⅲ-10', '부호']
    """
    verdicts = list(verdicts)
    unknown = set(verdicts) - set(VERDICTS)
    if unknown:
        raise ValueError(f"알 수 없는 판정 / unknown verdicts: {sorted(unknown)}")
    missing = set(COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"run_audit 결과가 아닙니다 / missing columns: {sorted(missing)}")
    sub = df[df["verdict"].isin(verdicts)]
    return pd.DataFrame({
        "표·그림": sub["figure_id"], "점검": sub["check_id"], "내용": sub["description"],
        "인쇄값": sub["printed"].map(_fmt), "재계산값": sub["recomputed"].map(_fmt),
        "판정": sub["verdict"], "원인": sub["cause"].replace("", "–"),
    }).reset_index(drop=True)


# ---------------------------------------------------------------- command
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="jahwal audit",
        description="보고서 공표 수치를 서로에게서 다시 계산해 맞춰 봅니다 "
                    "(recompute published figures from each other).")
    ap.add_argument("--reference", default="data/reference",
                    help="참조 폴더 / reference folder (default: data/reference)")
    ap.add_argument("--checks", default=None,
                    help="점검 정의 YAML / checks file (default: REFERENCE/audit_checks.yml)")
    ap.add_argument("--out", default=None, help="결과 CSV 경로 / write all checks to this CSV")
    ap.add_argument("--strict", action="store_true",
                    help="불일치가 있으면 종료 코드 1 / exit 1 if any 불일치")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Command ``jahwal audit``: run the audit, print a Korean summary.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments after ``audit`` (``--reference DIR [--checks FILE]
        [--out FILE.csv] [--strict]``); ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        0, or 1 with ``--strict`` when any check is ``불일치``; 2 when the
        reference folder or checks file cannot be used.

    Examples
    --------
    >>> main(["--reference", str(default_reference_dir())])  # doctest: +ELLIPSIS
    재현성 점검: ...
    0
    """
    args = _parser().parse_args(argv)
    try:
        df = run_audit(args.reference, args.checks)
    except ValueError as exc:
        print(f"오류 / error: {exc}", file=sys.stderr)
        return 2
    summary = summarise(df)
    counts = ", ".join(f"{v} {n}건" for v, n in zip(summary["verdict"], summary["n_checks"]))
    print(f"재현성 점검: 모두 {len(df)}건 — {counts}")
    bad = df[df["verdict"] == "불일치"]
    for _, r in bad.iterrows():
        print(f"  불일치 {r['figure_id']} {r['check_id']}: 인쇄 {r['printed']:g}, "
              f"재계산 {r['recomputed']:g} (원인: {r['cause'] or '미상'})")
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(out, index=False, encoding="utf-8")
        print(f"결과 저장: {out}")
    return 1 if args.strict and not bad.empty else 0


if __name__ == "__main__":  # pragma: no cover - exercised through tests via runpy
    sys.exit(main())
