"""REFI-QDA exchange: ``.qdpx`` projects and ``.qdc`` codebooks (QDA-XML 1.0).

Reading follows what QualCoder, ATLAS.ti, MAXQDA and NVivo write:

- the archive holds one ``*.qde`` (usually ``project.qde``) and a flat
  ``sources/`` (or ``Sources/``) folder; text sources are UTF-8 with or without
  a byte-order mark, or inline ``PlainTextContent``;
- elements are matched by local name, so any namespace spelling works
  (``urn:QDA-XML:project:1.0``, ``urn:QDA-XML:project:0:4``, a prefix, none);
- GUIDs are compared without braces and case (``{ABC…}`` = ``abc…``);
- selections are 0-based code-point offsets with an exclusive end. A CRLF
  counts as two code points, except in projects whose ``origin`` names ATLAS.ti
  (one). NVivo counts UTF-16 units (only differs outside the BMP). Transcripts
  are stored with ``\\n`` line ends and offsets converted accordingly;
- codes nest (``Code`` in ``Code``); ``isCodable="false"`` marks a category;
- cases are participants, with typed ``VariableValue``\\ s, ``SourceRef`` and
  ``SelectionRef``; a nameless case with one ``SourceRef`` carries file
  (session) variables, as MAXQDA writes them; a ``CodeRef`` that points to a
  case (NVivo case coding) assigns the coded span to that case;
- a ``Set`` named ``group:<name>`` (or ``집단:<name>``) puts its member codes
  and sources in that group; otherwise a ``group`` variable does. Every set,
  group or not, is kept (``QualCorpus.exchange["sets"]``) and written back;
  the import notes say which sets became groups;
- the original GUIDs of codes, sources, cases, selections, codings, users,
  variables and sets, the project's name and attributes, and each variable's
  REFI type are kept in ``QualCorpus.exchange`` and written back on export,
  so that a project returned to its QDA program matches its own objects.

Anything that cannot be resolved (an unknown code, source or case GUID,
offsets beyond the text, a missing source file, malformed XML) raises
:class:`~jahwal.qual.model.QualDataError` naming the file, the line and the
element. The whole project is checked before anything is returned.

Writing produces files that read back into an identical corpus: the jahwal
identifiers and provenance (code id, level, table, quote id, report line)
travel as a last line ``[jahwal] {...}`` in the ``Description`` of codes and
selections, where QDA programs show them as part of the memo.
"""

from __future__ import annotations

import bisect
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator
from xml.etree import ElementTree as ET
from xml.parsers import expat

import pandas as pd

