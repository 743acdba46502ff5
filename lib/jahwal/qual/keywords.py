"""Korean keywords per theme: nouns from a morphological analyser, distinctive terms.

Nouns come from kiwipiepy (Kiwi), with the field's compound words registered
so they stay whole (사례관리, 사업단, 게이트웨이 …). Distinctive terms are
ranked by the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008), each theme against all other themes, or by
TF-IDF over themes.

References
----------
Monroe, B. L., Colaresi, M. P., & Quinn, K. M. (2008). Fightin' words: Lexical
feature selection and evaluation for identifying the content of political
conflict. *Political Analysis*, 16(4), 372–403.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .analysis import code_tree, reporting_unit
from .model import QualCorpus

#: compounds of the field kept as one noun
DOMAIN_WORDS = (
    "사례관리",
    "사례관리자",
    "사례관리팀",
    "자활",
    "자활근로",
    "자활사업",
    "자활센터",
    "사업단",
    "사업팀",
    "게이트웨이",
    "탈수급",
    "참여주민",
    "참여자",
    "실무자",
    "자격증",
    "슈퍼비전",
    "라포",
    "자존감",
    "자립",
    "검정고시",
    "센터장",
    "팀장",
    "반장",
    "동아리",
    "전세임대",
    "간병",
    "자산형성",
    "상담",
    "근로",
    "월차",
    "최저임금",
    "주민센터",
    "구청",
)
#: nouns too general to tell themes apart
STOPWORDS = frozenset(
    "것 수 거 등 때 분 데 저 제 뭐 이거 그거 저거 우리 정도 경우 부분 생각 얘기 이야기 말 번 중 안 위 점 게 건 걸 "
    "거기 여기 저기 그때 지금 이제 하나 하나하나 자기 본인 사람 뭔가 누구 다음 처음 나중 때문 정말 진짜 예전 요즘 "
    "대부분 사이 동안 만큼 가지 무엇 어디 언제".split()
)


@lru_cache(maxsize=1)
def kiwi():
    """The shared Kiwi analyser with the field's words registered.

    Raises
    ------
    RuntimeError
        When kiwipiepy or its model is not installed.
    """
    try:
        from kiwipiepy import Kiwi
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise RuntimeError("형태소 분석기(kiwipiepy)가 설치되지 않았습니다 / kiwipiepy is not installed") from exc
    try:
        k = Kiwi()
    except Exception as exc:  # pragma: no cover - model missing
        raise RuntimeError(
            f"Kiwi 모형을 불러오지 못했습니다(kiwipiepy_model 설치 필요) / cannot load the Kiwi model: {exc}"
        ) from exc
    for w in DOMAIN_WORDS:
        k.add_user_word(w, "NNG", 0.0)
    return k


def nouns(
    text: str, *, tags: Sequence[str] = ("NNG", "NNP"), min_len: int = 2, stopwords: Iterable[str] = STOPWORDS
) -> list[str]:
    """The nouns of ``text`` in order (general and proper nouns by default).

    Examples
    --------
    >>> nouns("사례관리 선생님이 자격증 공부를 도와주셨어요.")
    ['사례관리', '선생님', '자격증', '공부']
    """
    stop = set(stopwords)
    out = []
    toks = kiwi().tokenize(text)
    for i, t in enumerate(toks):
        if t.tag not in tags:
            continue
        form = t.form
        if (
            i + 1 < len(toks)
            and toks[i + 1].tag == "XSN"
            and toks[i + 1].form == "님"
            and toks[i + 1].start == t.start + t.len
        ):
            form += "님"
        if len(form) >= min_len and form not in stop:
            out.append(form)
    return out


def theme_terms(
    corpus: QualCorpus, group: str, *, level: str | int, min_len: int = 2, stopwords: Iterable[str] = STOPWORDS
) -> pd.DataFrame:
    """Noun counts per reporting unit (theme).

    Returns
    -------
    DataFrame
        ``code_id, name, term, n, n_docs``: occurrences of the noun in the
        theme's segments and the number of those segments containing it. A
        segment counts once per theme even when coded twice under it.
    """
    c = corpus.subset(group)
    umap = reporting_unit(c, level)
    seg = c.segments.set_index("segment_id")
    coded = c.codings.assign(code_id=lambda d: d["code_id"].map(umap)).drop_duplicates(["code_id", "segment_id"])
    stop = frozenset(stopwords)
    cache = {s: nouns(seg.at[s, "text"], min_len=min_len, stopwords=stop) for s in coded["segment_id"].unique()}
    rows = [(u, s, w) for u, s in zip(coded["code_id"], coded["segment_id"]) for w in cache[s]]
    long = pd.DataFrame(rows, columns=["code_id", "segment_id", "term"])
    if long.empty:
        return pd.DataFrame(columns=["code_id", "name", "term", "n", "n_docs"])
    out = (
        long.groupby(["code_id", "term"]).agg(n=("segment_id", "size"), n_docs=("segment_id", "nunique")).reset_index()
    )
    tree = code_tree(c.codes).set_index("code_id")
    out.insert(1, "name", out["code_id"].map(tree["name"]))
    out["_o"] = out["code_id"].map(tree["order"])
    out = out.sort_values(["_o", "n", "term"], ascending=[True, False, True]).drop(columns="_o")
    return out.reset_index(drop=True)


def distinctive_terms(terms: pd.DataFrame, *, method: str = "log_odds", top: int = 10, min_n: int = 1) -> pd.DataFrame:
    """The terms most typical of each theme compared with the other themes.

    Parameters
    ----------
    terms : DataFrame
        Output of :func:`theme_terms` (``code_id, name, term, n``).
    method : {"log_odds", "tfidf"}
        ``log_odds``: z-score of the weighted log-odds ratio, theme against all
        other themes, with the pooled counts as informative Dirichlet prior.
        ``tfidf``: term share in the theme × log(number of themes / themes
        using the term).
    top : int
        Terms kept per theme.
    min_n : int
        Ignore terms that occur fewer times in the theme.

    Returns
    -------
    DataFrame
        ``code_id, name, rank, term, n, score``.

    Examples
    --------
    >>> t = pd.DataFrame({"code_id": ["A", "A", "B", "B"], "name": ["a", "a", "b", "b"],
    ...                   "term": ["술", "상담", "상담", "집"], "n": [5, 1, 1, 4]})
    >>> distinctive_terms(t, top=1)[["code_id", "term"]].values.tolist()
    [['A', '술'], ['B', '집']]
    """
    if method not in ("log_odds", "tfidf"):
        raise ValueError(f"method는 log_odds 또는 tfidf입니다 / unknown method: {method!r}")
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top은 1 이상의 정수여야 합니다 / top must be a positive integer: {top!r}")
    need = {"code_id", "name", "term", "n"}
    if not need <= set(terms.columns):
        raise ValueError(f"terms에 열 {sorted(need - set(terms.columns))}이 없습니다 / missing columns")
    if terms.empty:
        return pd.DataFrame(columns=["code_id", "name", "rank", "term", "n", "score"])
    t = terms[["code_id", "name", "term", "n"]].copy()
    y_w = t.groupby("term")["n"].sum()
    n_i = t.groupby("code_id")["n"].sum()
    total = float(y_w.sum())
    if method == "log_odds":
        a_w = t["term"].map(y_w).astype(float)  # informative prior: pooled counts
        a0 = total
        y_iw = t["n"].astype(float)
        y_jw = a_w - y_iw  # the same term in the other themes
        ni = t["code_id"].map(n_i).astype(float)
        nj = total - ni
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.log((y_iw + a_w) / (ni + a0 - y_iw - a_w)) - np.log((y_jw + a_w) / (nj + a0 - y_jw - a_w))
            var = 1.0 / (y_iw + a_w) + 1.0 / (y_jw + a_w)
            t["score"] = d / np.sqrt(var)
    else:
        n_themes = t["code_id"].nunique()
        df_w = t.groupby("term")["code_id"].nunique()
        t["score"] = t["n"] / t["code_id"].map(n_i) * np.log(n_themes / t["term"].map(df_w))
    t = t[t["n"] >= min_n]
    t = t.sort_values(["code_id", "score", "n", "term"], ascending=[True, False, False, True], kind="stable")
    t["rank"] = t.groupby("code_id").cumcount() + 1
    t = t[t["rank"] <= top]
    order = {c: k for k, c in enumerate(dict.fromkeys(terms["code_id"]))}
    t = t.sort_values(["code_id", "rank"], key=lambda s: s.map(order) if s.name == "code_id" else s)
    return t[["code_id", "name", "rank", "term", "n", "score"]].reset_index(drop=True)


def top_nouns(terms: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The most frequent nouns of each theme (``code_id, name, rank, term, n``)."""
    t = terms.sort_values(["code_id", "n", "term"], ascending=[True, False, True], kind="stable").copy()
    t["rank"] = t.groupby("code_id").cumcount() + 1
    t = t[t["rank"] <= top]
    order = {c: k for k, c in enumerate(dict.fromkeys(terms["code_id"]))}
    t = t.sort_values(["code_id", "rank"], key=lambda s: s.map(order) if s.name == "code_id" else s)
    return t[["code_id", "name", "rank", "term", "n"]].reset_index(drop=True)


