"""The attacker's calculation over the ledger, and complementary suppression chosen with it.

For a suppressed cell, an attacker who reads everything the book publishes knows
the ledger's relations (a total is the sum of its parts), the published values,
and that counts are not negative. The smallest and largest values the cell can
take under these constraints are two linear programmes (solved with HiGHS
through :func:`scipy.optimize.linprog`). The cell is protected when this
interval is at least as wide as the protection interval: by default it cannot be
pinned down to within ±``threshold`` (width ``2 * threshold``), and it can never
be shown to lie in 1 … ``threshold - 1``.

:func:`plan` chooses the cells to suppress for a whole book at once: the primary
cells (1 … ``threshold - 1`` persons), then, while some suppressed cell is not
protected, the cell with the fewest persons among those that share a relation
with it (never a total that the report publishes), across all linked tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np

from jahwal.display.ledger import CellKey, Ledger, Relation


@dataclass(frozen=True)
class Interval:
    """What an attacker can learn about one suppressed cell."""

    key: CellKey
    low: float
    high: float  # ``math.inf`` when unbounded
    revealed_by: tuple[str, ...] = ()

    @property
    def width(self) -> float:
        return self.high - self.low

    def text(self) -> str:
        hi = "∞" if math.isinf(self.high) else f"{self.high:,.0f}"
        return f"[{self.low:,.0f}, {hi}]"


def protected(low: float, high: float, threshold: int, width: float | None = None) -> bool:
    """Whether an attacker's interval ``[low, high]`` keeps a cell protected.

    Examples
    --------
    >>> protected(0, 40, 10)
    True
    >>> protected(0, 8, 10)  # pinned within ±10
    False
    >>> protected(3, 3, 10)
    False
    >>> protected(100, 125, 10)
    True
    """
    width = 2 * threshold if width is None else width
    high = math.inf if high is None else high
    if low >= 1 - 1e-9 and high <= threshold - 1 + 1e-9:
        return False  # shown to lie in 1 … threshold - 1
    return high - low >= width - 1e-9


class Attacker:
    """Interval bounds of cells given the relations and the known (published) values.

    Parameters
    ----------
    relations : list of Relation
    known : dict
        ``{CellKey: value}`` of the published cells.
    sources : dict, optional
        ``{CellKey: [table keys]}`` where each known cell is published, for messages.
    """

    def __init__(
        self,
        relations: Iterable[Relation],
        known: Mapping[CellKey, float],
        sources: Mapping[CellKey, Iterable[str]] | None = None,
    ) -> None:
        self.relations = list(relations)
        self.known = dict(known)
        self.sources = {k: list(v) for k, v in (sources or {}).items()}
        self._touching: dict[CellKey, list[int]] = {}
        parent: dict[CellKey, CellKey] = {}

        def find(x: CellKey) -> CellKey:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, r in enumerate(self.relations):
            cells = [r.total, *r.parts]
            for c in cells:
                self._touching.setdefault(c, []).append(i)
            # only unknown cells link relations: a known cell is a constant
            unknown = [c for c in cells if c not in self.known]
            for c in unknown[1:]:
                ra, rb = find(unknown[0]), find(c)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
            if unknown:
                find(unknown[0])
        self._find = find
        self._components: dict[CellKey, list[int]] = {}
        for i, r in enumerate(self.relations):
            unknown = [c for c in [r.total, *r.parts] if c not in self.known]
            if unknown:
                self._components.setdefault(find(unknown[0]), []).append(i)
        self.n_lps = 0
        self._systems: dict = {}
        self._samples: dict = {}

    def neighbours(self, key: CellKey) -> list[CellKey]:
        """Cells that share a relation with ``key``."""
        out: dict[CellKey, None] = {}
        for i in self._touching.get(key, []):
            r = self.relations[i]
            for c in [r.total, *r.parts]:
                if c != key:
                    out[c] = None
        return list(out)

    def _system(self, key: CellKey):
        """The equality system of ``key``'s component: (unknown cells, column index, A, b), cached."""
        root = self._find(key)
        cached = self._systems.get(root)
        if cached is not None:
            return cached
        rels = [self.relations[i] for i in self._components.get(root, [])]
        unknown = sorted({c for r in rels for c in [r.total, *r.parts] if c not in self.known})
        col = {c: j for j, c in enumerate(unknown)}
        a = np.zeros((len(rels), len(unknown)))
        b = np.zeros(len(rels))
        for i, r in enumerate(rels):
            for c, sign in [(r.total, 1.0)] + [(p, -1.0) for p in r.parts]:
                if c in self.known:
                    b[i] -= sign * self.known[c]
                else:
                    a[i, col[c]] += sign
        out = (rels, unknown, col, a, b)
        self._systems[root] = out
        return out

    def _solve(self, cost: np.ndarray, a: np.ndarray, b: np.ndarray, key: CellKey, rels):
        from scipy.optimize import linprog

        res = linprog(cost, A_eq=a, b_eq=b, bounds=[(0, None)] * len(cost), method="highs")
        self.n_lps += 1
        if res.status == 2:
            revealed = sorted(
                {s for r in rels for c in [r.total, *r.parts] if c in self.known for s in self.sources.get(c, [])}
            )
            raise ValueError(
                f"공개된 수치끼리 맞지 않습니다(합계와 부분의 합이 다름) / the published counts contradict each other "
                f"around {key.label()} ({', '.join(revealed[:8])})"
            )
        return res

    def samples(self, key: CellKey) -> list[dict[CellKey, float]]:
        """A few feasible values of the unknown cells of ``key``'s component (vertices of the attacker's polytope).

        Any feasible point bounds the attacker's interval from inside: a cell
        that takes both 0 and ``threshold`` or more among the samples cannot be
        pinned to 1 … ``threshold - 1``, and a spread of ``width`` proves the
        interval wide enough without solving for its ends.
        """
        root = self._find(key)
        if root in self._samples:
            return self._samples[root]
        rels, unknown, col, a, b = self._system(key)
        out = []
        if unknown and rels:
            rng = np.random.default_rng(len(unknown))
            costs = [
                np.ones(len(unknown)),
                -np.ones(len(unknown)),
                rng.choice([-1.0, 1.0], len(unknown)),
                rng.choice([-1.0, 1.0], len(unknown)),
            ]
            for cost in costs:
                res = self._solve(cost, a, b, key, rels)
                if res.status == 0:
                    out.append({c: float(res.x[j]) for c, j in col.items()})
        self._samples[root] = out
        return out

    def spread(self, key: CellKey) -> tuple[float, float]:
        """Smallest and largest value of ``key`` among :meth:`samples` (an inner bound of its interval)."""
        vals = [s[key] for s in self.samples(key) if key in s]
        if not vals:
            return (math.inf, -math.inf)
        return (min(vals), max(vals))

    def interval(self, key: CellKey, *, below: float | None = None) -> Interval:
        """Smallest and largest value of ``key`` over everything published.

        With ``below``, the smallest value is only sought when the largest is
        at most ``below`` (otherwise ``low`` is reported as 0).
        """
        revealed = sorted({s for c in self.neighbours(key) if c in self.known for s in self.sources.get(c, [])})
        if key in self.known:
            v = self.known[key]
            return Interval(key, v, v, tuple(sorted(set(self.sources.get(key, [])))))
        if not self._components.get(self._find(key)):
            return Interval(key, 0.0, math.inf, ())
        rels, unknown, col, a, b = self._system(key)
        if not revealed:  # no published neighbour: the tables of the linked relations
            revealed = sorted(
                {s for r in rels for c in [r.total, *r.parts] if c in self.known for s in self.sources.get(c, [])}
            )
        c = np.zeros(len(unknown))
        c[col[key]] = 1.0
        hi = self._solve(-c, a, b, key, rels)
        high = math.inf if hi.status == 3 else float(-hi.fun)
        if below is not None and high > below + 1e-9:
            low = 0.0
        else:
            lo = self._solve(c, a, b, key, rels)
            low = max(0.0, float(lo.fun)) if lo.status == 0 else 0.0
        return Interval(key, round(low, 6), round(high, 6) if not math.isinf(high) else high, tuple(revealed))

    def interval_points(self, key: CellKey) -> tuple[Interval, list[dict[CellKey, float]]]:
        """:meth:`interval` and the two solutions that reach its ends (known cells included)."""
        if key in self.known or not self._components.get(self._find(key)):
            return self.interval(key), []
        rels, unknown, col, a, b = self._system(key)
        c = np.zeros(len(unknown))
        c[col[key]] = 1.0
        points = []
        ends = []
        for sign in (1.0, -1.0):
            res = self._solve(sign * c, a, b, key, rels)
            if res.status == 0:
                points.append({**self.known, **{u: float(res.x[j]) for u, j in col.items()}})
                ends.append(sign * float(res.fun))
            else:
                ends.append(math.inf if sign < 0 else 0.0)
        low, high = max(0.0, ends[0]), ends[1]  # minimum of x, and maximum (the minimum of -x, negated)
        revealed = sorted({s for n in self.neighbours(key) if n in self.known for s in self.sources.get(n, [])})
        iv = Interval(key, round(low, 6), high if math.isinf(high) else round(high, 6), tuple(revealed))
        return iv, points

    def passes(self, key: CellKey, threshold: int, width: float) -> bool | None:
        """``True`` when the samples alone prove ``key`` protected; ``None`` when an exact interval is needed."""
        if key in self.known:
            return False
        if not self._components.get(self._find(key)):
            return True
        lo, hi = self.spread(key)
        return True if hi - lo >= width - 1e-9 else None

    def unpinned(self, key: CellKey, threshold: int) -> bool:
        """``True`` when the samples prove an unprinted cell cannot be shown to lie in 1 … ``threshold - 1``."""
        lo, hi = self.spread(key)
        return lo <= 1e-9 or hi >= threshold - 1e-9 or (not self._components.get(self._find(key)))


