"""Helpers that notebooks call: setup, glued numbers, numbered tables and figures.

Notebooks stay thin: one call into the library per table or figure, then one of
these helpers to publish it. Numbers in the prose are glued as preformatted
strings and written ``{glue:text}`key``` in Markdown. Tables and figures are
glued and placed with ``{glue:figure}`` so that they carry the report's
numbering (표 Ⅲ-3, 그림 Ⅲ-11) in their caption and a label for ``{ref}``.

Tables are also written as CSV and XLSX files for download when the build sets
``JAHWAL_TABLE_DIR`` (the book links them under ``tables/``).
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from numbers import Number
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from jahwal.display.figures import set_theme

TABLE_DIR_ENV = "JAHWAL_TABLE_DIR"
TABLE_URL_PREFIX = "../tables/"
TABLE_MIME = "application/vnd.jahwal.table+json"
#: a person count glued into the prose (:func:`glue_count`): its ledger cell for the gate
COUNT_MIME = "application/vnd.jahwal.count+json"
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


#: the study of the running notebook, set by :func:`setup` (``synthetic``: the study's synthetic block or None)
STUDY: dict[str, Any] = {"synthetic": None, "focus_year": None}


def setup(*, synthetic: Any = None, focus_year: int | None = None) -> None:
    """Prepare a notebook: Korean fonts, the seaborn theme and display options.

    Parameters
    ----------
    synthetic : dict, optional
        The study's ``prepare.synthetic`` block. When given, tables glued with
        :func:`glue_table` are marked by where their values come from
        (:mod:`jahwal.inputs.origin`); a real-extract build passes ``None``.
    focus_year : int, optional
        The study's focus year (the year of tables that show one year).
    """
    STUDY.update(synthetic=synthetic, focus_year=focus_year)
    try:  # inside a kernel: figures are shown (and glued) as PNG images
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        if get_ipython() is not None:
            get_ipython().run_line_magic("matplotlib", "inline")
            set_matplotlib_formats("png")
    except ImportError:  # pragma: no cover
        pass
    set_theme()
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 120)
    np.set_printoptions(legacy="1.25")


# ---------------------------------------------------------------- formatting
def fmt_num(value: Any, digits: int = 0, *, percent: bool = False) -> str:
    """Format a number the Korean way: thousands separators, fixed digits.

    Examples
    --------
    >>> fmt_num(1334)
    '1,334'
    >>> fmt_num(4.9234, 2)
    '4.92'
    >>> fmt_num(0.4567, 1, percent=True)
    '45.7%'
    >>> fmt_num(float("nan"))
    '–'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, str):
        return value
    v = float(value) * (100 if percent else 1)
    out = f"{v:,.{digits}f}"
    if out.startswith("-") and float(out.replace(",", "").lstrip("-") or 0) == 0:
        out = out[1:]
    return out + ("%" if percent else "")


def fmt_won(value: float, unit: str = "원") -> str:
    """Format a won amount with separators.

    Examples
    --------
    >>> fmt_won(1234567.4)
    '1,234,567원'
    """
    return fmt_num(value, 0) + unit


# ---------------------------------------------------------------- glue
def _check_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise ValueError(f"glue 키가 올바르지 않습니다 / invalid glue key: {key!r}")
    return key


def marked(text: str, origin: str | None) -> str:
    """A prose value with its origin mark (공표, 보정, 가정), or unchanged without one.

    Examples
    --------
    >>> marked("1,334", "공표"), marked("1,334", None)
    ('1,334[공표]', '1,334')
    """
    return f"{text}[{origin}]" if origin and text not in ("x", "–", "") else text


def glue_text(key: str, value: Any, digits: int = 0, *, percent: bool = False, origin: str | None = None) -> None:
    """Glue a number (formatted) or a string under ``key`` for ``{glue:text}``.

    ``origin`` (공표, 보정 or 가정; ``None`` in a real-extract build) is shown
    after the value, see :func:`marked`. Returns nothing, so that a glue call
    at the end of a cell shows nothing.
    """
    from myst_nb import glue

    text = value if isinstance(value, str) else fmt_num(value, digits, percent=percent)
    glue(_check_key(key), marked(text, origin), display=False)


