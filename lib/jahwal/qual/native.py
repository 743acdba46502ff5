"""The native format: a folder of CSV files (and, optionally, transcript texts).

Files (UTF-8, comma-separated, header row):

``codebook.csv``
    ``group, code_id, parent_id, level, name, description, codable`` and
    optionally ``domain, table_id, source_line, abridged, color``.
``participants.csv``
    ``group, participant_id, session_id`` and attributes (``sex, age, role,
    tenure_text, tenure_months, report_label, table_id, source_line`` and any
    others).
``sessions.csv``
    ``group, session_id`` and optionally ``site, date_start, date_end,
    n_participants, duration_min, place, assumed, source_line, note,
    source_file``.
``segments.csv``
    ``segment_id, group, session_id, participant_id, code_ids, text`` and
    optionally ``quote_id, within, start, end, report_line, coder, memo``.
    ``code_ids`` are separated by ``;``. Every segment names its speaker
    (``participant_id``); a blank one is an error, not an unknown speaker.

``refi.json`` (optional)
    What a REFI-QDA project held beyond these tables (original GUIDs, the
    project's name, every set, the variables' types), written by an import so
    that an export gives the QDA program back its own objects.

Transcripts: when ``segments.csv`` has ``start``/``end`` and ``sessions.csv``
names a ``source_file`` (under ``sources/``), the offsets refer to those texts.
Otherwise each session's transcript is built by joining its segments in file
order as ``"<participant>: <text>"`` paragraphs; a segment whose ``within``
names an earlier segment is located inside that segment's text instead of being
appended (the same passage quoted twice).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from .model import (
    SEGMENT_COLUMNS,
    QualCorpus,
    QualDataError,
    raise_problems,
    to_bool,
)

FILES = ("codebook.csv", "participants.csv", "sessions.csv", "segments.csv")
EXCHANGE_FILE = "refi.json"
REQUIRED = {
    "codebook.csv": ["group", "code_id", "parent_id", "level", "name", "description", "codable"],
    "participants.csv": ["group", "participant_id", "session_id"],
    "sessions.csv": ["group", "session_id"],
    "segments.csv": ["segment_id", "group", "session_id", "participant_id", "code_ids", "text"],
}
INT_FIELDS = {"source_line", "age", "tenure_months", "n_participants", "duration_min", "start", "end"}


def _read_csv(path: Path, problems: list[str]) -> pd.DataFrame | None:
    if not path.is_file():
        problems.append(f"{path}: 파일이 없습니다 / file not found")
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(f"{path}: CSV를 읽지 못했습니다 / cannot read CSV: {exc}")
        return None
    missing = [c for c in REQUIRED[path.name] if c not in df.columns]
    if missing:
        problems.append(f"{path}: 필수 열이 없습니다 / missing columns: {missing}")
        return None
    df.columns = [c.strip() for c in df.columns]
    for col in df.columns:
        df[col] = df[col].str.strip() if col not in ("text",) else df[col]
    return df


def _check_types(df: pd.DataFrame, path: Path, problems: list[str]) -> None:
    for col in df.columns:
        if col in INT_FIELDS:
            bad = df.index[(df[col] != "") & ~df[col].str.fullmatch(r"-?\d+")]
            for i in bad[:5]:
                problems.append(f"{path} {i + 2}행, 열 '{col}': 정수가 아닙니다 / not an integer: {df.at[i, col]!r}")
        if col in ("codable", "abridged", "assumed"):
            bad = df.index[df[col].map(lambda v: to_bool(v) is None)]
            for i in bad[:5]:
                problems.append(f"{path} {i + 2}행, 열 '{col}': 참/거짓이 아닙니다 / not a boolean: {df.at[i, col]!r}")


def _dup_rows(df: pd.DataFrame, key: str, path: Path, problems: list[str]) -> None:
    for i in df.index[df[key].duplicated(keep="first")][:5]:
        problems.append(f"{path} {i + 2}행, 열 '{key}': '{df.at[i, key]}' 중복 / duplicate")
    for i in df.index[df[key] == ""][:5]:
        problems.append(f"{path} {i + 2}행, 열 '{key}': 비어 있습니다 / empty")


def _build_sources(seg: pd.DataFrame, path: Path, problems: list[str]) -> tuple[pd.DataFrame, list[int], list[int]]:
    """Join segments into one transcript per session; return sources and offsets.

    Segments without ``within`` are appended in file order; then each segment
    with ``within`` is located inside the text of the segment it names.
    """
    texts: dict[str, list[str]] = {}
    length: dict[str, int] = {}
    starts, ends = [0] * len(seg), [0] * len(seg)
    pos_of: dict[str, tuple[str, int, int, str]] = {}
    within_col = seg["within"].tolist() if "within" in seg.columns else [""] * len(seg)
    rows = list(seg.itertuples(index=False))
    for k, row in enumerate(rows):
        sid = row.session_id
        texts.setdefault(sid, [])
        length.setdefault(sid, 0)
        if within_col[k]:
            continue
        prefix = f"{row.participant_id}: " if row.participant_id else ""
        start = length[sid] + len(prefix)
        piece = prefix + row.text + "\n\n"
        texts[sid].append(piece)
        length[sid] += len(piece)
        starts[k], ends[k] = start, start + len(row.text)
        pos_of[row.segment_id] = (sid, starts[k], ends[k], row.text)
    for k, row in enumerate(rows):
        within = within_col[k]
        if not within:
            continue
        if within not in pos_of:
            problems.append(
                f"{path} {k + 2}행, 열 'within': 구간 '{within}'이 없거나 그 자신도 다른 구간 안에 있습니다 / "
                f"unknown segment, or one that is itself inside another"
            )
            continue
        wsid, ws, _we, wtext = pos_of[within]
        idx = wtext.find(row.text)
        if wsid != row.session_id or idx < 0:
            problems.append(
                f"{path} {k + 2}행, 열 'within': 본문이 구간 '{within}' 안에 없습니다 / "
                f"text not found inside segment '{within}'"
            )
            continue
        starts[k], ends[k] = ws + idx, ws + idx + len(row.text)
    sources = pd.DataFrame({"session_id": list(texts), "text": ["".join(v) for v in texts.values()]})
    return sources, starts, ends


def read_native(folder: str | Path) -> QualCorpus:
    """Read a native-format folder into a validated :class:`QualCorpus`.

    Parameters
    ----------
    folder : str or Path
        The folder holding ``codebook.csv``, ``participants.csv``,
        ``sessions.csv`` and ``segments.csv``.

    Returns
    -------
    QualCorpus

    Raises
    ------
    QualDataError
        Naming the file, row and column of each problem (all are listed).

    Examples
    --------
    >>> c = read_native("data/qualitative")  # doctest: +SKIP
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise QualDataError(f"{folder}: 폴더가 없습니다 / folder not found")
    problems: list[str] = []
    frames = {name: _read_csv(folder / name, problems) for name in FILES}
    raise_problems(problems, str(folder))
    cb, pa, se, sg = (frames[n] for n in FILES)
    for df, name in ((cb, "codebook.csv"), (pa, "participants.csv"), (se, "sessions.csv"), (sg, "segments.csv")):
        _check_types(df, folder / name, problems)
    _dup_rows(cb, "code_id", folder / "codebook.csv", problems)
    _dup_rows(pa, "participant_id", folder / "participants.csv", problems)
    _dup_rows(se, "session_id", folder / "sessions.csv", problems)
    _dup_rows(sg, "segment_id", folder / "segments.csv", problems)
    # references, row by row
    codes = dict(zip(cb["code_id"], cb["group"]))
    sessions = set(se["session_id"])
    parts = dict(zip(pa["participant_id"], pa["group"]))
    for i, (_cid, par) in enumerate(zip(cb["code_id"], cb["parent_id"])):
        if par and par not in codes:
            problems.append(
                f"{folder / 'codebook.csv'} {i + 2}행, 열 'parent_id': 코드 '{par}'가 없습니다 / unknown code"
            )
    for i, (_pid, sid) in enumerate(zip(pa["participant_id"], pa["session_id"])):
        if sid and sid not in sessions:
            problems.append(
                f"{folder / 'participants.csv'} {i + 2}행, 열 'session_id': 회기 '{sid}'가 없습니다 / unknown session"
            )
    segpath = folder / "segments.csv"
    for i, row in enumerate(sg.itertuples(index=False)):
        if row.session_id not in sessions:
            problems.append(
                f"{segpath} {i + 2}행, 열 'session_id': 회기 '{row.session_id}'가 없습니다 / unknown session"
            )
        if not row.participant_id:
            problems.append(
                f"{segpath} {i + 2}행, 열 'participant_id': 화자(참여자 ID)가 비어 있습니다 / empty speaker (participant_id)"
            )
        elif row.participant_id not in parts:
            problems.append(
                f"{segpath} {i + 2}행, 열 'participant_id': 참여자 '{row.participant_id}'가 없습니다 / "
                f"unknown participant"
            )
        ids = [c.strip() for c in row.code_ids.split(";") if c.strip()]
        if not ids:
            problems.append(f"{segpath} {i + 2}행, 열 'code_ids': 코드가 없습니다 / no code")
        for cid in ids:
            if cid not in codes:
                problems.append(f"{segpath} {i + 2}행, 열 'code_ids': 코드북에 없는 코드 '{cid}' / unknown code")
        if row.text == "":
            problems.append(f"{segpath} {i + 2}행, 열 'text': 비어 있습니다 / empty text")
    raise_problems(problems, str(folder))
    # sources and offsets
    has_offsets = {"start", "end"} <= set(sg.columns) and (sg["start"] != "").all() and "source_file" in se.columns
    if has_offsets:
        texts = []
        for i, (sid, fname) in enumerate(zip(se["session_id"], se["source_file"])):
            p = folder / "sources" / fname
            if not fname or not p.is_file():
                problems.append(
                    f"{folder / 'sessions.csv'} {i + 2}행, 열 'source_file': 녹취 파일이 없습니다 / "
                    f"transcript not found: {p}"
                )
                continue
            try:
                texts.append((sid, p.read_text(encoding="utf-8-sig").replace("\r\n", "\n")))
            except UnicodeDecodeError as exc:
                problems.append(f"{p}: UTF-8이 아닙니다 / not UTF-8: {exc}")
        raise_problems(problems, str(folder))
        sources = pd.DataFrame(texts, columns=["session_id", "text"])
        starts, ends = sg["start"].astype(int).tolist(), sg["end"].astype(int).tolist()
        tx = dict(texts)
        for i, (sid, s, e, t) in enumerate(zip(sg["session_id"], starts, ends, sg["text"])):
            full = tx.get(sid, "")
            if not 0 <= s < e <= len(full):
                problems.append(
                    f"{segpath} {i + 2}행, 열 'start'/'end': 위치 {s}–{e}가 녹취 길이 {len(full)}를 벗어납니다 / "
                    f"offsets beyond the text"
                )
            elif full[s:e] != t:
                problems.append(
                    f"{segpath} {i + 2}행, 열 'text': 녹취의 {s}–{e} 위치와 다릅니다 / differs from the transcript"
                )
    else:
        sources, starts, ends = _build_sources(sg, segpath, problems)
    raise_problems(problems, str(folder))
    # one transcript per session, in the order of sessions.csv
    sources = se[["session_id"]].merge(sources, on="session_id", how="left").fillna({"text": ""})

    segments = sg.assign(start=starts, end=ends)
    if "quote_id" not in segments.columns:
        segments["quote_id"] = segments["segment_id"]
    segments["quote_id"] = segments["quote_id"].where(segments["quote_id"] != "", segments["segment_id"])
    codings = (
        segments[["segment_id", "code_ids"]]
        .assign(code_id=lambda d: d["code_ids"].str.split(";"))
        .explode("code_id")
        .assign(code_id=lambda d: d["code_id"].str.strip())
        .query("code_id != ''")[["segment_id", "code_id"]]
        .drop_duplicates()
    )
    segments = segments[[c for c in SEGMENT_COLUMNS if c in segments.columns]]
    sessions_df = se.drop(columns=[c for c in ("source_file",) if c in se.columns])
    exchange: dict = {}
    if (folder / EXCHANGE_FILE).is_file():
        try:
            exchange = json.loads((folder / EXCHANGE_FILE).read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise QualDataError(f"{folder / EXCHANGE_FILE}: JSON을 읽지 못했습니다 / cannot read JSON: {exc}") from None
        if not isinstance(exchange, dict):
            raise QualDataError(f"{folder / EXCHANGE_FILE}: 최상위는 객체여야 합니다 / top level must be an object")
    corpus = QualCorpus(
        codes=cb,
        participants=pa,
        sessions=sessions_df,
        sources=sources,
        segments=segments,
        codings=codings,
        name=(exchange.get("project") or {}).get("name") or folder.name,
        exchange=exchange,
    )
    return corpus.validate(str(folder))


def _safe_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[^\w.-]+", "_", name, flags=re.UNICODE).strip("._") or "source"
    out, k = base, 2
    while out.lower() in used:
        out, k = f"{base}-{k}", k + 1
    used.add(out.lower())
    return out + ".txt"


def write_native(corpus: QualCorpus, folder: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``corpus`` as a native folder with offsets and ``sources/`` transcripts.

    The folder is written next to its final place and renamed into it, so an
    interrupted write leaves no partial folder.

    Parameters
    ----------
    corpus : QualCorpus
    folder : str or Path
    overwrite : bool
        Replace an existing non-empty folder.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise QualDataError(f"{folder}: 폴더가 이미 있습니다(덮어쓰려면 --force) / folder exists (use --force)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        codes = corpus.codes.copy()
        codes = codes[["group"] + [c for c in codes.columns if c != "group"]]
        codes["codable"] = codes["codable"].map(lambda b: "true" if b else "false")
        codes["abridged"] = codes["abridged"].astype(int)
        codes.to_csv(tmp / "codebook.csv", index=False, encoding="utf-8", lineterminator="\n")
        pa = corpus.participants.copy()
        pa = pa[["group"] + [c for c in pa.columns if c != "group"]]
        pa.to_csv(tmp / "participants.csv", index=False, encoding="utf-8", lineterminator="\n")
        se = corpus.sessions.copy()
        se["assumed"] = se["assumed"].map(lambda b: "true" if b else "false")
        used: set[str] = set()
        names = {sid: _safe_name(sid, used) for sid in corpus.sources["session_id"]}
        se["source_file"] = se["session_id"].map(lambda s: names.get(s, ""))
        se = se[["group"] + [c for c in se.columns if c != "group"]]
        se.to_csv(tmp / "sessions.csv", index=False, encoding="utf-8", lineterminator="\n")
        (tmp / "sources").mkdir()
        for sid, text in zip(corpus.sources["session_id"], corpus.sources["text"]):
            (tmp / "sources" / names[sid]).write_text(text, encoding="utf-8", newline="\n")
        codes_by_seg = corpus.codings.groupby("segment_id", sort=False)["code_id"].agg(";".join)
        sg = corpus.segments.copy()
        sg["code_ids"] = sg["segment_id"].map(codes_by_seg).fillna("")
        cols = [
            "segment_id",
            "quote_id",
            "group",
            "session_id",
            "participant_id",
            "code_ids",
            "start",
            "end",
            "text",
            "report_line",
            "coder",
            "memo",
        ]
        sg[cols].to_csv(tmp / "segments.csv", index=False, encoding="utf-8", lineterminator="\n")
        if corpus.exchange:
            (tmp / EXCHANGE_FILE).write_text(
                json.dumps(corpus.exchange, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
            )
        if folder.exists():
            backup = folder.with_name(f".{folder.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(folder, backup)
            os.replace(tmp, folder)
            shutil.rmtree(backup)
        else:
            os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder
