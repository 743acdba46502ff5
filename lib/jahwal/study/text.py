"""What the book says about its own data, derived from the study file.

The cover, the summary, Chapter Ⅰ and the appendices describe the data of the
study being built, not of the 2023 study: a synthetic extract or a real one,
its years and focus year, and which inputs of the 2023 study (focus groups,
literature, outcome framework) it still uses. The build hands these texts to
the pages as MyST substitutions (:func:`substitutions`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jahwal.study.params import NotebookParameters, StudyParams

#: the window and focus year of the 2023 study
REPORT_WINDOW = ("2019-01", "2022-12")
REPORT_FOCUS_YEAR = 2022
#: inputs that a new study may keep from the 2023 study: parameter key → (input, chapters resting on it)
SHARED_INPUTS: dict[str, tuple[str, str]] = {
    "qual_path": (
        "2023년 연구의 초점집단면접 자료",
        "Ⅰ장의 초점집단 설명, Ⅳ장(질적 성과) 전체, Ⅴ장 1절(성과 틀)과 요약의 질적 결과",
    ),
    "literature_dir": ("2023년 연구의 문헌 목록과 정책 자료", "Ⅱ장(선행연구와 정책) 전체와 참고문헌"),
    "framework_dir": (
        "2023년 연구의 연구설계와 성과 틀 정의",
        "Ⅰ장의 연구설계 표, Ⅴ장의 성과 틀과 지표 정의, Ⅴ장 3절의 과업",
    ),
}


def is_synthetic(params: StudyParams) -> bool:
    """Whether the study's extract is the synthetic one made by the build."""
    return params.prepare.synthetic is not None


def is_report_study(params: StudyParams) -> bool:
    """Whether the study covers the 2023 study's window and focus year."""
    p = params.parameters
    return (p.window_start, p.window_end) == REPORT_WINDOW and p.focus_year == REPORT_FOCUS_YEAR


def _month(value: str) -> str:
    return f"{value[:4]}년 {int(value[5:7])}월"


def reused_inputs(params: StudyParams | dict[str, Any], synthetic: Any = None) -> pd.DataFrame:
    """The 2023 study's inputs this study still uses, with the chapters resting on them.

    Empty for the 2023 study itself on the synthetic extract (they are its own
    inputs); otherwise one row per input whose path is the default.

    Parameters
    ----------
    params : StudyParams or dict
        The study, or its notebook parameter values (then ``synthetic`` is the
        study's ``prepare.synthetic`` block).

    Returns
    -------
    DataFrame
        ``자료, 이 자료에 기대는 부분``, indexed by the parameter key.

    Examples
    --------
    >>> values = {"window_start": "2020-01", "window_end": "2023-12", "focus_year": 2023,
    ...           "qual_path": "data/private/fgi", "literature_dir": "data/literature", "framework_dir": "data/framework"}
    >>> reused_inputs(values).index.tolist()
    ['literature_dir', 'framework_dir']
    """
    if isinstance(params, StudyParams):
        synthetic = params.prepare.synthetic
        params = params.parameters.model_dump()
    values = dict(params)
    own = (
        synthetic is not None
        and (values["window_start"], values["window_end"]) == REPORT_WINDOW
        and int(values["focus_year"]) == REPORT_FOCUS_YEAR
    )
    rows = []
    if not own:
        for key, (label, chapters) in SHARED_INPUTS.items():
            default = NotebookParameters.model_fields[key].default
            if str(values[key]).rstrip("/") == default:
                rows.append({"자료": label, "이 자료에 기대는 부분": chapters, "key": key})
    return pd.DataFrame(rows, columns=["자료", "이 자료에 기대는 부분", "key"]).set_index("key").rename_axis(None)


def reused_sentence(params: StudyParams) -> str:
    """One Korean sentence per reused input ('' when none)."""
    rows = reused_inputs(params)
    return "\n".join(
        f"{r['이 자료에 기대는 부분']}은 이 연구의 자료가 아니라 {r['자료']}에 기대고 있습니다."
        for _, r in rows.iterrows()
    )


