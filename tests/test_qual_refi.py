"""REFI-QDA import of files written the way each major tool writes them, round trips, bad input."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from jahwal.qual import (
    QualDataError,
    load_corpus,
    main,
    read_native,
    read_qdc,
    read_qdpx,
    write_native,
    write_qdc,
    write_qdpx,
)

ROOT = Path(__file__).resolve().parents[1]
QUAL = ROOT / "data" / "qualitative"


def gid(style: str = "lower") -> str:
    g = str(uuid.uuid4())
    return {"lower": g, "upper": g.upper(), "braces": "{" + g.upper() + "}"}[style]


def make_qdpx(path: Path, qde: str, files: dict[str, bytes], qde_name: str = "project.qde") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(qde_name, qde.encode("utf-8"))
        for name, data in files.items():
            zf.writestr(name, data)
    return path


LINES = [
    "P01: 처음엔 사람 눈도 못 마주쳤어요.",
    "P02: 지금은 팀장님과 사이가 좋아졌어요.",
    "P01: 자격증도 하나 땄어요.",
]
QUOTES = ["처음엔 사람 눈도 못 마주쳤어요.", "지금은 팀장님과 사이가 좋아졌어요.", "자격증도 하나 땄어요."]


def _project(
    *,
    ns_open: str,
    ns_close: str,
    pre: str,
    origin: str,
    text: str,
    positions: list[tuple[int, int]],
    style: str = "lower",
    sources_dir: str = "sources",
    extra_cases: str = "",
    case_refs: bool = True,
    codebook_ns: str | None = None,
):
    """A small project: 2 codes under a category, 2 participants, 1 source, 3 selections."""
    g = {
        k: gid(style)
        for k in (
            "user",
            "cat",
            "ca",
            "cb",
            "vage",
            "vgroup",
            "k1",
            "k2",
            "src",
            "set",
            "s1",
            "s2",
            "s3",
            "c1",
            "c2",
            "c3",
        )
    }
    codes_tag = f"{pre}Codes"
    cb_attr = f' xmlns="{codebook_ns}"' if codebook_ns else ""
    sel = []
    for k, ((a, b), code) in enumerate(zip(positions, ["ca", "cb", "ca"]), start=1):
        sel.append(
            f'<{pre}PlainTextSelection guid="{g[f"s{k}"]}" name="구간{k}" startPosition="{a}" endPosition="{b}" '
            f'creatingUser="{g["user"]}"><{pre}Coding guid="{g[f"c{k}"]}" creatingUser="{g["user"]}">'
            f'<{pre}CodeRef targetGUID="{g[code]}"/></{pre}Coding></{pre}PlainTextSelection>'
        )
    src_ref = f'<{pre}SourceRef targetGUID="{g["src"]}"/>' if case_refs else ""
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<{pre}Project {ns_open} name="fgi" origin="{origin}">
 <{pre}Users><{pre}User guid="{g["user"]}" name="코더1"/></{pre}Users>
 <{pre}CodeBook><{codes_tag}{cb_attr}>
  <{pre}Code guid="{g["cat"]}" name="성과" isCodable="false"><{pre}Description>범주</{pre}Description>
   <{pre}Code guid="{g["ca"]}" name="자신감" isCodable="true" color="#FF0000"/>
   <{pre}Code guid="{g["cb"]}" name="관계" isCodable="true"/>
  </{pre}Code>
 </{codes_tag}></{pre}CodeBook>
 <{pre}Variables>
  <{pre}Variable guid="{g["vage"]}" name="age" typeOfVariable="Integer"/>
  <{pre}Variable guid="{g["vgroup"]}" name="group" typeOfVariable="Text"/>
 </{pre}Variables>
 <{pre}Cases>
  <{pre}Case guid="{g["k1"]}" name="P01"><{pre}VariableValue><{pre}VariableRef targetGUID="{g["vage"]}"/><{pre}IntegerValue>41</{pre}IntegerValue></{pre}VariableValue>{src_ref}</{pre}Case>
  <{pre}Case guid="{g["k2"]}" name="P02"><{pre}VariableValue><{pre}VariableRef targetGUID="{g["vage"]}"/><{pre}IntegerValue>35</{pre}IntegerValue></{pre}VariableValue>{src_ref}</{pre}Case>
  {extra_cases.format(**g)}
 </{pre}Cases>
 <{pre}Sources>
  <{pre}TextSource guid="{g["src"]}" name="면접1.txt" plainTextPath="internal://{g["src"].strip("{}")}.txt" creatingUser="{g["user"]}">
   {"".join(sel)}
  </{pre}TextSource>
 </{pre}Sources>
 <{pre}Sets><{pre}Set guid="{g["set"]}" name="group:practitioners"><{pre}MemberCode targetGUID="{g["cat"]}"/><{pre}MemberSource targetGUID="{g["src"]}"/></{pre}Set></{pre}Sets>
</{ns_close}>
"""
    return qde, {f"{sources_dir}/{g['src'].strip('{}')}.txt": text}, g


