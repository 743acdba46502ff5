"""Analysis: stage metrics, group comparisons, outcome tests, supplementary, literature and
framework analyses, calibration and the audit (tidy frames, English columns, no display).
"""
