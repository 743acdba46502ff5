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
    theme_section,
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
    assert t.columns.tolist() == ["대주제", "하위주제", "코드", "인용 수", "참여자 수"]
    assert theme_table(corpus, "practitioners", top_id="P3", sessions=True).columns[-1] == "회기 수(가정)"
    assert t.iloc[0].tolist()[:4] == ["(영역 전체)", "", "", 29]
    row = t[t["대주제"] == "참여주민의 자립 및 자활 역량의 개발과 강화"].iloc[0]
    assert (row["인용 수"], row["참여자 수"]) == (20, 12)
    assert t["코드"].str.startswith("– ").sum() == 4  # 세부코드 rows of 표 Ⅳ-3 that carry quotes
    r9 = theme_table(corpus, "residents", top_id="R9", content_level="코드")
    assert r9["인용 수"].tolist() == [5, None, None, None, None]  # 표 Ⅳ-9: quotes are not split by factor
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
    assert p.columns.tolist() == [
        "참여자",
        "보고서 표기",
        "성별",
        "연령",
        "담당업무",
        "자활사례관리 경력",
        "회기(가정)",
    ]  # assignment assumed
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
    lim = theme_table(corpus, "residents", domain="limits", content_level="코드")
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


# ---------------------------------------------------------------- restored resident tables (표 Ⅳ-7–Ⅳ-11)
RESIDENT_TABLES = {
    "experience": "표 Ⅳ-7",
    "outcomes": "표 Ⅳ-8",
    "factors": "표 Ⅳ-9",
    "limits": "표 Ⅳ-10",
    "suggestions": "표 Ⅳ-11",
}


@pytest.mark.parametrize("domain", list(RESIDENT_TABLES))
def test_resident_table_lists_every_content_item_and_counts_of_the_codebook(corpus, domain):
    from jahwal.qual import code_tree

    t = theme_table(corpus, "residents", domain=domain, content_level="코드")
    tree = code_tree(corpus.subset("residents").codes)
    codes = corpus.codes.set_index("code_id")
    rows = tree[(tree["domain"] == domain)]
    assert set(codes.loc[rows["code_id"], "table_id"]) == {RESIDENT_TABLES[domain]}
    items = [x for cell in t["내용"] for x in cell.split("; ") if x]
    assert items == rows.loc[rows["level"] == "코드", "name"].tolist()  # every content item, codebook order
    themes = rows[rows["level"].isin(["대주제", "하위주제"])]["name"].tolist()
    shown = [x for col in ("대주제", "하위주제") if col in t for x in t[col] if x and x != "(영역 전체)"]
    assert sorted(shown) == sorted(themes)
    freq = code_frequencies(corpus, "residents").set_index("name")
    ref = pd.read_csv(QUAL / "reference_counts.csv", dtype=str, keep_default_na=False)
    ref = ref[(ref["group"] == "residents") & (ref["kind"] == "code") & (ref["scope"] == "rolled")]
    ref = dict(zip(ref["key"], ref["n_quotes"].astype(int)))
    for _, r in t.iterrows():
        name = r.get("하위주제") or r["대주제"]
        if name == "(영역 전체)" or r["인용 수"] is None:
            continue
        assert r["인용 수"] == freq.at[name, "n_quotes"] and r["참여자 수"] == freq.at[name, "n_participants"]
        cid = freq.at[name, "code_id"]
        if cid in ref:
            assert r["인용 수"] == ref[cid]  # the count the report's quotes give


def test_outcome_table_lists_thirteen_items_and_factor_table_four_themes(corpus):
    t8 = theme_table(corpus, "residents", domain="outcomes", content_level="코드")
    assert sum(len(c.split("; ")) for c in t8["내용"] if c) == 13  # 표 Ⅳ-8 lists 13 outcome items
    t9 = theme_table(corpus, "residents", domain="factors", content_level="코드")
    assert t9["대주제"].tolist()[1:] == ["수평적 관계형성", "신뢰관계 구축", "강점 발굴 및 서비스 지원", "맞춤형 지원"]
    assert t9["인용 수"].tolist() == [5, None, None, None, None]  # 표 Ⅳ-9 counts only the whole domain


