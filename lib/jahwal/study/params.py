"""Study parameter files: schema, loading and validation.

A study is described by one YAML file under ``params/``. It has three sections:

``study``
    Title, authorship and copyright shown in the book.
``prepare``
    How the default data are made before any notebook runs (the synthetic
    extract); ``null`` when a real extract is supplied.
``parameters``
    The values handed to the notebooks. Each notebook receives the subset of
    keys its ``parameters`` cell declares.

Errors name the file and the key, in Korean and English, and raise
:class:`ParamsError` (the command exits with status 2).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, ClassVar, Literal, Optional

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jahwal.errors import JahwalError


class ParamsError(JahwalError):
    """A study parameter file is malformed."""

    exit_code = 2


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class Study(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    subtitle: str = ""
    author: str
    copyright: str
    description: str = ""


class SynthSpec(_Strict):
    scale: float = Field(gt=0)
    seed: int
    years: tuple[int, int]
    out: str

    @field_validator("years")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[0] > v[1]:
            raise ValueError("첫 해가 마지막 해보다 늦습니다 / first year after last year")
        return v


class Prepare(_Strict):
    synthetic: Optional[SynthSpec] = None


class PrismaCounts(_Strict):
    """PRISMA 2020 flow-diagram counts (``None`` = not reported).

    The arithmetic between the boxes is checked by :func:`jahwal.study.prisma.check_prisma`;
    counts that do not add up are rejected with the box named.
    """

    database_results: Optional[int] = Field(None, ge=0)
    register_results: Optional[int] = Field(None, ge=0)
    duplicates: Optional[int] = Field(None, ge=0)
    excluded_automatic: Optional[int] = Field(None, ge=0)
    excluded_other: Optional[int] = Field(None, ge=0)
    records_screened: Optional[int] = Field(None, ge=0)
    records_excluded: Optional[int] = Field(None, ge=0)
    reports_sought: Optional[int] = Field(None, ge=0)
    reports_not_retrieved: Optional[int] = Field(None, ge=0)
    reports_assessed: Optional[int] = Field(None, ge=0)
    reports_excluded: Optional[dict[str, int]] = None
    other_results: Optional[int] = Field(None, ge=0)
    other_sought: Optional[int] = Field(None, ge=0)
    other_not_retrieved: Optional[int] = Field(None, ge=0)
    other_assessed: Optional[int] = Field(None, ge=0)
    other_excluded: Optional[dict[str, int]] = None
    reports_included: Optional[int] = Field(None, ge=0)
    studies_included: Optional[int] = Field(None, ge=0)

    @model_validator(mode="after")
    def _adds_up(self) -> "PrismaCounts":
        from jahwal.study.prisma import prisma_problems

        problems = prisma_problems(self.model_dump())
        if problems:
            raise ValueError("PRISMA 건수가 맞지 않습니다 / PRISMA counts do not add up: " + "; ".join(problems))
        return self


class NotebookParameters(_Strict):
    """Values handed to the notebooks (papermill parameters)."""

    # data
    extract_dir: str = "data/synthetic/report-2023"
    #: optional constraint on the extract's file formats; ``None``: each file's format is detected
    extract_format: Optional[Literal["csv", "xlsx", "parquet"]] = None
    window_start: str = "2019-01"
    window_end: str = "2022-12"
    focus_year: int = 2022
    infrastructure_path: str = "data/infrastructure/infrastructure.csv"
    infrastructure_province_path: str = "data/infrastructure/infrastructure_by_province.csv"
    reference_dir: str = "data/reference"
    # statistics and disclosure
    alpha: float = Field(0.05, gt=0, lt=1)
    suppression_threshold: int = Field(10, ge=1)
    ttest_variant: Literal["auto", "student", "welch"] = "auto"
    #: daily 자활급여 rates, year → 사업단 type → won; added to (and for a year given here,
    #: replacing) the rates the 2023 report states, in ``<reference_dir>/daily_rates.csv``
    daily_rates: dict[int, dict[str, float]] = Field(default_factory=dict)
    participation_bands: list[int] = Field(default_factory=lambda: [0, 12, 36, 60])
    # literature
    literature_dir: str = "data/literature"
    lit_countries: list[str] = Field(default_factory=list)
    lit_year_min: Optional[int] = None
    lit_year_max: Optional[int] = None
    prisma: Optional[PrismaCounts] = None
    # qualitative
    qual_path: str = "data/qualitative"
    qual_format: Literal["native", "qdpx"] = "native"
    qual_groups: list[str] = Field(default_factory=lambda: ["practitioners", "residents"])
    quotes_per_theme: int = Field(2, ge=0)
    min_count: int = Field(1, ge=0)
    qual_levels: dict[str, str] = Field(default_factory=lambda: {"practitioners": "대주제", "residents": "하위주제"})
    keyword_min_n: int = Field(2, ge=1)
    # synthesis
    framework_dir: str = "data/framework"

    # Cross-field checks are field validators (not a model validator), so that an
    # error names the one key at fault: ``parameters.window_end``, not ``parameters``.
    @field_validator("window_start", "window_end")
    @classmethod
    def _month(cls, v: str, info: ValidationInfo) -> str:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
            raise ValueError("연월은 YYYY-MM(월 01–12)입니다 / must be YYYY-MM with a month 01-12")
        start = info.data.get("window_start")
        if info.field_name == "window_end" and start is not None and start > v:
            raise ValueError(
                f"분석 기간의 끝이 시작(window_start {start})보다 이릅니다 / "
                f"the window ends before it starts (window_start {start})"
            )
        return v

    @field_validator("focus_year")
    @classmethod
    def _focus_in_window(cls, v: int, info: ValidationInfo) -> int:
        start, end = info.data.get("window_start"), info.data.get("window_end")
        if start is None or end is None:  # already reported under its own key
            return v
        y0, y1 = int(start[:4]), int(end[:4])
        if not y0 <= v <= y1:
            raise ValueError(
                f"기준연도 {v}가 분석 기간({y0}–{y1}) 밖입니다 / focus_year {v} is outside the window {y0}-{y1}"
            )
        return v

    @field_validator("daily_rates", mode="before")
    @classmethod
    def _rates_by_year(cls, v: Any) -> Any:
        if isinstance(v, dict) and v and all(not isinstance(x, dict) for x in v.values()):
            raise ValueError(
                "일 급여는 연도별 표입니다(예: daily_rates: {2023: {시장진입형: 원, 사회서비스형: 원, 근로유지형: 원}}) / "
                "daily_rates is a table by year (e.g. {2023: {시장진입형: won, ...}})"
            )
        return v

    @field_validator("daily_rates")
    @classmethod
    def _rates_valid(cls, v: dict[int, dict[str, float]]) -> dict[int, dict[str, float]]:
        for year, rates in v.items():
            if not 2000 <= year <= 2100:
                raise ValueError(f"연도 {year}가 2000–2100 밖입니다 / year {year} outside 2000-2100")
            if not rates:
                raise ValueError(f"{year}년의 일 급여가 비어 있습니다 / no rates for {year}")
            for unit, won in rates.items():
                if not won > 0:
                    raise ValueError(
                        f"{year}년 {unit}의 일 급여 {won:g}원은 0보다 커야 합니다 / rates must be positive"
                    )
        return v

    @property
    def years(self) -> list[int]:
        return list(range(int(self.window_start[:4]), int(self.window_end[:4]) + 1))


class StudyParams(_Strict):
    study: Study
    prepare: Prepare = Field(default_factory=Prepare)
    parameters: NotebookParameters = Field(default_factory=NotebookParameters)

    #: parameter keys whose values are paths that must exist before notebooks run
    PATH_KEYS: ClassVar[tuple[str, ...]] = (
        "extract_dir",
        "infrastructure_path",
        "infrastructure_province_path",
        "reference_dir",
        "literature_dir",
        "qual_path",
        "framework_dir",
    )

    _rates: dict[int, dict[str, float]] = PrivateAttr(default_factory=dict)

    def rates_table(self) -> dict[int, dict[str, float]]:
        """Daily rates by year: the shipped table (when loaded by :func:`load_params`) and the file's own."""
        return {**self._rates, **self.parameters.daily_rates}

    def focus_rates(self) -> dict[str, float]:
        """The daily rates of the focus year (사업단 type → won).

        Raises
        ------
        KeyError
            The focus year has no rates (:func:`load_params` reports it first).
        """
        rates = self.rates_table()[self.parameters.focus_year]
        return {unit: int(won) if float(won).is_integer() else won for unit, won in rates.items()}

    def notebook_values(self) -> dict[str, Any]:
        """Parameters as plain JSON-able values for papermill.

        ``daily_rates`` is handed over as the focus year's rates (사업단 type → won).
        """
        values = self.parameters.model_dump(mode="json")
        values["daily_rates"] = self.focus_rates()
        return values

    def generated_paths(self) -> set[str]:
        """Paths that the prepare step creates (not required to exist beforehand)."""
        out = set()
        if self.prepare.synthetic is not None:
            out.add(self.prepare.synthetic.out.rstrip("/"))
        return out


