"""Summaries of a coded corpus: theme tables, matrices, co-occurrence, quotes, profiles.

Every function takes a :class:`~jahwal.qual.model.QualCorpus` (or its tables)
and named parameters and returns a tidy DataFrame with explicit columns.

Counting rules
--------------
- A *quote* is a report quote block (``quote_id``); a *segment* is one coded
  span. They differ only where two speakers share a block.
- A code's count includes the segments coded to the code itself and to every
  code below it (a theme counts its sub-themes' quotes once each).
- *Reporting unit* at a ``level``: each coding is moved up the tree to the
  nearest code at or above that level (a segment coded to a theme that has no
  code at that level stays at the theme).
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from jahwal.study.outline import cite

from ..vocab import FOCUS_GROUPS
from .model import ALL_GROUPS, LEVELS, QualCorpus

DOMAIN_LABELS = {
    "purpose": "목적·기능",
    "experience": "경험·인식",
    "outcomes": "성과",
    "factors": "성과 요인",
    "limits": "한계",
    "suggestions": "제언",
    "other": "기타",
}
DOMAIN_ORDER = list(DOMAIN_LABELS)
SHARED_DOMAINS = ("outcomes", "factors", "limits", "suggestions")
_DOMAIN_KEYWORDS = (
    ("factors", ("요인",)),
    ("limits", ("한계", "제한")),
    ("suggestions", ("제언", "제안", "개선")),
    ("outcomes", ("성과", "효과")),
    ("purpose", ("목적", "방향")),
    ("experience", ("경험", "인식")),
)
GROUP_LABELS = {**FOCUS_GROUPS, ALL_GROUPS: "전체"}
TENURE_LABELS = {"practitioners": "자활사례관리 경력", "residents": "자활사례관리 참여기간"}
KOREAN = {
    "group": "집단",
    "group_label": "집단",
    "domain": "영역 코드",
    "domain_label": "영역",
    "code_id": "코드 번호",
    "name": "주제",
    "theme": "주제",
    "level": "수준",
    "n_quotes": "인용 수",
    "n_segments": "구간 수",
    "n_participants": "참여자 수",
    "n_sessions": "회기 수",
    "share_quotes": "인용 비율(%)",
    "share_participants": "참여자 비율(%)",
    "participant_id": "참여자",
    "session_id": "회기",
    "text": "발언(예시 재구성)",
    "report_line": "보고서 행",
    "report_place": "보고서 위치",
    "rank": "순위",
    "term": "핵심어",
    "n": "빈도",
    "score": "특징도",
    "attribute": "구분",
    "category": "범주",
    "share": "비율(%)",
    "code_a": "코드 A",
    "code_b": "코드 B",
    "name_a": "주제 A",
    "name_b": "주제 B",
    "n_a": "A 단위 수",
    "n_b": "B 단위 수",
    "n_ab": "함께 나온 단위 수",
    "c": "c 계수",
    "n_total": "전체 인원",
    "n_female": "여성",
    "n_male": "남성",
    "mean_age": "평균 연령",
    "min_age": "최소 연령",
    "max_age": "최대 연령",
    "median_tenure_months": "기간 중앙값(개월)",
    "n_docs": "구간 수",
}


def korean(df: pd.DataFrame, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Rename known columns to their Korean headers for display.

    Examples
    --------
    >>> korean(pd.DataFrame({"name": ["a"], "n_quotes": [1]})).columns.tolist()
    ['주제', '인용 수']
    """
    mapping = {**KOREAN, **(extra or {})}
    return df.rename(columns={c: mapping[c] for c in df.columns if c in mapping})


def natural_key(value: str) -> tuple:
    """Sort key that orders ``PQ2`` before ``PQ10`` and ``P2.10`` after ``P2.9``.

    Examples
    --------
    >>> sorted(["P2.10", "P2.9", "P10"], key=natural_key)
    ['P2.9', 'P2.10', 'P10']
    """
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in re.findall(r"\d+|\D+", str(value)))


def _level_rank(level: str, depth: int) -> int:
    return LEVELS.index(level) if level in LEVELS else depth


def code_tree(codes: pd.DataFrame) -> pd.DataFrame:
    """Codes with their position in the tree.

    Returns
    -------
    DataFrame
        ``code_id, parent_id, group, level, name, depth, rank, order, top_id,
        domain, path`` where ``rank`` orders levels (영역 0 … 세부코드 4),
        ``order`` is the pre-order position, ``top_id`` the root code and
        ``domain`` the resolved domain (own or inherited; inferred from the root
        name's keywords when the codebook gives none).

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> code_tree(example_corpus().codes).loc[2, ["code_id", "domain", "path"]].tolist()
    ['D.1.a', 'outcomes', '성과 › 마음의 변화 › 자신감']
    """
    c = codes.reset_index(drop=True)
    parent = dict(zip(c["code_id"], c["parent_id"]))
    name = dict(zip(c["code_id"], c["name"]))
    dom = dict(zip(c["code_id"], c["domain"]))
    rows = []
    for k, row in enumerate(c.itertuples(index=False)):
        chain = [row.code_id]
        while parent.get(chain[-1]):
            chain.append(parent[chain[-1]])
        chain.reverse()
        domain = next((dom[x] for x in reversed(chain) if dom.get(x)), "")
        if not domain:
            top_name = name[chain[0]]
            domain = next((d for d, words in _DOMAIN_KEYWORDS if any(w in top_name for w in words)), "other")
        rows.append(
            {
                "code_id": row.code_id,
                "parent_id": row.parent_id,
                "group": row.group,
                "level": row.level,
                "name": row.name,
                "depth": len(chain),
                "rank": _level_rank(row.level, len(chain) - 1),
                "order": k,
                "top_id": chain[0],
                "domain": domain,
                "path": " › ".join(name[x] for x in chain),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "code_id",
            "parent_id",
            "group",
            "level",
            "name",
            "depth",
            "rank",
            "order",
            "top_id",
            "domain",
            "path",
        ],
    )


def _ancestors(tree: pd.DataFrame) -> dict[str, list[str]]:
    parent = dict(zip(tree["code_id"], tree["parent_id"]))
    out = {}
    for cid in tree["code_id"]:
        chain, cur = [], cid
        while cur:
            chain.append(cur)
            cur = parent.get(cur, "")
        out[cid] = chain
    return out


