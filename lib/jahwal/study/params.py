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

from pathlib import Path
from typing import Any, ClassVar, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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
    extract_format: Literal["csv", "xlsx", "parquet"] = "csv"
    window_start: str = Field("2019-01", pattern=r"^\d{4}-\d{2}$")
    window_end: str = Field("2022-12", pattern=r"^\d{4}-\d{2}$")
    focus_year: int = 2022
    infrastructure_path: str = "data/infrastructure/infrastructure.csv"
    infrastructure_province_path: str = "data/infrastructure/infrastructure_by_province.csv"
    reference_dir: str = "data/reference"
    # statistics and disclosure
    alpha: float = Field(0.05, gt=0, lt=1)
    suppression_threshold: int = Field(10, ge=1)
    ttest_variant: Literal["auto", "student", "welch"] = "auto"
    daily_rates: dict[str, float] = Field(
        default_factory=lambda: {"시장진입형": 58660, "사회서비스형": 51350, "근로유지형": 30120}
    )
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

    @model_validator(mode="after")
    def _window(self) -> "NotebookParameters":
        if self.window_start > self.window_end:
            raise ValueError("window_start가 window_end보다 늦습니다 / window_start is after window_end")
        y0, y1 = int(self.window_start[:4]), int(self.window_end[:4])
        if not y0 <= self.focus_year <= y1:
            raise ValueError(
                f"focus_year {self.focus_year}가 분석 기간({y0}–{y1}) 밖입니다 / "
                f"focus_year {self.focus_year} is outside the window {y0}-{y1}"
            )
        return self

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

    def notebook_values(self) -> dict[str, Any]:
        """Parameters as plain JSON-able values for papermill."""
        return self.parameters.model_dump(mode="json")

    def generated_paths(self) -> set[str]:
        """Paths that the prepare step creates (not required to exist beforehand)."""
        out = set()
        if self.prepare.synthetic is not None:
            out.add(self.prepare.synthetic.out.rstrip("/"))
        return out


def _format_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


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
            lines.append(f"  - {path}: 키 '{key}': {ko} / {err['msg']}{got_s}")
        raise ParamsError(
            f"매개변수 파일 {path}에 오류가 {len(lines)}개 있습니다 / "
            f"{len(lines)} error(s) in parameter file {path}:\n" + "\n".join(lines)
        ) from None
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
