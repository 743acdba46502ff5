"""The build benchmark's verdicts and the methods appendix's table of them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from jahwal.chapters import appendix as provenance

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RESULTS = [
    {"case": "empty", "seconds": 38.0, "peak_gib": 1.5, "target_s": 40.0},
    {"case": "unchanged", "seconds": 2.0, "peak_gib": 0.2, "target_s": 3.0, "book_untouched": True},
    {"case": "one", "seconds": 20.0, "peak_gib": 0.9, "notebook_seconds": 11.0, "overhead_s": 9.0, "target_s": 8.0},
    {"case": "jb-force", "seconds": 152.0, "peak_gib": 0.8},
    {"case": "jb-cache", "seconds": 16.0, "peak_gib": 0.5},
    {"case": "scale10", "seconds": 100.0, "peak_gib": 4.5, "memory_limit_gib": 4.0},
]


def test_judge_checks_targets_and_computes_the_headline():
    results = [dict(r) for r in RESULTS]
    headline = _bench().judge(results)
    ok = {r["case"]: r.get("ok") for r in results}
    assert ok == {"empty": True, "unchanged": True, "one": False, "jb-force": None, "jb-cache": None, "scale10": False}
    assert results[-1]["target_s"] == 95.0  # 2.5 × the empty-cache build
    assert headline == {"empty_vs_jb_force": 4.0, "unchanged_vs_jb_cache": 8.0}


def test_methods_appendix_table_from_a_bench_file(tmp_path):
    results = [dict(r) for r in RESULTS]
    headline = _bench().judge(results)
    path = tmp_path / "bench.json"
    path.write_text(json.dumps({"cases": results, "headline": headline}), encoding="utf-8")
    table, text = provenance.benchmark_table(path)
    assert table["구분"].tolist()[:3] == ["빈 캐시에서 전체 빌드", "바뀐 것 없는 빌드", "노트북 하나 바뀐 빌드"]
    assert table.loc[0, "시간(초)"] == "38.0" and table.loc[0, "달성"] == "예"
    assert table.loc[2, "목표"] == "노트북 실행 11.0초 + 8초 이내 (추가 9.0초)" and table.loc[2, "달성"] == "아니요"
    assert table.loc[5, "목표"] == "95초 이내, 4 GiB 이내"
    assert (
        text
        == "빈 캐시 빌드가 jupyter-book 자체 실행보다 4.0배 빠름, 바뀐 것 없는 빌드가 jupyter-book 캐시보다 8.0배 빠름"
    )