from .model import (
    ALL_GROUPS,
    BOOL_COLUMNS,
    CODE_COLUMNS,
    INT_COLUMNS,
    QualCorpus,
    QualDataError,
    _normalize,
    raise_problems,
    to_bool,
)

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
TRAILER = "[jahwal] "
GROUP_SET_PREFIXES = ("group:", "집단:")
GROUP_VARIABLES = ("group", "집단")
#: Attributes of ``<Project>`` besides name and origin that an export writes back as read.
PROJECT_ATTRIBUTES = ("creatingUserGUID", "creationDateTime", "modifyingUserGUID", "modifiedDateTime", "basePath")
_GUID_NS = uuid.UUID("6f1c1f1e-3a55-4d0e-9a53-6a61687761c1")
_FIXED_ZIP_TIME = (2023, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------- XML parsing
@dataclass
class Node:
    """An XML element with its local name and the line it starts on."""

    tag: str
    attrib: dict[str, str]
    line: int
    children: list["Node"] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> "Node | None":
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list["Node"]:
        return [c for c in self.children if c.tag == tag]

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrib.get(key, default)

    def label(self) -> str:
        keys = [k for k in ("guid", "name", "targetGUID") if k in self.attrib]
        attrs = " ".join(f'{k}="{self.attrib[k]}"' for k in keys)
        return f"<{self.tag}{' ' + attrs if attrs else ''}>"


def _local(name: str) -> str:
    name = name.rsplit(" ", 1)[-1]
    return name.rsplit(":", 1)[-1] if ":" in name and "/" not in name else name


def parse_xml(data: bytes, where: str) -> Node:
    """Parse XML into :class:`Node`\\ s by local name, keeping line numbers.

    Raises
    ------
    QualDataError
        For malformed XML, naming ``where``, the line and the column.

    Examples
    --------
    >>> root = parse_xml(b'<q:Project xmlns:q="urn:QDA-XML:project:0:4" name="x"><q:Users/></q:Project>', "t.qde")
    >>> root.tag, root.get("name"), [c.tag for c in root.children]
    ('Project', 'x', ['Users'])
    >>> try:
    ...     parse_xml(b"<Project><Codes></Project>", "t.qde")
    ... except QualDataError as e:
    ...     print(str(e).splitlines()[0])
    t.qde: XML 구문 오류(1행 19열) / malformed XML (line 1, column 19): mismatched tag
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[Node] = []
    holder: list[Node] = []
    names: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = names.get(name)
        if tag is None:
            tag = names[name] = _local(name)
        for k in attrs:
            if " " in k:  # a namespaced attribute: keep its local name
                attrs = {_local(a): v for a, v in attrs.items()}
                break
        node = Node(tag, attrs, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            holder.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise QualDataError(
            f"{where}: XML 구문 오류({exc.lineno}행 {exc.offset + 1}열) / malformed XML "
            f"(line {exc.lineno}, column {exc.offset + 1}): {expat.ErrorString(exc.code)}"
        ) from None
    if not holder:
        raise QualDataError(f"{where}: XML 요소가 없습니다 / no XML element")
    return holder[0]


def norm_guid(value: str | None) -> str:
    """A GUID without braces, in lower case.

    Examples
    --------
    >>> norm_guid("{8E7FDDFE-DB36-48DC-B464-80C3A4DECD90}")
    '8e7fddfe-db36-48dc-b464-80c3a4decd90'
    """
    return (value or "").strip().strip("{}").lower()


def make_guid(*parts: str) -> str:
    """A deterministic GUID for a jahwal object (same input, same GUID)."""
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(parts)))


def split_trailer(text: str) -> tuple[str, dict[str, Any]]:
    """Split a ``Description`` into the memo and the ``[jahwal] {...}`` metadata.

    Examples
    --------
    >>> split_trailer('같은 사례\\n[jahwal] {"quote_id": "PQ030"}')
    ('같은 사례', {'quote_id': 'PQ030'})
    >>> split_trailer("메모만")
    ('메모만', {})
    """
    text = text or ""
    lines = text.rstrip("\n").split("\n")
    if lines and lines[-1].startswith(TRAILER):
        try:
            meta = json.loads(lines[-1][len(TRAILER) :])
        except json.JSONDecodeError:
            return text, {}
        if isinstance(meta, dict):
            return "\n".join(lines[:-1]).rstrip("\n"), meta
    return text, {}


def join_trailer(memo: str, meta: dict[str, Any]) -> str:
    meta = {k: v for k, v in meta.items() if v not in ("", None) and not (isinstance(v, float) and pd.isna(v))}
    if not meta:
        return memo
    line = TRAILER + json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str)
    return f"{memo}\n{line}" if memo else line


# ---------------------------------------------------------------- offsets
class OffsetMap:
    """Convert a tool's selection offsets into offsets in the ``\\n`` text.

    Parameters
    ----------
    raw : str
        The source text as stored (BOM removed).
    crlf_as_one : bool
        The tool counts ``\\r\\n`` as one position (ATLAS.ti).
    utf16 : bool
        The tool counts UTF-16 code units (NVivo).

    Examples
    --------
    >>> m = OffsetMap("가\\r\\n나다", crlf_as_one=False, utf16=False)
    >>> m.text, m.limit, m.convert(3), m.convert(5)
    ('가\\n나다', 5, 2, 4)
    >>> OffsetMap("가\\r\\n나다", crlf_as_one=True, utf16=False).convert(2)
    2
    """

    def __init__(self, raw: str, *, crlf_as_one: bool, utf16: bool) -> None:
        self.text = raw.replace("\r\n", "\n")
        self._cr = [m.start() for m in re.finditer("\r\n", raw)] if not crlf_as_one else []
        base = self.text if crlf_as_one else raw
        self._astral: list[int] = []
        if utf16:
            self._astral = [i for i, ch in enumerate(base) if ord(ch) > 0xFFFF]
        self.limit = len(base) + len(self._astral)

    def convert(self, pos: int) -> int:
        if self._astral:
            # UTF-16 unit -> code point in ``base``
            # the j-th astral character occupies UTF-16 units a_j + j and a_j + j + 1
            lo, hi = 0, len(self._astral)
            while lo < hi:  # count astral characters that end before ``pos``
                mid = (lo + hi) // 2
                if self._astral[mid] + mid + 2 <= pos:
                    lo = mid + 1
                else:
                    hi = mid
            pos -= lo
        return pos - bisect.bisect_left(self._cr, pos) if self._cr else pos


# ---------------------------------------------------------------- reading
def _read_zip(path: Path) -> tuple[zipfile.ZipFile, str, dict[str, str]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise QualDataError(
            f"{path}: REFI-QDA 프로젝트(ZIP)를 열지 못했습니다 / cannot open the .qdpx archive: {exc}"
        ) from None
    names = [n for n in zf.namelist() if not n.endswith("/")]
    qdes = [n for n in names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
    if not qdes:
        zf.close()
        raise QualDataError(f"{path}: 프로젝트 파일(*.qde)이 없습니다 / no project .qde file in the archive")
    qde = "project.qde" if "project.qde" in qdes else sorted(qdes)[0]
    # sources/<file> by lower-cased base name (the folder may be Sources or sources)
    files = {}
    for n in names:
        parts = PurePosixPath(n).parts
        if len(parts) == 2 and parts[0].lower() == "sources":
            files[parts[1].lower()] = n
    return zf, qde, files


def _value(vv: Node, variables: dict[str, tuple[str, str]], where: str, problems: list[str]) -> tuple[str, Any] | None:
    ref = vv.find("VariableRef")
    if ref is None:
        problems.append(f"{where} {vv.line}행 {vv.label()}: VariableRef가 없습니다 / missing VariableRef")
        return None
    g = norm_guid(ref.get("targetGUID"))
    if g not in variables:
        problems.append(f"{where} {ref.line}행 {ref.label()}: 알 수 없는 변수 / unknown variable GUID")
        return None
    name, vtype = variables[g]
    for tag in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
        el = vv.find(tag)
        if el is None:
            continue
        raw = el.text.strip() if tag != "TextValue" else el.text
        try:
            if tag == "IntegerValue":
                return name, int(raw)
            if tag == "FloatValue":
                return name, float(raw)
            if tag == "BooleanValue":
                b = to_bool(raw)
                if b is None:
                    raise ValueError(raw)
                return name, b
        except ValueError:
            problems.append(f"{where} {el.line}행 <{tag}>: 값 {raw!r}을 읽지 못했습니다 / unreadable value")
            return None
        return name, raw
    return name, ""


def _group_sets(
    root: Node,
    codes_g: set[str],
    sources_g: set[str],
    where: str,
    problems: list[str],
    records: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Groups of codes and sources from ``group:`` sets; every set is appended to ``records``.

    ``sources_g`` holds every source GUID the project declares, also those whose
    file could not be read (that problem is reported once, where it occurs).
    """
    code_group: dict[str, str] = {}
    source_group: dict[str, str] = {}
    sets = root.find("Sets")
    for st in sets.findall("Set") if sets is not None else []:
        name = (st.get("name") or "").strip()
        for mc in st.findall("MemberCode"):
            g = norm_guid(mc.get("targetGUID") or mc.get("guid"))
            if g not in codes_g:
                problems.append(
                    f'{where} {mc.line}행 <Set name="{name}"> {mc.label()}: 알 수 없는 코드 / unknown code GUID'
                )
        for ms in st.findall("MemberSource"):
            g = norm_guid(ms.get("targetGUID") or ms.get("guid"))
            if g not in sources_g:
                problems.append(
                    f'{where} {ms.line}행 <Set name="{name}"> {ms.label()}: 알 수 없는 소스 / unknown source GUID'
                )
        prefix = next((p for p in GROUP_SET_PREFIXES if name.lower().startswith(p)), None)
        if records is not None:
            desc = st.find("Description")
            records.append(
                {
                    "guid": (st.get("guid") or "").strip(),
                    "name": name,
                    "description": desc.text if desc is not None else "",
                    "codes": [norm_guid(m.get("targetGUID") or m.get("guid")) for m in st.findall("MemberCode")],
                    "sources": [norm_guid(m.get("targetGUID") or m.get("guid")) for m in st.findall("MemberSource")],
                    "group": name[len(prefix) :].strip() if prefix else "",
                }
            )
        if prefix is None:
            continue
        group = name[len(prefix) :].strip()
        for mc in st.findall("MemberCode"):
            code_group[norm_guid(mc.get("targetGUID") or mc.get("guid"))] = group
        for ms in st.findall("MemberSource"):
            source_group[norm_guid(ms.get("targetGUID") or ms.get("guid"))] = group
    return code_group, source_group


def _walk_codes(
    nodes: list[Node],
    parent: str,
    prefix: str,
    out: list[dict[str, Any]],
    where: str,
    problems: list[str],
    seen: set[str],
) -> None:
    k = 0
    for node in nodes:
        if node.tag != "Code":
            continue
        k += 1
        guid = norm_guid(node.get("guid"))
        name = node.get("name")
        if not guid or name is None:
            problems.append(
                f"{where} {node.line}행 {node.label()}: guid와 name이 필요합니다 / guid and name are required"
            )
            continue
        if guid in seen:
            problems.append(f"{where} {node.line}행 {node.label()}: GUID 중복 / duplicate GUID")
            continue
        seen.add(guid)
        desc = node.find("Description")
        memo, meta = split_trailer(desc.text if desc is not None else "")
        codable = to_bool(node.get("isCodable", "true"))
        if codable is None:
            problems.append(
                f"{where} {node.line}행 {node.label()}: isCodable 값이 true/false가 아닙니다 / bad isCodable"
            )
            codable = True
        number = f"{prefix}.{k}" if prefix else str(k)
        code_id = str(meta.get("code_id") or f"C{number}")
        out.append(
            {
                "guid": guid,
                "raw_guid": node.get("guid").strip(),
                "code_id": code_id,
                "parent_guid": parent,
                "name": name,
                "description": memo,
                "codable": codable,
                "color": node.get("color") or "",
                "level": meta.get("level", ""),
                "domain": meta.get("domain", ""),
                "table_id": meta.get("table_id", ""),
                "source_line": meta.get("source_line", pd.NA),
                "abridged": bool(meta.get("abridged", False)),
                "meta_group": meta.get("group", ""),
                "depth": number.count(".") + 1,
            }
        )
        _walk_codes(node.children, guid, number, out, where, problems, seen)


def _codes_frame(rows: list[dict[str, Any]], code_group: dict[str, str]) -> pd.DataFrame:
    by_guid = {r["guid"]: r for r in rows}
    depth_levels = {1: "대주제", 2: "하위주제", 3: "코드", 4: "세부코드"}
    out = []
    for r in rows:
        top = r
        while top["parent_guid"]:
            top = by_guid[top["parent_guid"]]
        group = code_group.get(r["guid"]) or code_group.get(top["guid"]) or r["meta_group"] or ALL_GROUPS
        out.append(
            {
                "code_id": r["code_id"],
                "parent_id": by_guid[r["parent_guid"]]["code_id"] if r["parent_guid"] else "",
                "group": group,
                "level": r["level"] or depth_levels.get(r["depth"], f"{r['depth']}수준"),
                "name": r["name"],
                "description": r["description"],
                "codable": r["codable"],
                "domain": r["domain"],
                "table_id": r["table_id"],
                "source_line": r["source_line"],
                "abridged": r["abridged"],
                "color": r["color"],
            }
        )
    return pd.DataFrame(out)


def read_qdc(path: str | Path) -> pd.DataFrame:
    """Read a REFI-QDA codebook (``.qdc``) into a codebook table.

    Returns
    -------
    DataFrame
        The ``codes`` columns of :class:`~jahwal.qual.model.QualCorpus`.
    """
    path = Path(path)
    if not path.is_file():
        raise QualDataError(f"{path}: 파일이 없습니다 / file not found")
    root = parse_xml(path.read_bytes(), str(path))
    if root.tag not in ("CodeBook", "Project"):
        raise QualDataError(
            f"{path} {root.line}행 <{root.tag}>: 최상위 요소가 CodeBook이 아닙니다 / root is not CodeBook"
        )
    holder = root.find("CodeBook") if root.tag == "Project" else root
    codes_el = holder.find("Codes") if holder is not None else None
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    if codes_el is None:
        problems.append(f"{path}: <Codes> 요소가 없습니다 / no <Codes> element")
    else:
        _walk_codes(codes_el.children, "", "", rows, str(path), problems, set())
    code_group, _ = _group_sets(
        holder if root.tag == "CodeBook" else root, {r["guid"] for r in rows}, set(), str(path), problems
    )
    raise_problems(problems, str(path))
    codes = _normalize(_codes_frame(rows, code_group), CODE_COLUMNS)
    dup = codes["code_id"][codes["code_id"].duplicated()].unique()
    if len(dup):
        raise QualDataError(f"{path}: code_id 중복 / duplicate code ids: {list(dup)[:5]}")
    return codes


_SPEAKER_RE = re.compile(r"^\s*[\[(]?([^\]):：\n]{1,40}?)[\])]?\s*[:：]")


def read_qdpx(path: str | Path) -> QualCorpus:
    """Read a REFI-QDA project (``.qdpx``) into a validated :class:`QualCorpus`.

    Each text source becomes a session (its name is the session id), each named
    case a participant, each selection with at least one code a segment.

    Raises
    ------
    QualDataError
        For every unresolved reference, offset outside its text, missing source
        file or malformed XML, naming the file, the line and the element.
    """
    path = Path(path)
    if not path.is_file():
        raise QualDataError(f"{path}: 파일이 없습니다 / file not found")
    zf, qde, files = _read_zip(path)
    with zf:
        where = f"{path.name}:{qde}"
        root = parse_xml(zf.read(qde), where)
        if root.tag != "Project":
            raise QualDataError(
                f"{where} {root.line}행 <{root.tag}>: 최상위 요소가 Project가 아닙니다 / root is not Project"
            )
        origin = root.get("origin") or ""
        crlf_as_one = "atlas" in origin.lower()
        utf16 = "nvivo" in origin.lower()
        problems: list[str] = []
        notes: list[str] = []

        users = {}
        user_raw: dict[str, str] = {}
        users_el = root.find("Users")
        for u in users_el.findall("User") if users_el is not None else []:
            users[norm_guid(u.get("guid"))] = u.get("name") or u.get("id") or ""
            user_raw.setdefault(users[norm_guid(u.get("guid"))], (u.get("guid") or "").strip())

        code_rows: list[dict[str, Any]] = []
        cb = root.find("CodeBook")
        codes_el = cb.find("Codes") if cb is not None else None
        if codes_el is not None:
            _walk_codes(codes_el.children, "", "", code_rows, where, problems, set())
        code_guid = {r["guid"]: r["code_id"] for r in code_rows}

        variables: dict[str, tuple[str, str]] = {}
        variable_raw: dict[str, str] = {}
        var_el = root.find("Variables")
        for v in var_el.findall("Variable") if var_el is not None else []:
            variables[norm_guid(v.get("guid"))] = (v.get("name") or "", v.get("typeOfVariable") or "Text")
            variable_raw.setdefault(v.get("name") or "", (v.get("guid") or "").strip())

        # cases first pass: guids (CodeRef may target a case)
        cases_el = root.find("Cases")
        case_nodes = cases_el.findall("Case") if cases_el is not None else []
        case_guid = {norm_guid(c.get("guid")): c for c in case_nodes}

        # sources
        sources_el = root.find("Sources")
        src_nodes = sources_el.children if sources_el is not None else []
        sources: list[dict[str, Any]] = []
        selections: list[dict[str, Any]] = []
        sel_guid: dict[str, dict[str, Any]] = {}
        case_spans: list[tuple[str, str, int, int]] = []  # (source guid, case guid, start, end)
        used_names: set[str] = set()
        declared_sources = {norm_guid(n.get("guid")) for n in src_nodes if n.tag.endswith("Source") and n.get("guid")}
        lost_selections: set[str] = set()  # selections inside a source that could not be read
        for node in src_nodes:
            if node.tag == "TextSource":
                lost_selections.update(norm_guid(sel.get("guid")) for sel in node.findall("PlainTextSelection"))
            if node.tag != "TextSource":
                if node.tag.endswith("Source"):
                    notes.append(
                        f"{where} {node.line}행 {node.label()}: 글 이외의 소스는 건너뜁니다 / non-text source skipped"
                    )
                continue
            sguid = norm_guid(node.get("guid"))
            sname = (node.get("name") or "").strip() or sguid
            if sname.lower().endswith(".txt"):
                sname = sname[:-4]
            base, k = sname, 2
            while sname in used_names:
                sname, k = f"{base}-{k}", k + 1
            used_names.add(sname)
            inline = node.find("PlainTextContent")
            raw = None
            if inline is not None:
                raw = inline.text
            else:
                ptp = node.get("plainTextPath") or node.get("path") or ""
                if not ptp.startswith("internal://"):
                    problems.append(
                        f"{where} {node.line}행 {node.label()}: 내부 파일이 아닌 소스 경로는 읽지 않습니다 / "
                        f"only internal:// text sources are supported: {ptp!r}"
                    )
                    continue
                fname = ptp[len("internal://") :].lstrip("/")
                member = files.get(fname.lower())
                if member is None:
                    problems.append(
                        f"{where} {node.line}행 {node.label()}: 소스 파일 sources/{fname}이 보관 파일에 없습니다 / "
                        f"source file missing from the archive"
                    )
                    continue
                try:
                    raw = zf.read(member).decode("utf-8-sig")
                except UnicodeDecodeError as exc:
                    problems.append(
                        f"{where} {node.line}행 {node.label()}: sources/{fname}이 UTF-8이 아닙니다 / "
                        f"source is not UTF-8: {exc.reason}"
                    )
                    continue
            omap = OffsetMap(raw, crlf_as_one=crlf_as_one, utf16=utf16)
            attrs: dict[str, Any] = {}
            for vv in node.findall("VariableValue"):
                got = _value(vv, variables, where, problems)
                if got:
                    attrs[got[0]] = got[1]
            sources.append(
                {
                    "guid": sguid,
                    "raw_guid": (node.get("guid") or "").strip(),
                    "session_id": sname,
                    "text": omap.text,
                    "attrs": attrs,
                    "user": node.get("creatingUser"),
                }
            )
            for sel in node.findall("PlainTextSelection"):
                g = norm_guid(sel.get("guid"))
                lost_selections.discard(g)
                try:
                    s0, s1 = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                except ValueError:
                    problems.append(
                        f"{where} {sel.line}행 {sel.label()}: 시작·끝 위치가 정수가 아닙니다 / "
                        f"startPosition/endPosition are not integers"
                    )
                    continue
                if not (0 <= s0 <= s1 <= omap.limit):
                    problems.append(
                        f"{where} {sel.line}행 {sel.label()}: 위치 {s0}–{s1}가 소스 '{sname}'의 길이 "
                        f"{omap.limit}를 벗어납니다 / offsets beyond the text"
                    )
                    continue
                a, b = omap.convert(s0), omap.convert(s1)
                desc = sel.find("Description")
                memo, meta = split_trailer(desc.text if desc is not None else "")
                code_refs, case_refs = [], []
                coding_raw: dict[str, str] = {}
                for cd in sel.findall("Coding"):
                    ref = cd.find("CodeRef")
                    tg = norm_guid(ref.get("targetGUID")) if ref is not None else ""
                    if tg in code_guid:
                        code_refs.append(code_guid[tg])
                        coding_raw.setdefault(code_guid[tg], (cd.get("guid") or "").strip())
                    elif tg in case_guid:
                        case_refs.append(tg)
                    else:
                        el = ref if ref is not None else cd
                        problems.append(
                            f"{where} {el.line}행 {sel.label()} {el.label()}: 코드북에 없는 코드를 가리킵니다 / "
                            f"reference to an unknown code"
                        )
                for cg in case_refs:
                    case_spans.append((sguid, cg, a, b))
                rec = {
                    "guid": g,
                    "raw_guid": (sel.get("guid") or "").strip(),
                    "coding_guids": coding_raw,
                    "source": sguid,
                    "session_id": sname,
                    "start": a,
                    "end": b,
                    "name": sel.get("name") or "",
                    "memo": memo,
                    "meta": meta,
                    "codes": list(dict.fromkeys(code_refs)),
                    "user": sel.get("creatingUser")
                    or next((cd.get("creatingUser") for cd in sel.findall("Coding")), None),
                    "line": sel.line,
                }
                sel_guid[g] = rec
                if rec["codes"]:
                    selections.append(rec)
        source_guid = {s["guid"]: s for s in sources}

        # cases
        participants: list[dict[str, Any]] = []
        sel_case: dict[str, str] = {}
        source_cases: dict[str, list[str]] = {}
        for c in case_nodes:
            cg = norm_guid(c.get("guid"))
            name = (c.get("name") or "").strip()
            attrs = {}
            for vv in c.findall("VariableValue"):
                got = _value(vv, variables, where, problems)
                if got:
                    attrs[got[0]] = got[1]
            srefs = []
            for sr in c.findall("SourceRef"):
                tg = norm_guid(sr.get("targetGUID"))
                if tg not in source_guid:
                    if tg not in declared_sources:
                        problems.append(
                            f'{where} {sr.line}행 <Case name="{name}"> {sr.label()}: 알 수 없는 소스 / '
                            f"reference to an unknown source"
                        )
                    continue
                srefs.append(tg)
            for sr in c.findall("SelectionRef"):
                tg = norm_guid(sr.get("targetGUID"))
                if tg in lost_selections:  # its source is missing: reported there, once
                    continue
                if tg not in sel_guid:
                    problems.append(
                        f'{where} {sr.line}행 <Case name="{name}"> {sr.label()}: 알 수 없는 선택 구간 / '
                        f"reference to an unknown selection"
                    )
                    continue
                sel_case[tg] = cg
            if not name:
                if len(srefs) == 1:  # MAXQDA: file variables
                    source_guid[srefs[0]]["attrs"].update(attrs)
                continue
            for sg in srefs:
                source_cases.setdefault(sg, []).append(cg)
            participants.append(
                {
                    "guid": cg,
                    "raw_guid": (c.get("guid") or "").strip(),
                    "participant_id": name,
                    "attrs": attrs,
                    "sources": srefs,
                }
            )
        part_by_guid = {p["guid"]: p for p in participants}
        part_by_name = {p["participant_id"]: p for p in participants}

        for d in pd.Series([p["participant_id"] for p in participants]).loc[lambda s: s.duplicated()].unique():
            problems.append(f"{where}: 사례(Case) 이름 '{d}' 중복 / duplicate case name")

        set_records: list[dict[str, Any]] = []
        code_group, source_group = _group_sets(root, set(code_guid), declared_sources, where, problems, set_records)
        raise_problems(problems, str(path))

    # ---------------------------------------------------------------- assemble
    codes = _codes_frame(code_rows, code_group)

    def group_of_source(s: dict[str, Any]) -> str:
        for key in GROUP_VARIABLES:
            if s["attrs"].get(key):
                return str(s["attrs"][key])
        return source_group.get(s["guid"], ALL_GROUPS)

    sess_rows = []
    for s in sources:
        row = {"session_id": s["session_id"], "group": group_of_source(s)}
        row.update({k: v for k, v in s["attrs"].items() if k not in GROUP_VARIABLES})
        sess_rows.append(row)
    sessions = pd.DataFrame(
        sess_rows, columns=list(dict.fromkeys(["session_id", "group"] + [k for r in sess_rows for k in r]))
    )
    src_group = {s["guid"]: group_of_source(s) for s in sources}

    # segment -> participant
    spans_by_source: dict[str, list[tuple[int, int, str]]] = {}
    for sg, cg, a, b in case_spans:
        spans_by_source.setdefault(sg, []).append((a, b, cg))

    def speaker(sel: dict[str, Any]) -> str:
        if sel["guid"] in sel_case and sel_case[sel["guid"]] in part_by_guid:
            return part_by_guid[sel_case[sel["guid"]]]["participant_id"]
        for a, b, cg in spans_by_source.get(sel["source"], []):
            if a <= sel["start"] and sel["end"] <= b and cg in part_by_guid:
                return part_by_guid[cg]["participant_id"]
        text = source_guid[sel["source"]]["text"]
        line_start = text.rfind("\n", 0, sel["start"]) + 1
        m = _SPEAKER_RE.match(text[line_start : line_start + 60])
        if m and m.group(1).strip() in part_by_name:
            return m.group(1).strip()
        only = source_cases.get(sel["source"], [])
        if len(only) == 1:
            return part_by_guid[only[0]]["participant_id"]
        return ""

    names = [s["name"] for s in selections]
    use_names = all(names) and len(set(names)) == len(names)
    seg_rows, coding_rows = [], []
    for k, s in enumerate(selections):
        sid = s["name"] if use_names else f"S{k + 1:05d}"
        text = source_guid[s["source"]]["text"]
        seg_rows.append(
            {
                "segment_id": sid,
                "quote_id": str(s["meta"].get("quote_id") or sid),
                "group": src_group[s["source"]],
                "session_id": s["session_id"],
                "participant_id": speaker(s),
                "start": s["start"],
                "end": s["end"],
                "text": text[s["start"] : s["end"]],
                "coder": users.get(norm_guid(s["user"]), "") if s["user"] else "",
                "memo": s["memo"],
                "report_line": str(s["meta"].get("report_line") or ""),
            }
        )
        coding_rows.extend((sid, c) for c in s["codes"])
    segments = pd.DataFrame(
        seg_rows,
        columns=[
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
        ],
    )
    empty = segments["start"] >= segments["end"]
    if empty.any():
        notes.append(
            f"{path.name}: 길이가 0인 선택 구간 {int(empty.sum())}개를 건너뜁니다 / zero-length selections skipped"
        )
        dropped = set(segments.loc[empty, "segment_id"])
        segments = segments[~empty]
        coding_rows = [r for r in coding_rows if r[0] not in dropped]

    seg_by_part: dict[str, str] = {}
    groups_by_part: dict[str, set[str]] = {}
    for pid, sess, grp in zip(segments["participant_id"], segments["session_id"], segments["group"]):
        seg_by_part.setdefault(pid, sess)
        groups_by_part.setdefault(pid, set()).add(grp)
    named_groups = {g for g in list(codes["group"]) + list(src_group.values()) if g != ALL_GROUPS}
    part_rows = []
    for p in participants:
        attrs = dict(p["attrs"])
        group = next((str(attrs.pop(k)) for k in GROUP_VARIABLES if k in attrs), "")
        sess = (
            str(attrs.pop("session_id", ""))
            or (source_guid[p["sources"][0]]["session_id"] if p["sources"] else "")
            or seg_by_part.get(p["participant_id"], "")
        )
        if not group:  # from the case's sources, else the segments it speaks in, else the only group
            gs = ({src_group[s] for s in p["sources"]} or groups_by_part.get(p["participant_id"], set())) - {ALL_GROUPS}
            if not gs and len(named_groups) == 1:
                gs = set(named_groups)
            group = gs.pop() if len(gs) == 1 else ALL_GROUPS
        row = {"participant_id": p["participant_id"], "group": group, "session_id": sess}
        row.update(attrs)
        part_rows.append(row)
    cols = list(dict.fromkeys(["participant_id", "group", "session_id"] + [k for r in part_rows for k in r]))
    participants_df = pd.DataFrame(part_rows, columns=cols)
    sources_df = pd.DataFrame([(s["session_id"], s["text"]) for s in sources], columns=["session_id", "text"])
    codings = pd.DataFrame(coding_rows, columns=["segment_id", "code_id"])

    # ---------------------------------------------------------------- kept for the round trip
    seg_ids = dict(zip((s["guid"] for s in selections), (r["segment_id"] for r in seg_rows)))
    kept_segments = set(segments["segment_id"])
    sess_of = {s["guid"]: s["session_id"] for s in sources}
    sets_out = []
    for st in set_records:
        members_c = [code_guid[g] for g in st["codes"] if g in code_guid]
        members_s = [sess_of[g] for g in st["sources"] if g in sess_of]
        sets_out.append(
            {
                "guid": st["guid"],
                "name": st["name"],
                "description": st["description"],
                "codes": members_c,
                "sources": members_s,
                "group": st["group"],
            }
        )
        if st["group"]:
            notes.append(
                f"집합 '{st['name']}' → 집단 '{st['group']}'(코드 {len(members_c)}개, 소스 {len(members_s)}개) / "
                f"set became group '{st['group']}'"
            )
        else:
            notes.append(
                f"집합 '{st['name']}'은 집단이 아니며 자료로 보존합니다(코드 {len(members_c)}개, "
                f"소스 {len(members_s)}개) / set kept as data, not a group"
            )
    notes.append(
        f"사례(Case)에서 참여자 {len(participants)}명을 읽었습니다 / {len(participants)} participant(s) read "
        f"from the cases"
    )
    project_attrs = {k: v for k, v in root.attrib.items() if k in PROJECT_ATTRIBUTES}
    exchange = {
        "project": {"name": root.get("name") or path.stem, "origin": origin, "attributes": project_attrs},
        "guids": {
            "codes": {r["code_id"]: r["raw_guid"] for r in code_rows},
            "sources": {s["session_id"]: s["raw_guid"] for s in sources},
            "cases": {p["participant_id"]: p["raw_guid"] for p in participants},
            "selections": {
                seg_ids[s["guid"]]: s["raw_guid"] for s in selections if seg_ids[s["guid"]] in kept_segments
            },
            "codings": {
                f"{seg_ids[s['guid']]}\t{c}": g
                for s in selections
                if seg_ids[s["guid"]] in kept_segments
                for c, g in s["coding_guids"].items()
                if g
            },
            "users": dict(user_raw),
            "variables": dict(variable_raw),
        },
        "variable_types": {name: vtype for name, vtype in variables.values() if name},
        "sets": sets_out,
    }
    corpus = QualCorpus(
        codes,
        participants_df,
        sessions,
        sources_df,
        segments,
        codings,
        name=root.get("name") or path.stem,
        notes=notes,
        exchange=exchange,
    )
    return corpus.validate(str(path))


# ---------------------------------------------------------------- writing
def _sub(parent: ET.Element, tag: str, ns: str, **attrs: Any) -> ET.Element:
    return ET.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items() if v not in (None, "")})


