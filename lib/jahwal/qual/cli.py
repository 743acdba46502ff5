"""``jahwal qual``: convert between REFI-QDA and the native folder, and summarise.

Usage::

    jahwal qual import PROJECT.qdpx --out DIR [--force]
    jahwal qual import CODEBOOK.qdc --out DIR/codebook.csv
    jahwal qual export DIR [--qdpx OUT.qdpx] [--qdc OUT.qdc] [--crlf] [--bom]
    jahwal qual summary PATH [--format native|qdpx|auto]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import JahwalError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jahwal qual", description="질적 자료(코딩된 초점집단) 변환과 요약 / qualitative data"
    )
    sub = p.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="REFI-QDA(.qdpx/.qdc)를 기본 형식 폴더로 / REFI-QDA to a native folder")
    imp.add_argument("path")
    imp.add_argument("--out", required=True)
    imp.add_argument("--force", action="store_true", help="기존 폴더를 바꿉니다 / replace an existing folder")
    exp = sub.add_parser("export", help="기본 형식 폴더를 REFI-QDA로 / native folder to REFI-QDA")
    exp.add_argument("folder")
    exp.add_argument("--qdpx")
    exp.add_argument("--qdc")
    exp.add_argument("--crlf", action="store_true", help="녹취를 CRLF 줄바꿈으로 / CRLF line ends")
    exp.add_argument("--bom", action="store_true", help="녹취에 UTF-8 BOM / UTF-8 byte-order mark")
    summ = sub.add_parser("summary", help="집단별 요약 / summary per group")
    summ.add_argument("path")
    summ.add_argument("--format", default="auto", choices=["native", "qdpx", "auto"])
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status (errors are printed in Korean and English)."""
    from . import code_frequencies, load_corpus, read_native, read_qdc, read_qdpx, write_native, write_qdc, write_qdpx

    args = _parser().parse_args(argv)
    try:
        if args.command == "import":
            src = Path(args.path)
            if src.suffix.lower() == ".qdc":
                out = Path(args.out)
                if out.exists() and not args.force:
                    raise JahwalError(f"{out}: 파일이 이미 있습니다(덮어쓰려면 --force) / file exists (use --force)")
                codes = read_qdc(src)
                tmp = out.with_name(f".{out.name}.tmp")
                cols = ["group"] + [c for c in codes.columns if c != "group"]
                codes = codes[cols].assign(
                    codable=codes["codable"].map(lambda b: "true" if b else "false"),
                    abridged=codes["abridged"].astype(int),
                )
                codes.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
                tmp.replace(out)
                print(f"코드 {len(codes)}개를 {out}에 썼습니다 / wrote {len(codes)} codes to {out}")
                return 0
            corpus = read_qdpx(src)
            write_native(corpus, args.out, overwrite=args.force)
            for note in corpus.notes:
                print(f"참고 / note: {note}")
            print(corpus.summary().to_string(index=False))
            print(f"{args.out}에 썼습니다 / written to {args.out}")
            return 0
        if args.command == "export":
            if not args.qdpx and not args.qdc:
                raise JahwalError("--qdpx 또는 --qdc가 필요합니다 / give --qdpx and/or --qdc")
            corpus = read_native(args.folder)
            if args.qdpx:
                write_qdpx(corpus, args.qdpx, crlf=args.crlf, bom=args.bom)
                print(f"{args.qdpx}에 썼습니다 / wrote {args.qdpx}")
            if args.qdc:
                write_qdc(corpus.codes, args.qdc)
                print(f"{args.qdc}에 썼습니다 / wrote {args.qdc}")
            return 0
        corpus = load_corpus(args.path, args.format)
        print(corpus.summary().to_string(index=False))
        for g in corpus.groups:
            top = code_frequencies(corpus, g).query("parent_id == ''")[
                ["code_id", "name", "n_quotes", "n_participants"]
            ]
            print(f"\n[{g}]")
            print(top.to_string(index=False))
        return 0
    except JahwalError as exc:
        print(str(exc), file=sys.stderr)
        return getattr(exc, "exit_code", 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
