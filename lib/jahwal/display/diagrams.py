"""Flow and bar diagrams as HTML, drawn from tidy tables.

The diagrams are plain HTML and CSS (no images): the text stays searchable and
selectable, wraps on a narrow phone screen and never shrinks below the page's
font size. Each function returns a :class:`Diagram`, which a notebook glues
with :func:`glue_diagram` and places with ``{glue:figure}`` like any figure.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

#: One stylesheet for every diagram; sizes in rem so text follows the page font
#: (the smallest text is 0.8rem, about 12.8 CSS px at the book's 16 px base).
DIAGRAM_CSS = """
.jahwal-diagram{font-size:1rem;line-height:1.45;max-width:46rem;margin:0 auto;color:#1f2933;text-align:left}
.jahwal-diagram ol.jd-flow{list-style:none;margin:0;padding:0}
.jahwal-diagram li.jd-step{position:relative;margin:0 0 1.6rem 0;padding:.6rem .8rem;border:2px solid #4e79a7;
 border-radius:.5rem;background:#f4f8fc}
.jahwal-diagram li.jd-step:not(:last-child)::after{content:"\\2193";position:absolute;left:50%;bottom:-1.55rem;
 transform:translateX(-50%);font-size:1.2rem;line-height:1.5rem;color:#4e79a7}
.jahwal-diagram .jd-no{display:inline-block;min-width:1.6rem;margin-right:.4rem;padding:0 .35rem;border-radius:.8rem;
 background:#4e79a7;color:#fff;font-weight:700;text-align:center}
.jahwal-diagram .jd-label{font-weight:700}
.jahwal-diagram .jd-detail{margin:.25rem 0 0 0;font-size:.9rem}
.jahwal-diagram ul.jd-items{display:flex;flex-wrap:wrap;gap:.35rem;list-style:none;margin:.45rem 0 0 0;padding:0}
.jahwal-diagram ul.jd-items li{padding:.1rem .5rem;border:1px solid #9fb7d3;border-radius:1rem;background:#fff;font-size:.9rem}
.jahwal-diagram .jd-span{border-left:.4rem solid #f28e2b;padding-left:.7rem;margin-bottom:1rem}
.jahwal-diagram .jd-span-label{display:block;margin-bottom:.5rem;font-weight:700;color:#9c4f00}
.jahwal-diagram .jd-span-label small{display:block;font-weight:400;font-size:.9rem;color:#1f2933}
.jahwal-diagram .jd-notes{margin-top:.5rem}
.jahwal-diagram .jd-note{margin:.4rem 0;padding:.5rem .7rem;border:1px dashed #8a8a8a;border-radius:.4rem;font-size:.9rem}
.jahwal-diagram .jd-bars{display:grid;grid-template-columns:minmax(6.5rem,11rem) 1fr;gap:.35rem .6rem;align-items:center}
.jahwal-diagram .jd-bar-label{font-size:.9rem;text-align:right}
.jahwal-diagram .jd-bar-track{display:flex;align-items:center;gap:.4rem;min-width:0}
.jahwal-diagram .jd-bar{height:1.1rem;border-radius:.2rem;background:#4e79a7;flex:none}
.jahwal-diagram .jd-bar.jd-gap{background:#e15759}
.jahwal-diagram .jd-bar-value{font-size:.9rem;white-space:nowrap}
.jahwal-diagram .jd-legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.2rem 0 .7rem 0;font-size:.8rem}
.jahwal-diagram .jd-swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border-radius:.15rem;vertical-align:-.05rem}
"""


class Diagram:
    """An HTML diagram with a plain-text fallback (for text outputs and tests).

    Parameters
    ----------
    body : str
        The inner HTML (already escaped).
    text : str
        The same content as plain text, one line per box.
    key : str
        A CSS-safe name, written as ``data-diagram`` on the wrapper.
    """

    def __init__(self, body: str, text: str, key: str = "") -> None:
        self.body = body
        self.text = text
        self.key = key

    def _repr_html_(self) -> str:
        k = html.escape(self.key)
        return f'<div class="jahwal-diagram" data-diagram="{k}"><style>{DIAGRAM_CSS}</style>{self.body}</div>'

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


def _e(value: Any) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def flow_diagram(nodes: pd.DataFrame, key: str = "") -> Diagram:
    """Draw numbered steps top to bottom, with their items, spans and notes.

    Parameters
    ----------
    nodes : DataFrame
        Columns ``kind`` (``step``, ``item``, ``span`` or ``note``), ``step``,
        ``label`` and ``detail``, in drawing order. A ``step`` row is a box
        (``step`` holds its number); an ``item`` row is a chip inside the box of
        its ``step``; a ``span`` row brackets the steps ``a-b`` given in its
        ``step`` cell; a ``note`` row is a dashed box under the flow.
    key : str
        Name written on the wrapper.

    Returns
    -------
    Diagram

    Examples
    --------
    >>> nodes = pd.DataFrame({"kind": ["step", "item", "step"], "step": ["1", "1", "2"],
    ...                       "label": ["접수", "본인 요청", "상담"], "detail": ["", "", ""]})
    >>> print(flow_diagram(nodes).text)
    1. 접수 [본인 요청]
    ↓
    2. 상담
    """
    steps = nodes[nodes["kind"] == "step"]
    items = nodes[nodes["kind"] == "item"]
    spans = nodes[nodes["kind"] == "span"]
    notes = nodes[nodes["kind"] == "note"]
    span_of: dict[str, tuple[str, str, str]] = {}
    for s in spans.itertuples(index=False):
        first, _, last = str(s.step).partition("-")
        span_of[first] = (last or first, s.label, s.detail)
    parts, text, open_span = [], [], None
    parts.append('<ol class="jd-flow">')
    for s in steps.itertuples(index=False):
        no = str(s.step)
        if no in span_of:
            last, label, detail = span_of[no]
            parts.append(
                f'</ol><div class="jd-span"><span class="jd-span-label">{_e(label)}'
                + (f"<small>{_e(detail)}</small>" if detail else "")
                + '</span><ol class="jd-flow">'
            )
            text.append(f"[{label}: {detail}]" if detail else f"[{label}]")
            open_span = last
        chips = items[items["step"].astype(str) == no]["label"].tolist()
        box = f'<li class="jd-step"><span class="jd-no">{_e(no)}</span><span class="jd-label">{_e(s.label)}</span>'
        if s.detail:
            box += f'<p class="jd-detail">{_e(s.detail)}</p>'
        if chips:
            box += '<ul class="jd-items">' + "".join(f"<li>{_e(c)}</li>" for c in chips) + "</ul>"
        parts.append(box + "</li>")
        line = f"{no}. {s.label}" + (f" — {s.detail}" if s.detail else "")
        if chips:
            line += " [" + "; ".join(chips) + "]"
        if text and not text[-1].startswith("["):
            text.append("↓")
        text.append(line)
        if open_span == no:
            parts.append('</ol></div><ol class="jd-flow">')
            open_span = None
    parts.append("</ol>")
    if len(notes):
        parts.append('<div class="jd-notes">')
        for n in notes.itertuples(index=False):
            parts.append(f'<p class="jd-note"><span class="jd-label">{_e(n.label)}</span>: {_e(n.detail)}</p>')
            text.append(f"※ {n.label}: {n.detail}")
        parts.append("</div>")
    body = "".join(parts).replace('<ol class="jd-flow"></ol>', "")
    return Diagram(body, "\n".join(text), key)


def bar_diagram(
    bars: pd.DataFrame,
    *,
    label: str,
    value: str,
    flag: str,
    unit: str = "",
    legend: tuple[str, str] = ("", ""),
    key: str = "",
) -> Diagram:
    """Horizontal bars in HTML, coloured by a true/false column.

    Parameters
    ----------
    bars : DataFrame
        One row per bar, in drawing order.
    label, value, flag : str
        Columns with the bar label, the (non-negative) length and the flag that
        turns a bar red.
    unit : str
        Written after each value.
    legend : (str, str)
        Legend text for plain and flagged bars.
    key : str
        Name written on the wrapper.

    Returns
    -------
    Diagram

    Examples
    --------
    >>> b = pd.DataFrame({"name": ["건강", "고용"], "n": [3, 1], "gap": [True, False]})
    >>> print(bar_diagram(b, label="name", value="n", flag="gap", unit="개").text)
    건강: 3개 (!)
    고용: 1개
    """
    top = max(float(bars[value].max()), 1.0) if len(bars) else 1.0
    parts, text = [], []
    plain, flagged = legend
    if plain or flagged:
        parts.append(
            '<div class="jd-legend">'
            f'<span><span class="jd-swatch" style="background:#4e79a7"></span>{_e(plain)}</span>'
            f'<span><span class="jd-swatch" style="background:#e15759"></span>{_e(flagged)}</span></div>'
        )
    parts.append('<div class="jd-bars">')
    for r in bars.itertuples(index=False):
        v, f = float(getattr(r, value)), bool(getattr(r, flag))
        width = 0 if v <= 0 else max(0.4, 100 * v / top)
        shown = f"{int(v)}" if v.is_integer() else f"{v:.1f}"
        parts.append(
            f'<span class="jd-bar-label">{_e(getattr(r, label))}</span>'
            f'<span class="jd-bar-track"><span class="jd-bar{" jd-gap" if f else ""}" '
            f'style="width:{0.8 * width:.1f}%"></span>'
            f'<span class="jd-bar-value">{_e(shown + unit)}</span></span>'
        )
        text.append(f"{getattr(r, label)}: {shown}{unit}" + (" (!)" if f else ""))
    parts.append("</div>")
    return Diagram("".join(parts), "\n".join(text), key)


def glue_diagram(key: str, diagram: Diagram) -> None:
    """Glue a :class:`Diagram` under ``key`` (place it with ``{glue:figure}``)."""
    from myst_nb import glue

    glue(key, diagram, display=False)


__all__ = ["DIAGRAM_CSS", "Diagram", "bar_diagram", "flow_diagram", "glue_diagram"]
