"""Every chart of the app, drawn on the server as SVG geometry: the templates only place
what is computed here (no script, no inline style, no request out). Each function returns
a frozen dataclass: `grouped_monthly` a `BarChart` (the dashboard's activity),
`reserve_chart` a `LineChart` (the reserve over twelve month ends)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

WIDTH = 720
HEIGHT = 220
LEFT = 32
BOTTOM = 24
TOP = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str  # a CSS class suffix: the colour comes from app.css
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    x_labels: list[Tick]
    y_labels: list[Tick]
    legend: list[tuple[str, str]]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def grouped_monthly(
    title: str, months: list[date], series: list[tuple[str, str, list[int]]]
) -> BarChart:
    """Bars side by side per month; `series` is [(css suffix, label, values)]."""
    plot_height = HEIGHT - BOTTOM - TOP
    top_value = max([1, *(value for _, _, values in series for value in values)])
    slot = (WIDTH - LEFT) / max(len(months), 1)
    bar_width = slot * 0.8 / max(len(series), 1)
    bars = []
    for index, month in enumerate(months):
        for position, (css, label, values) in enumerate(series):
            value = values[index]
            height = plot_height * value / top_value
            bars.append(
                Bar(
                    x=round(LEFT + index * slot + slot * 0.1 + position * bar_width, 1),
                    y=round(HEIGHT - BOTTOM - height, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    series=css,
                    title=f"{month:%b %Y}, {label.lower()}: {value}",
                )
            )
    x_labels = [
        Tick(x=round(LEFT + index * slot + slot / 2, 1), y=HEIGHT - 8, label=f"{month:%b %y}")
        for index, month in enumerate(months)
        if month.month in (1, 7)
    ]
    y_labels = [
        Tick(x=LEFT - 4, y=round(HEIGHT - BOTTOM - plot_height * fraction, 1), label=str(value))
        for fraction, value in ((0, 0), (1, top_value))
    ]
    return BarChart(
        title=title,
        bars=bars,
        x_labels=x_labels,
        y_labels=y_labels,
        legend=[(css, label) for css, label, _ in series],
    )


LINE_HEIGHT = 260
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 70, 20, 20, 40


class ReserveMonth(Protocol):
    """One month end of the reserve (funds.selectors.ReservePoint has this shape)."""

    @property
    def day(self) -> date: ...
    @property
    def cash(self) -> Decimal: ...
    @property
    def available(self) -> Decimal: ...


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    value: Decimal


@dataclass(frozen=True)
class Month:
    """One month end: where its label goes and both of its values."""

    x: float
    y: float  # of the available value
    day: date
    available: Decimal
    cash: Decimal


@dataclass(frozen=True)
class LineChart:
    """The reserve chart: the available and cash lines, the two thresholds, the labels."""

    months: list[Month]
    polyline: str
    cash_polyline: str
    minimum_y: float
    target_y: float
    zero_y: float
    minimum: Decimal
    target: Decimal
    width: int = WIDTH
    height: int = LINE_HEIGHT
    left: int = LINE_LEFT
    right: int = WIDTH - LINE_RIGHT
    bottom: int = LINE_HEIGHT - LINE_BOTTOM
    label_y: int = LINE_HEIGHT - LINE_BOTTOM + 18


def reserve_chart(
    series: Sequence[ReserveMonth], *, minimum: Decimal, target: Decimal
) -> LineChart:
    """Coordinates for the available and cash lines, the two thresholds and the labels.

    Available (cash less open commitments) is the main line: the bands are about it. Cash
    is drawn lighter behind it.
    """
    values = [p.cash for p in series] + [p.available for p in series]
    top_value = max([*values, target, Decimal(1)]) * Decimal("1.1")
    bottom_value = min([*values, Decimal(0)])
    span = top_value - bottom_value
    plot_w, plot_h = WIDTH - LINE_LEFT - LINE_RIGHT, LINE_HEIGHT - LINE_TOP - LINE_BOTTOM

    def y(value: Decimal) -> float:
        return round(LINE_TOP + plot_h * float((top_value - value) / span), 1)

    step = plot_w / max(len(series) - 1, 1)
    xs = [round(LINE_LEFT + i * step, 1) for i in range(len(series))]
    available = [
        Point(x, y(p.available), p.day, p.available) for x, p in zip(xs, series, strict=True)
    ]
    cash = [Point(x, y(p.cash), p.day, p.cash) for x, p in zip(xs, series, strict=True)]
    return LineChart(
        months=[
            Month(x, y(p.available), p.day, p.available, p.cash)
            for x, p in zip(xs, series, strict=True)
        ],
        polyline=_polyline(available),
        cash_polyline=_polyline(cash),
        minimum_y=y(minimum),
        target_y=y(target),
        zero_y=y(Decimal(0)),
        minimum=minimum,
        target=target,
    )


def _polyline(points: list[Point]) -> str:
    return " ".join(f"{p.x},{p.y}" for p in points)