def _positions(text: str, *, crlf_as_two: bool = True) -> list[tuple[int, int]]:
    base = text if crlf_as_two else text.replace("\r\n", "\n")
    out = []
    for q in QUOTES:
        a = base.index(q)
        out.append((a, a + len(q)))
    return out


def _check(corpus, expect_participants=("P01", "P02", "P01")):
    seg = corpus.segments.sort_values("start")
    assert seg["text"].tolist() == QUOTES
    assert seg["participant_id"].tolist() == list(expect_participants)
    codes = corpus.codings.merge(corpus.codes, on="code_id").set_index("segment_id").loc[seg["segment_id"], "name"]
    assert codes.tolist() == ["자신감", "관계", "자신감"]
    cat = corpus.codes.set_index("name").loc["성과"]
    assert not cat["codable"] and (corpus.codes["parent_id"] != "").sum() == 2
    assert corpus.codes["group"].eq("practitioners").all()
    assert corpus.sessions["group"].tolist() == ["practitioners"]
    assert corpus.participants.set_index("participant_id").loc["P01", "age"] == 41


def test_qualcoder_style_bom_lf_lowercase_guids(tmp_path):
    text = "\n".join(LINES) + "\n"
    qde, files, _ = _project(
        ns_open='xmlns="urn:QDA-XML:project:1.0"',
        ns_close="Project",
        pre="",
        origin="QualCoder 3.6",
        text=text,
        positions=_positions(text),
    )
    files = {k: b"\xef\xbb\xbf" + v.encode("utf-8") for k, v in files.items()}
    c = read_qdpx(make_qdpx(tmp_path / "qualcoder.qdpx", qde, files))
    _check(c)
    assert c.sessions["session_id"].tolist() == ["면접1"]
    assert set(c.segments["coder"]) == {"코더1"}


def test_maxqda_style_crlf_braced_upper_guids_file_variables(tmp_path):
    text = "\r\n".join(LINES) + "\r\n"
    extra = (
        '<Case guid="{k1x}"><VariableValue><VariableRef targetGUID="{vgroup}"/><TextValue>practitioners'
        '</TextValue></VariableValue><SourceRef targetGUID="{src}"/></Case>'
    )
    qde, files, g = _project(
        ns_open='xmlns="urn:QDA-XML:project:1.0"',
        ns_close="Project",
        pre="",
        origin="MAXQDA 2022",
        text=text,
        positions=_positions(text),
        style="braces",
        sources_dir="Sources",
        extra_cases=extra.replace("{k1x}", gid("braces").replace("{", "{{").replace("}", "}}")),
    )
    # an annotation: a selection with a description and no coding (MAXQDA writes these)
    qde = qde.replace(
        "</TextSource>",
        f'<PlainTextSelection guid="{gid("braces")}" name="memo" startPosition="0" '
        f'endPosition="3"><Description>메모</Description></PlainTextSelection></TextSource>',
    )
    files = {k: v.encode("utf-8") for k, v in files.items()}
    c = read_qdpx(make_qdpx(tmp_path / "maxqda.qdpx", qde, files))
    _check(c)
    assert c.sources["text"].iloc[0] == "\n".join(LINES) + "\n"  # stored with LF, offsets converted
    assert len(c.segments) == 3  # the annotation is not a segment