def _code_meta(row: Any) -> dict[str, Any]:
    return {
        "code_id": row.code_id,
        "level": row.level,
        "domain": row.domain,
        "table_id": row.table_id,
        "source_line": None if pd.isna(row.source_line) else int(row.source_line),
        "abridged": bool(row.abridged) or None,
    }


def _codes_xml(parent: ET.Element, codes: pd.DataFrame, ns: str, kept: dict[str, str] | None = None) -> dict[str, str]:
    holder = _sub(parent, "Codes", ns)
    elements: dict[str, ET.Element] = {}
    guids: dict[str, str] = {}
    for row in codes.itertuples(index=False):
        guid = (kept or {}).get(row.code_id) or make_guid("code", row.code_id)
        guids[row.code_id] = guid
        up = elements.get(row.parent_id, holder)
        el = _sub(
            up,
            "Code",
            ns,
            guid=guid,
            name=row.name,
            isCodable="true" if row.codable else "false",
            color=row.color if re.fullmatch(r"#[0-9A-Fa-f]{3}([0-9A-Fa-f]{3})?", row.color or "") else None,
        )
        desc = join_trailer(row.description, _code_meta(row))
        if desc:
            _sub(el, "Description", ns).text = desc
        elements[row.code_id] = el
    return guids


def _group_sets_xml(
    parent: ET.Element,
    ns: str,
    groups: list[str],
    code_members: dict[str, list[str]],
    source_members: dict[str, list[str]] | None = None,
    ref: str = "targetGUID",
    kept: list[dict[str, Any]] | None = None,
    code_guid: dict[str, str] | None = None,
    source_guid: dict[str, str] | None = None,
) -> None:
    """Write one ``group:`` set per group and every other set kept from an import.

    A group set read from a project keeps its GUID and name; the members of a
    kept set are written as far as its codes and sources still exist.
    """
    kept = list(kept or [])
    by_group = {st["group"]: st for st in kept if st.get("group")}
    others = [st for st in kept if not st.get("group")]
    if not groups and not others:
        return
    sets = _sub(parent, "Sets", ns)
    for g in groups:
        old = by_group.get(g, {})
        st = _sub(sets, "Set", ns, guid=old.get("guid") or make_guid("set", g), name=old.get("name") or f"group:{g}")
        if old.get("description"):
            _sub(st, "Description", ns).text = old["description"]
        for guid in code_members.get(g, []):
            _sub(st, "MemberCode", ns, **{ref: guid})
        for guid in (source_members or {}).get(g, []):
            _sub(st, "MemberSource", ns, targetGUID=guid)
    for old in others:
        st = _sub(sets, "Set", ns, guid=old.get("guid") or make_guid("set", old.get("name", "")), name=old.get("name"))
        if old.get("description"):
            _sub(st, "Description", ns).text = old["description"]
        for cid in old.get("codes", []):
            if cid in (code_guid or {}):
                _sub(st, "MemberCode", ns, **{ref: code_guid[cid]})
        for sid in old.get("sources", []):
            if sid in (source_guid or {}):
                _sub(st, "MemberSource", ns, targetGUID=source_guid[sid])


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def write_qdc(codes: pd.DataFrame, path: str | Path, *, origin: str = "jahwal") -> Path:
    """Write a codebook table as a REFI-QDA ``.qdc`` file (groups as sets)."""
    ET.register_namespace("", NS_CODEBOOK)
    root = ET.Element(f"{{{NS_CODEBOOK}}}CodeBook", {"origin": origin})
    guids = _codes_xml(root, codes, NS_CODEBOOK)
    groups = [g for g in dict.fromkeys(codes["group"]) if g != ALL_GROUPS]
    members = {g: [guids[c] for c in codes.loc[codes["group"] == g, "code_id"]] for g in groups}
    _group_sets_xml(root, NS_CODEBOOK, groups, members, ref="guid")
    path = Path(path)
    path.write_bytes(_xml_bytes(root))
    return path