def ledger_attacker(ledger: Ledger) -> Attacker:
    """The attacker who reads a book's ledger as published."""
    known = {e.key: e.value for e in ledger if e.value is not None and not e.implicit}
    sources = {e.key: e.shown for e in ledger}
    return Attacker(ledger.relations(), known, sources)


@dataclass
class CheckResult:
    """The attacker check of a book: every suppressed cell with its interval."""

    threshold: int
    width: float
    intervals: list[Interval]
    failures: list[Interval]
    hidden_in: dict[CellKey, list[str]]
    n_relations: int
    n_cells: int
    n_unprinted: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures

    def messages(self) -> list[str]:
        """One Korean and English line per failing cell."""
        out = []
        for f in self.failures:
            if f.key not in self.hidden_in:
                by = ", ".join(f.revealed_by) or "-"
                out.append(
                    f"어느 표에도 없는 인원 '{f.key.label()}'이(가) {by}의 공개 수치로 {f.text()} 범위(1~{self.threshold - 1}명)로"
                    f" 드러납니다 / the unpublished count '{f.key.label()}' is shown to lie in {f.text()} "
                    f"(1 … {self.threshold - 1}) by the counts published in {by}"
                )
                continue
            where = ", ".join(self.hidden_in.get(f.key, [])) or "-"
            by = ", ".join(f.revealed_by) or "-"
            out.append(
                f"{where}에서 숨긴 칸 '{f.key.label()}'의 값을 {by}의 공개 수치로 {f.text()} 범위로 좁힐 수 있습니다"
                f"(보호 구간 폭 {self.width:g} 미만) / the suppressed cell '{f.key.label()}' (hidden in {where}) is "
                f"narrowed to {f.text()} by the counts published in {by} (protection width {self.width:g})"
            )
        return out

    def summary(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "protection_width": self.width,
            "cells": self.n_cells,
            "relations": self.n_relations,
            "suppressed": len(self.intervals),
            "unprinted_checked": self.n_unprinted,
            "failures": [f.key.label() + " " + f.text() for f in self.failures],
        }


