"""The qualitative corpus: codebook, participants, sessions, sources, segments, codings.

A :class:`QualCorpus` holds six tidy tables. Every reader (the native CSV
folder, a REFI-QDA ``.qdpx`` project) builds one in memory, and
:meth:`QualCorpus.validate` checks it as a whole before the reader returns it,
so a caller either gets a consistent corpus or an error; nothing is half-loaded.

Tables and columns
------------------
codes
    ``code_id, parent_id, group, level, name, description, codable, domain,
    table_id, source_line, abridged, color`` (one row per node, pre-order).
participants
    ``participant_id, group, session_id, report_label, sex, age, role,
    tenure_text, tenure_months, table_id, source_line`` and any further
    attribute columns an imported project carries.
sessions
    ``session_id, group, site, date_start, date_end, n_participants,
    duration_min, place, assumed, source_line, note``.
sources
    ``session_id, text``: one transcript per session (line ends ``\\n``).
segments
    ``segment_id, quote_id, group, session_id, participant_id, start, end,
    text, coder, memo, report_line``; ``start``/``end`` are 0-based code-point
    offsets into the session's text, ``end`` exclusive.
codings
    ``segment_id, code_id``: one row per code on a segment.

A corpus read from a REFI-QDA project also carries ``exchange``: what the
project holds beyond these tables and must survive a round trip (the original
GUIDs of every object, the project's name and attributes, every ``<Set>``, and
the REFI type of each variable). Extra participant and session columns whose
REFI type is Integer, Float or Boolean keep that type in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from ..errors import JahwalError

LEVELS = ["영역", "대주제", "하위주제", "코드", "세부코드"]
ALL_GROUPS = "all"

CODE_COLUMNS = [
    "code_id",
    "parent_id",
    "group",
    "level",
    "name",
    "description",
    "codable",
    "domain",
    "table_id",
    "source_line",
    "abridged",
    "color",
]
PARTICIPANT_COLUMNS = [
    "participant_id",
    "group",
    "session_id",
    "report_label",
    "sex",
    "age",
    "role",
    "tenure_text",
    "tenure_months",
    "table_id",
    "source_line",
]
SESSION_COLUMNS = [
    "session_id",
    "group",
    "site",
    "date_start",
    "date_end",
    "n_participants",
    "duration_min",
    "place",
    "assumed",
    "source_line",
    "note",
]
SOURCE_COLUMNS = ["session_id", "text"]
SEGMENT_COLUMNS = [
    "segment_id",
    "quote_id",
    "group",
    "session_id",
    "participant_id",
    "start",
    "end",
    "text",
    "coder",
    "memo",
    "report_line",
]
CODING_COLUMNS = ["segment_id", "code_id"]

INT_COLUMNS = {"source_line", "age", "tenure_months", "n_participants", "duration_min"}
BOOL_COLUMNS = {"codable", "abridged", "assumed"}
MAX_LISTED = 12
#: REFI-QDA variable types kept as typed columns (the others stay text).
REFI_DTYPES = {"Integer": "Int64", "Float": "Float64", "Boolean": "boolean"}


class QualDataError(JahwalError, ValueError):
    """Qualitative input that cannot be used: the message names the file, element or row."""

    exit_code = 2


def raise_problems(problems: list[str], what: str) -> None:
    """Raise one :class:`QualDataError` listing ``problems`` (nothing when empty)."""
    if not problems:
        return
    shown = problems[:MAX_LISTED]
    more = len(problems) - len(shown)
    tail = f"\n  … 외 {more}건 / and {more} more" if more else ""
    raise QualDataError(
        f"{what}: 문제 {len(problems)}건 / {len(problems)} problem(s):\n" + "\n".join("  - " + p for p in shown) + tail
    )


def to_bool(value: object) -> bool | None:
    """Read a boolean written as true/false, 1/0, yes/no, 예/아니오 (``None`` if unreadable).

    Examples
    --------
    >>> [to_bool(v) for v in ("true", "0", "예", "", "maybe")]
    [True, False, True, False, None]
    """
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("true", "1", "yes", "y", "예", "t"):
        return True
    if s in ("false", "0", "no", "n", "아니오", "f", "", "nan", "none"):
        return False
    return None


def _normalize(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Known columns first, in order, with canonical dtypes; extra columns kept after them."""
    out = df.copy()
    for col in columns:
        if col not in out.columns:
            out[col] = pd.NA if col in INT_COLUMNS else (False if col in BOOL_COLUMNS else "")
    extra = [c for c in out.columns if c not in columns]
    out = out[columns + extra].reset_index(drop=True)
    for col in out.columns:
        if col in INT_COLUMNS:
            out[col] = pd.to_numeric(out[col].replace("", pd.NA), errors="coerce").astype("Int64")
        elif col in BOOL_COLUMNS:
            out[col] = out[col].map(lambda v: bool(to_bool(v))).astype(bool)
        elif col in ("start", "end"):
            out[col] = out[col].astype("int64")
        else:
            out[col] = out[col].astype("string").fillna("").astype(object)
    return out