def substitutions(params: StudyParams) -> dict[str, str]:
    """The MyST substitutions the build gives every page.

    Keys: ``study_title``, ``study_subtitle``, ``study_author``,
    ``study_copyright``, ``study_intro`` (the cover's first sentence),
    ``data_notice`` (the cover's box on the data), ``summary_intro`` and
    ``summary_note`` (the summary page), ``data_scope`` (Chapter Ⅰ's data
    sentence) and ``reused_inputs`` (the sentences naming the chapters that
    still rest on the 2023 study's inputs, '' when none).

    Examples
    --------
    >>> from jahwal.study.params import StudyParams
    >>> real = StudyParams.model_validate({"study": {"id": "x", "title": "2024 연구", "author": "a", "copyright": "c"},
    ...     "parameters": {"window_start": "2020-01", "window_end": "2023-12", "focus_year": 2023}})
    >>> s = substitutions(real)
    >>> "합성" in s["data_notice"], "2020년 1월" in s["data_notice"], "Ⅳ장" in s["reused_inputs"]
    (False, True, True)
    """
    study = params.study
    p = params.parameters
    synth = params.prepare.synthetic
    reused = reused_sentence(params)
    window = f"{_month(p.window_start)}부터 {_month(p.window_end)}까지"
    if synth is not None:
        y0, y1 = synth.years
        extract = f"보고서의 공표 수치에 맞추어 만든 {y0}–{y1}년 **합성 추출 자료**"
        notice = (
            ":::{important}\n실제 자활정보시스템 자료는 비공개입니다.\n"
            f"이 책의 양적 분석은 {extract}로 계산했습니다(분석 기간 {window}, 기준연도 {p.focus_year}년).\n"
            "Ⅲ장과 Ⅴ장의 값에는 보고서에 인쇄된 값(공표), 공표 수치에 맞춘 값(보정), 합성 자료의 가정에서 나온 값(가정)의 "
            "표시가 붙어 있고, 맞춘 결과와 가정은 {ref}`appendix-data`에 있습니다.\n"
            "실제 자료는 [자료 명세](../notebooks/91_data_contract)에 맞추어 연구 매개변수 파일에 경로를 적으면 "
            "같은 코드로 분석됩니다.\n" + (reused + "\n" if reused else "") + ":::"
        )
        summary_note = (
            ":::{note}\n이 빌드의 추출 자료는 보고서의 공표 수치에 맞춘 합성 자료입니다({ref}`appendix-data`).\n"
            "합성 자료의 가정에서 나온 값은 결과로 읽지 말아야 하며, 그런 값에는 [가정] 표시를 붙였습니다. "
            "실제 자료로 다시 만들면 위의 수치도 바뀝니다.\n:::"
        )
        data_scope = f"이 빌드의 추출 자료는 실제 자료가 아니라 {extract}입니다."
    else:
        notice = (
            f":::{{note}}\n이 책의 양적 분석은 {window}의 자활정보시스템 추출 자료로 계산했습니다"
            f"(기준연도 {p.focus_year}년).\n"
            "추출 자료의 파일과 내용 해시, 표별·연도별 행 수, 자료 명세 검증 결과는 {ref}`appendix-data`에 있습니다.\n"
            + (reused + "\n" if reused else "")
            + ":::"
        )
        summary_note = (
            ":::{note}\n위의 양적 수치는 이 연구의 자활정보시스템 추출 자료에서 계산했습니다({ref}`appendix-data`).\n"
            + (reused + "\n" if reused else "")
            + ":::"
        )
        data_scope = f"이 빌드의 추출 자료는 {window}의 자활정보시스템 자료입니다."
    if is_report_study(params) and synth is not None:
        intro = "이 책은 2023년 자활사례관리 성과 연구를 다시 계산할 수 있는 형태로 재구성한 연구서입니다."
        summary_intro = f"이 책은 2023년 “{study.title}”를 합성 추출 자료와 초점집단 자료로 다시 계산한 것입니다."
    else:
        intro = (
            f"이 책은 2023년 자활사례관리 성과 연구의 방법을 {window}의 자료에 적용한 연구서입니다"
            f"(기준연도 {p.focus_year}년)."
        )
        source = "합성 추출 자료" if synth is not None else "자활정보시스템 추출 자료"
        summary_intro = f"이 책은 2023년 자활사례관리 성과 연구의 방법으로 {window}의 {source}를 분석한 “{study.title}”의 요약입니다."
    return {
        "study_title": study.title,
        "study_subtitle": study.subtitle,
        "study_author": study.author,
        "study_copyright": study.copyright,
        "study_intro": intro,
        "data_notice": notice,
        "summary_intro": summary_intro,
        "summary_note": summary_note,
        "data_scope": data_scope,
        "reused_inputs": reused,
    }


def footer(params: StudyParams) -> str:
    """The line at the foot of every page."""
    if is_synthetic(params):
        return "합성 자료(synthetic extract)로 만든 판입니다. 실제 자활정보시스템 자료는 포함하지 않습니다."
    return "자활정보시스템 추출 자료의 집계 결과만 싣습니다. 개인 단위 자료는 포함하지 않습니다."


#: notebook parameters that come from the study file outside ``parameters`` (see :func:`study_values`)
NOTEBOOK_KEYS = ("synthetic",)


def study_values(params: StudyParams) -> dict[str, Any]:
    """Values the build derives from the study file for the notebooks (beside ``parameters``)."""
    synth = params.prepare.synthetic
    return {"synthetic": synth.model_dump(mode="json") if synth is not None else None}