def check(ledger: Ledger, threshold: int, width: float | None = None) -> CheckResult:
    """Run the attacker's calculation on every suppressed cell of ``ledger``.

    Examples
    --------
    >>> from jahwal.display.ledger import CellKey, Ledger
    >>> led = Ledger()
    >>> led.set_domain("IAP", ["수립", "미수립", "미입력"])
    >>> led.add(CellKey.make("p", {"연도": 2019}), 40278, "fig-III-11")
    >>> led.add(CellKey.make("p", {"연도": 2019, "IAP": "수립"}), 27870, "tab-III-S1")
    >>> led.add(CellKey.make("p", {"연도": 2019, "IAP": "미입력"}), 12405, "tab-III-S1")
    >>> led.add(CellKey.make("p", {"연도": 2019, "IAP": "미수립"}), None, "tab-III-4")
    >>> res = check(led, 10)
    >>> res.ok, res.failures[0].text(), res.failures[0].revealed_by
    (False, '[3, 3]', ('fig-III-11', 'tab-III-S1'))
    """
    width = 2 * threshold if width is None else float(width)
    att = ledger_attacker(ledger)
    intervals, failures = [], []
    for key in ledger.suppressed():
        iv = att.interval(key)
        intervals.append(iv)
        if not protected(iv.low, iv.high, threshold, width):
            failures.append(iv)
    # counts that no page prints (e.g. intake minus assessment) may not be shown to lie in 1 … threshold - 1
    printed = {e.key for e in ledger if not e.implicit}
    unprinted = sorted({c for r in att.relations for c in [r.total, *r.parts]} - printed)
    for key in unprinted:
        if att.unpinned(key, threshold):
            continue
        iv = att.interval(key, below=threshold - 1)
        if iv.low >= 1 - 1e-9 and iv.high <= threshold - 1 + 1e-9:
            failures.append(iv)
    return CheckResult(
        threshold,
        width,
        intervals,
        failures,
        {e.key: e.hidden for e in ledger if e.hidden},
        len(att.relations),
        len(ledger),
        len(unprinted),
    )