def apply_variable_types(df: pd.DataFrame, types: dict[str, str], known: Iterable[str]) -> pd.DataFrame:
    """Give extra columns their REFI-QDA type (Integer, Float, Boolean); others are left alone.

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": ["P1", "P2"], "연령": ["41", ""]})
    >>> apply_variable_types(df, {"연령": "Integer"}, ["participant_id"])["연령"].tolist()
    [41, <NA>]
    """
    out = df
    for col, vtype in (types or {}).items():
        if col not in out.columns or col in known or vtype not in REFI_DTYPES:
            continue
        values = out[col].replace("", pd.NA)
        try:
            if vtype == "Boolean":
                typed = values.map(lambda v: v if v is pd.NA else to_bool(v)).astype("boolean")
            else:
                typed = pd.to_numeric(values, errors="raise").astype(REFI_DTYPES[vtype])
        except (ValueError, TypeError):
            continue  # a value that does not fit the type: keep the column as text
        out = out.copy() if out is df else out
        out[col] = typed
    return out


@dataclass
class QualCorpus:
    """A coded qualitative corpus (see the module docstring for the columns)."""

    codes: pd.DataFrame
    participants: pd.DataFrame
    sessions: pd.DataFrame
    sources: pd.DataFrame
    segments: pd.DataFrame
    codings: pd.DataFrame
    name: str = "corpus"
    notes: list[str] = field(default_factory=list)
    exchange: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if getattr(self, "_normalized", False):
            return
        types = self.exchange.get("variable_types") or {}
        self.codes = _normalize(self.codes, CODE_COLUMNS)
        self.participants = apply_variable_types(
            _normalize(self.participants, PARTICIPANT_COLUMNS), types, PARTICIPANT_COLUMNS
        )
        self.sessions = apply_variable_types(_normalize(self.sessions, SESSION_COLUMNS), types, SESSION_COLUMNS)
        self.sources = _normalize(self.sources, SOURCE_COLUMNS)
        self.segments = _normalize(self.segments, SEGMENT_COLUMNS)
        self.codings = _normalize(self.codings, CODING_COLUMNS)

    # ------------------------------------------------------------------ checks
    def validate(self, what: str = "질적 자료 / qualitative corpus") -> "QualCorpus":
        """Check the corpus as a whole; raise :class:`QualDataError` listing every problem."""
        p: list[str] = []
        c = self.codes
        ids = c["code_id"]
        if (ids == "").any():
            p.append("codebook: 빈 code_id / empty code_id")
        for d in ids[ids.duplicated()].unique():
            p.append(f"codebook: code_id '{d}' 중복 / duplicate code_id")
        known = set(ids)
        for cid, par in zip(c["code_id"], c["parent_id"]):
            if par and par not in known:
                p.append(f"codebook: 코드 '{cid}'의 상위 코드 '{par}'가 없습니다 / unknown parent")
        parent = dict(zip(c["code_id"], c["parent_id"]))
        for cid in known:
            seen, cur = set(), cid
            while cur:
                if cur in seen:
                    p.append(f"codebook: 코드 '{cid}'의 위계가 순환합니다 / cycle in the code tree")
                    break
                seen.add(cur)
                cur = parent.get(cur, "")
        for frame, key, label in (
            (self.participants, "participant_id", "participants"),
            (self.sessions, "session_id", "sessions"),
            (self.sources, "session_id", "sources"),
            (self.segments, "segment_id", "segments"),
        ):
            for d in frame.loc[frame[key].duplicated(), key].unique():
                p.append(f"{label}: '{d}' 중복 / duplicate {key}")
            if (frame[key] == "").any():
                p.append(f"{label}: 빈 {key} / empty {key}")
        sessions = set(self.sessions["session_id"])
        for pid, sid in zip(self.participants["participant_id"], self.participants["session_id"]):
            if sid and sid not in sessions:
                p.append(f"participants: 참여자 '{pid}'의 회기 '{sid}'가 없습니다 / unknown session")
        for sid in self.sources["session_id"]:
            if sid not in sessions:
                p.append(f"sources: 소스 '{sid}'에 해당하는 회기가 없습니다 / source without a session")
        texts = dict(zip(self.sources["session_id"], self.sources["text"]))
        pgroup = dict(zip(self.participants["participant_id"], self.participants["group"]))
        seg = self.segments
        for row in seg.itertuples(index=False):
            where = f"segments: 구간 '{row.segment_id}'"
            if row.session_id not in texts:
                p.append(f"{where}: 소스(회기) '{row.session_id}'가 없습니다 / unknown source")
                continue
            t = texts[row.session_id]
            if not (0 <= row.start < row.end <= len(t)):
                p.append(
                    f"{where}: 위치 {row.start}–{row.end}가 소스 길이 {len(t)}를 벗어납니다 / offsets outside the text"
                )
            elif t[row.start : row.end] != row.text:
                p.append(
                    f"{where}: 본문이 소스의 {row.start}–{row.end} 위치와 다릅니다 / text differs from the source span"
                )
            if row.participant_id:
                if row.participant_id not in pgroup:
                    p.append(f"{where}: 참여자 '{row.participant_id}'가 없습니다 / unknown participant")
                elif pgroup[row.participant_id] not in (row.group, ALL_GROUPS) and row.group != ALL_GROUPS:
                    p.append(f"{where}: 참여자 '{row.participant_id}'의 집단이 다릅니다 / participant in another group")
        segs = dict(zip(seg["segment_id"], seg["group"]))
        cgroup = dict(zip(c["code_id"], c["group"]))
        codable = dict(zip(c["code_id"], c["codable"]))
        for sid, cid in zip(self.codings["segment_id"], self.codings["code_id"]):
            if sid not in segs:
                p.append(f"codings: 구간 '{sid}'가 없습니다 / unknown segment")
            elif cid not in cgroup:
                p.append(f"codings: 구간 '{sid}'의 코드 '{cid}'가 코드북에 없습니다 / unknown code")
            else:
                if not codable[cid]:
                    p.append(
                        f"codings: 구간 '{sid}'가 묶음 코드 '{cid}'(codable=false)에 붙었습니다 / coded to a category"
                    )
                if cgroup[cid] not in (segs[sid], ALL_GROUPS) and segs[sid] != ALL_GROUPS:
                    p.append(f"codings: 구간 '{sid}'와 코드 '{cid}'의 집단이 다릅니다 / code from another group")
        if self.codings.duplicated().any():
            p.append("codings: 같은 구간에 같은 코드가 두 번 붙었습니다 / duplicate coding")
        raise_problems(p, what)
        return self

    # ---------------------------------------------------------------- helpers
    @property
    def groups(self) -> list[str]:
        """Groups in the order they first appear in the codebook, the sessions, then the participants."""
        seen: list[str] = []
        for g in list(self.codes["group"]) + list(self.sessions["group"]) + list(self.participants["group"]):
            if g not in seen:
                seen.append(g)
        return seen

    def subset(self, groups: str | Iterable[str]) -> "QualCorpus":
        """The corpus restricted to ``groups`` (codes of group ``all`` are kept).

        Raises
        ------
        ValueError
            When a requested group is not in the corpus.
        """
        wanted = [groups] if isinstance(groups, str) else list(groups)
        unknown = [g for g in wanted if g not in self.groups]
        if unknown:
            raise ValueError(
                f"집단 {unknown}이 자료에 없습니다(있는 집단: {self.groups}) / "
                f"groups {unknown} not in the corpus (available: {self.groups})"
            )
        keep = set(wanted) | {ALL_GROUPS}
        seg = self.segments[self.segments["group"].isin(keep)]
        sess = self.sessions[self.sessions["group"].isin(keep)]
        out = object.__new__(QualCorpus)  # the tables are already normalised
        out._normalized = True
        out.__init__(
            codes=self.codes[self.codes["group"].isin(keep)],
            participants=self.participants[self.participants["group"].isin(keep)],
            sessions=sess,
            sources=self.sources[self.sources["session_id"].isin(set(sess["session_id"]))],
            segments=seg,
            codings=self.codings[self.codings["segment_id"].isin(set(seg["segment_id"]))],
            name=self.name,
            notes=list(self.notes),
            exchange=self.exchange,
        )
        return out

    def canonical(self) -> dict[str, pd.DataFrame]:
        """The tables in a canonical order (for comparing two corpora)."""
        return {
            "codes": self.codes.reset_index(drop=True),
            "participants": self.participants.reset_index(drop=True),
            "sessions": self.sessions.reset_index(drop=True),
            "sources": self.sources.sort_values("session_id").reset_index(drop=True),
            "segments": self.segments.sort_values("segment_id").reset_index(drop=True),
            "codings": self.codings.sort_values(["segment_id", "code_id"]).reset_index(drop=True),
        }

    def summary(self) -> pd.DataFrame:
        """One row per group: numbers of codes, sessions, participants, segments and codings.

        Examples
        --------
        >>> from jahwal.qual import example_corpus
        >>> example_corpus().summary()[["group", "n_codes", "n_segments", "n_codings"]]
                   group  n_codes  n_segments  n_codings
        0  practitioners        4           4          5
        """
        rows = []
        for g in self.groups:
            seg = self.segments[self.segments["group"] == g]
            rows.append(
                {
                    "group": g,
                    "n_codes": int((self.codes["group"] == g).sum()),
                    "n_sessions": int((self.sessions["group"] == g).sum()),
                    "n_participants": int((self.participants["group"] == g).sum()),
                    "n_segments": int(len(seg)),
                    "n_codings": int(self.codings["segment_id"].isin(set(seg["segment_id"])).sum()),
                }
            )
        return pd.DataFrame(
            rows, columns=["group", "n_codes", "n_sessions", "n_participants", "n_segments", "n_codings"]
        )


