"""Geometry of the score chart, drawn as server-side SVG by ``partials/chart.html``.

Plain Python, shared by the results page and the PDF so they always agree. The
chart is a bar across the scale, split into the bands, with a marker at the
score. Every band has the same fill; the person's band is marked by a heavy
outline and the marker, and the band names are in the text legend below it, so
nothing depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .domain.scoring import DimensionScore

WIDTH = 320.0
BAR_X = 10.0
BAR_WIDTH = WIDTH - 2 * BAR_X


@dataclass(frozen=True)
class Segment:
    level_id: str
    label: str
    x: float
    width: float
    index: int
    current: bool

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Chart:
    segments: tuple[Segment, ...]
    marker_x: float | None
    width: float = WIDTH


def chart_for(score: DimensionScore, scale_min: float, scale_max: float) -> Chart:
    """Band segments and the marker position for one dimension's score."""
    span = scale_max - scale_min

    def x_of(value: float) -> float:
        return BAR_X + (value - scale_min) / span * BAR_WIDTH

    segments = []
    for n, (level, low, high) in enumerate(score.dimension.bands.ranges(scale_max)):
        start, end = x_of(low), x_of(high)
        segments.append(
            Segment(
                level.id,
                level.label,
                round(start, 2),
                round(end - start, 2),
                n,
                score.level is not None and score.level.id == level.id,
            )
        )
    # The marker sits at the score as shown (one decimal), so the chart and the text agree.
    marker = round(x_of(round(score.score, 1)), 2) if score.score is not None else None
    return Chart(tuple(segments), marker)
