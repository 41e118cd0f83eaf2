"""The reserve chart's geometry, computed here so the template only draws an SVG."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from funds.selectors import ReservePoint

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 40


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


def reserve_chart(series: list[ReservePoint], *, minimum: Decimal, target: Decimal) -> dict:
    """Coordinates for the available and cash lines, the two thresholds and the labels.

    Available (cash less open commitments) is the main line: the bands are about it. Cash
    is drawn lighter behind it.
    """
    values = [p.cash for p in series] + [p.available for p in series]
    top_value = max([*values, target, Decimal(1)]) * Decimal("1.1")
    bottom_value = min([*values, Decimal(0)])
    span = top_value - bottom_value
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return round(TOP + plot_h * float((top_value - value) / span), 1)

    step = plot_w / max(len(series) - 1, 1)
    xs = [round(LEFT + i * step, 1) for i in range(len(series))]
    available = [
        Point(x, y(p.available), p.day, p.available) for x, p in zip(xs, series, strict=True)
    ]
    cash = [Point(x, y(p.cash), p.day, p.cash) for x, p in zip(xs, series, strict=True)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "months": [
            Month(x, y(p.available), p.day, p.available, p.cash)
            for x, p in zip(xs, series, strict=True)
        ],
        "polyline": _polyline(available),
        "cash_polyline": _polyline(cash),
        "minimum_y": y(minimum),
        "target_y": y(target),
        "zero_y": y(Decimal(0)),
        "minimum": minimum,
        "target": target,
    }


def _polyline(points: list[Point]) -> str:
    return " ".join(f"{p.x},{p.y}" for p in points)
