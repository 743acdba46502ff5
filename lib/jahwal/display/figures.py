"""Korean figures: the font shipped by a package, and the book's seaborn theme.

The NanumGothic TTF files come with the ``koreanize-matplotlib`` wheel, so
figures render Hangul on any machine without system fonts. The font files are
registered directly (the package's own import hook is not used).
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager

FONT_FAMILY = "NanumGothic"
#: seaborn's colour-blind-safe palette, its light colours darkened so that every colour has a
#: contrast of at least 3:1 against the white background (WCAG 2.1 AA for graphics, 1.4.11)
PALETTE = [
    "#0173B2",  # blue
    "#B5700A",  # orange (colorblind #DE8F05)
    "#029E73",  # green
    "#D55E00",  # vermillion
    "#B55BA6",  # purple (#CC78BC)
    "#A87444",  # brown (#CA9161)
    "#D63A7C",  # pink (#FBAFE4)
    "#7F7F7F",  # grey (#949494)
    "#857C00",  # olive (#ECE133)
    "#00838F",  # teal (#56B4E9)
]


def font_files() -> list[Path]:
    """The NanumGothic font files installed with ``koreanize-matplotlib``.

    Examples
    --------
    >>> sorted(p.name for p in font_files())[0]
    'NanumGothic.ttf'
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "한글 글꼴 패키지(koreanize-matplotlib)가 설치되지 않았습니다 / "
            "the Korean font package koreanize-matplotlib is not installed"
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    files = sorted(folder.glob("*.ttf"))
    if not files:
        raise RuntimeError(f"글꼴 파일이 없습니다 / no font files in {folder}")
    return files


def use_korean_font() -> str:
    """Register the bundled Korean font and make it the default; return its family.

    Examples
    --------
    >>> use_korean_font()
    'NanumGothic'
    >>> import matplotlib.pyplot as plt
    >>> plt.rcParams["font.family"][0]
    'NanumGothic'
    """
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in font_files():
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = [FONT_FAMILY]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return FONT_FAMILY


def set_theme() -> None:
    """Apply the book's seaborn theme with the Korean font (seaborn resets fonts otherwise)."""
    import seaborn as sns

    use_korean_font()
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=PALETTE,
        font=FONT_FAMILY,
        rc={
            "axes.unicode_minus": False,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "figure.figsize": (7.5, 4.2),
            "svg.hashsalt": "jahwal",
        },
    )


# ---------------------------------------------------------------- legibility and description
#: Width (CSS px) at which the sphinx-book-theme page shows a figure image in the
#: article column on a 1366 px wide screen (measured in Chromium; images are
#: scaled down to it, never up).
CONTENT_WIDTH_PX = 741
#: The smallest text a figure may show at that width, in CSS px.
MIN_TEXT_PX = 9.0
#: Resolution of the published PNG files.
DPI = 110

_ALT = "_jahwal_alt"
_DATA = "_jahwal_data"


def describe(fig: Any, alt: str, data: pd.DataFrame | None = None) -> Any:
    """Attach the Korean alt text and the data table to a figure; return the figure.

    :func:`jahwal.nb.glue_fig` publishes both: the text as the image's ``alt``
    and the table as CSV and XLSX downloads beside the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = describe(plt.figure(), "연도별 참여자 수 막대그래프", pd.DataFrame({"연도": [2022], "인원": [3]}))
    >>> description(fig)[0]
    '연도별 참여자 수 막대그래프'
    >>> plt.close(fig)
    """
    figure = _figure(fig)
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("그림 설명(alt)이 비었습니다 / the figure's alt text is empty")
    setattr(figure, _ALT, alt.strip())
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise ValueError("그림 자료는 DataFrame이어야 합니다 / figure data must be a DataFrame")
        setattr(figure, _DATA, data.reset_index(drop=True).copy())
    return fig


def _figure(fig: Any) -> Any:
    """The matplotlib Figure behind a figure, a seaborn grid or an Axes."""
    figure = getattr(fig, "figure", fig)
    return getattr(figure, "fig", figure)


def _texts(figure: Any) -> list[Any]:
    """Visible, non-empty Text artists of a figure (tick labels included)."""
    from matplotlib.text import Text

    out = []
    for t in figure.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        ax = getattr(t, "axes", None)
        if ax is not None and not ax.get_visible():
            continue
        out.append(t)
    return out


def _ticks(labels: list[Any], most: int = 6) -> str:
    names = [t.get_text().replace("\n", " ") for t in labels if t.get_text().strip()]
    if not names:
        return ""
    shown = ", ".join(names[:most])
    return f"{shown} 등 {len(names)}개" if len(names) > most else shown


