"""Bar charts drawn on the server as SVG geometry: no script, no inline style, no request out."""

from dataclasses import dataclass
from datetime import date

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