def glue_many(
    values: dict[str, Any], digits: int | dict[str, int] = 0, origins: dict[str, str | None] | None = None
) -> None:
    """Glue several values at once; ``digits`` may be one number or one per key.

    ``origins`` maps keys to their origin mark (see :func:`glue_text`).
    """
    for key, value in values.items():
        d = digits.get(key, 0) if isinstance(digits, dict) else digits
        glue_text(key, value, d, origin=(origins or {}).get(key))


class Table:
    """A published aggregate table: HTML for the page, metadata for the gate.

    Parameters
    ----------
    df : DataFrame
        Already aggregated (and suppressed) values. Column names are shown as is.
    key : str
        The label, e.g. ``tab-III-3``; also the name of the download files.
    statistic : bool
        ``False`` marks a table that is not a statistic over persons (for example
        the focus-group participant list), which the disclosure gate then skips.
    count_columns : list of str
        Columns holding person counts, checked by the disclosure gate.
    digits : int or dict
        Decimal places for float columns.
    ledger : dict, optional
        What each count cell counts (population, year, classifying columns;
        see :mod:`jahwal.display.ledger`). The cells travel in the payload to the
        gate, which checks them against every other published count.
        ``count_columns`` defaults to the spec's ``columns``.
    origin : DataFrame, optional
        Where each value comes from in a synthetic build: a frame of the same
        shape holding 공표, 보정, 가정 or an empty string per cell
        (:func:`jahwal.inputs.origin.table_marks`). Marked cells carry a CSS class,
        a ``data-origin`` attribute and a one-syllable mark, and a legend is
        shown under the table.
    """

    def __init__(
        self,
        df: pd.DataFrame,
        key: str,
        *,
        statistic: bool = True,
        count_columns: Iterable[str] = (),
        digits: int | dict[str, int] = 2,
        index: bool = False,
        note: str = "",
        ledger: dict[str, Any] | None = None,
        origin: pd.DataFrame | None = None,
    ) -> None:
        if not isinstance(df, pd.DataFrame):
            raise ValueError(f"표 {key}: DataFrame이 필요합니다 / a DataFrame is required")
        self.df = (df if not index else df.reset_index()).copy()
        self.df.columns.name = None  # a named column axis would add a header row on the page only
        self.key = _check_key(key)
        self.statistic = statistic
        self.count_columns = [c for c in count_columns]
        if ledger is not None and not self.count_columns:
            self.count_columns = list((ledger.get("columns") or {}).keys())
        self.ledger = ledger
        missing = [c for c in self.count_columns if c not in self.df.columns]
        if missing:
            raise ValueError(f"표 {key}: 없는 열 / unknown count columns {missing}")
        self.digits = digits
        self.note = note
        if ledger is not None:
            from jahwal.display.ledger import check_spec

            check_spec(ledger, self.df, f"표 {key} / table {key}")
        self.origin = None
        if origin is not None:
            if origin.shape != self.df.shape:
                raise ValueError(
                    f"표 {key}: 출처 표시의 모양 {origin.shape}이 표 {self.df.shape}와 다릅니다 / "
                    f"origin marks shape differs from the table"
                )
            self.origin = origin.reset_index(drop=True).astype(object).where(origin.notna().values, "")
            self.origin.columns = self.df.columns

    def formatted(self) -> pd.DataFrame:
        out = self.df.copy()
        for col in out.columns:
            s = out[col]
            if pd.api.types.is_bool_dtype(s):
                continue
            if pd.api.types.is_integer_dtype(s):
                out[col] = s.map(lambda v: fmt_num(v, 0))
            elif pd.api.types.is_float_dtype(s):
                d = self.digits.get(col, 2) if isinstance(self.digits, dict) else self.digits
                if col in self.count_columns:
                    d = 0
                out[col] = s.map(lambda v, d=d: fmt_num(v, d))
            else:  # mixed columns (e.g. counts with suppressed cells "x"): format the numbers in them
                d = self.digits.get(col, 2) if isinstance(self.digits, dict) else self.digits
                out[col] = s.map(lambda v, d=d, c=col: self._cell(v, d, c))
        return out

    def _cell(self, v: Any, digits: int, col: str) -> Any:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "–"
        if isinstance(v, (bool, np.bool_)):
            return v
        if isinstance(v, (int, np.integer)):
            return fmt_num(v, 0)
        if isinstance(v, (float, np.floating)):
            return fmt_num(
                v, 0 if col in self.count_columns or float(v).is_integer() and col in self.count_columns else digits
            )
        return v

    def payload(self) -> dict[str, Any]:
        counts = {}
        for c in self.count_columns:
            vals = pd.to_numeric(self.df[c], errors="coerce")
            counts[str(c)] = [None if pd.isna(v) else float(v) for v in vals]
        return {
            "key": self.key,
            "statistic": self.statistic,
            "count_columns": [str(c) for c in self.count_columns],
            "counts": counts,
            "n_rows": int(len(self.df)),
            **({"ledger": self.ledger_block()} if self.ledger is not None else {}),
        }

    def ledger_block(self) -> dict[str, Any]:
        """The table's ledger cells (values as published, ``None`` for ``"x"``) and category lists."""
        from jahwal.display.ledger import frame_cells, spec_domains

        return {
            "cells": frame_cells(self.df, self.ledger, self.count_columns, self.key),
            "domains": spec_domains(self.df, self.ledger),
            "related": {str(k): [str(c) for c in v] for k, v in (self.ledger.get("related") or {}).items()},
        }

    def _repr_html_(self) -> str:
        body = self.formatted().to_html(
            index=False, border=0, classes=["jahwal-table", "table"], escape=True, na_rep="–"
        )
        links = ""
        if os.environ.get(TABLE_DIR_ENV):
            k = html.escape(self.key)
            links = (
                '<div class="jahwal-downloads">내려받기: '
                f'<a href="{TABLE_URL_PREFIX}{k}.csv" download>CSV</a> · '
                f'<a href="{TABLE_URL_PREFIX}{k}.xlsx" download>XLSX</a></div>'
            )
        note = f'<div class="jahwal-note">{html.escape(self.note)}</div>' if self.note else ""
        if self.origin is not None and self.origin.astype(bool).values.any():
            body = _mark_cells(body, self.origin)
            from jahwal.inputs.origin import legend

            note += f'<div class="jahwal-origin-legend">{html.escape(legend())}</div>'
        stat = "true" if self.statistic else "false"
        k = html.escape(self.key)
        numeric = [i + 1 for i, c in enumerate(self.df.columns) if self._numeric(c)]
        style = ""
        if numeric:
            sel = ", ".join(f'.jahwal-table-wrap[data-table="{k}"] td:nth-child({i})' for i in numeric)
            style = f"<style>{sel} {{ text-align: right; }}</style>"
        counts = ""
        if self.count_columns:  # which columns hold person counts (1-based), for checks of the rendered book
            idx = [str(i + 1) for i, c in enumerate(self.df.columns) if c in self.count_columns]
            counts = f' data-counts="{",".join(idx)}"'
        return (
            f'<div class="jahwal-table-wrap" data-table="{k}" data-statistic="{stat}"{counts}>'
            f"{style}{body}{note}{links}</div>"
        )

    def _numeric(self, col: Any) -> bool:
        """Numbers (and suppressed cells among numbers) are right-aligned; text stays left."""
        s = self.df[col]
        if pd.api.types.is_bool_dtype(s):
            return False
        if pd.api.types.is_numeric_dtype(s):
            return True
        vals = [v for v in s if not (v is None or (isinstance(v, float) and math.isnan(v)))]
        return (
            bool(vals)
            and all(isinstance(v, (int, float, np.integer, np.floating)) or v in ("x", "–") for v in vals)
            and any(isinstance(v, (int, float, np.integer, np.floating)) for v in vals)
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self._repr_html_(),
            "text/plain": self.formatted().to_string(index=False),
            TABLE_MIME: self.payload(),
        }

    def write_downloads(self, folder: str | Path) -> list[Path]:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        csv = folder / f"{self.key}.csv"
        xlsx = folder / f"{self.key}.xlsx"
        self.df.to_csv(csv, index=False, encoding="utf-8-sig")
        write_xlsx(self.df, xlsx, self.key)
        return [csv, xlsx]