def _typed(value: Any, column: str, declared: str | None = None) -> tuple[str, str] | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    if declared in ("Integer", "Float", "Boolean"):  # the REFI type the project declared
        try:
            if declared == "Integer":
                return "Integer", str(int(value))
            if declared == "Float":
                return "Float", repr(float(value))
            b = to_bool(value)
            if b is not None:
                return "Boolean", "true" if b else "false"
        except (TypeError, ValueError):
            pass
    elif declared in ("Date", "DateTime", "Text"):
        return declared, str(value)
    if column in BOOL_COLUMNS or isinstance(value, bool):
        return "Boolean", "true" if value else "false"
    if column in INT_COLUMNS or isinstance(value, int):
        return "Integer", str(int(value))
    if isinstance(value, float):
        return "Float", repr(value)
    if column in ("date_start", "date_end") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        return "Date", str(value)
    return "Text", str(value)


def write_qdpx(
    corpus: QualCorpus, path: str | Path, *, crlf: bool = False, bom: bool = False, origin: str = "jahwal"
) -> Path:
    """Write ``corpus`` as a REFI-QDA project (``.qdpx``) that reads back identically.

    Parameters
    ----------
    corpus : QualCorpus
    path : str or Path
    crlf : bool
        Write transcripts with CRLF line ends (offsets then count CRLF as two
        code points, as MAXQDA expects).
    bom : bool
        Start transcripts with a UTF-8 byte-order mark (as QualCoder does).
    origin : str
        The ``origin`` attribute of the project.
    """
    ns = NS_PROJECT
    ET.register_namespace("", ns)
    ex = corpus.exchange or {}
    kept = ex.get("guids") or {}
    declared = ex.get("variable_types") or {}
    attrs = {
        k: str(v) for k, v in ((ex.get("project") or {}).get("attributes") or {}).items() if k in PROJECT_ATTRIBUTES
    }
    root = ET.Element(f"{{{ns}}}Project", {"name": corpus.name, "origin": origin, **attrs})
    coders = [c for c in dict.fromkeys(corpus.segments["coder"]) if c]
    user_guid = {c: (kept.get("users") or {}).get(c) or make_guid("user", c) for c in coders}
    if coders:
        users = _sub(root, "Users", ns)
        for c in coders:
            _sub(users, "User", ns, guid=user_guid[c], name=c)
    cb = _sub(root, "CodeBook", ns)
    code_guid = _codes_xml(cb, corpus.codes, ns, kept.get("codes"))

    part_cols = [c for c in corpus.participants.columns if c not in ("participant_id", "session_id")]
    sess_cols = [c for c in corpus.sessions.columns if c not in ("session_id",)]
    var_types: dict[str, str] = {}
    for frame, cols in ((corpus.participants, part_cols), (corpus.sessions, sess_cols)):
        for col in cols:
            for v in frame[col]:
                t = _typed(v, col, declared.get(col))
                if t:
                    prev = var_types.setdefault(col, t[0])
                    if prev != t[0]:
                        var_types[col] = "Text"

    def variable_guid(name: str) -> str:
        return (kept.get("variables") or {}).get(name) or make_guid("variable", name)

    if var_types:
        vs = _sub(root, "Variables", ns)
        for name, vtype in var_types.items():
            _sub(vs, "Variable", ns, guid=variable_guid(name), name=name, typeOfVariable=vtype)

    def values(parent: ET.Element, row: dict[str, Any], cols: list[str]) -> None:
        for col in cols:
            t = _typed(row[col], col, declared.get(col))
            if not t:
                continue
            vv = _sub(parent, "VariableValue", ns)
            _sub(vv, "VariableRef", ns, targetGUID=variable_guid(col))
            vtype = var_types[col]
            _sub(vv, f"{vtype}Value", ns).text = t[1] if vtype == t[0] else str(row[col])

    seg_guid = {
        s: (kept.get("selections") or {}).get(s) or make_guid("selection", s) for s in corpus.segments["segment_id"]
    }
    source_guid = {
        s: (kept.get("sources") or {}).get(s) or make_guid("source", s) for s in corpus.sources["session_id"]
    }
    cases = _sub(root, "Cases", ns)
    segs_by_part = corpus.segments.groupby("participant_id", sort=False)["segment_id"].agg(list).to_dict()
    for row in corpus.participants.to_dict("records"):
        case = _sub(
            cases,
            "Case",
            ns,
            guid=(kept.get("cases") or {}).get(row["participant_id"]) or make_guid("case", row["participant_id"]),
            name=row["participant_id"],
        )
        values(case, row, part_cols)
        if row["session_id"] in source_guid:
            _sub(case, "SourceRef", ns, targetGUID=source_guid[row["session_id"]])
        for sid in segs_by_part.get(row["participant_id"], []):
            _sub(case, "SelectionRef", ns, targetGUID=seg_guid[sid])

    files: dict[str, bytes] = {}
    sources = _sub(root, "Sources", ns)
    codes_by_seg = corpus.codings.groupby("segment_id", sort=False)["code_id"].agg(list).to_dict()
    sess = corpus.sessions.set_index("session_id", drop=False)
    segs_by_source = {k: v for k, v in corpus.segments.groupby("session_id", sort=False)}
    empty_segs = corpus.segments.iloc[0:0]
    for sid, text in zip(corpus.sources["session_id"], corpus.sources["text"]):
        these = segs_by_source.get(sid, empty_segs)
        guid = source_guid[sid]
        out = text.replace("\n", "\r\n") if crlf else text
        nl = [m.start() for m in re.finditer("\n", text)] if crlf else []
        shift = (lambda p: p + bisect.bisect_left(nl, p)) if crlf else (lambda p: p)
        fname = norm_guid(guid) if re.fullmatch(r"\{?[0-9A-Fa-f-]{36}\}?", guid) else make_guid("source", sid)
        files[f"sources/{fname}.txt"] = (b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8")
        first = these["coder"]
        ts = _sub(
            sources,
            "TextSource",
            ns,
            guid=guid,
            name=sid,
            plainTextPath=f"internal://{fname}.txt",
            creatingUser=user_guid.get(first.iloc[0]) if len(first) and first.iloc[0] else None,
        )
        for seg in these.itertuples(index=False):
            sel = _sub(
                ts,
                "PlainTextSelection",
                ns,
                guid=seg_guid[seg.segment_id],
                name=seg.segment_id,
                startPosition=shift(seg.start),
                endPosition=shift(seg.end),
                creatingUser=user_guid.get(seg.coder),
            )
            meta = {
                "quote_id": seg.quote_id if seg.quote_id != seg.segment_id else None,
                "report_line": seg.report_line,
            }
            desc = join_trailer(seg.memo, meta)
            if desc:
                _sub(sel, "Description", ns).text = desc
            for code in codes_by_seg.get(seg.segment_id, []):
                cd = _sub(
                    sel,
                    "Coding",
                    ns,
                    guid=(kept.get("codings") or {}).get(f"{seg.segment_id}\t{code}")
                    or make_guid("coding", seg.segment_id, code),
                    creatingUser=user_guid.get(seg.coder),
                )
                _sub(cd, "CodeRef", ns, targetGUID=code_guid[code])
        if sid in sess.index:
            values(ts, sess.loc[sid].to_dict(), sess_cols)

    groups = [g for g in corpus.groups if g != ALL_GROUPS]
    code_members = {g: [code_guid[c] for c in corpus.codes.loc[corpus.codes["group"] == g, "code_id"]] for g in groups}
    source_members = {
        g: [
            source_guid[s] for s in corpus.sessions.loc[corpus.sessions["group"] == g, "session_id"] if s in source_guid
        ]
        for g in groups
    }
    # a group set read from a project is written with its own members when they still cover the group
    parent = dict(zip(corpus.codes["code_id"], corpus.codes["parent_id"]))
    for st in ex.get("sets") or []:
        g = st.get("group")
        if g not in code_members:
            continue
        old = [c for c in st.get("codes", []) if c in code_guid]
        group_codes = corpus.codes.loc[corpus.codes["group"] == g, "code_id"]

        def covered(cid: str) -> bool:
            while cid:
                if cid in old:
                    return True
                cid = parent.get(cid, "")
            return False

        if old and all(covered(c) for c in group_codes):
            code_members[g] = [code_guid[c] for c in old]
        old_src = [source_guid[x] for x in st.get("sources", []) if x in source_guid]
        if set(old_src) == set(source_members[g]):
            source_members[g] = old_src
    _group_sets_xml(
        root,
        ns,
        groups,
        code_members,
        source_members,
        kept=ex.get("sets"),
        code_guid=code_guid,
        source_guid=source_guid,
    )

    path = Path(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("project.qde", _xml_bytes(root))] + sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    path.write_bytes(buf.getvalue())
    return path


def iter_problems(exc: QualDataError) -> Iterator[str]:
    """The individual problem lines of a :class:`QualDataError` message."""
    for line in str(exc).splitlines()[1:]:
        if line.startswith("  - "):
            yield line[4:]


__all__ = [
    "NS_CODEBOOK",
    "NS_PROJECT",
    "OffsetMap",
    "make_guid",
    "norm_guid",
    "parse_xml",
    "read_qdc",
    "read_qdpx",
    "split_trailer",
    "write_qdc",
    "write_qdpx",
]