class ProtectionError(ValueError):
    """No choice of complementary cells protects a cell (the totals that must stay pin it)."""


@dataclass
class Plan:
    """Cells to suppress in a whole book: primary and complementary."""

    primary: list[CellKey]
    complementary: list[CellKey]
    n_lps: int = 0
    totals: list[CellKey] = field(default_factory=list)  # kept totals suppressed as a last resort
    attacker: "Attacker | None" = None

    @property
    def suppressed(self) -> set[CellKey]:
        return set(self.primary) | set(self.complementary)

    @property
    def intervals(self) -> list[Interval]:
        """The attacker's interval of every suppressed cell after the plan (solved on first use)."""
        if not hasattr(self, "_intervals"):
            self._intervals = [self.attacker.interval(k) for k in sorted(self.suppressed)] if self.attacker else []
        return self._intervals


def plan(ledger: Ledger, threshold: int, width: float | None = None, *, allow_totals: bool = True) -> Plan:
    """Choose primary and complementary suppression jointly for every table in ``ledger``.

    ``ledger`` holds the true counts of every cell the book will publish (keep
    flags mark totals that the report publishes) and of the cells that no page
    prints but that the published counts could pin down (implicit cells).
    Primary cells are the published counts 1 … ``threshold - 1``; implicit
    cells of that size must be protected too. Then, while a suppressed cell's
    attacker interval is narrower than the protection interval, one more cell
    that shares a relation with it is suppressed: from the relations that pin it
    most (a published total, fewest unknown cells), the cell with the fewest
    persons (zeros last) that is neither suppressed nor a kept total.

    Hiding a cell only widens every interval, so a cell that passed stays
    protected and is not solved again; every solution the attacker's linear
    programmes find (and the true counts) stays a possible value of the
    cells, so they show most cells wide enough without solving for them.

    A kept total is suppressed only when nothing else can protect a cell (a
    very small extract) and ``allow_totals`` is true; it is listed in
    ``Plan.totals``.

    Raises
    ------
    ProtectionError
        When a cell cannot be protected without suppressing a kept total and
        ``allow_totals`` is false, or not even then.

    Examples
    --------
    >>> from jahwal.display.ledger import CellKey, Ledger
    >>> led = Ledger()
    >>> led.set_domain("IAP", ["수립", "미수립", "미입력"])
    >>> led.add(CellKey.make("p", {"연도": 2019}), 40278, "fig-III-11", keep=True)
    >>> for s, v in [("수립", 27870), ("미수립", 3), ("미입력", 12405)]:
    ...     led.add(CellKey.make("p", {"연도": 2019, "IAP": s}), v, "tab-III-4")
    >>> p = plan(led, 10)
    >>> [k.get("IAP") for k in p.primary], [k.get("IAP") for k in p.complementary]
    (['미수립'], ['미입력'])
    """
    width = 2 * threshold if width is None else float(width)
    values = {e.key: e.value for e in ledger if e.value is not None and not e.implicit}
    truth = {e.key: e.value for e in ledger if e.value is not None}
    hidden_truth = {e.key: e.value for e in ledger if e.implicit and e.value is not None}
    keep = {e.key for e in ledger if e.keep}
    primary = sorted(k for k, v in values.items() if 1 <= v < threshold)
    derived = sorted(k for k, v in hidden_truth.items() if 1 <= v < threshold)
    suppressed = set(primary)
    relations = ledger.relations()
    complementary: list[CellKey] = []
    totals: list[CellKey] = []
    n_lps = 0
    # feasible points of the attacker's system: the truth (cells no one knows are free, set to 0 where unknown)
    pool: list[dict[CellKey, float]] = [truth]
    queue = sorted(suppressed) + derived
    att = Attacker(relations, {k: v for k, v in values.items() if k not in suppressed})
    while queue:
        key = queue[0]
        if key in truth:
            vals = [pt[key] for pt in pool if key in pt]
            lo, hi = min(vals), max(vals)
            inner_ok = (hi - lo >= width - 1e-9) if key in suppressed else (lo <= 1e-9 or hi >= threshold - 1e-9)
            if inner_ok:
                queue.pop(0)
                continue
        iv, points = att.interval_points(key)
        pool.extend(points)
        ok = (
            protected(iv.low, iv.high, threshold, width)
            if key in suppressed
            else not (iv.low >= 1 - 1e-9 and iv.high <= threshold - 1 + 1e-9)
        )
        if ok:
            queue.pop(0)
            continue
        pick = _cheapest(att, iv, values, suppressed, keep)
        if pick is None and allow_totals:
            pick = _cheapest(att, iv, values, suppressed, set())
            if pick is not None:
                totals.append(pick)
        if pick is None:
            raise ProtectionError(
                f"'{iv.key.label()}'을(를) 보호할 보완 칸이 없습니다(공표 합계만 남음) / no complementary cell can "
                f"protect '{iv.key.label()}' (interval {iv.text()}; only published totals are left)"
            )
        suppressed.add(pick)
        complementary.append(pick)
        queue.append(pick)
        n_lps += att.n_lps
        att = Attacker(relations, {k: v for k, v in values.items() if k not in suppressed})
    n_lps += att.n_lps
    return Plan(primary, sorted(complementary), n_lps, sorted(totals), att)


