"""Benchmark: import and summarise a REFI-QDA project of 1,000 sources and 50,000 codings.

Target: at most 10 s on the reference machine (not a timed test). The project is
generated first (not timed); a child process then imports it and runs the
chapter's summaries, and reports the time and its peak memory.

Usage::

    python bench/qual.py [--sources 1000] [--codings 50000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def make_project(path: Path, n_sources: int, n_codings: int, seed: int = 7) -> dict[str, int]:
    from jahwal.qual import QualCorpus, write_qdpx

    rng = random.Random(seed)
    codes = [("D", "", "영역", False)]
    for i in range(1, 11):
        codes.append((f"D.{i}", "D", "대주제", True))
        for j in range(1, 6):
            codes.append((f"D.{i}.{j}", f"D.{i}", "하위주제", True))
            for k in "abc":
                codes.append((f"D.{i}.{j}.{k}", f"D.{i}.{j}", "코드", True))
    codes_df = pd.DataFrame(
        [(c, p, "bench", lv, f"주제 {c}", "", cod, "outcomes" if c == "D" else "") for c, p, lv, cod in codes],
        columns=["code_id", "parent_id", "group", "level", "name", "description", "codable", "domain"],
    )
    leaves = [c for c, _p, lv, _ in codes if lv == "코드"]
    words = "사례관리 선생님 상담 자활 사업단 동료 자격증 마음 일자리 가족 건강 계획 목표 변화 관계".split()
    per_source = n_codings // n_sources
    participants, sessions, sources, segments, codings = [], [], [], [], []
    for s in range(n_sources):
        sid = f"S{s:04d}"
        sessions.append((sid, "bench"))
        people = [f"{sid}-P{k}" for k in range(1, 6)]
        participants += [(p, "bench", sid, "여" if k % 2 else "남", 30 + k) for k, p in enumerate(people)]
        text, n_seg = "", 0
        while n_seg < per_source:
            who = rng.choice(people)
            body = " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + "."
            start = len(text) + len(who) + 2
            text += f"{who}: {body}\n\n"
            seg_id = f"{sid}-{n_seg:03d}"
            segments.append((seg_id, seg_id, "bench", sid, who, start, start + len(body), body, "coder", "", ""))
            codings.append((seg_id, rng.choice(leaves)))
            n_seg += 1
        sources.append((sid, text))
    corpus = QualCorpus(
        codes=codes_df,
        participants=pd.DataFrame(participants, columns=["participant_id", "group", "session_id", "sex", "age"]),
        sessions=pd.DataFrame(sessions, columns=["session_id", "group"]),
        sources=pd.DataFrame(sources, columns=["session_id", "text"]),
        segments=pd.DataFrame(
            segments,
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
        ),
        codings=pd.DataFrame(codings, columns=["segment_id", "code_id"]),
        name="bench",
    )
    write_qdpx(corpus, path, crlf=True, bom=True)
    return {"sources": n_sources, "codings": len(codings), "codes": len(codes), "participants": len(participants)}


def run(path: Path) -> dict[str, float]:
    from jahwal.qual import code_frequencies, code_participant_matrix, cooccurrence, read_qdpx, theme_table

    t0 = time.perf_counter()
    corpus = read_qdpx(path)
    t1 = time.perf_counter()
    freq = code_frequencies(corpus, "bench")
    theme_table(corpus, "bench", min_count=1)
    code_participant_matrix(corpus, "bench", level="대주제")
    cooccurrence(corpus, "bench", level="대주제", unit="segment")
    cooccurrence(corpus, "bench", level="대주제", unit="participant")
    t2 = time.perf_counter()
    assert int(freq.loc[freq["code_id"] == "D", "n_segments"].item()) == len(corpus.segments)
    return {
        "import_s": t1 - t0,
        "summary_s": t2 - t1,
        "total_s": t2 - t0,
        "segments": len(corpus.segments),
        "codings": len(corpus.codings),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--codings", type=int, default=50000)
    ap.add_argument("--keep")
    ap.add_argument("--run", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run:
        print(json.dumps(run(Path(args.run))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep or tmp) / "bench.qdpx"
        path.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        info = make_project(path, args.sources, args.codings)
        print(f"생성 / generated: {info} in {time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")
        out = subprocess.run([sys.executable, __file__, "--run", str(path)], capture_output=True, text=True, check=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        status = "통과 / ok" if res["total_s"] <= 10 else "초과 / over budget"
        print(
            f"가져오기 / import: {res['import_s']:.2f} s; 요약 / summaries: {res['summary_s']:.2f} s; "
            f"합계 / total: {res['total_s']:.2f} s (목표 / target ≤ 10 s: {status})"
        )
        print(
            f"최대 메모리 / peak memory (import + summaries): {peak_mb:.0f} MB; "
            f"segments {res['segments']}, codings {res['codings']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