def example_corpus() -> QualCorpus:
    """A four-segment corpus for examples and tests.

    Examples
    --------
    >>> c = example_corpus()
    >>> c.segments[["segment_id", "participant_id", "text"]].iloc[0].tolist()
    ['S1', 'P01', '처음엔 말도 못 했어요.']
    """
    codes = pd.DataFrame(
        [
            ("D", "", "practitioners", "영역", "성과", "", False, "outcomes"),
            ("D.1", "D", "practitioners", "대주제", "마음의 변화", "", True, ""),
            ("D.1.a", "D.1", "practitioners", "코드", "자신감", "", True, ""),
            ("D.2", "D", "practitioners", "대주제", "관계의 변화", "", True, ""),
        ],
        columns=["code_id", "parent_id", "group", "level", "name", "description", "codable", "domain"],
    )
    texts = [
        "처음엔 말도 못 했어요.",
        "지금은 동료와 웃으며 일해요.",
        "자격증도 땄어요.",
        "팀장님과 사이가 좋아졌어요.",
    ]
    who = ["P01", "P01", "P02", "P02"]
    source, segs, _pos = "", [], 0
    for i, (t, p) in enumerate(zip(texts, who), start=1):
        prefix = f"{p}: "
        start = len(source) + len(prefix)
        source += prefix + t + "\n\n"
        segs.append((f"S{i}", f"S{i}", "practitioners", "G1", p, start, start + len(t), t, "demo", "", ""))
    segments = pd.DataFrame(segs, columns=SEGMENT_COLUMNS)
    codings = pd.DataFrame(
        [("S1", "D.1.a"), ("S2", "D.1"), ("S2", "D.2"), ("S3", "D.1.a"), ("S4", "D.2")], columns=CODING_COLUMNS
    )
    participants = pd.DataFrame(
        [("P01", "practitioners", "G1", "", "여", 41), ("P02", "practitioners", "G1", "", "남", 35)],
        columns=["participant_id", "group", "session_id", "report_label", "sex", "age"],
    )
    sessions = pd.DataFrame([("G1", "practitioners", "기관 1")], columns=["session_id", "group", "site"])
    sources = pd.DataFrame([("G1", source)], columns=SOURCE_COLUMNS)
    return QualCorpus(codes, participants, sessions, sources, segments, codings, name="example").validate()