def _group_corpus(corpus: QualCorpus, group: str | None) -> QualCorpus:
    if group is None:
        return corpus
    if not isinstance(group, str):
        raise ValueError(f"group은 문자열이어야 합니다 / group must be a string: {group!r}")
    return corpus.subset(group)


def _coded(corpus: QualCorpus) -> pd.DataFrame:
    seg = corpus.segments[["segment_id", "quote_id", "participant_id", "session_id"]]
    return corpus.codings.merge(seg, on="segment_id", how="inner")


def _target_rank(tree: pd.DataFrame, level: str | int) -> int:
    if isinstance(level, str):
        if level in LEVELS:
            return LEVELS.index(level)
        if level in set(tree["level"]):
            return int(tree.loc[tree["level"] == level, "rank"].min())
        raise ValueError(
            f"수준 '{level}'이 코드북에 없습니다 / level not in the codebook: {level!r} "
            f"(levels: {sorted(set(tree['level']))})"
        )
    if isinstance(level, (int, np.integer)) and not isinstance(level, bool):
        return int(level)
    raise ValueError(f"level은 수준 이름이나 정수여야 합니다 / level must be a name or an integer: {level!r}")


def reporting_unit(corpus: QualCorpus, level: str | int) -> pd.Series:
    """Map each code to its reporting unit at ``level`` (a level name or a rank).

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> reporting_unit(example_corpus(), "대주제").to_dict()
    {'D': 'D', 'D.1': 'D.1', 'D.1.a': 'D.1', 'D.2': 'D.2'}
    """
    tree = code_tree(corpus.codes)
    target = _target_rank(tree, level)
    rank = dict(zip(tree["code_id"], tree["rank"]))
    anc = _ancestors(tree)
    unit = {}
    for cid, chain in anc.items():
        unit[cid] = next((x for x in chain if rank[x] <= target), chain[-1])
    return pd.Series(unit, name="unit")


def code_frequencies(
    corpus: QualCorpus, group: str | None = None, *, level: str | int | None = None, min_count: int = 0
) -> pd.DataFrame:
    """Quotes, segments, participants and sessions per code, counting sub-codes.

    Parameters
    ----------
    corpus : QualCorpus
    group : str, optional
        Restrict to one group.
    level : str or int, optional
        Keep only codes at this level (by name, e.g. ``"대주제"``, or rank).
        All codes by default.
    min_count : int
        Drop codes with fewer quotes.

    Returns
    -------
    DataFrame
        ``code_id, parent_id, group, level, name, depth, domain, path,
        n_quotes, n_segments, n_participants, n_sessions, n_quotes_direct`` in
        codebook order.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> code_frequencies(example_corpus())[["code_id", "n_quotes", "n_participants", "n_quotes_direct"]]
      code_id  n_quotes  n_participants  n_quotes_direct
    0       D         4               2                0
    1     D.1         3               2                1
    2   D.1.a         2               2                2
    3     D.2         2               2                2
    """
    if not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ValueError(
            f"min_count는 0 이상의 정수여야 합니다 / min_count must be a non-negative integer: {min_count!r}"
        )
    c = _group_corpus(corpus, group)
    tree = code_tree(c.codes)
    anc = _ancestors(tree)
    coded = _coded(c)
    rolled = coded.assign(node=coded["code_id"].map(anc)).explode("node")
    rolled = rolled.drop_duplicates(["node", "segment_id"])
    g = rolled.groupby("node")
    counts = pd.DataFrame(
        {
            "n_quotes": g["quote_id"].nunique(),
            "n_segments": g["segment_id"].nunique(),
            "n_participants": rolled[rolled["participant_id"] != ""].groupby("node")["participant_id"].nunique(),
            "n_sessions": g["session_id"].nunique(),
        }
    )
    direct = coded.groupby("code_id")["quote_id"].nunique().rename("n_quotes_direct")
    out = tree.drop(columns=["rank", "order", "top_id"]).set_index("code_id")
    out = out.join(counts).join(direct)
    for col in ("n_quotes", "n_segments", "n_participants", "n_sessions", "n_quotes_direct"):
        out[col] = out[col].fillna(0).astype(int)
    out = out.reset_index()
    if level is not None:
        rank = tree.set_index("code_id")["rank"]
        out = out[out["code_id"].map(rank) == _target_rank(tree, level)]
    out = out[out["n_quotes"] >= min_count]
    return out.reset_index(drop=True)


