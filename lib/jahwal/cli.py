"""The ``jahwal`` command: build, validate, synth, audit, new-chapter, qual, lit, pdf, browser, snapshot."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from jahwal.errors import JahwalError


def _build(args: argparse.Namespace) -> int:
    from jahwal.publish.build import build

    log = build(
        args.params,
        root=args.root,
        jobs=args.jobs,
        strict=not args.no_strict,
        progress=not args.quiet,
        force=args.force,
    )
    nbs = log.get("notebooks", [])
    hits = sum(1 for n in nbs if n["cache_hit"])
    print(
        f"완료: 노트북 {len(nbs)}개(재사용 {hits}개, 실행 {len(nbs) - hits}개), {log['seconds']}초 → _build/html/index.html\n"
        f"done: {len(nbs)} notebooks ({hits} cached), log: {log['log_file']}"
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from jahwal.inputs.contract import validate_extract

    report = validate_extract(Path(args.path), fmt=args.format, window=(args.start, args.end))
    print(f"검증 통과 / valid: {args.path}")
    for table, n in report["rows"].items():
        print(f"  {table}: {n:,}행 / rows")
    return 0


def _synth(args: argparse.Namespace) -> int:
    from jahwal.inputs.synth import write_extract

    y0, _, y1 = args.years.partition("-")
    years = (int(y0), int(y1 or y0))
    out = Path(args.out or f"data/synthetic/scale{args.scale:g}-seed{args.seed}-{years[0]}-{years[1]}")
    files = write_extract(
        out, scale=args.scale, seed=args.seed, years=years, reference_dir=Path(args.reference), fmt=args.format
    )
    print(f"합성 자료를 썼습니다 / wrote synthetic extract: {out}")
    for f in files:
        print(f"  {f}")
    return 0


def _new_chapter(args: argparse.Namespace) -> int:
    from jahwal.publish.toc import find_root, new_chapter

    root = Path(args.root) if args.root else find_root()
    path = new_chapter(root, args.slug, args.title, part=args.part)
    print(f"새 장을 만들었습니다 / created {path.relative_to(root)} (_toc.yml에 등록 / registered in _toc.yml)")
    return 0


def _delegate(module: str, argv: list[str]) -> int:
    mod = importlib.import_module(f"jahwal.{module}")
    return int(mod.main(argv) or 0)


DELEGATED = {
    "audit": "analysis.audit",
    "qual": "qual",
    "lit": "inputs.literature",
    "pdf": "publish.pdf",
    "browser": "publish.browser",
    "snapshot": "publish.snapshot",
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jahwal", description="자활사례관리 성과 연구서 도구 / research-book tools")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="책 전체 만들기 / build the book")
    b.add_argument("--params", default="params/report-2023.yml", help="연구 매개변수 파일 / study parameter file")
    b.add_argument("--root", default=None, help="프로젝트 폴더 / project root")
    b.add_argument("--jobs", type=int, default=None, help="동시 실행 수 / parallel notebooks (default: cores)")
    b.add_argument("--no-strict", action="store_true", help="경고를 오류로 보지 않음 / do not treat warnings as errors")
    b.add_argument("--quiet", action="store_true", help="진행 막대 숨김 / no progress bar")
    b.add_argument(
        "--force", action="store_true", help="바뀐 것이 없어도 다시 렌더링 / render even when nothing changed"
    )
    b.set_defaults(func=_build)

    v = sub.add_parser("validate", help="추출 자료 검증 / validate an extract")
    v.add_argument("path", help="자료 폴더 / extract folder")
    v.add_argument(
        "--format",
        default=None,
        choices=["csv", "xlsx", "parquet"],
        help="형식 제한(없으면 파일마다 확장자로 알아냄) / format constraint (default: detected per file)",
    )
    v.add_argument("--start", default="2019-01")
    v.add_argument("--end", default="2022-12")
    v.set_defaults(func=_validate)

    s = sub.add_parser("synth", help="합성 자료 만들기 / generate a synthetic extract")
    s.add_argument("--scale", type=float, default=1.0)
    s.add_argument("--seed", type=int, default=20230101)
    s.add_argument("--years", default="2019-2022")
    s.add_argument("--out", default=None)
    s.add_argument("--format", default="csv", choices=["csv", "xlsx", "parquet"])
    s.add_argument("--reference", default="data/reference")
    s.set_defaults(func=_synth)

    n = sub.add_parser("new-chapter", help="틀에서 새 장 만들기 / new chapter from the template")
    n.add_argument("slug")
    n.add_argument("--title", required=True)
    n.add_argument("--part", default=None, help="_toc.yml의 부분 제목 / TOC part caption")
    n.add_argument("--root", default=None)
    n.set_defaults(func=_new_chapter)

    for name, module, text in (
        ("audit", "analysis.audit", "보고서 수치 재현성 점검 / audit the report's figures"),
        ("qual", "qual", "질적 자료 가져오기·내보내기 / qualitative data"),
        ("lit", "inputs.literature", "문헌 자료 점검 / literature data"),
        ("pdf", "publish.pdf", "책 전체 PDF / one PDF of the book"),
        ("browser", "publish.browser", "브라우저 준비 / headless Chromium"),
        ("snapshot", "publish.snapshot", "공표 표 스냅숏 비교·갱신 / table snapshot"),
    ):
        d = sub.add_parser(name, help=text, add_help=False)
        d.add_argument("rest", nargs=argparse.REMAINDER)
        d.set_defaults(func=lambda a, m=module: _delegate(m, a.rest))
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in DELEGATED:
            return _delegate(DELEGATED[argv[0]], argv[1:])
        args = parser().parse_args(argv)
        return args.func(args)
    except JahwalError as exc:
        print(f"오류 / error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("중단했습니다. 이전 책은 그대로 두었습니다 / interrupted; the previous book was kept", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