def _cheapest(
    att: Attacker, failing: Interval, values: Mapping[CellKey, float], suppressed: set[CellKey], keep: set[CellKey]
) -> CellKey | None:
    """The cell to hide next for ``failing``, chosen from the relations that pin it most.

    Relations touching the failing cell are taken in order: those whose total
    is published before those whose total is unknown (a relation with an
    unknown total tells the attacker little), then by the number of unknown
    cells. The first that has a published, unsuppressed, non-kept cell gives the
    one with the fewest persons (zeros last). Without any, the search moves one
    ring of relations further out.
    """
    start = failing.key
    seen = {start}
    ring = [start]
    while ring:
        scored = []
        for k in ring:
            for i in att._touching.get(k, []):
                r = att.relations[i]
                cells = [r.total, *r.parts]
                unknown = sum(1 for c in cells if c not in att.known)
                cands = [c for c in cells if c in values and c not in suppressed and c not in keep and c not in seen]
                if cands:
                    scored.append(((r.total not in att.known and r.total != k), unknown, i, cands))
        if scored:
            scored.sort(key=lambda t: (t[0], t[1], t[2]))
            return min(scored[0][3], key=lambda n: (values[n] == 0, values[n], n))
        nxt: list[CellKey] = []
        for k in ring:
            for n in att.neighbours(k):
                if n not in seen:
                    seen.add(n)
                    nxt.append(n)
        ring = nxt
    return None