def _panel_text(ax: Any) -> str:
    from matplotlib.collections import QuadMesh
    from matplotlib.container import BarContainer
    from matplotlib.image import AxesImage

    if any(isinstance(a, (AxesImage, QuadMesh)) for a in ax.get_children()):
        kind = "열지도"
    elif any(isinstance(c, BarContainer) for c in ax.containers):
        kind = "막대그래프"
    elif [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 1]:
        kind = "선그래프"
    else:
        kind = "도표"
    parts = [f"{ax.get_title().replace(chr(10), ' ')} {kind}".strip()]
    if kind == "도표" and not ax.get_xlabel() and not ax.get_ylabel():  # a diagram: say what its boxes read
        words = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_visible() and t.get_text().strip()]
        if words:
            parts.append("내용: " + "; ".join(words[:8]) + (f" 외 {len(words) - 8}개" if len(words) > 8 else ""))
    for name, label, ticks in (
        ("가로축", ax.get_xlabel(), ax.get_xticklabels()),
        ("세로축", ax.get_ylabel(), ax.get_yticklabels()),
    ):
        label = label.replace("\n", " ")
        cats = _ticks(ticks) if any(not _is_number(t.get_text()) for t in ticks) else ""
        if label or cats:
            parts.append(f"{name} {label}".strip() + (f"({cats})" if cats else ""))
    legend = ax.get_legend()
    if legend is not None:
        labels = [t.get_text() for t in legend.get_texts() if t.get_text()]
        if labels:
            parts.append("범례 " + "·".join(labels))
    return ", ".join(parts)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").replace("−", "-").replace("%", ""))
    except ValueError:
        return not text.strip()
    return True


def auto_alt(fig: Any) -> str:
    """A Korean description made from a figure's kind, titles, axis labels, categories and legend.

    Used when a figure function gave no :func:`describe` text.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _ = use_korean_font()
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["가", "나"], [1, 2]); _ = ax.set_title("집단별 인원"); _ = ax.set_ylabel("인원(명)")
    >>> fig.canvas.draw()
    >>> auto_alt(fig)
    '집단별 인원 막대그래프, 가로축(가, 나), 세로축 인원(명)'
    >>> plt.close(fig)
    """
    figure = _figure(fig)
    axes = [ax for ax in figure.get_axes() if ax.get_visible() and ax.get_label() != "<colorbar>"]
    out = []
    sup = getattr(figure, "_suptitle", None)
    if sup is not None and sup.get_text():
        out.append(sup.get_text().replace("\n", " ") + ":")
    if len(axes) > 1:
        out.append(f"패널 {len(axes)}개.")
    out.extend(_panel_text(ax) + "." for ax in axes)
    return " ".join(out).rstrip(".")


def figure_data(fig: Any) -> pd.DataFrame:
    """The values drawn in a figure, read from its bars, lines and heat maps.

    Used for the download of a figure whose function gave no :func:`describe` data.
    Columns: 패널, 계열, 항목, 값.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["가", "나"], [1, 2], label="인원")
    >>> figure_data(fig)[["항목", "값"]].values.tolist()
    [['가', 1.0], ['나', 2.0]]
    >>> plt.close(fig)
    """
    from matplotlib.collections import QuadMesh
    from matplotlib.container import BarContainer, ErrorbarContainer
    from matplotlib.image import AxesImage

    rows: list[dict[str, Any]] = []
    figure = _figure(fig)
    for n, ax in enumerate(figure.get_axes(), start=1):
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        panel = ax.get_title().replace("\n", " ") or f"패널 {n}"
        xt = {round(float(t), 6): lab.get_text() for t, lab in zip(ax.get_xticks(), ax.get_xticklabels())}
        yt = {round(float(t), 6): lab.get_text() for t, lab in zip(ax.get_yticks(), ax.get_yticklabels())}
        for c in ax.containers:
            if not isinstance(c, BarContainer):
                continue
            series = c.get_label() if not str(c.get_label()).startswith("_") else ""
            horizontal = getattr(c, "orientation", "vertical") == "horizontal"
            for patch in c.patches:
                if horizontal:
                    pos, val, labels = patch.get_y() + patch.get_height() / 2, patch.get_width(), yt
                else:
                    pos, val, labels = patch.get_x() + patch.get_width() / 2, patch.get_height(), xt
                item = labels.get(round(float(pos), 6), "")
                rows.append(
                    {"패널": panel, "계열": series, "항목": item.replace("\n", " ") or fmt_pos(pos), "값": float(val)}
                )
        for im in [a for a in ax.get_children() if isinstance(a, (AxesImage, QuadMesh))]:
            arr = np.ma.filled(np.ma.asarray(im.get_array(), dtype=float), np.nan)
            if arr.ndim != 2:
                continue
            for i in range(arr.shape[0]):
                for j in range(arr.shape[1]):
                    if not np.isnan(arr[i, j]):
                        rows.append(
                            {
                                "패널": panel,
                                "계열": yt.get(float(i), str(i)).replace("\n", " "),
                                "항목": xt.get(float(j), str(j)).replace("\n", " "),
                                "값": float(arr[i, j]),
                            }
                        )
        for c in ax.containers:  # points with error bars (forest plots, estimates)
            if not isinstance(c, ErrorbarContainer) or c.lines[0] is None:
                continue
            series = "" if str(c.get_label()).startswith("_") else str(c.get_label())
            horizontal = c.has_xerr and not c.has_yerr
            ticks = yt if horizontal else xt
            for x, y in zip(c.lines[0].get_xdata(), c.lines[0].get_ydata()):
                pos, val = (y, x) if horizontal else (x, y)
                near = min(ticks, key=lambda t: abs(t - float(pos))) if ticks else None
                item = ticks[near] if near is not None and abs(near - float(pos)) <= 0.5 else f"{float(pos):g}"
                rows.append({"패널": panel, "계열": series, "항목": item.replace("\n", " "), "값": float(val)})
        for line in ax.get_lines():
            label = str(line.get_label())
            if label.startswith("_"):
                continue
            for x, y in zip(line.get_xdata(), line.get_ydata()):
                rows.append({"패널": panel, "계열": label, "항목": str(x), "값": float(y)})
        if not any(r["패널"] == panel for r in rows):  # a diagram: its boxes' text
            for t in ax.texts:
                if t.get_visible() and t.get_text().strip():
                    rows.append({"패널": panel, "계열": "글상자", "항목": t.get_text().replace("\n", " "), "값": None})
    return pd.DataFrame(rows, columns=["패널", "계열", "항목", "값"])