def test_atlas_style_counts_crlf_once_and_prefixed_namespace(tmp_path):
    text = "\r\n".join(LINES) + "\r\n"
    qde, files, _ = _project(
        ns_open='xmlns:qda="urn:QDA-XML:project:1.0"',
        ns_close="qda:Project",
        pre="qda:",
        origin="ATLAS.ti 23.2.1",
        text=text,
        positions=_positions(text, crlf_as_two=False),
        style="upper",
    )
    c = read_qdpx(
        make_qdpx(tmp_path / "atlas.qdpx", qde, {k: v.encode("utf-8") for k, v in files.items()}, qde_name="fgi.qde")
    )
    _check(c)


@pytest.mark.parametrize("ns", ["urn:QDA-XML:project:0:4", "urn:QDA-XML:project:1.0"])
def test_both_namespace_spellings_and_codebook_namespace_inside_project(tmp_path, ns):
    text = "\n".join(LINES)
    qde, files, _ = _project(
        ns_open=f'xmlns="{ns}"',
        ns_close="Project",
        pre="",
        origin="QualCoder",
        text=text,
        positions=_positions(text),
        codebook_ns="urn:QDA-XML:codebook:1.0",
    )
    c = read_qdpx(make_qdpx(tmp_path / "ns.qdpx", qde, {k: v.encode() for k, v in files.items()}))
    _check(c)


def test_nvivo_style_utf16_offsets_and_case_coding(tmp_path):
    lines = [
        "면담 시작 🙂 녹음",
        "처음엔 사람 눈도 못 마주쳤어요.",
        "지금은 팀장님과 사이가 좋아졌어요.",
        "자격증도 하나 땄어요.",
    ]
    text = "\n".join(lines) + "\n"

    def u16(i: int) -> int:
        return len(text[:i].encode("utf-16-le")) // 2

    pos = [(u16(text.index(q)), u16(text.index(q) + len(q))) for q in QUOTES]
    qde, files, g = _project(
        ns_open='xmlns="urn:QDA-XML:project:1.0"',
        ns_close="Project",
        pre="",
        origin="NVivo 14",
        text=text,
        positions=pos,
        case_refs=False,
    )
    # NVivo codes the spoken turns to the cases: a CodeRef that points to a case
    spans = {"k1": [pos[0], pos[2]], "k2": [pos[1]]}
    extra = ""
    for case, ranges in spans.items():
        for a, b in ranges:
            extra += (
                f'<PlainTextSelection guid="{gid()}" startPosition="{a}" endPosition="{b}">'
                f'<Coding guid="{gid()}"><CodeRef targetGUID="{g[case]}"/></Coding></PlainTextSelection>'
            )
    qde = qde.replace("</TextSource>", extra + "</TextSource>")
    c = read_qdpx(make_qdpx(tmp_path / "nvivo.qdpx", qde, {k: v.encode() for k, v in files.items()}))
    _check(c)


