"""Figures for Chapter Ⅳ (Korean labels; the font comes from :func:`jahwal.display.nb.setup`)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .analysis import GROUP_LABELS


def _wrap(label: str, width: int = 18) -> str:
    label = str(label)
    if len(label) <= width:
        return label
    cut = label.rfind(" ", 0, width)
    cut = cut if cut > 0 else width
    return label[:cut] + "\n" + _wrap(label[cut:].strip(), width)


def profile_figure(
    profile: pd.DataFrame, attributes: tuple[str, ...] = ("연령대", "기간"), titles: dict[str, str] | None = None
):
    """Bars of participants per category, one panel per attribute, groups side by side."""
    titles = titles or {"연령대": "연령대별 참여자 수", "기간": "경력·참여기간별 참여자 수", "성별": "성별 참여자 수"}
    fig, axes = plt.subplots(1, len(attributes), figsize=(5.2 * len(attributes), 3.8), squeeze=False)
    groups = list(dict.fromkeys(profile["group"]))
    for ax, attr in zip(axes[0], attributes):
        sub = profile[profile["attribute"] == attr]
        cats = list(dict.fromkeys(sub["category"]))
        x = np.arange(len(cats))
        w = 0.8 / max(len(groups), 1)
        for k, g in enumerate(groups):
            vals = sub[sub["group"] == g].set_index("category")["n"].reindex(cats).fillna(0)
            ax.bar(x + (k - (len(groups) - 1) / 2) * w, vals.values, width=w, label=GROUP_LABELS.get(g, g))
        ax.set_xticks(x, cats, rotation=0)
        ax.set_title(titles.get(attr, attr))
        ax.set_ylabel("참여자 수(명)")
        ax.set_xlabel("")
        ax.yaxis.get_major_locator().set_params(integer=True)
    axes[0][0].legend(title="집단")
    fig.tight_layout()
    return fig


def heatmap_figure(
    matrix: pd.DataFrame,
    *,
    title: str = "",
    xlabel: str = "참여자",
    ylabel: str = "주제",
    value: str = "n_quotes",
    cmap: str = "Blues",
    fmt: str = "d",
):
    """A heat map of a long table (``code_id, name, participant_id`` or ``name_a, name_b``)."""
    if {"participant_id", "name"} <= set(matrix.columns):
        wide = matrix.pivot_table(index="name", columns="participant_id", values=value, sort=False, aggfunc="sum")
        wide = wide.reindex(
            index=list(dict.fromkeys(matrix["name"])), columns=list(dict.fromkeys(matrix["participant_id"]))
        )
    else:
        wide = matrix
    h = max(3.0, 0.34 * len(wide.index) + 1.4)
    w = max(6.0, 0.36 * len(wide.columns) + 4.2)
    fig, ax = plt.subplots(figsize=(w, h))
    data = wide.to_numpy(dtype=float)
    im = ax.imshow(data, aspect="auto", cmap=cmap, vmin=0)
    ax.grid(False)
    ax.set_xticks(range(len(wide.columns)), list(wide.columns), rotation=90)
    ax.set_yticks(range(len(wide.index)), [_wrap(i, 26) for i in wide.index])
    vmax = np.nanmax(data) if data.size else 0
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            if v and not math.isnan(v):
                ax.text(
                    j,
                    i,
                    format(int(v), fmt) if fmt == "d" else format(v, fmt),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > vmax * 0.6 else "black",
                )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01, label="인용 수" if value == "n_quotes" else value)
    fig.tight_layout()
    return fig


def cooccurrence_figure(pairs: pd.DataFrame, order: list[str], *, title: str = "", value: str = "c"):
    """A symmetric heat map of co-occurrence coefficients between themes (by name)."""
    m = pd.DataFrame(0.0, index=order, columns=order)
    for a, b, v in zip(pairs["name_a"], pairs["name_b"], pairs[value]):
        if a in m.index and b in m.index:
            m.loc[a, b] = m.loc[b, a] = v
    n = len(order)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * n + 4), max(4.5, 0.4 * n + 2)))
    mask = np.triu(np.ones((n, n), dtype=bool))
    data = np.where(mask, np.nan, m.to_numpy())
    im = ax.imshow(data, cmap="Purples", vmin=0, vmax=max(0.01, float(np.nanmax(data)) if n > 1 else 1.0))
    ax.grid(False)
    short = [_wrap(x, 22) for x in order]
    ax.set_xticks(range(n), short, rotation=90, fontsize=8)
    ax.set_yticks(range(n), short, fontsize=8)
    top = float(np.nanmax(data)) if n > 1 else 1.0
    for i in range(n):
        for j in range(i):
            v = data[i, j]
            if v > 0:
                ax.text(
                    j,
                    i,
                    f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if v > 0.6 * top else "black",
                )
    if title:
        ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.01, label="c 계수")
    fig.tight_layout()
    return fig


def domain_figure(comparison: pd.DataFrame, *, value: str = "share_quotes"):
    """Grouped bars: each group's share of quotes (or participants) per domain."""
    labels = list(dict.fromkeys(comparison["domain_label"]))
    groups = list(dict.fromkeys(comparison["group"]))
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    x = np.arange(len(labels))
    w = 0.8 / max(len(groups), 1)
    for k, g in enumerate(groups):
        vals = comparison[comparison["group"] == g].set_index("domain_label")[value].reindex(labels).fillna(0)
        bars = ax.bar(x + (k - (len(groups) - 1) / 2) * w, vals.values, width=w, label=GROUP_LABELS.get(g, g))
        ax.bar_label(bars, fmt="%.0f", fontsize=8, padding=2)
    ax.set_xticks(x, labels)
    ax.set_ylabel("집단 전체 인용 중 비율(%)" if value == "share_quotes" else "집단 참여자 중 비율(%)")
    ax.set_xlabel("영역")
    ax.legend(title="집단")
    fig.tight_layout()
    return fig


def keyword_figure(terms: pd.DataFrame, *, value: str = "score", ncols: int = 3, xlabel: str = "특징도(로그 오즈 z)"):
    """Small multiples: horizontal bars of the top terms of each theme."""
    themes = list(dict.fromkeys(terms["name"]))
    n = len(themes)
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    top = int(terms.groupby("name").size().max()) if n else 1
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols, 0.28 * top * nrows + 1.1 * nrows), squeeze=False)
    for ax, theme in zip(axes.flat, themes):
        sub = terms[terms["name"] == theme].sort_values("rank", ascending=False)
        ax.barh(sub["term"], sub[value], color="#4E79A7")
        ax.set_title(_wrap(theme, 20), fontsize=9)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_xlabel(xlabel, fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