def themes_without_keywords(terms: pd.DataFrame, *, min_n: int) -> int:
    """How many themes have no noun occurring at least ``min_n`` times (no distinctive term to show).

    Examples
    --------
    >>> t = pd.DataFrame({"code_id": ["A", "A", "B"], "name": ["a", "a", "b"], "term": ["술", "집", "누룽지"], "n": [3, 1, 1]})
    >>> themes_without_keywords(t, min_n=2)
    1
    """
    best = terms.groupby("code_id")["n"].max()
    return int((best < min_n).sum())


def keyword_table(terms: pd.DataFrame, *, top: int = 5, min_n: int = 1) -> pd.DataFrame:
    """Per theme, the most frequent nouns and the most distinctive terms (Korean headers).

    Parameters
    ----------
    terms : DataFrame
        Output of :func:`theme_terms`.
    top : int
        Terms per theme in each column.
    min_n : int
        A distinctive term must occur at least this often in the theme; a term
        seen once says little about a theme, however rare it is elsewhere.

    Returns
    -------
    DataFrame
        ``주제, 빈출 명사, 특징어``: terms joined with their counts, e.g. ``상담(4)``.
    """
    freq = top_nouns(terms, top=top)
    dist = distinctive_terms(terms, top=top, min_n=min_n)

    def fmt(d: pd.DataFrame) -> pd.Series:
        return d.assign(t=d["term"] + "(" + d["n"].astype(str) + ")").groupby("code_id", sort=False)["t"].agg(", ".join)

    names = terms.drop_duplicates("code_id").set_index("code_id")["name"]
    out = pd.DataFrame({"주제": names, "빈출 명사": fmt(freq), "특징어": fmt(dist)}).fillna("")
    return out.reset_index(drop=True)