def test_code_counts_reconcile_the_numbers_the_book_prints(corpus):
    from jahwal.qual import code_counts

    counts = code_counts(corpus, ["practitioners", "residents"]).set_index(["group", "level"])
    # the 74 practitioner codes: entries at level 코드 (3 purposes + 71 items, report 표 Ⅳ-2–Ⅳ-5)
    assert counts.at[("practitioners", "코드"), "n_entries"] == 74
    # the 78 practitioner entries that carry a quote directly: 73 codes, 4 sub-codes, 1 theme
    assert counts.at[("practitioners", "(전체)"), "n_with_quotes"] == 78
    assert [counts.at[("practitioners", lv), "n_with_quotes"] for lv in ("코드", "세부코드", "대주제")] == [73, 4, 1]
    # all 213 codebook rows, every level of both groups
    total = counts.xs("(전체)", level="level")["n_entries"].sum()
    assert total == 213 == len(pd.read_csv(QUAL / "codebook.csv"))
    assert counts.at[("residents", "코드"), "n_with_quotes"] == 0


def _other_corpus():
    """A small codebook of another year: its own domains, names and descriptions."""
    c = example_corpus()
    c.codes["description"] = [
        "새 해의 참여자들은 일과 삶의 균형을 가장 큰 변화로 말합니다.",
        "쉬는 날이 생김",
        "",
        "가족과 보내는 시간",
    ]
    c.codes["name"] = ["새 성과", "여가의 회복", "휴식", "가족 시간"]
    return c


def test_a_different_codebook_brings_its_own_text_and_no_2023_sentence(corpus):
    from jahwal.qual import group_values, theme_section

    sec = theme_section(_other_corpus(), "practitioners", "outcomes")
    assert sec["intro"].startswith("새 해의 참여자들은") and "**여가의 회복**: 쉬는 날이 생김" in sec["intro"]
    assert sec["title"] == "새 성과" and sec["n_quotes"] == 4
    old = [d for d in corpus.codes["description"] if len(d) > 8]
    assert not any(d in sec["intro"] for d in old)
    values, _ = group_values(_other_corpus(), "practitioners", level="대주제")
    assert values["top_outcome"] == "여가의 회복" and values["domain_names"] == "성과"
    text = " ".join(str(v) for v in values.values())
    assert not any(name in text for name in corpus.codes["name"] if len(name) > 4)


def test_chapter_iv_pages_keep_no_theme_prose_of_their_own(corpus):
    import json

    pages = Path(__file__).resolve().parents[1] / "notebooks"
    text = ""
    for name in ("42_practitioners", "43_residents"):
        nbk = json.loads((pages / f"{name}.ipynb").read_text(encoding="utf-8"))
        text += "".join(c["source"] for c in nbk["cells"] if c["cell_type"] == "markdown")
    assert "2023년 연구의" not in text
    roots = corpus.codes[corpus.codes["parent_id"] == ""]
    assert not any(d[:20] in text for d in roots["description"])
    assert all(theme_section(corpus, g, d)["intro"] for g, d in [("practitioners", "purpose"), ("residents", "limits")])


def test_keywords_resting_on_one_occurrence_are_not_characteristic(corpus):
    from jahwal.qual.keywords import keyword_table, themes_without_keywords
    from jahwal.study.params import NotebookParameters

    min_n = NotebookParameters().keyword_min_n
    assert min_n == 2
    terms = theme_terms(corpus, "practitioners", level="대주제")
    loose = distinctive_terms(terms, top=5)
    assert "누룽지" in loose["term"].tolist()  # seen once, ranked high without a floor
    kept = distinctive_terms(terms, top=5, min_n=min_n)
    assert (kept["n"] >= min_n).all() and "누룽지" not in kept["term"].tolist()
    table = keyword_table(terms, top=5, min_n=min_n)
    assert "누룽지" not in " ".join(table["특징어"])
    assert themes_without_keywords(terms, min_n=min_n) == int((table["특징어"] == "").sum())


def test_residents_page_run_on_another_codebook_shows_only_its_own_text(corpus, tmp_path):
    """Notebook 43 executed on a changed codebook: its texts appear, no 2023 theme sentence does."""
    import papermill as pm

    from jahwal.qual import write_native

    root = Path(__file__).resolve().parents[1]
    other = corpus.subset("residents")
    codes = other.codes.copy()
    # 2023 descriptions (leaving out those that are part of a theme name, which the tables still show)
    old = [d for d in codes["description"] if len(d) > 8 and not any(d in n for n in codes["name"])]
    codes["description"] = [f"다른 해의 설명 {cid}" for cid in codes["code_id"]]
    other = replace(other, codes=codes)
    folder = write_native(other, tmp_path / "qual")
    out = tmp_path / "43.ipynb"
    pm.execute_notebook(
        str(root / "notebooks" / "43_residents.ipynb"),
        str(out),
        cwd=str(root),
        progress_bar=False,
        parameters={"qual_path": str(folder), "qual_groups": ["practitioners", "residents"]},
    )
    import json

    shown = json.dumps(json.loads(out.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "다른 해의 설명 R8" in shown and "다른 해의 설명 R9.E2" in shown
    assert not any(d in shown for d in old)
