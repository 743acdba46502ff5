"""Korean figures: the font shipped by a package, and the book's seaborn theme.

The NanumGothic TTF files come with the ``koreanize-matplotlib`` wheel, so
figures render Hangul on any machine without system fonts. The font files are
registered directly (the package's own import hook is not used).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib
from matplotlib import font_manager

FONT_FAMILY = "NanumGothic"
PALETTE = "colorblind"


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
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "figure.figsize": (7.5, 4.2),
            "svg.hashsalt": "jahwal",
        },
    )


def empty_figure(message: str):
    """A small figure that only says why nothing is drawn (e.g. all groups below the threshold)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 1.6))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10)
    return fig
