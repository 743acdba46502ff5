"""One place for the study's words: province order, code lists, Korean labels and the report's comparisons.

Every module that needs a province name, a code list, the Korean name of an
outcome or a stage group, or the list of the report's comparisons takes it
from here (``tests/test_architecture.py`` keeps this module at the top of the
package, importing nothing from it).

Examples
--------
>>> list(PROVINCES)[:3], list(PROVINCES)[-1]
(['서울', '부산', '대구'], '제주')
>>> OUTCOMES["incentive"], STAGE_GROUPS["iap"][2], FOCUS_GROUPS["residents"]
('자립성과금', 'IAP 수립', '주민')
"""

from __future__ import annotations

#: the label of a published total row or column
TOTAL = "계"

# ---------------------------------------------------------------- provinces and code lists
#: short name → official name, in the standard administrative order
PROVINCES: dict[str, str] = {
    "서울": "서울특별시",
    "부산": "부산광역시",
    "대구": "대구광역시",
    "인천": "인천광역시",
    "광주": "광주광역시",
    "대전": "대전광역시",
    "울산": "울산광역시",
    "세종": "세종특별자치시",
    "경기": "경기도",
    "강원": "강원도",
    "충북": "충청북도",
    "충남": "충청남도",
    "전북": "전라북도",
    "전남": "전라남도",
    "경북": "경상북도",
    "경남": "경상남도",
    "제주": "제주특별자치도",
}
#: provinces renamed since: short form -> (first year of the new name, new official name)
PROVINCES_RENAMED: dict[str, tuple[int, str]] = {
    "강원": (2023, "강원특별자치도"),
    "전북": (2024, "전북특별자치도"),
}


def province_official(short: str, year: int | None = None) -> str:
    """The official name of a province in ``year`` (the current name when no year is given).

    ``PROVINCES`` lists the provinces in the standard administrative order with
    the names of the report's years; 강원 became 강원특별자치도 in 2023 and 전북
    전북특별자치도 in 2024.

    Parameters
    ----------
    short : str
        Short name (``강원``); an unknown name is returned unchanged.
    year : int, optional
        The year the name should be valid in.

    Returns
    -------
    str
        The official name.

    Examples
    --------
    >>> province_official("강원", 2022), province_official("강원", 2023), province_official("전북")
    ('강원도', '강원특별자치도', '전북특별자치도')
    >>> province_official("계")
    '계'
    """
    if short in PROVINCES_RENAMED:
        since, name = PROVINCES_RENAMED[short]
        if year is None or int(year) >= since:
            return name
    return PROVINCES.get(short, short)


def province_order(short: str) -> int:
    """Position of a province in the standard administrative order (unknown names last).

    Parameters
    ----------
    short : str
        Short name.

    Returns
    -------
    int
        Its position in ``PROVINCES``.

    Examples
    --------
    >>> sorted(["제주", "경기", "서울", "부산"], key=province_order)
    ['서울', '부산', '경기', '제주']
    """
    order = list(PROVINCES)
    return order.index(short) if short in order else len(order)


#: other spellings accepted for provinces (renamed regions, abbreviations)
PROVINCE_ALIASES: dict[str, str] = {
    **{v: k for k, v in PROVINCES.items()},
    "강원특별자치도": "강원",
    "전북특별자치도": "전북",
    "제주도": "제주",
    "세종시": "세종",
    "서울시": "서울",
}

CODES: dict[str, tuple[str, ...]] = {
    "province": tuple(PROVINCES),
    "sex": ("남성", "여성"),
    "marital_status": ("미혼", "기혼", "이혼", "사별", "별거"),
    "household_type": (
        "1인가구",
        "부부가구",
        "노인부부가구",
        "한부모가구",
        "조손가구",
        "새터민가구",
        "공동체 가구(시설거주)",
        "기타가구",
    ),
    "credit_status": ("신용양호", "신용회복 진행", "개인회생", "파산면책", "채무불이행", "전환대출신청 필요"),
    "housing_stability": ("안정", "1년 이내 이주 필요", "즉시 이주 필요"),
    "health": ("양호", "보통", "허약"),
    "yes_no": ("있음", "없음"),
    "recipient_type": ("조건부수급자", "일반수급자", "차상위자", "자활급여특례자", "기타"),
    "unit_type": ("시장진입형", "사회서비스형", "근로유지형", "인턴·도우미형", "청년자립도전"),
    "iap_status": ("수립", "미수립", "시스템 미입력"),
    "iap_monitoring": ("수행", "미수행", "시스템 미입력"),
    "isp_status": ("수립", "시스템 미입력"),
    "counselling_kind": ("개별상담", "집단상담", "전화상담"),
}

CODE_TITLES = {
    "province": "시도",
    "sex": "성별",
    "marital_status": "혼인상태",
    "household_type": "가구유형",
    "credit_status": "신용상태",
    "housing_stability": "주거안정",
    "health": "건강상태",
    "yes_no": "있음/없음",
    "recipient_type": "진입 시 수급유형",
    "unit_type": "사업단 유형",
    "iap_status": "IAP 수립 상태",
    "iap_monitoring": "IAP 수행 점검",
    "isp_status": "ISP 수립 상태",
    "counselling_kind": "상담 유형",
}


# ---------------------------------------------------------------- outcomes, stage groups, comparisons
#: outcome column → Korean name (표 Ⅲ-9 to Ⅲ-20)
OUTCOMES: dict[str, str] = {"incentive": "자립성과금", "wage": "자활급여"}
#: stage indicator → (performed label, not performed label, short stage name)
STAGE_GROUPS: dict[str, tuple[str, str, str]] = {
    "assessment": ("자활사정지 작성", "자활사정지 미작성", "사정지 작성"),
    "iap": ("IAP 수립", "IAP 미수립", "IAP 수립"),
    "iap_monitoring": ("IAP 수행", "IAP 미수행", "IAP 수행"),
    "counselling": ("개별상담 경험 있음", "개별상담 경험 없음", "개별상담 경험"),
    "post_closure": ("종결 후 상담 진행", "종결 후 상담 안 함", "종결 후 상담"),
}
#: the report's comparisons: (table, outcome, stage indicator, days table)
COMPARISONS: list[tuple[str, str, str, str | None]] = [
    ("표 Ⅲ-9", "incentive", "assessment", None),
    ("표 Ⅲ-10", "incentive", "iap", None),
    ("표 Ⅲ-11", "incentive", "counselling", None),
    ("표 Ⅲ-12", "incentive", "post_closure", None),
    ("표 Ⅲ-13", "wage", "assessment", "표 Ⅲ-14"),
    ("표 Ⅲ-15", "wage", "iap_monitoring", "표 Ⅲ-16"),
    ("표 Ⅲ-17", "wage", "counselling", "표 Ⅲ-18"),
    ("표 Ⅲ-19", "wage", "post_closure", "표 Ⅲ-20"),
]

# ---------------------------------------------------------------- focus groups
#: focus group key → Korean name (Chapter Ⅳ, Ⅴ)
FOCUS_GROUPS: dict[str, str] = {"practitioners": "실무자", "residents": "주민"}