def theme_table(
    corpus: QualCorpus,
    group: str,
    *,
    top_id: str | None = None,
    domain: str | None = None,
    min_count: int = 1,
    content_level: str | None = None,
    sessions: bool = False,
) -> pd.DataFrame:
    """A table like the report's theme tables, with counts, ready to display.

    One row for the whole domain, then one row per code in codebook order; the
    name sits in the column of its level (대주제, 하위주제, 코드; 세부코드 rows
    are marked with a dash).

    Parameters
    ----------
    corpus : QualCorpus
    group : str
    top_id : str, optional
        The root code (one report table, e.g. ``"P3"``); all roots by default.
    domain : str, optional
        Keep the roots of this domain (``outcomes``, ``factors`` …; see
        :data:`DOMAIN_LABELS`). A codebook without domains gets them from the
        root names (성과, 요인, 한계, 제언 …).
    min_count : int
        Hide codes with fewer quotes (the domain row is always shown, and so
        are themes whose quotes the report did not split: see Returns).
    content_level : str, optional
        Fold the codes at this level and below into a ``내용`` column of their
        theme row, as the report's resident tables list a theme's content items
        (e.g. ``"코드"``). By default every code is a row.
    sessions : bool
        Add ``회기 수(가정)``, the number of focus-group sessions a theme was
        quoted in. Off by default: the sessions rest on an assumed assignment
        of participants and the report gives no per-session counts.

    Returns
    -------
    DataFrame
        Korean columns ``대주제, 하위주제, 코드`` (or ``대주제, 하위주제, 내용``
        with ``content_level``), ``인용 수, 참여자 수`` (plus ``영역`` when
        several roots are shown). Counts of a theme whose quotes sit on a code
        above it (the report kept them undivided, 표 Ⅳ-9) are empty (``None``,
        shown as "–"), not 0.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> theme_table(example_corpus(), "practitioners", content_level="코드").values.tolist()
    [['(영역 전체)', '', 4, 2], ['마음의 변화', '자신감', 3, 2], ['관계의 변화', '', 2, 2]]
    """
    freq = code_frequencies(corpus, group)
    tree = code_tree(corpus.subset(group).codes).set_index("code_id")
    if top_id is not None:
        if top_id not in tree.index:
            raise ValueError(f"코드 '{top_id}'가 집단 '{group}'의 코드북에 없습니다 / code not in the codebook")
        freq = freq[freq["code_id"].map(tree["top_id"]) == top_id]
    if domain is not None:
        if domain not in DOMAIN_LABELS:
            raise ValueError(f"알 수 없는 영역 / unknown domain: {domain!r} (known: {list(DOMAIN_LABELS)})")
        freq = freq[freq["domain"] == domain]
    fold_rank = None if content_level is None else _target_rank(tree.reset_index(), content_level)
    direct = dict(zip(freq["code_id"], freq["n_quotes_direct"]))
    # a parent whose quotes are split among its children (some child has quotes)
    split_parents = set(freq.loc[freq["n_quotes"] > 0, "parent_id"])
    anc = _ancestors(tree.reset_index())
    content: dict[str, list[str]] = {}
    if fold_rank is not None:
        for row in freq.itertuples(index=False):
            if int(tree.at[row.code_id, "rank"]) >= fold_rank and row.parent_id:
                host = next(x for x in anc[row.code_id][1:] if int(tree.at[x, "rank"]) < fold_rank)
                content.setdefault(host, []).append(row.name)
    last = "코드" if fold_rank is None else "내용"
    rows = []
    for row in freq.itertuples(index=False):
        t = tree.loc[row.code_id]
        is_root = not row.parent_id
        if fold_rank is not None and not is_root and int(t["rank"]) >= fold_rank:
            continue
        undivided = (
            row.n_quotes == 0
            and row.parent_id not in split_parents
            and any(direct.get(x, 0) > 0 for x in anc[row.code_id][1:])
        )
        if not is_root and not undivided and row.n_quotes < min_count:
            continue
        cells = {"영역": tree.loc[t["top_id"], "name"], "대주제": "", "하위주제": "", last: ""}
        if is_root:
            cells["대주제"] = "(영역 전체)"
        elif t["level"] in ("대주제", "하위주제") or (t["level"] == "코드" and fold_rank is None):
            cells[t["level"]] = row.name
        elif t["level"] == "세부코드":
            cells[last] = "– " + row.name
        else:  # foreign codebook levels: by depth
            col = ["대주제", "하위주제", last][min(int(t["depth"]) - 2, 2)] if t["depth"] > 1 else "대주제"
            cells[col] = row.name
        if fold_rank is not None and not is_root:
            cells["내용"] = "; ".join(content.get(row.code_id, []))
        n_q, n_p, n_s = (None, None, None) if undivided else (row.n_quotes, row.n_participants, row.n_sessions)
        cells.update({"인용 수": n_q, "참여자 수": n_p, "회기 수(가정)": n_s})
        rows.append(cells)
    cols = ["영역", "대주제", "하위주제", last, "인용 수", "참여자 수", "회기 수(가정)"]
    out = pd.DataFrame(rows, columns=cols)
    for col in ("인용 수", "참여자 수", "회기 수(가정)"):
        if out[col].notna().all():
            out[col] = out[col].astype(int)
        else:
            out[col] = pd.Series([None if pd.isna(v) else int(v) for v in out[col]], index=out.index, dtype=object)
    if not sessions:
        out = out.drop(columns="회기 수(가정)")
    if (out["하위주제"] == "").all():
        out = out.drop(columns="하위주제")
    if top_id is not None or out["영역"].nunique() <= 1:
        out = out.drop(columns="영역")
    return out


def code_counts(corpus: QualCorpus, groups: Iterable[str]) -> pd.DataFrame:
    """How many codebook entries each group has, level by level.

    The word "code" is used for different things: every entry of the codebook
    (from a whole domain down to a sub-code), the entries at the level named
    코드, or the entries a quote is attached to. This table keeps them apart.

    Parameters
    ----------
    corpus : QualCorpus
    groups : list of str

    Returns
    -------
    DataFrame
        One row per group and level in codebook order, then a ``(전체)`` row
        per group: ``group, level, n_entries`` (codebook rows),
        ``n_with_quotes`` (entries with at least one quote attached directly)
        and ``n_leaves`` (entries with no entry below them).

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> code_counts(example_corpus(), ["practitioners"]).values.tolist()
    [['practitioners', '영역', 1, 0, 0], ['practitioners', '대주제', 2, 2, 1], ['practitioners', '코드', 1, 1, 1], ['practitioners', '(전체)', 4, 3, 2]]
    """
    rows = []
    for g in groups:
        f = code_frequencies(corpus, g)
        tree = code_tree(corpus.subset(g).codes)
        leaves = ~tree["code_id"].isin(set(tree["parent_id"]))
        f = f.assign(
            leaf=f["code_id"].map(dict(zip(tree["code_id"], leaves))),
            rank=f["code_id"].map(dict(zip(tree["code_id"], tree["rank"]))),
        )
        for level, sub in sorted(f.groupby("level", sort=False), key=lambda kv: int(kv[1]["rank"].min())):
            rows.append((g, level, len(sub), int((sub["n_quotes_direct"] > 0).sum()), int(sub["leaf"].sum())))
        rows.append((g, "(전체)", len(f), int((f["n_quotes_direct"] > 0).sum()), int(f["leaf"].sum())))
    return pd.DataFrame(rows, columns=["group", "level", "n_entries", "n_with_quotes", "n_leaves"])


