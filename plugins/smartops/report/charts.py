"""Small inline SVG charts (no plotting dependency): self-contained, printable, readable offline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

WIDTH, HEIGHT = 560, 190
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 26, 30
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
COLOR = "#2f6db5"


@dataclass(frozen=True)
class _Plot:
    """One chart's drawing area: `count` slots across, 0 … `top` upwards; its frame and its closing."""

    count: int
    top: float

    @classmethod
    def scaled(cls, count: int, values: Iterable[float | None]) -> _Plot:
        return cls(count, max((v for v in values if v is not None), default=0) or 1.0)

    @property
    def step(self) -> float:
        return PLOT_W / max(self.count, 1)

    def x(self, i: int) -> float:
        return LEFT + self.step * (i + 0.5)

    def y(self, v: float) -> float:
        return TOP + PLOT_H * (1 - v / self.top)

    def frame(self, title: str, css_class: str, top_label: str) -> list[str]:
        """The opening tag, the title, the base line and the scale's two labels."""
        return [
            f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
            f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
            f'<line x1="{LEFT}" y1="{TOP + PLOT_H}" x2="{WIDTH - RIGHT}" y2="{TOP + PLOT_H}" stroke="#999"/>',
            f'<text x="{LEFT - 6}" y="{TOP + 4}" font-size="10" text-anchor="end">{escape(top_label)}</text>',
            f'<text x="{LEFT - 6}" y="{TOP + PLOT_H}" font-size="10" text-anchor="end">0</text>',
        ]

    @staticmethod
    def close(parts: list[str], *, empty: bool) -> str:
        """The chart as one string; a dash in the middle when it has nothing to draw."""
        if empty:
            parts.append(f'<text x="{LEFT + PLOT_W / 2}" y="{TOP + PLOT_H / 2}" font-size="12" text-anchor="middle" '
                         'fill="#888">—</text>')
        return "".join([*parts, "</svg>"])


def band_chart(title: str, labels: Sequence[str], observed: Sequence[float | None],
               low: Sequence[float | None], high: Sequence[float | None], flagged: Sequence[bool]) -> str:
    """Render a volume against its expected band: the band shaded, the observed rows a line, findings red."""
    plot = _Plot.scaled(len(labels), [*observed, *high])
    x, y, step = plot.x, plot.y, plot.step
    parts = plot.frame(title, "pulse-chart", f"{plot.top:,.0f}")
    for i, (lo, hi) in enumerate(zip(low, high, strict=True)):
        if lo is not None and hi is not None:
            parts.append(f'<rect x="{x(i) - step / 2:.1f}" y="{y(hi):.1f}" width="{step:.1f}" '
                         f'height="{max(y(lo) - y(hi), 1):.1f}" fill="{COLOR}" fill-opacity="0.15"/>')
    points = [(i, v) for i, v in enumerate(observed) if v is not None]
    if points:
        parts.append('<polyline points="' + " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
                     + f'" fill="none" stroke="{COLOR}" stroke-width="2"/>')
    for i, v in points:
        color = "#c0392b" if flagged[i] else COLOR
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="{3.5 if flagged[i] else 2.5}" fill="{color}">'
                     f'<title>{escape(labels[i])}: {v:,.0f}</title></circle>')
    for i, label in enumerate(labels):
        if i % 5 == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" font-size="9" text-anchor="middle">'
                         f'{escape(label[5:])}</text>')
    return plot.close(parts, empty=not points)


def chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    kind: Literal["bar", "line"] = "line",
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    css_class: str = "chart",
) -> str:
    """Render one series as an SVG bar or line chart; None values are gaps (no data that day)."""
    plot = _Plot.scaled(len(values), values)
    x, y, step = plot.x, plot.y, plot.step
    parts = plot.frame(title, css_class, fmt(plot.top))
    for i, label in enumerate(labels):
        if i % 2 == len(labels) % 2 or i == len(labels) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" font-size="9" text-anchor="middle">'
                         f'{escape(label[5:])}</text>')
    if kind == "bar":
        for i, v in enumerate(values):
            if v is not None:
                parts.append(f'<rect x="{x(i) - step * 0.35:.1f}" y="{y(v):.1f}" width="{step * 0.7:.1f}" '
                             f'height="{TOP + PLOT_H - y(v):.1f}" fill="{COLOR}"><title>{escape(labels[i])}: '
                             f'{escape(fmt(v))}</title></rect>')
    else:
        segment: list[str] = []
        for i, v in enumerate([*values, None]):
            if v is not None:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{COLOR}">'
                             f'<title>{escape(labels[i])}: {escape(fmt(v))}</title></circle>')
            elif segment:
                parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{COLOR}" stroke-width="2"/>')
                segment = []
    return plot.close(parts, empty=all(v is None for v in values))