def test_qdc_codebook_both_namespaces(tmp_path):
    for ns in ("urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:0:4"):
        a, b, s = gid("braces"), gid("lower"), gid()
        p = tmp_path / "cb.qdc"
        p.write_text(
            f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{ns}" origin="MAXQDA"><Codes>
 <Code guid="{a}" name="성과" isCodable="false"><Code guid="{b}" name="자신감" isCodable="true"/></Code>
</Codes><Sets><Set guid="{s}" name="group:residents"><MemberCode guid="{a.lower()}"/></Set></Sets></CodeBook>""",
            encoding="utf-8-sig",
        )
        codes = read_qdc(p)
        assert codes["name"].tolist() == ["성과", "자신감"]
        assert codes["parent_id"].tolist() == ["", codes["code_id"][0]]
        assert codes["codable"].tolist() == [False, True]
        assert codes["group"].tolist() == ["residents", "residents"]  # the set names the root


# ---------------------------------------------------------------- round trips
@pytest.fixture(scope="module")
def corpus():
    return load_corpus(QUAL)


@pytest.mark.parametrize("options", [{}, {"crlf": True, "bom": True}])
def test_round_trip_qdpx_is_identical(tmp_path, corpus, options):
    path = write_qdpx(corpus, tmp_path / "jahwal.qdpx", **options)
    again = read_qdpx(path)
    a, b = corpus.canonical(), again.canonical()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    # deterministic bytes
    assert write_qdpx(corpus, tmp_path / "again.qdpx", **options).read_bytes() == path.read_bytes()


def test_round_trip_qdc_and_native(tmp_path, corpus):
    codes = read_qdc(write_qdc(corpus.codes, tmp_path / "codebook.qdc"))
    pd.testing.assert_frame_equal(codes, corpus.codes)
    back = read_native(write_native(corpus, tmp_path / "native"))
    a, b = corpus.canonical(), back.canonical()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_cli_import_export_summary(tmp_path, capsys):
    qdpx, qdc = tmp_path / "c.qdpx", tmp_path / "c.qdc"
    assert main(["export", str(QUAL), "--qdpx", str(qdpx), "--qdc", str(qdc)]) == 0
    assert main(["import", str(qdpx), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "segments.csv").exists() and (tmp_path / "out" / "sources").is_dir()
    assert main(["import", str(qdpx), "--out", str(tmp_path / "out")]) == 2  # refuses to overwrite
    assert main(["summary", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "practitioners" in out and "140" in out


# ---------------------------------------------------------------- bad input
def _good(tmp_path):
    text = "\n".join(LINES)
    return _project(
        ns_open='xmlns="urn:QDA-XML:project:1.0"',
        ns_close="Project",
        pre="",
        origin="QualCoder",
        text=text,
        positions=_positions(text),
    )


def _bad(tmp_path, qde, files):
    path = make_qdpx(tmp_path / "bad.qdpx", qde, {k: v.encode() if isinstance(v, str) else v for k, v in files.items()})
    with pytest.raises(QualDataError) as err:
        read_qdpx(path)
    return str(err.value)


def test_bad_unknown_code_reference(tmp_path):
    qde, files, g = _good(tmp_path)
    qde = qde.replace(f'<CodeRef targetGUID="{g["cb"]}"/>', f'<CodeRef targetGUID="{gid()}"/>')
    msg = _bad(tmp_path, qde, files)
    assert "bad.qdpx:project.qde" in msg and '<PlainTextSelection guid="' in msg and 'name="구간2"' in msg
    assert "코드북에 없는 코드" in msg and "unknown code" in msg and "<CodeRef targetGUID=" in msg


def test_bad_unknown_source_reference(tmp_path):
    qde, files, g = _good(tmp_path)
    qde = qde.replace(f'<SourceRef targetGUID="{g["src"]}"/></Case>', f'<SourceRef targetGUID="{gid()}"/></Case>', 1)
    msg = _bad(tmp_path, qde, files)
    assert '<Case name="P01">' in msg and "<SourceRef" in msg and "unknown source" in msg


def test_bad_unknown_set_member(tmp_path):
    qde, files, g = _good(tmp_path)
    qde = qde.replace(f'<MemberSource targetGUID="{g["src"]}"/>', f'<MemberSource targetGUID="{gid()}"/>')
    msg = _bad(tmp_path, qde, files)
    assert '<Set name="group:practitioners">' in msg and "unknown source" in msg


def test_bad_offsets_beyond_the_text(tmp_path):
    qde, files, g = _good(tmp_path)
    text = "\n".join(LINES)
    n = len(text)
    a, b = _positions(text)[2]
    qde = qde.replace(
        f'name="구간3" startPosition="{a}" endPosition="{b}"',
        f'name="구간3" startPosition="{n - 2}" endPosition="{n + 5}"',
    )
    msg = _bad(tmp_path, qde, files)
    assert 'name="구간3"' in msg and f"{n - 2}–{n + 5}" in msg and "offsets beyond the text" in msg


def test_bad_missing_source_file(tmp_path):
    qde, _files, g = _good(tmp_path)
    msg = _bad(tmp_path, qde, {})
    assert "<TextSource" in msg and 'name="면접1.txt"' in msg and f"sources/{g['src']}.txt" in msg
    assert "source file missing" in msg


def test_bad_malformed_xml(tmp_path):
    qde, files, _ = _good(tmp_path)
    qde = qde.replace("</CodeBook>", "</CodeBok>")
    msg = _bad(tmp_path, qde, files)
    assert "bad.qdpx:project.qde: XML 구문 오류" in msg and "malformed XML (line" in msg


def test_bad_archive_and_missing_project_file(tmp_path):
    (tmp_path / "x.qdpx").write_text("not a zip")
    with pytest.raises(QualDataError, match="cannot open the .qdpx archive"):
        read_qdpx(tmp_path / "x.qdpx")
    with zipfile.ZipFile(tmp_path / "y.qdpx", "w") as zf:
        zf.writestr("sources/a.txt", "x")
    with pytest.raises(QualDataError, match=r"no project \.qde file"):
        read_qdpx(tmp_path / "y.qdpx")


def test_bad_input_leaves_nothing_behind(tmp_path):
    qde, files, g = _good(tmp_path)
    qde = qde.replace(f'<CodeRef targetGUID="{g["ca"]}"/>', f'<CodeRef targetGUID="{gid()}"/>')
    path = make_qdpx(tmp_path / "bad.qdpx", qde, {k: v.encode() for k, v in files.items()})
    assert main(["import", str(path), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.qdpx"]


def test_bad_native_rows_are_named(tmp_path):
    import shutil

    shutil.copytree(QUAL, tmp_path / "q")
    seg = (tmp_path / "q" / "segments.csv").read_text(encoding="utf-8").splitlines()
    seg[2] = seg[2].replace(",P2.1,", ",P9.9,", 1)
    (tmp_path / "q" / "segments.csv").write_text("\n".join(seg) + "\n", encoding="utf-8")
    with pytest.raises(QualDataError) as err:
        read_native(tmp_path / "q")
    assert "segments.csv 3행, 열 'code_ids': 코드북에 없는 코드 'P9.9' / unknown code" in str(err.value)


# ---------------------------------------------------------------- what an import keeps
def _kept_project(tmp_path, *, extra_set: bool = True, case_refs: bool = True, name: str = "kept.qdpx"):
    """A MAXQDA-style project (braced upper-case GUIDs) with a 연령 Integer variable and a non-group set."""
    text = "\n".join(LINES) + "\n"
    qde, files, g = _project(
        ns_open='xmlns="urn:QDA-XML:project:1.0"',
        ns_close="Project",
        pre="",
        origin="MAXQDA 24",
        text=text,
        positions=_positions(text),
        style="braces",
        case_refs=case_refs,
    )
    qde = qde.replace('name="age" typeOfVariable="Integer"', 'name="연령" typeOfVariable="Integer"')
    qde = qde.replace('name="fgi" origin=', 'name="2023 초점집단" creatingUserGUID="{}" origin='.format(g["user"]))
    if extra_set:
        g["set2"] = gid("braces")
        qde = qde.replace(
            "</Sets>",
            f'<Set guid="{g["set2"]}" name="중요 사례"><Description>다시 볼 것</Description>'
            f'<MemberCode targetGUID="{g["ca"]}"/><MemberSource targetGUID="{g["src"]}"/></Set></Sets>',
        )
    path = make_qdpx(tmp_path / name, qde, {k: v.encode("utf-8") for k, v in files.items()})
    return path, g


def _qde(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde").decode("utf-8")


def test_every_set_is_kept_and_the_summary_says_which_became_groups(tmp_path):
    path, g = _kept_project(tmp_path)
    c = read_qdpx(path)
    sets = {s["name"]: s for s in c.exchange["sets"]}
    assert sets["중요 사례"]["group"] == "" and sets["group:practitioners"]["group"] == "practitioners"
    code_id = c.codes.set_index("name").at["자신감", "code_id"]
    assert (sets["중요 사례"]["codes"], sets["중요 사례"]["sources"]) == ([code_id], ["면접1"])
    assert any("'group:practitioners' → 집단 'practitioners'" in n for n in c.notes)
    assert any("'중요 사례'은 집단이 아니며 자료로 보존" in n and "set kept as data" in n for n in c.notes)
    # written back with its GUID, description and members, and read again the same way
    out = write_qdpx(c, tmp_path / "back.qdpx")
    xml = _qde(out)
    assert f'<Set guid="{g["set2"]}" name="중요 사례">' in xml and "<Description>다시 볼 것</Description>" in xml
    assert f'<MemberCode targetGUID="{g["ca"]}" />' in xml
    assert f'<Set guid="{g["set"]}" name="group:practitioners">' in xml
    assert read_qdpx(out).exchange["sets"] == c.exchange["sets"]


def test_import_summary_names_sets_and_counts_participants(tmp_path, capsys):
    path, _ = _kept_project(tmp_path, case_refs=False)
    assert main(["import", str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "set became group 'practitioners'" in out and "'중요 사례'" in out
    assert "참여자 2명을 읽었습니다" in out
    row = read_native(tmp_path / "out").summary().set_index("group").loc["practitioners"]
    assert row["n_participants"] == 2


def test_participants_without_source_refs_are_counted_in_their_group(tmp_path):
    path, _ = _kept_project(tmp_path, case_refs=False)
    c = read_qdpx(path)
    assert c.participants["group"].tolist() == ["practitioners", "practitioners"]
    assert c.summary().set_index("group").at["practitioners", "n_participants"] == 2


def test_case_variables_keep_their_refi_type(tmp_path):
    path, g = _kept_project(tmp_path)
    c = read_qdpx(path)
    age = c.participants.set_index("participant_id")["연령"]
    assert str(age.dtype) == "Int64" and age.to_dict() == {"P01": 41, "P02": 35}
    xml = _qde(write_qdpx(c, tmp_path / "back.qdpx"))
    assert f'<Variable guid="{g["vage"]}" name="연령" typeOfVariable="Integer" />' in xml
    assert "<IntegerValue>41</IntegerValue>" in xml
    # through the native folder as well
    back = read_native(write_native(c, tmp_path / "native"))
    assert str(back.participants["연령"].dtype) == "Int64"
    assert back.participants.set_index("participant_id").at["P02", "연령"] == 35


def test_original_guids_and_project_name_are_written_back(tmp_path):
    path, g = _kept_project(tmp_path)
    original = _qde(path)
    for route in ("direct", "native"):
        c = read_qdpx(path)
        if route == "native":  # import to a folder, export from it (the command line's way)
            c = read_native(write_native(c, tmp_path / "native", overwrite=True))
        xml = _qde(write_qdpx(c, tmp_path / f"{route}.qdpx"))
        assert '<Project xmlns="urn:QDA-XML:project:1.0" name="2023 초점집단"' in xml, route
        assert f'creatingUserGUID="{g["user"]}"' in xml
        for key in ("user", "cat", "ca", "cb", "vage", "k1", "k2", "src", "set", "s1", "s2", "s3", "c1", "c2", "c3"):
            assert f'"{g[key]}"' in original and f'"{g[key]}"' in xml, (route, key)
        assert "{" not in xml.split("plainTextPath=")[1].split(" ")[0]  # file names stay plain
        again = read_qdpx(tmp_path / f"{route}.qdpx")
        assert again.name == "2023 초점집단"
        for name, table in c.canonical().items():
            pd.testing.assert_frame_equal(table, again.canonical()[name], obj=name)


def test_missing_source_is_reported_once(tmp_path):
    path, g = _kept_project(tmp_path)
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    # a case also points to one of the missing source's selections
    qde = qde.replace("</Case>", f'<SelectionRef targetGUID="{g["s1"]}"/></Case>', 1)
    bad = make_qdpx(tmp_path / "bad.qdpx", qde, {})
    with pytest.raises(QualDataError) as err:
        read_qdpx(bad)
    msg = str(err.value)
    assert "문제 1건 / 1 problem(s)" in msg and "source file missing" in msg
    assert "<Set" not in msg and "unknown selection" not in msg and "unknown source" not in msg