def fmt_pos(pos: float) -> str:
    return f"{pos:g}"


def description(fig: Any) -> tuple[str, pd.DataFrame]:
    """The alt text and data of a figure: from :func:`describe`, else read from the figure."""
    figure = _figure(fig)
    alt = getattr(figure, _ALT, None) or auto_alt(figure)
    data = getattr(figure, _DATA, None)
    if data is None:
        data = figure_data(figure)
    return alt, data


def png_bytes(fig: Any, dpi: int = DPI) -> bytes:
    """The figure as a PNG (tight bounding box, no time stamp: same figure, same bytes)."""
    buf = io.BytesIO()
    _figure(fig).savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG header.

    Examples
    --------
    >>> png_size(bytes.fromhex("89504e470d0a1a0a0000000d49484452000002e500000190"))
    (741, 400)
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("PNG가 아닙니다 / not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def smallest_text(
    fig: Any, dpi: int = DPI, width_px: int = CONTENT_WIDTH_PX, image_width: int | None = None
) -> tuple[float, str]:
    """The smallest text of a figure as shown on the page: (CSS px, the text).

    A text of ``s`` points is ``s * dpi / 72`` image pixels high; the page shows
    the image at its own width or, when wider, scaled down to ``width_px``.
    ``image_width`` is the width of the saved PNG (rendered here when not given).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(6, 3))
    >>> _ = ax.set_title("제목", fontsize=12); _ = ax.set_xticks([0, 1], ["가", "나"], fontsize=6)
    >>> px, text = smallest_text(fig, image_width=660)
    >>> round(px, 2), text
    (9.17, '가')
    >>> round(smallest_text(fig, image_width=1482)[0], 2)
    4.58
    >>> plt.close(fig)
    """
    figure = _figure(fig)
    w = image_width or png_size(png_bytes(figure, dpi))[0]
    scale = min(1.0, width_px / w)
    texts = _texts(figure)
    if not texts:
        return float("inf"), ""
    t = min(texts, key=lambda t: t.get_fontsize())
    return t.get_fontsize() * dpi / 72 * scale, t.get_text()


def wrap_label(text: str, width: int) -> str:
    r"""Break a category label into lines of about ``width`` letters, at spaces or ``·`` when it can.

    Examples
    --------
    >>> wrap_label("노인부부가구", 6)
    '노인부부가구'
    >>> wrap_label("공동체 가구(시설거주)", 6)
    '공동체 가구\n(시설거주)'
    >>> wrap_label("1년 이내 이주 필요", 6)
    '1년 이내\n이주 필요'
    """
    import textwrap

    if len(text) <= width:
        return text
    parts = textwrap.wrap(text.replace("·", "· ").replace("(", " ("), width=width, break_long_words=False)
    lines = []
    for part in parts:
        if len(part) > width + 1:  # one long word: split it in the middle
            half = -(-len(part) // 2)
            lines += [part[:half], part[half:]]
        else:
            lines.append(part)
    return "\n".join(lines).replace("· ", "·")


def empty_figure(message: str):
    """A small figure that only says why nothing is drawn (e.g. all groups below the threshold)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 1.6))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10)
    return fig