def _format_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


#: the shipped daily rates, relative to ``reference_dir``
RATES_FILE = "daily_rates.csv"


def shipped_rates(reference_dir: str | Path) -> dict[int, dict[str, float]]:
    """The daily 자활급여 rates the 2023 report states (``daily_rates.csv``), year → type → won.

    An absent file gives an empty table.

    Examples
    --------
    >>> shipped_rates("data/reference")[2022]
    {'시장진입형': 58660.0, '사회서비스형': 51350.0, '근로유지형': 30120.0}
    """
    path = Path(reference_dir) / RATES_FILE
    out: dict[int, dict[str, float]] = {}
    if not path.is_file():
        return out
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(int(row["year"]), {})[row["unit_type"]] = float(row["daily_wage_won"])
    return out


_MESSAGES_KO = {
    "extra_forbidden": "알 수 없는 키입니다",
    "missing": "필수 키가 없습니다",
    "int_parsing": "정수여야 합니다",
    "int_type": "정수여야 합니다",
    "float_parsing": "숫자여야 합니다",
    "float_type": "숫자여야 합니다",
    "string_type": "문자열이어야 합니다",
    "literal_error": "허용되지 않는 값입니다",
    "string_pattern_mismatch": "형식이 맞지 않습니다",
    "greater_than": "값이 너무 작습니다",
    "greater_than_equal": "값이 너무 작습니다",
    "less_than": "값이 너무 큽니다",
    "list_type": "목록이어야 합니다",
    "dict_type": "사전(키: 값)이어야 합니다",
    "tuple_type": "[처음, 끝] 두 값이어야 합니다",
    "model_type": "하위 항목(키: 값)이어야 합니다",
    "value_error": "값이 올바르지 않습니다",
}


