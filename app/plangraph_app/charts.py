"""Charts of query results as Vega-Lite specifications (plain dicts, shown by
st.vega_lite_chart): bars, grouped bars, targets compared, timelines, heat maps.

Written as dicts rather than through Altair: building and validating an Altair chart costs
30-60 ms, a page interaction has 300 ms. The functions take plain rows and the names of the
columns to plot; they are pure and tested.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from .i18n import bilingual, column_label
from .tables import plain

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a5a5a5", "#7f1d1d",
           "#70ad47", "#ed7d31", "#4bacc6", "#9e480e", "#636363", "#997300"]
FONT = "Helvetica"
CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320, "labelColor": "#333", "titleColor": "#333"},
    "legend": {"labelFontSize": 12, "labelLimit": 320, "orient": "right", "titleFontSize": 12},
    "view": {"stroke": None},
    "background": None,
}


def _values(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], lang: str) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        rec = {}
        for c in columns:
            v = r.get(c)
            v = bilingual(v, lang) if isinstance(v, str) else plain(v)
            if isinstance(v, float) and math.isnan(v):
                v = None
            rec[c] = v
        out.append(rec)
    return out


# Numbers on axes and in tooltips as Vietnamese readers write them: 97,5 and 2.800.
VI_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"]}}


def _spec(values: list[dict[str, Any]], lang: str = "vi", **body: Any) -> dict[str, Any]:
    config = {**CONFIG, "locale": VI_LOCALE} if lang == "vi" else CONFIG
    return {"$schema": SCHEMA, "data": {"values": values}, "config": config, **body}


def _distinct(values: list[dict[str, Any]], key: str) -> int:
    return len({v.get(key) for v in values}) or 1


def _tooltip(columns: Sequence[str], lang: str, quantitative: Sequence[str] = ()) -> list[dict[str, Any]]:
    return [{"field": c, "type": "quantitative" if c in quantitative else "nominal", "title": column_label(c, lang)}
            for c in columns]


def bar(rows: Sequence[Mapping[str, Any]], x: str, y: str, color: str | None = None, facet: str | None = None,
        lang: str = "vi", tooltip: Sequence[str] = ()) -> dict[str, Any]:
    """Horizontal bars of `y` per `x` (long Vietnamese labels stay readable), stacked by `color`,
    one panel per `facet` value."""
    columns = list(dict.fromkeys([c for c in (x, y, color, facet, *tooltip) if c]))
    values = _values(rows, columns, lang)
    enc: dict[str, Any] = {
        "y": {"field": x, "type": "nominal", "title": None if facet else column_label(x, lang), "sort": None},
        "x": {"field": y, "type": "quantitative", "aggregate": "sum", "title": column_label(y, lang)},
        "tooltip": _tooltip(columns, lang, (y, *tooltip)),
    }
    if color:
        enc["color"] = {"field": color, "type": "nominal", "title": column_label(color, lang), "scale": {"range": PALETTE}}
    if facet:
        return _spec(values, lang, facet={"row": {"field": facet, "type": "nominal", "title": None,
                                            "header": {"labelFontSize": 13, "labelFontWeight": "bold", "labelAngle": 0,
                                                       "labelAlign": "left", "labelAnchor": "start", "labelOrient": "top"}}},
                     spec={"width": 560, "mark": {"type": "bar", "cornerRadiusEnd": 2}, "encoding": enc},
                     resolve={"scale": {"y": "independent", "x": "independent"}})
    return _spec(values, lang, width="container", height=max(160, 26 * _distinct(values, x)),
                 mark={"type": "bar", "cornerRadiusEnd": 2}, encoding=enc)


def grouped_counts(rows: Sequence[Mapping[str, Any]], category: str, group: str, value: str,
                   lang: str = "vi", title: str | None = None) -> dict[str, Any]:
    """One horizontal bar per `group` (ward), stacked by `category` (domain, level)."""
    values = _values(rows, [category, group, value], lang)
    return _spec(values, lang, width="container", height=max(160, 44 * _distinct(values, group)), mark={"type": "bar"},
                 encoding={
                     "y": {"field": group, "type": "nominal", "title": None, "sort": None},
                     "x": {"field": value, "type": "quantitative", "aggregate": "sum", "title": title or column_label(value, lang)},
                     "color": {"field": category, "type": "nominal", "title": None, "scale": {"range": PALETTE}},
                     "tooltip": [{"field": group, "type": "nominal", "title": column_label(group, lang)},
                                 {"field": category, "type": "nominal", "title": column_label(category, lang)},
                                 {"field": value, "type": "quantitative", "title": title or column_label(value, lang)}],
                 })


def compare(rows: Sequence[Mapping[str, Any]], lang: str = "vi", unit_title: str = "") -> dict[str, Any]:
    """Every ward's target of one concept (rows of `compare.shape`): a bar per ward with its
    target in words; gaps and incompatible units coloured apart, a gap never drawn as zero."""
    from .compare import MARK_COLORS

    values = [{"ward": r["ward"], "value": plain(r.get("value")) if r.get("mark_code") != "gap" and r.get("value") is not None else None,
               "label": r.get("target_text") or "", "status": r.get("status") or "", "code": r.get("mark_code")}
              for r in rows]
    present = [c for c in MARK_COLORS if any(v["code"] == c for v in values)]
    labels = [next(v["status"] for v in values if v["code"] == c) for c in present]
    top = max([v["value"] for v in values if v["value"] is not None] or [1]) or 1
    # Room on the right for the target in words, ticks only up to the largest target.
    xscale = {"domain": [0, top * 1.45], "nice": False}
    xaxis = {"values": ticks(top)}
    y = {"field": "ward", "type": "nominal", "title": None, "sort": None, "axis": {"labelFontWeight": "bold"}}
    return _spec(values, lang, width="container", height=max(140, 46 * len(values)), layer=[
        {"transform": [{"filter": "datum.value != null"}],
         "mark": {"type": "bar", "cornerRadiusEnd": 3, "height": 22},
         "encoding": {"y": y, "x": {"field": "value", "type": "quantitative", "title": unit_title or column_label("value", lang),
                                    "scale": xscale, "axis": xaxis},
                      "color": {"field": "status", "type": "nominal", "legend": None,
                                "scale": {"domain": labels, "range": [MARK_COLORS[c] for c in present]}},
                      "tooltip": [{"field": "ward", "title": column_label("ward", lang)},
                                  {"field": "label", "title": column_label("target", lang)},
                                  {"field": "status", "title": column_label("status", lang)}]}},
        {"transform": [{"calculate": "datum.value == null ? 0 : datum.value", "as": "pos"}],
         "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 12, "color": "#222"},
         "encoding": {"y": y, "x": {"field": "pos", "type": "quantitative", "scale": xscale}, "text": {"field": "label"}}},
    ])


def ticks(top: float, count: int = 8) -> list[float]:
    """Round tick values from 0 to at least `top` (1, 2, 5 × 10^n steps)."""
    raw = top / count
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def timeline(rows: Sequence[Mapping[str, Any]], start: str, end: str, label: str, group: str | None = None,
             lang: str = "vi") -> dict[str, Any]:
    """One bar per item from its start year to the end of its due year."""
    columns = list(dict.fromkeys([c for c in (start, end, label, group) if c]))
    values = []
    for v in _values(rows, columns, lang):
        if v.get(end) is None:
            continue
        v[start] = v.get(start) if v.get(start) is not None else v[end]
        v["_end"] = v[end] + 0.9
        values.append(v)
    enc: dict[str, Any] = {
        "y": {"field": label, "type": "nominal", "title": None, "sort": {"field": end, "order": "ascending"},
              "axis": {"labelLimit": 260}},
        "x": {"field": start, "type": "quantitative", "title": column_label(end, lang), "scale": {"zero": False},
              "axis": {"format": "d", "tickMinStep": 1}},
        "x2": {"field": "_end"},
        "tooltip": _tooltip(columns, lang),
    }
    if group:
        enc["color"] = {"field": group, "type": "nominal", "title": column_label(group, lang), "scale": {"range": PALETTE},
                        "legend": {"orient": "top", "direction": "horizontal"}}
    return _spec(values, lang, width="container", height=max(160, 18 * len(values)),
                 mark={"type": "bar", "cornerRadius": 3, "height": 12}, encoding=enc)


def heatmap(rows: Sequence[Mapping[str, Any]], x: str, y: str, value: str, lang: str = "vi",
            value_title: str | None = None, percent: bool = False) -> dict[str, Any]:
    """A table-like heat map: `y` rows, `x` columns, `value` written and coloured in each cell."""
    values = _values(rows, [x, y, value], lang)
    top = max([v[value] or 0 for v in values] or [0])
    threshold = 60 if percent else top * 0.6
    scale = {"scheme": "blues", "domain": [0, 100]} if percent else {"scheme": "blues"}
    title = value_title or column_label(value, lang)
    xenc = {"field": x, "type": "nominal", "title": None, "axis": {"orient": "top", "labelAngle": 0, "labelLimit": 160}}
    yenc = {"field": y, "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 360}}
    n_x = _distinct(values, x)
    return _spec(values, lang, height=32 * _distinct(values, y), width=max(300, min(900, 130 * n_x)), layer=[
        {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
         "encoding": {"x": xenc, "y": yenc, "color": {"field": value, "type": "quantitative", "scale": scale, "legend": None},
                      "tooltip": [{"field": y, "title": column_label(y, lang)}, {"field": x, "title": column_label(x, lang)},
                                  {"field": value, "type": "quantitative", "title": title}]}},
        {"mark": {"type": "text", "fontSize": 12},
         "encoding": {"x": xenc, "y": yenc,
                      "text": {"field": value, "type": "quantitative", "format": ".0f" if percent else "d"},
                      "color": {"condition": {"test": f"datum['{value}'] > {threshold}", "value": "white"}, "value": "#222"}}},
    ])