def code_count_table(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`code_counts` for display: one row per group and level, Korean headers."""
    return pd.DataFrame(
        {
            "집단": counts["group"].map(lambda g: GROUP_LABELS.get(g, g)).to_numpy(),
            "수준": counts["level"].to_numpy(),
            "코드북 항목 수": counts["n_entries"].astype(int).to_numpy(),
            "인용이 직접 붙은 항목 수": counts["n_with_quotes"].astype(int).to_numpy(),
            "가장 아래 항목 수": counts["n_leaves"].astype(int).to_numpy(),
        }
    )


def group_values(
    corpus: QualCorpus, group: str, *, level: str | int, min_count: int = 1, prefix: str = ""
) -> tuple[dict[str, Any], dict[str, int]]:
    """Every number and name the prose of a group's Chapter Ⅳ page cites.

    Parameters
    ----------
    corpus : QualCorpus
    group : str
    level : str or int
        The reporting level of the theme-by-participant figure.
    min_count : int
        Themes with fewer quotes are left out of that figure.
    prefix : str
        Put before every key (the glue names of the page, e.g. ``"ch4_p_"``).

    Returns
    -------
    (dict, dict)
        The values and the decimal places of the non-integer ones. Keys:
        ``n_part, n_quoted, n_quotes, n_segments``; ``q_<domain>`` for every
        domain of :data:`DOMAIN_LABELS` (0 where the group has none);
        ``n_domains, domain_names`` (the group's domains, codebook order);
        ``top_outcome, top_outcome_n`` (the outcome theme with most quotes at
        대주제 level); ``top_speaker, top_speaker_n, top_speaker_pct,
        wide_speaker, wide_speaker_n, n_silent``; ``n_overlap_pairs``
        (code pairs sharing a segment), ``top_pair, top_pair_c`` (the pair of
        reporting units with the highest participant-level c among pairs seen
        in two or more people; empty when none); ``limits_top_share`` (share
        of the limits quotes from its most quoted speaker, 0 when none);
        ``n_codes`` (entries at level 코드), ``n_entries``,
        ``n_with_quotes``.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> v, d = group_values(example_corpus(), "practitioners", level="대주제", prefix="x_")
    >>> v["x_n_quotes"], v["x_top_outcome"], v["x_top_speaker_pct"], d["x_top_speaker_pct"]
    (4, '마음의 변화', 75.0, 1)
    """
    c = corpus.subset(group)
    seg = c.segments
    freq = code_frequencies(corpus, group)
    roots = freq[freq["parent_id"] == ""].groupby("domain")["n_quotes"].sum()
    v: dict[str, Any] = {
        "n_part": len(c.participants),
        "n_quoted": int(seg["participant_id"].nunique()),
        "n_quotes": int(seg["quote_id"].nunique()),
        "n_segments": len(seg),
    }
    v.update({f"q_{d}": int(roots.get(d, 0)) for d in DOMAIN_LABELS})
    present = list(dict.fromkeys(freq.loc[freq["parent_id"] == "", "domain"]))
    v["n_domains"], v["domain_names"] = len(present), ", ".join(DOMAIN_LABELS.get(d, d) for d in present)
    top = freq[(freq["domain"] == "outcomes") & (freq["level"] == "대주제")]
    top = top.sort_values("n_quotes", ascending=False, kind="stable")
    v["top_outcome"], v["top_outcome_n"] = (top.iloc[0]["name"], int(top.iloc[0]["n_quotes"])) if len(top) else ("", 0)
    matrix = code_participant_matrix(corpus, group, level=level, min_count=min_count)
    per = matrix.groupby("participant_id", sort=False)["n_quotes"].sum()
    wide = (matrix["n_quotes"] > 0).groupby(matrix["participant_id"], sort=False).sum()
    v.update(
        {
            "top_speaker": per.idxmax(),
            "top_speaker_n": int(per.max()),
            "top_speaker_pct": float(100.0 * per.max() / seg["segment_id"].nunique()) if len(seg) else 0.0,
            "wide_speaker": wide.idxmax(),
            "wide_speaker_n": int(wide.max()),
            "n_silent": int((per == 0).sum()),
        }
    )
    v["n_overlap_pairs"] = len(cooccurrence(corpus, group, level="코드", unit="segment"))
    by_person = cooccurrence(corpus, group, level=level, unit="participant")
    strong = by_person[by_person["n_ab"] >= 2]
    v["top_pair"], v["top_pair_c"] = (
        (f"{strong.iloc[0]['name_a']} – {strong.iloc[0]['name_b']}", float(strong.iloc[0]["c"]))
        if len(strong)
        else ("", 0.0)
    )
    tree = code_tree(c.codes).set_index("code_id")
    lim = _coded(c).assign(domain=lambda d: d["code_id"].map(tree["domain"])).query("domain == 'limits'")
    lim = lim.drop_duplicates("quote_id")
    v["limits_top_share"] = float(100.0 * lim["participant_id"].value_counts().iloc[0] / len(lim)) if len(lim) else 0.0
    counts = code_counts(corpus, [group]).set_index("level")
    v["n_codes"] = int(counts["n_entries"].get("코드", 0))
    v["n_entries"] = int(counts.at["(전체)", "n_entries"])
    v["n_with_quotes"] = int(counts.at["(전체)", "n_with_quotes"])
    digits = {"top_speaker_pct": 1, "top_pair_c": 2, "limits_top_share": 0}
    return {prefix + k: val for k, val in v.items()}, {prefix + k: d for k, d in digits.items()}


def theme_section(
    corpus: QualCorpus,
    group: str,
    domain: str,
    *,
    min_count: int = 1,
    content_level: str | None = None,
    theme_level: str = "대주제",
) -> dict[str, Any]:
    """Everything one theme table of a Chapter Ⅳ page shows, from the codebook.

    The text comes from the codebook's ``description`` column: the domain
    entry's description is the opening paragraph and each theme's description
    follows its name in a list, so a new codebook brings its own words.

    Parameters
    ----------
    corpus : QualCorpus
    group : str
    domain : str
        A key of :data:`DOMAIN_LABELS`.
    min_count, content_level
        Passed to :func:`theme_table`.
    theme_level : str
        The level whose entries are listed under the paragraph.

    Returns
    -------
    dict
        ``intro`` (Markdown: paragraph and theme list; empty when the group has
        no such domain), ``table`` (:func:`theme_table`), ``note`` (what the
        empty counts mean, or ``""``), ``n_quotes`` (quotes in the domain) and
        ``n_themes`` (entries at ``theme_level``) and ``title`` (the domain
        entry's name, the report's table title).

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> c = example_corpus()
    >>> c.codes["description"] = ["참여자가 겪은 변화", "정서적 회복", "", "사람들과의 관계"]
    >>> sec = theme_section(c, "practitioners", "outcomes")
    >>> print(sec["intro"])
    참여자가 겪은 변화
    <BLANKLINE>
    - **마음의 변화**: 정서적 회복
    - **관계의 변화**: 사람들과의 관계
    >>> sec["n_quotes"], sec["n_themes"], sec["note"]
    (4, 2, '')
    """
    c = corpus.subset(group)
    codes = c.codes.set_index("code_id")
    tree = code_tree(c.codes)
    in_domain = tree[tree["domain"] == domain]
    roots = in_domain[in_domain["parent_id"] == ""]
    themes = in_domain[in_domain["level"] == theme_level]
    parts = []
    for r in roots.itertuples(index=False):
        text = str(codes.at[r.code_id, "description"] or "").strip()
        if text:
            parts.append(text)
    items = []
    for t in themes.itertuples(index=False):
        desc = str(codes.at[t.code_id, "description"] or "").strip()
        items.append(f"- **{t.name}**" + (f": {desc}" if desc else ""))
    if items:
        parts.append("\n".join(items))
    table = theme_table(corpus, group, domain=domain, min_count=min_count, content_level=content_level)
    undivided = len(table) and table["인용 수"].map(lambda v: v is None).any()
    note = (
        "–: 인용을 이 주제별로 나누어 붙이지 않고 영역 전체에만 붙였기 때문에 주제별 수가 없습니다."
        if undivided
        else ""
    )
    freq = code_frequencies(corpus, group)
    n_quotes = int(freq.loc[(freq["parent_id"] == "") & (freq["domain"] == domain), "n_quotes"].sum())
    return {
        "intro": "\n\n".join(parts),
        "table": table,
        "note": note,
        "n_quotes": n_quotes,
        "n_themes": len(themes),
        "title": " / ".join(roots["name"]),
    }


def code_participant_matrix(corpus: QualCorpus, group: str, *, level: str | int, min_count: int = 0) -> pd.DataFrame:
    """Quotes per reporting unit and participant (long format, zeros included).

    Returns
    -------
    DataFrame
        ``code_id, name, participant_id, n_quotes`` for every unit with at least
        ``min_count`` quotes and every participant of the group, ordered by
        codebook and participant order.
    """
    c = corpus.subset(group)
    unit = reporting_unit(c, level)
    coded = _coded(c)
    coded = coded.assign(unit=coded["code_id"].map(unit))
    counts = coded.drop_duplicates(["unit", "segment_id"]).groupby(["unit", "participant_id"])["quote_id"].nunique()
    tree = code_tree(c.codes).set_index("code_id")
    units = [u for u in tree.index if u in set(unit.values)]
    totals = coded.drop_duplicates(["unit", "segment_id"]).groupby("unit")["quote_id"].nunique()
    units = [u for u in units if totals.get(u, 0) >= max(min_count, 1)]
    parts = list(c.participants["participant_id"])
    idx = pd.MultiIndex.from_product([units, parts], names=["code_id", "participant_id"])
    out = counts.rename_axis(["code_id", "participant_id"]).reindex(idx, fill_value=0).rename("n_quotes").reset_index()
    out.insert(1, "name", out["code_id"].map(tree["name"]))
    return out


def _overlap_units(seg: pd.DataFrame) -> pd.Series:
    """Cluster overlapping spans within each source; return a unit id per segment."""
    ordered = seg.sort_values(["session_id", "start", "end"])
    labels, k, cur_sid, cur_end = [], -1, None, -1
    for sid, s, e in zip(ordered["session_id"], ordered["start"], ordered["end"]):
        if sid != cur_sid or s >= cur_end:
            k += 1
            cur_sid, cur_end = sid, e
        else:
            cur_end = max(cur_end, e)
        labels.append(k)
    return pd.Series(labels, index=ordered.index).reindex(seg.index)


def cooccurrence(
    corpus: QualCorpus, group: str, *, level: str | int, unit: str = "segment", include_zero: bool = False
) -> pd.DataFrame:
    """Code co-occurrence with the c coefficient ``n_ab / (n_a + n_b - n_ab)``.

    Parameters
    ----------
    corpus : QualCorpus
    group : str
    level : str or int
        Reporting level of the codes.
    unit : {"segment", "participant", "session"}
        What two codes must share to co-occur. ``"segment"``: overlapping
        coded text in the same source (codes on one segment, or on segments
        whose spans overlap, such as a passage coded twice); ``"participant"``:
        the same speaker; ``"session"``: the same focus group.
    include_zero : bool
        Also list pairs that never co-occur.

    Returns
    -------
    DataFrame
        ``code_a, name_a, code_b, name_b, n_a, n_b, n_ab, c`` with ``n_a``,
        ``n_b`` the numbers of units holding each code; sorted by ``c`` then
        ``n_ab`` (descending).

    Notes
    -----
    The c coefficient is the one ATLAS.ti reports for its co-occurrence table
    (a Jaccard index over units); it is 0 when codes never meet and 1 when they
    always appear together.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> cooccurrence(example_corpus(), "practitioners", level="대주제")[["code_a", "code_b", "n_ab", "c"]]
      code_a code_b  n_ab     c
    0    D.1    D.2     1  0.25
    """
    if unit not in ("segment", "participant", "session"):
        raise ValueError(f"unit은 segment, participant, session 중 하나입니다 / unknown unit: {unit!r}")
    c = corpus.subset(group)
    umap = reporting_unit(c, level)
    seg = c.segments.set_index("segment_id", drop=False)
    if unit == "segment":
        units = _overlap_units(seg.reset_index(drop=True))
        units.index = seg.index
    elif unit == "participant":
        units = seg["participant_id"].where(seg["participant_id"] != "")
    else:
        units = seg["session_id"]
    coded = c.codings.assign(code=lambda d: d["code_id"].map(umap), unit=lambda d: d["segment_id"].map(units))
    coded = coded.dropna(subset=["unit"]).drop_duplicates(["unit", "code"])
    if coded.empty:
        return pd.DataFrame(columns=["code_a", "name_a", "code_b", "name_b", "n_a", "n_b", "n_ab", "c"])
    present = set(coded["code"])
    order = [u for u in code_tree(c.codes)["code_id"] if u in present]
    col = {u: k for k, u in enumerate(order)}
    rows, _ = pd.factorize(coded["unit"])
    m = np.zeros((rows.max() + 1, len(order)), dtype=np.int64)
    m[rows, coded["code"].map(col).to_numpy()] = 1
    both = m.T @ m
    n = np.diag(both)
    names = dict(zip(c.codes["code_id"], c.codes["name"]))
    rows = []
    for i in range(len(order)):
        for j in range(i + 1, len(order)):
            nab = int(both[i, j])
            if nab == 0 and not include_zero:
                continue
            denom = int(n[i] + n[j] - nab)
            rows.append(
                (
                    order[i],
                    names[order[i]],
                    order[j],
                    names[order[j]],
                    int(n[i]),
                    int(n[j]),
                    nab,
                    nab / denom if denom else 0.0,
                )
            )
    out = pd.DataFrame(rows, columns=["code_a", "name_a", "code_b", "name_b", "n_a", "n_b", "n_ab", "c"])
    return out.sort_values(["c", "n_ab"], ascending=False, kind="stable").reset_index(drop=True)


def representative_quotes(corpus: QualCorpus, group: str, *, level: str | int, n: int = 2) -> pd.DataFrame:
    """Up to ``n`` quotes per reporting unit, chosen by a fixed rule.

    Rule
    ----
    1. Candidates are the unit's segments; a segment whose span lies inside an
       already chosen one (the same passage quoted twice) is skipped.
    2. Candidates are ranked by how close their length is to the median length
       of the unit's segments (typical rather than the shortest or longest),
       then by report order (``quote_id``).
    3. Going down that ranking, a speaker is taken only once until every speaker
       of the unit has one quote; then the ranking is used again.

    Returns
    -------
    DataFrame
        ``code_id, name, rank, segment_id, participant_id, session_id, text,
        report_line, report_place`` in codebook order; ``report_place`` cites
        the report by chapter, section and subsection
        (:func:`jahwal.study.outline.cite`), the form shown to readers.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> q = representative_quotes(example_corpus(), "practitioners", level="대주제", n=1)
    >>> q[["code_id", "segment_id", "participant_id"]].values.tolist()
    [['D.1', 'S1', 'P01'], ['D.2', 'S2', 'P01']]
    """
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n은 0 이상의 정수여야 합니다 / n must be a non-negative integer: {n!r}")
    c = corpus.subset(group)
    umap = reporting_unit(c, level)
    seg = c.segments.set_index("segment_id")
    coded = c.codings.assign(unit=lambda d: d["code_id"].map(umap)).drop_duplicates(["unit", "segment_id"])
    tree = code_tree(c.codes).set_index("code_id")
    rows = []
    for u in [x for x in tree.index if x in set(coded["unit"])]:
        ids = coded.loc[coded["unit"] == u, "segment_id"].tolist()
        lens = seg.loc[ids, "text"].str.len()
        med = float(lens.median())
        ranked = sorted(
            ids, key=lambda s: (abs(len(seg.at[s, "text"]) - med), natural_key(seg.at[s, "quote_id"]), natural_key(s))
        )
        chosen: list[str] = []
        speakers_all = {seg.at[s, "participant_id"] for s in ids}
        while len(chosen) < min(n, len(ids)):
            used = {seg.at[s, "participant_id"] for s in chosen}
            fresh = used != speakers_all
            pick = None
            for s in ranked:
                if s in chosen:
                    continue
                inside = any(
                    seg.at[s, "session_id"] == seg.at[t, "session_id"]
                    and seg.at[t, "start"] <= seg.at[s, "start"]
                    and seg.at[s, "end"] <= seg.at[t, "end"]
                    for t in chosen
                )
                if inside or (fresh and seg.at[s, "participant_id"] in used):
                    continue
                pick = s
                break
            if pick is None:
                if not fresh:
                    break
                speakers_all = used  # every remaining candidate repeats a speaker
                continue
            chosen.append(pick)
        for k, s in enumerate(chosen, start=1):
            rows.append(
                (
                    u,
                    tree.at[u, "name"],
                    k,
                    s,
                    seg.at[s, "participant_id"],
                    seg.at[s, "session_id"],
                    seg.at[s, "text"],
                    seg.at[s, "report_line"],
                )
            )
    out = pd.DataFrame(
        rows, columns=["code_id", "name", "rank", "segment_id", "participant_id", "session_id", "text", "report_line"]
    )
    return out.assign(report_place=out["report_line"].map(cite))


# ---------------------------------------------------------------- participants
def participant_table(corpus: QualCorpus, group: str) -> pd.DataFrame:
    """The participant list of one group, as the report prints it (Korean headers).

    Columns: ``참여자`` (pseudonym), ``보고서 표기``, ``성별``, ``연령``,
    ``담당업무`` (when any is given), the tenure column (``자활사례관리 경력``
    for practitioners, ``자활사례관리 참여기간`` for residents) and ``회기``
    (``회기(가정)`` when a session of the group is an assumed assignment).
    """
    p = corpus.subset(group).participants
    out = pd.DataFrame(
        {
            "참여자": p["participant_id"],
            "보고서 표기": p["report_label"],
            "성별": p["sex"],
            "연령": p["age"],
            "담당업무": p["role"],
            TENURE_LABELS.get(group, "참여기간"): p["tenure_text"],
            "회기": p["session_id"],
        }
    )
    sessions = corpus.subset(group).sessions
    if "assumed" in sessions.columns and sessions["assumed"].astype(bool).any():
        out = out.rename(columns={"회기": "회기(가정)"})  # the assignment is not in the report
    for col in ("보고서 표기", "성별", "담당업무", TENURE_LABELS.get(group, "참여기간")):
        if (out[col].astype(str) == "").all():
            out = out.drop(columns=col)
    if out["연령"].isna().all():
        out = out.drop(columns="연령")
    return out.reset_index(drop=True)


def _age_band(age: float) -> str:
    return "" if pd.isna(age) else f"{int(age) // 10 * 10}대"


def _tenure_band(months: float, bins: Sequence[int]) -> str:
    if pd.isna(months):
        return ""
    edges = list(bins)
    for lo, hi in zip(edges[:-1], edges[1:]):
        if lo <= months < hi:
            return _tenure_label(lo, hi)
    return _tenure_label(edges[-1], math.inf)


def _tenure_label(lo: float, hi: float) -> str:
    def yr(m: float) -> str:
        return f"{m / 12:g}"

    if lo == 0:
        return f"{yr(hi)}년 미만"
    if math.isinf(hi):
        return f"{yr(lo)}년 이상"
    return f"{yr(lo)}–{yr(hi)}년 미만"


def participant_profile(
    corpus: QualCorpus, groups: Iterable[str], *, tenure_bins: Sequence[int] = (0, 12, 36, 60, 120)
) -> pd.DataFrame:
    """Counts of participants by sex, age band and tenure band, per group.

    Parameters
    ----------
    corpus : QualCorpus
    groups : list of str
    tenure_bins : sequence of int
        Month edges of the tenure bands (the last band is open).

    Returns
    -------
    DataFrame
        ``group, attribute, category, n, share`` with attribute 성별, 연령대 or
        기간 and ``share`` in percent of the group.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> participant_profile(example_corpus(), ["practitioners"]).query("attribute == '성별'")[["category", "n"]].values.tolist()
    [['남', 1], ['여', 1]]
    """
    bins = list(tenure_bins)
    if len(bins) < 2 or bins != sorted(bins) or bins[0] != 0:
        raise ValueError(
            f"tenure_bins는 0에서 시작하는 오름차순이어야 합니다 / tenure_bins must rise from 0: {tenure_bins!r}"
        )
    rows = []
    for g in groups:
        p = corpus.subset(g).participants
        total = len(p)
        cats = {
            "성별": p["sex"].replace("", pd.NA).dropna(),
            "연령대": p["age"].map(_age_band).replace("", pd.NA).dropna(),
            "기간": p["tenure_months"].map(lambda m: _tenure_band(m, bins)).replace("", pd.NA).dropna(),
        }
        order = {"기간": [_tenure_label(lo, hi) for lo, hi in zip(bins, bins[1:] + [math.inf])]}
        for attr, s in cats.items():
            counts = s.value_counts()
            keys = order.get(attr) or sorted(counts.index, key=natural_key)
            for k in keys:
                n = int(counts.get(k, 0))
                rows.append((g, attr, k, n, 100.0 * n / total if total else float("nan")))
    return pd.DataFrame(rows, columns=["group", "attribute", "category", "n", "share"])


def profile_table(profile: pd.DataFrame) -> pd.DataFrame:
    """:func:`participant_profile` side by side: one row per category, count and percent per group."""
    groups = list(dict.fromkeys(profile["group"]))
    keys = profile[["attribute", "category"]].drop_duplicates()
    out = keys.rename(columns={"attribute": "구분", "category": "범주"}).reset_index(drop=True)
    for g in groups:
        sub = profile[profile["group"] == g].set_index(["attribute", "category"])
        idx = list(zip(keys["attribute"], keys["category"]))
        lab = GROUP_LABELS.get(g, g)
        out[f"{lab}(명)"] = [int(sub["n"].get(i, 0)) for i in idx]
        out[f"{lab}(%)"] = [float(sub["share"].get(i, 0.0)) for i in idx]
    return out


def session_table(corpus: QualCorpus, groups: Iterable[str]) -> pd.DataFrame:
    """The focus-group sessions with Korean headers (집단, 회기, 기관, 참여자 수, 기간, 시간(분), 장소, 가정)."""
    rows = []
    for g in groups:
        s = corpus.subset(g).sessions
        n = corpus.subset(g).participants.groupby("session_id").size()
        for r in s.itertuples(index=False):
            period = " – ".join(x for x in (r.date_start, r.date_end) if x) or "보고서에 없음"
            rows.append(
                {
                    "집단": GROUP_LABELS.get(g, g),
                    "회기": r.session_id,
                    "기관": r.site or "–",
                    "참여자 수": int(n.get(r.session_id, 0)),
                    "기간": period,
                    "시간(분)": "–" if pd.isna(r.duration_min) else str(int(r.duration_min)),
                    "장소": r.place or "–",
                    "배정": "가정" if r.assumed else "보고서",
                }
            )
    return pd.DataFrame(rows, columns=["집단", "회기", "기관", "참여자 수", "기간", "시간(분)", "장소", "배정"])


def participant_summary(corpus: QualCorpus, groups: Iterable[str]) -> pd.DataFrame:
    """Per group: participants, women, men, mean/min/max age, median tenure (months)."""
    rows = []
    for g in groups:
        p = corpus.subset(g).participants
        age = p["age"].astype("Float64")
        rows.append(
            {
                "group": g,
                "n_total": len(p),
                "n_female": int((p["sex"] == "여").sum()),
                "n_male": int((p["sex"] == "남").sum()),
                "mean_age": float(age.mean()),
                "min_age": float(age.min()),
                "max_age": float(age.max()),
                "median_tenure_months": float(p["tenure_months"].astype("Float64").median()),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- comparison
def domain_comparison(
    corpus: QualCorpus, groups: Iterable[str], *, domains: Sequence[str] = SHARED_DOMAINS
) -> pd.DataFrame:
    """How much each group's talk falls in each domain, side by side.

    Returns
    -------
    DataFrame
        ``group, domain, domain_label, n_quotes, share_quotes, n_participants,
        share_participants``: quotes in the domain, their percentage of all of
        the group's quotes, the speakers quoted there and their percentage of
        the group's participants. Domains a group has no theme table for get 0.
    """
    unknown = [d for d in domains if d not in DOMAIN_LABELS]
    if unknown:
        raise ValueError(f"알 수 없는 영역 / unknown domains: {unknown} (known: {list(DOMAIN_LABELS)})")
    rows = []
    for g in groups:
        c = corpus.subset(g)
        tree = code_tree(c.codes).set_index("code_id")
        coded = _coded(c).assign(domain=lambda d: d["code_id"].map(tree["domain"]))
        total_q = coded["quote_id"].nunique()
        total_p = len(c.participants)
        for d in domains:
            sub = coded[coded["domain"] == d]
            nq = sub["quote_id"].nunique()
            npart = sub.loc[sub["participant_id"] != "", "participant_id"].nunique()
            rows.append(
                (
                    g,
                    d,
                    DOMAIN_LABELS[d],
                    nq,
                    100.0 * nq / total_q if total_q else 0.0,
                    npart,
                    100.0 * npart / total_p if total_p else 0.0,
                )
            )
    return pd.DataFrame(
        rows,
        columns=["group", "domain", "domain_label", "n_quotes", "share_quotes", "n_participants", "share_participants"],
    )


def side_by_side(
    corpus: QualCorpus,
    groups: Sequence[str],
    *,
    domains: Sequence[str] = SHARED_DOMAINS,
    level: str | int = "대주제",
    top: int | None = None,
) -> pd.DataFrame:
    """Each group's themes in each domain, ranked by quotes, next to each other.

    Returns
    -------
    DataFrame
        ``domain_label, rank`` and, per group, ``<group label> 주제`` and
        ``<group label> 인용 수`` (empty where a group has fewer themes).
    """
    per = {}
    for g in groups:
        c = corpus.subset(g)
        umap = reporting_unit(c, level)
        tree = code_tree(c.codes).set_index("code_id")
        coded = _coded(c).assign(unit=lambda d: d["code_id"].map(umap))
        coded = coded.drop_duplicates(["unit", "segment_id"])
        counts = coded.groupby("unit")["quote_id"].nunique()
        t = tree.loc[list(counts.index)].assign(n=counts)
        t["label"] = np.where(t["parent_id"] == "", t["name"] + " (영역 전체)", t["name"])
        per[g] = t
    rows = []
    for d in domains:
        lists = {}
        for g in groups:
            t = per[g][per[g]["domain"] == d].sort_values(["n", "order"], ascending=[False, True])
            lists[g] = list(zip(t["label"], t["n"]))
            if top is not None:
                lists[g] = lists[g][:top]
        depth = max((len(v) for v in lists.values()), default=0)
        for k in range(max(depth, 1)):
            row = {"domain_label": DOMAIN_LABELS[d], "rank": k + 1}
            for g in groups:
                lab = GROUP_LABELS.get(g, g)
                name, n = lists[g][k] if k < len(lists[g]) else ("(해당 주제 없음)" if k == 0 else "", pd.NA)
                row[f"{lab} 주제"] = name
                row[f"{lab} 인용 수"] = n
            rows.append(row)
    out = pd.DataFrame(rows)
    for col in [c for c in out.columns if c.endswith("인용 수")]:
        out[col] = out[col].astype("Int64")
    return out


def comparison_values(
    corpus: QualCorpus, groups: Sequence[str], *, top: int, domains: Sequence[str] = SHARED_DOMAINS, prefix: str = ""
) -> tuple[dict[str, Any], dict[str, int]]:
    """The numbers and names the group-comparison page cites (two groups).

    Parameters
    ----------
    corpus : QualCorpus
    groups : sequence of two str
        The first is called ``p``, the second ``r`` in the keys.
    top : int
        Themes per group and domain in the side-by-side table.
    domains : sequence of str
    prefix : str
        Put before every key.

    Returns
    -------
    (dict, dict)
        Values and decimal places. Keys: ``total_p, total_r`` (quotes);
        ``<p|r>_<domain>`` (percent of the group's quotes); ``lean_p, lean_r``
        (the domain where each group's share is most above the other's);
        ``missing`` (domains a group has no theme for, e.g. ``실무자: 한계``,
        or ``없음``); ``top`` and ``top_<p|r>_<domain>`` (each group's theme
        with most quotes at 대주제 level).

    Examples
    --------
    >>> from jahwal.qual import load_corpus
    >>> v, d = comparison_values(load_corpus("data/qualitative"), ["practitioners", "residents"], top=3)
    >>> v["total_p"], v["total_r"], v["lean_p"], v["lean_r"], v["missing"], d["p_outcomes"]
    (140, 88, '성과 요인', '한계', '실무자: 한계', 1)
    """
    if len(groups) != 2:
        raise ValueError(f"두 집단이 필요합니다 / two groups are needed: {list(groups)!r}")
    comparison = domain_comparison(corpus, groups, domains=domains)
    share = comparison.set_index(["group", "domain"])["share_quotes"]
    keys = (("p", groups[0]), ("r", groups[1]))
    v: dict[str, Any] = {f"total_{k}": int(corpus.subset(g).segments["quote_id"].nunique()) for k, g in keys}
    v.update({f"{k}_{d}": float(share[(g, d)]) for k, g in keys for d in domains})
    diff = pd.Series({d: share[(groups[0], d)] - share[(groups[1], d)] for d in domains})
    v["lean_p"], v["lean_r"] = DOMAIN_LABELS[diff.idxmax()], DOMAIN_LABELS[diff.idxmin()]
    missing = [
        f"{GROUP_LABELS.get(g, g)}: {DOMAIN_LABELS[d]}"
        for k, g in keys
        for d in domains
        if comparison.set_index(["group", "domain"]).at[(g, d), "n_quotes"] == 0
    ]
    v["missing"] = ", ".join(dict.fromkeys(missing)) or "없음"
    pairs = side_by_side(corpus, groups, domains=domains, level="대주제", top=top)
    first = pairs[pairs["rank"] == 1].set_index("domain_label")
    v["top"] = top
    for k, g in keys:
        for d in domains:
            v[f"top_{k}_{d}"] = first.at[DOMAIN_LABELS[d], f"{GROUP_LABELS.get(g, g)} 주제"]
    digits = {f"{k}_{d}": 1 for k, _ in keys for d in domains}
    return {prefix + k: x for k, x in v.items()}, {prefix + k: n for k, n in digits.items()}


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """:func:`domain_comparison` for display (group and domain in Korean, counts and percents)."""
    table = comparison.assign(group=comparison["group"].map(lambda g: GROUP_LABELS.get(g, g))).drop(columns="domain")
    return korean(table)