def load_params(path: str | Path, root: str | Path = ".", check_paths: bool = True) -> StudyParams:
    """Load and validate a study parameter file.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    root : str or Path
        Directory that relative paths in the file are resolved against.
    check_paths : bool
        Also require that every data path exists (except those the prepare step
        generates).

    Returns
    -------
    StudyParams

    Raises
    ------
    ParamsError
        With a bilingual message naming the file and the key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.yml").write_text("study: {id: x, title: t, author: a, copyright: c}\\nparameters: {focus_yaer: 2022}\\n")
    >>> try:
    ...     load_params(d / "p.yml", root=d, check_paths=False)
    ... except ParamsError as e:
    ...     print("focus_yaer" in str(e))
    True
    """
    path = Path(path)
    root = Path(root)
    if not path.exists():
        raise ParamsError(f"매개변수 파일이 없습니다 / parameter file not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: YAML 구문 오류 / YAML syntax error: {exc}") from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: 최상위는 키: 값 형식이어야 합니다 / top level must be a mapping")
    try:
        params = StudyParams.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = _format_loc(err["loc"])
            ko = _MESSAGES_KO.get(err["type"], "값이 올바르지 않습니다")
            got = err.get("input")
            got_s = "" if err["type"] == "missing" else f" (값 / value: {got!r})"
            msg = err["msg"]
            if err["type"] == "value_error":  # our own bilingual text: shown once, as written
                text = msg.removeprefix("Value error, ")
                lines.append(f"  - {path}: 키 '{key}': {text}{got_s}")
                continue
            lines.append(f"  - {path}: 키 '{key}': {ko} / {msg}{got_s}")
        raise ParamsError(
            f"매개변수 파일 {path}에 오류가 {len(lines)}개 있습니다 / "
            f"{len(lines)} error(s) in parameter file {path}:\n" + "\n".join(lines)
        ) from None
    p = params.parameters
    params._rates = shipped_rates(root / p.reference_dir)
    if p.focus_year not in params.rates_table():
        have = ", ".join(str(y) for y in sorted(params.rates_table())) or "없음 / none"
        raise ParamsError(
            f"매개변수 파일 {path}에 오류가 1개 있습니다 / 1 error(s) in parameter file {path}:\n"
            f"  - {path}: 키 'parameters.daily_rates': 기준연도(focus_year) {p.focus_year}년의 일 급여가 없습니다"
            f"(일 급여가 있는 해: {have}). 매개변수 파일에 daily_rates: {{{p.focus_year}: "
            f"{{시장진입형: 원, 사회서비스형: 원, 근로유지형: 원}}}}을 적으십시오 / "
            f"no daily rates for the focus year {p.focus_year} (years with rates: {have}); "
            f"add daily_rates: {{{p.focus_year}: {{...}}}} to the parameter file"
        )
    if check_paths:
        missing = []
        generated = params.generated_paths()
        values = params.notebook_values()
        for key in StudyParams.PATH_KEYS:
            value = values[key]
            if value.rstrip("/") in generated:
                continue
            if not (root / value).exists() and not (key == "extract_dir" and (path.parent / value).exists()):
                missing.append(f"  - {path}: 키 'parameters.{key}': 파일이 없습니다 / file not found: {value}")
        if missing:
            raise ParamsError(
                f"매개변수 파일 {path}가 가리키는 파일이 없습니다 / "
                f"files named in {path} do not exist:\n" + "\n".join(missing)
            )
    return params
