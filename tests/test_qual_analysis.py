"""Summaries of a coded corpus: counting rules, co-occurrence, quotes, profiles, keywords."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from jahwal.qual import (
    QualDataError,
    code_frequencies,
    code_participant_matrix,
    cooccurrence,
    domain_comparison,
    example_corpus,
    korean,
    load_corpus,
    participant_profile,
    participant_table,
    reporting_unit,
    representative_quotes,
    side_by_side,
    theme_table,
)
from jahwal.qual.keywords import distinctive_terms, nouns, theme_terms, top_nouns

QUAL = Path(__file__).resolve().parents[1] / "data" / "qualitative"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(QUAL)


@pytest.fixture()
def tiny():
    return example_corpus()


def test_counts_roll_up_without_double_counting(tiny):
    f = code_frequencies(tiny).set_index("code_id")
    # S2 is coded to both D.1 and D.2: the domain counts it once
    assert f.at["D", "n_quotes"] == 4 and f.at["D", "n_segments"] == 4
    assert f.at["D.1", "n_quotes"] == 3 and f.at["D.1", "n_quotes_direct"] == 1
    assert f.at["D.1.a", "n_participants"] == 2 and f.at["D.1.a", "n_sessions"] == 1
    assert code_frequencies(tiny, level="대주제")["code_id"].tolist() == ["D.1", "D.2"]
    assert code_frequencies(tiny, min_count=3)["code_id"].tolist() == ["D", "D.1"]
    with pytest.raises(ValueError, match="min_count"):
        code_frequencies(tiny, min_count=-1)
    with pytest.raises(ValueError, match="level not in the codebook"):
        reporting_unit(tiny, "없는수준")


def test_reporting_unit_keeps_codes_above_the_level(corpus):
    unit = reporting_unit(corpus.subset("residents"), "하위주제")
    assert unit["R7.A1.a"] == "R7.A1" and unit["R8.D1.a"] == "R8.D1" and unit["R9"] == "R9"
    m = code_participant_matrix(corpus, "residents", level="하위주제")
    assert m["code_id"].nunique() == 26  # 25 sub-themes with quotes + the undivided factors (표 Ⅳ-9)
    assert m["participant_id"].nunique() == 25 and m["n_quotes"].sum() == 89
    assert m.query("code_id == 'R10.F4' and participant_id == 'R18'")["n_quotes"].item() == 2


def test_theme_table_IV_3_has_report_counts(corpus):
    t = theme_table(corpus, "practitioners", top_id="P3")
    assert t.columns.tolist() == ["대주제", "하위주제", "코드", "인용 수", "참여자 수", "회기 수"]
    assert t.iloc[0].tolist()[:4] == ["(영역 전체)", "", "", 29]
    row = t[t["대주제"] == "참여주민의 자립 및 자활 역량의 개발과 강화"].iloc[0]
    assert (row["인용 수"], row["참여자 수"]) == (20, 12)
    assert t["코드"].str.startswith("– ").sum() == 4  # 세부코드 rows of 표 Ⅳ-3 that carry quotes
    r9 = theme_table(corpus, "residents", top_id="R9")
    assert r9["인용 수"].tolist() == [5]  # 표 Ⅳ-9: quotes are not split by factor
    with pytest.raises(ValueError, match="not in the codebook"):
        theme_table(corpus, "residents", top_id="P3")


def test_cooccurrence_coefficient(tiny):
    seg = cooccurrence(tiny, "practitioners", level="대주제")
    assert seg[["code_a", "code_b", "n_a", "n_b", "n_ab"]].values.tolist() == [["D.1", "D.2", 3, 2, 1]]
    assert seg["c"].item() == pytest.approx(1 / (3 + 2 - 1))
    part = cooccurrence(tiny, "practitioners", level="대주제", unit="participant")
    assert part["c"].item() == 1.0  # both speakers talk about both themes
    with pytest.raises(ValueError, match="unknown unit"):
        cooccurrence(tiny, "practitioners", level="대주제", unit="word")


def test_cooccurrence_on_overlapping_spans(tiny):
    seg = tiny.segments.copy()
    # a second selection inside S3 (the same passage coded again, as a report quoting it twice would)
    extra = seg.iloc[[2]].assign(segment_id="S5", quote_id="S5", start=seg.iloc[2]["start"] + 1)
    extra["text"] = tiny.sources["text"].iloc[0][extra["start"].item() : extra["end"].item()]
    codings = pd.concat([tiny.codings, pd.DataFrame({"segment_id": ["S5"], "code_id": ["D.2"]})])
    t2 = replace(tiny, segments=pd.concat([seg, extra]), codings=codings).validate()
    pairs = cooccurrence(t2, "practitioners", level="대주제")
    assert pairs["n_ab"].item() == 2  # S2 (two codes) and the S3/S5 overlap


def test_representative_quotes_rule(corpus, tiny):
    q = representative_quotes(corpus, "practitioners", level="대주제", n=2)
    assert q.groupby("code_id").size().max() == 2
    # distinct speakers within a theme whenever the theme has two or more
    multi = q.groupby("code_id")["participant_id"].nunique()
    single_speaker = {"P3.4"}  # one quote only
    assert (multi.drop(single_speaker, errors="ignore") == 2).all()
    # P4.1.2 holds PQ049's twin PQ077; a span inside a chosen one is never chosen with it
    both = q[q["segment_id"].isin(["PQ049", "PQ077"])]
    assert both["code_id"].nunique() == len(both)
    # median-length rule on the tiny corpus: D.1 lengths 13/16/9 -> median 13 -> S1, then a new speaker (S3)
    t = representative_quotes(tiny, "practitioners", level="대주제", n=3)
    assert t.query("code_id == 'D.1'")["segment_id"].tolist() == ["S1", "S3", "S2"]
    assert len(representative_quotes(tiny, "practitioners", level="대주제", n=0)) == 0


def test_participant_tables_and_profiles_IV_1_IV_6(corpus):
    p = participant_table(corpus, "practitioners")
    assert p.columns.tolist() == ["참여자", "보고서 표기", "성별", "연령", "담당업무", "자활사례관리 경력", "회기"]
    r = participant_table(corpus, "residents")
    assert "담당업무" not in r.columns and "자활사례관리 참여기간" in r.columns and len(r) == 25
    prof = participant_profile(corpus, ["practitioners", "residents"]).set_index(["group", "attribute", "category"])
    assert prof.loc[("practitioners", "연령대", "40대"), "n"] == 8
    assert prof.loc[("residents", "연령대", "30대"), "n"] == 9
    assert prof.loc[("residents", "기간", "1–3년 미만"), "n"] == 13
    assert prof.loc[("practitioners", "기간", "10년 이상"), "n"] == 7
    with pytest.raises(ValueError, match="tenure_bins"):
        participant_profile(corpus, ["residents"], tenure_bins=(12, 0))


def test_domain_comparison_and_side_by_side(corpus):
    d = domain_comparison(corpus, ["practitioners", "residents"]).set_index(["group", "domain"])
    assert d.loc[("practitioners", "factors"), "n_quotes"] == 43  # 표 Ⅳ-4
    assert d.loc[("residents", "limits"), "n_quotes"] == 13  # 표 Ⅳ-10
    assert d.loc[("practitioners", "limits"), "n_quotes"] == 0  # no limits table for practitioners
    assert d.loc[("residents", "outcomes"), "share_quotes"] == pytest.approx(100 * 18 / 88)
    assert d.loc[("residents", "limits"), "n_participants"] == 7
    s = side_by_side(corpus, ["practitioners", "residents"], top=2)
    assert s.columns.tolist() == ["domain_label", "rank", "실무자 주제", "실무자 인용 수", "주민 주제", "주민 인용 수"]
    first = s[(s["domain_label"] == "성과") & (s["rank"] == 1)].iloc[0]
    assert (first["실무자 주제"], first["실무자 인용 수"]) == ("참여주민의 자립 및 자활 역량의 개발과 강화", 20)
    assert s[s["domain_label"] == "한계"]["실무자 주제"].iloc[0] == "(해당 주제 없음)"
    with pytest.raises(ValueError, match="unknown domains"):
        domain_comparison(corpus, ["residents"], domains=["money"])


def test_unknown_group_is_named(corpus):
    with pytest.raises(ValueError, match="not in the corpus"):
        corpus.subset("staff")


def test_validate_catches_inconsistent_corpus(tiny):
    bad = replace(tiny, codings=pd.concat([tiny.codings, pd.DataFrame({"segment_id": ["S1"], "code_id": ["D"]})]))
    with pytest.raises(QualDataError, match="coded to a category"):
        bad.validate()
    seg = tiny.segments.copy()
    seg.loc[0, "end"] = 10_000
    with pytest.raises(QualDataError, match="offsets outside the text"):
        replace(tiny, segments=seg).validate()


def test_korean_headers():
    assert korean(pd.DataFrame(columns=["n_quotes", "c", "other"])).columns.tolist() == ["인용 수", "c 계수", "other"]


def test_nouns_and_distinctive_terms(corpus):
    assert nouns("게이트웨이에서 사례관리자 선생님이 자존감을 높여 주셨어요.") == [
        "게이트웨이",
        "사례관리자",
        "선생님",
        "자존감",
    ]
    terms = theme_terms(corpus, "residents", level="대주제")
    assert {"code_id", "name", "term", "n", "n_docs"} <= set(terms.columns)
    health = terms[terms["code_id"] == "R8.D5"].set_index("term")["n"]
    assert health.get("치료", 0) >= 2
    top = distinctive_terms(terms, top=3)
    assert top.groupby("code_id").size().max() == 3
    assert "자격증" in top[top["code_id"] == "R8.D4"]["term"].tolist()
    tf = distinctive_terms(terms, method="tfidf", top=3)
    assert (tf["score"] >= 0).all()
    assert top_nouns(terms, top=1)["rank"].eq(1).all()
    with pytest.raises(ValueError, match="unknown method"):
        distinctive_terms(terms, method="chi2")


def test_display_tables_and_domains(corpus):
    from jahwal.qual import profile_table, session_table

    s = session_table(corpus, ["practitioners", "residents"])
    assert s["참여자 수"].tolist() == [4, 4, 5, 5, 4, 5, 5, 5, 5, 5]
    assert (s["배정"] == "가정").all() and s.loc[5, "시간(분)"] == "120"
    prof = profile_table(participant_profile(corpus, ["practitioners", "residents"]))
    women = prof[(prof["구분"] == "성별") & (prof["범주"] == "여")].iloc[0]
    assert (women["실무자(명)"], women["주민(명)"]) == (17, 18)
    lim = theme_table(corpus, "residents", domain="limits")
    assert lim["인용 수"].iloc[0] == 13 and len(lim) == 7  # 표 Ⅳ-10: domain row + F1–F6
    assert theme_table(corpus, "practitioners", domain="limits").empty
    with pytest.raises(ValueError, match="unknown domain"):
        theme_table(corpus, "residents", domain="money")


def test_keyword_table_and_figures(corpus):
    import matplotlib

    from jahwal.display.figures import set_theme
    from jahwal.qual import plots
    from jahwal.qual.keywords import keyword_table

    set_theme()  # the Korean font
    terms = theme_terms(corpus, "practitioners", level="대주제")
    table = keyword_table(terms, top=3)
    assert table.columns.tolist() == ["주제", "빈출 명사", "특징어"] and len(table) == 16
    assert table["빈출 명사"].str.match(r"^\S+\(\d+\)").all()
    figs = [
        plots.profile_figure(participant_profile(corpus, ["practitioners", "residents"])),
        plots.heatmap_figure(code_participant_matrix(corpus, "practitioners", level="대주제")),
        plots.domain_figure(domain_comparison(corpus, ["practitioners", "residents"])),
        plots.keyword_figure(distinctive_terms(terms, top=3)),
    ]
    assert figs[0].axes[0].get_ylabel() == "참여자 수(명)" and figs[1].axes[0].get_xlabel() == "참여자"
    for f in figs:
        matplotlib.pyplot.close(f)
