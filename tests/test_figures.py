"""Figures render Hangul with the packaged font, without missing-glyph warnings."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from jahwal.display import figures


def test_font_comes_from_a_package_not_the_machine():
    files = figures.font_files()
    assert any(f.name == "NanumGothic.ttf" for f in files)
    assert all("site-packages" in str(f) for f in files)


def test_hangul_renders_without_missing_glyph_warnings():
    figures.set_theme()
    df = pd.DataFrame({"연도": [2019, 2020, 2021, 2022], "증감": [-1200, 6338, 5093, -526]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        sns.barplot(df, x="연도", y="증감", ax=ax)  # negative ticks use the ASCII minus
        ax.set_title("연도별 초기상담 참여자 수 증감")
        fig.savefig(io.BytesIO(), format="png")
        fig.savefig(io.BytesIO(), format="pdf")
    plt.close(fig)
    used = font_manager.findfont(font_manager.FontProperties(family=plt.rcParams["font.family"]))
    assert used.endswith("NanumGothic.ttf")


def test_theme_survives_seaborn_reset():
    sns.set_theme()  # resets the font family to sans-serif
    figures.set_theme()
    assert plt.rcParams["font.family"] == ["NanumGothic"] and plt.rcParams["axes.unicode_minus"] is False
