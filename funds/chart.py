"""The reserve chart's geometry, computed here so the template only draws an SVG."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 40


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    value: Decimal


def reserve_chart(series: list[tuple[date, Decimal]], *, minimum: Decimal, target: Decimal) -> dict:
    """Coordinates for the reserve line, the two threshold lines and the axis labels."""
    top_value = max([value for _, value in series] + [target, Decimal(1)]) * Decimal("1.1")
    bottom_value = min([value for _, value in series] + [Decimal(0)])
    span = top_value - bottom_value
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return round(TOP + plot_h * float((top_value - value) / span), 1)

    step = plot_w / max(len(series) - 1, 1)
    points = [
        Point(round(LEFT + i * step, 1), y(value), day, value)
        for i, (day, value) in enumerate(series)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "minimum_y": y(minimum),
        "target_y": y(target),
        "zero_y": y(Decimal(0)),
        "minimum": minimum,
        "target": target,
    }