class ShadedTable(Table):
    """A :class:`Table` whose cells carry a background shade (0 = none … 3 = darkest).

    Used where a grid is read by its colours as well as its text (the outcome
    framework). The shades are light enough for dark text to keep WCAG AA
    contrast; line breaks in cell text are kept. Downloads hold the text only.

    Parameters
    ----------
    df : DataFrame
        The cells' text.
    key : str
        As for :class:`Table`.
    shades : DataFrame
        Same shape as ``df``; an integer 0-3 per cell (missing means 0).
    **kwargs
        Passed on to :class:`Table`.

    Examples
    --------
    >>> t = ShadedTable(pd.DataFrame({"영역": ["자활참여"], "초기": ["참여 시작\\n실 2"]}), "tab-x",
    ...                 shades=pd.DataFrame({"영역": [0], "초기": [2]}), statistic=False)
    >>> '<td class="jahwal-shade-2">참여 시작<br>실 2</td>' in t._repr_html_()
    True
    """

    def __init__(self, df: pd.DataFrame, key: str, *, shades: pd.DataFrame, **kwargs: Any) -> None:
        super().__init__(df, key, **kwargs)
        if shades.shape != self.df.shape:
            raise ValueError(f"표 {key}: 음영 표의 크기가 다릅니다 / shades {shades.shape} ≠ table {self.df.shape}")
        self.shades = shades.reset_index(drop=True)

    def _repr_html_(self) -> str:
        cells = self.formatted().reset_index(drop=True)
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in cells.columns)
        rows = []
        for i in range(len(cells)):
            tds = []
            for j in range(cells.shape[1]):
                v = cells.iat[i, j]
                text = "–" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
                shade = self.shades.iat[i, j]
                shade = 0 if shade is None or (isinstance(shade, float) and math.isnan(shade)) else int(shade)
                tds.append(
                    f'<td class="jahwal-shade-{shade}">'
                    + "<br>".join(html.escape(t) for t in text.split("\n"))
                    + "</td>"
                )
            rows.append("<tr>" + "".join(tds) + "</tr>")
        table = (
            f'<table class="jahwal-table table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        )
        base = super()._repr_html_()
        start, end = base.index("<table"), base.index("</table>") + len("</table>")
        return f'<div class="jahwal-grid">{base[:start]}{table}{base[end:]}</div>'


def glue_shaded_table(key: str, df: pd.DataFrame, shades: pd.DataFrame, **kwargs: Any) -> None:
    """Glue a :class:`ShadedTable` (place it with ``{glue:figure}``), with its downloads."""
    from myst_nb import glue

    table = ShadedTable(df, key, shades=shades, **kwargs)
    folder = os.environ.get(TABLE_DIR_ENV)
    if folder:
        table.write_downloads(folder)
    glue(key, table, display=False)


_TD_RE = re.compile(r"<td>")


def _mark_cells(body: str, origin: pd.DataFrame) -> str:
    """Add the origin class, attribute and mark to the body cells of ``DataFrame.to_html``."""
    from jahwal.inputs.origin import CSS, MARK

    head, sep, rest = body.partition("<tbody>")
    if not sep:
        return body
    cells = iter(origin.to_numpy().ravel().tolist())

    def repl(_m: re.Match) -> str:
        o = next(cells, "")
        if not o:
            return "<td>"
        return f'<td class="jahwal-origin jahwal-origin-{CSS[o]}" data-origin="{o}" data-mark="{MARK[o]}">'

    return head + sep + _TD_RE.sub(repl, rest)


#: creation time written into every XLSX download, so that the same table gives the same bytes
XLSX_CREATED = (2000, 1, 1)


def write_xlsx(df: pd.DataFrame, path: str | Path, sheet: str) -> Path:
    """Write ``df`` as a one-sheet workbook with fixed document properties.

    xlsxwriter stamps the build time into ``docProps/core.xml`` unless the
    creation time is set; a fixed one keeps downloads byte-identical between
    builds of the same inputs.

    Examples
    --------
    >>> import tempfile, pathlib, time
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> a = write_xlsx(pd.DataFrame({"가": [1]}), d / "a.xlsx", "t").read_bytes()
    >>> time.sleep(1.1)
    >>> a == write_xlsx(pd.DataFrame({"가": [1]}), d / "b.xlsx", "t").read_bytes()
    True
    """
    from datetime import datetime

    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        writer.book.set_properties({"created": datetime(*XLSX_CREATED)})
        df.to_excel(writer, index=False, sheet_name=sheet[:31])
    return Path(path)


def glue_table(key: str, df: pd.DataFrame, **kwargs: Any) -> None:
    """Glue an aggregate table under ``key`` (place it with ``{glue:figure}``).

    Also writes ``key.csv`` and ``key.xlsx`` when the build asks for downloads.
    In a synthetic build (see :func:`setup`) the cells of a Chapter Ⅲ or Ⅴ
    table are marked by origin unless ``origin`` is given.
    """
    from myst_nb import glue

    if "origin" not in kwargs and STUDY.get("synthetic") is not None:
        from jahwal.inputs.origin import table_marks

        kwargs["origin"] = table_marks(
            key, df if not kwargs.get("index") else df.reset_index(), STUDY["synthetic"], STUDY.get("focus_year")
        )
    table = Table(df, key, **kwargs)
    folder = os.environ.get(TABLE_DIR_ENV)
    if folder:
        table.write_downloads(folder)
    glue(key, table, display=False)


class Count:
    """A person count glued into the prose, with the ledger cell it publishes.

    Examples
    --------
    >>> c = Count("ch33_intake_2019", 40278, population="초기상담 참여자", by={"연도": 2019})
    >>> c._repr_mimebundle_()["text/plain"]
    "'40,278'"
    >>> c.payload()["ledger"]["cells"][0]["by"]
    {'연도': '2019'}
    """

    def __init__(
        self,
        key: str,
        value: Any,
        *,
        population: str,
        by: dict[str, Any] | None = None,
        keep: bool = False,
        origin: str | None = None,
    ) -> None:
        self.key = _check_key(key)
        self.value = value
        self.population = population
        self.by = dict(by or {})
        self.keep = keep
        self.origin = origin

    def text(self) -> str:
        return marked(value_text(self.value), self.origin)

    def payload(self) -> dict[str, Any]:
        from jahwal.display.ledger import CellKey

        suppressed = isinstance(self.value, str)
        cell = CellKey.make(self.population, self.by).as_dict()
        return {
            "key": self.key,
            "statistic": True,
            "count_columns": ["value"],
            "counts": {"value": [None if suppressed else float(self.value)]},
            "n_rows": 1,
            "ledger": {
                "cells": [
                    {
                        **cell,
                        "row": 0,
                        "column": "value",
                        "value": None if suppressed else float(self.value),
                        "keep": self.keep,
                        "related": [],
                        "source": self.key,
                    }
                ],
                "domains": {},
            },
        }

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": repr(self.text()), COUNT_MIME: self.payload()}


def value_text(value: Any) -> str:
    """A count as prose text: ``"x"`` stays, numbers get separators.

    Examples
    --------
    >>> value_text(1334.0), value_text("x")
    ('1,334', 'x')
    """
    return value if isinstance(value, str) else fmt_num(value, 0)


def glue_count(
    key: str,
    value: Any,
    *,
    population: str,
    by: dict[str, Any] | None = None,
    keep: bool = False,
    origin: str | None = None,
) -> None:
    """Glue a person count for ``{glue:text}`` and register it in the ledger.

    ``value`` is the count as published (``"x"`` when suppressed); ``population``
    and ``by`` (classifying variables, e.g. ``{"연도": 2019, "시도": "서울"}``)
    say what it counts, as in a table's ledger spec. ``origin`` marks the
    prose value as in :func:`glue_text`.
    """
    from myst_nb import glue

    glue(key, Count(key, value, population=population, by=by, keep=keep, origin=origin), display=False)


FIGURE_MIME = "application/vnd.jahwal.figure+json"


class Figure:
    """A published figure: the PNG with Korean alt text, a full-size link and its data.

    Parameters
    ----------
    fig : matplotlib Figure (or seaborn grid)
    key : str
        The label, e.g. ``fig-III-11``; also the name of the image and data files.
    alt : str, optional
        Korean text saying what the figure shows; by default the text given to
        :func:`jahwal.figures.describe`, else one made from titles and axis labels.
    data : DataFrame, optional
        The values drawn; by default those given to :func:`jahwal.figures.describe`,
        else read from the figure's bars, lines and heat maps.
    """

    def __init__(self, fig: Any, key: str, *, alt: str | None = None, data: pd.DataFrame | None = None) -> None:
        from .figures import description, png_bytes, png_size, smallest_text

        self.key = _check_key(key)
        auto_alt, auto_data = description(fig)
        self.alt = (alt or auto_alt).strip()
        self.data = (data if data is not None else auto_data).reset_index(drop=True)
        self.png = png_bytes(fig)
        self.width, self.height = png_size(self.png)
        self.min_text_px, self.min_text = smallest_text(fig, image_width=self.width)

    def write_downloads(self, folder: str | Path) -> list[Path]:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        png = folder / f"{self.key}.png"
        png.write_bytes(self.png)
        return [png, *Table(self.data, self.key, statistic=False).write_downloads(folder)]

    def _repr_html_(self) -> str:
        import base64

        k = html.escape(self.key)
        alt = html.escape(self.alt, quote=True)
        if os.environ.get(TABLE_DIR_ENV):
            src = f"{TABLE_URL_PREFIX}{k}.png"
            links = (
                '<div class="jahwal-downloads jahwal-figure-downloads">'
                f'<a href="{src}" target="_blank" rel="noopener">원래 크기로 보기</a> · 그림 자료 내려받기: '
                f'<a href="{TABLE_URL_PREFIX}{k}.csv" download>CSV</a> · '
                f'<a href="{TABLE_URL_PREFIX}{k}.xlsx" download>XLSX</a></div>'
            )
        else:
            src = "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")
            links = ""
        img = (
            f'<img src="{src}" alt="{alt}" width="{self.width}" height="{self.height}" '
            'style="max-width: 100%; height: auto;" decoding="async">'
        )
        if links:
            img = f'<a class="jahwal-figure-full" href="{src}" target="_blank" rel="noopener" title="원래 크기로 보기">{img}</a>'
        return f'<div class="jahwal-figure-wrap" data-figure="{k}">{img}{links}</div>'

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64

        return {
            "text/html": self._repr_html_(),
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.alt,
            FIGURE_MIME: {
                "key": self.key,
                "alt": self.alt,
                "width": self.width,
                "height": self.height,
                "n_rows": int(len(self.data)),
                "min_text_px": round(self.min_text_px, 2),
                "min_text": self.min_text,
            },
        }


def glue_fig(key: str, fig: Any, *, alt: str | None = None, data: pd.DataFrame | None = None) -> None:
    """Glue a matplotlib figure (or seaborn grid) under ``key`` and close it.

    The page shows the PNG with Korean ``alt`` text, a link to the image at full
    size and the figure's data as CSV and XLSX (written when the build sets
    ``JAHWAL_TABLE_DIR``); see :class:`Figure` for the defaults of ``alt`` and ``data``.
    """
    import matplotlib.pyplot as plt
    from myst_nb import glue

    figure = getattr(fig, "figure", fig)
    figure = getattr(figure, "fig", figure)
    out = Figure(figure, key, alt=alt, data=data)
    folder = os.environ.get(TABLE_DIR_ENV)
    if folder:
        out.write_downloads(folder)
    glue(out.key, out, display=False)
    plt.close(figure)


def payload_json(obj: Any) -> str:
    """Serialise a table payload (for tests)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


__all__ = [
    "Figure",
    "Count",
    "Number",
    "ShadedTable",
    "Table",
    "fmt_num",
    "fmt_won",
    "glue_count",
    "glue_fig",
    "glue_many",
    "glue_shaded_table",
    "glue_table",
    "glue_text",
    "marked",
    "setup",
]
