"""Server-drawn SVG charts: geometry computed here, drawn by templates/includes/chart_*.html.

No chart library and no JavaScript. Each series has a colour *and* a pattern, a
dash or a marker shape, and is named in a legend or beside its line, so a chart
still reads in grayscale and on paper. The pages put the same numbers in a table
next to each chart, and the SVG carries a title and a description for screen readers.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assignments.models import Assignment

# How each status is told apart without colour: fill pattern in bars, dash and
# marker shape in lines. Colours follow the status badges.
STATUS_STYLES = {
    Assignment.Status.ONGOING: {
        "colour": "#0b3d91", "background": "#0b3d91", "pattern": "solid",
        "dash": "", "marker": "circle",
    },
    Assignment.Status.STATUS_REPORT: {
        "colour": "#8a4b00", "background": "#fff4d6", "pattern": "hatch",
        "dash": "7 4", "marker": "square",
    },
    Assignment.Status.CLOSED: {
        "colour": "#1e6b35", "background": "#eaf5ee", "pattern": "dots",
        "dash": "2 3", "marker": "triangle",
    },
}

WIDTH = 720
CHAR_WIDTH = 7  # a rough width of one character at font-size 12, for legend spacing


def fmt(number):
    """A coordinate for an SVG attribute: a dot as decimal mark, whatever the language."""
    return f"{number:.1f}"


@dataclass(frozen=True)
class Series:
    """One named row of values; `key` picks its style (a status value)."""

    key: str
    label: str
    values: list

    @property
    def style(self):
        return STATUS_STYLES[self.key]


@dataclass
class Chart:
    """What a chart template needs: ids, texts and ready-made coordinates as strings."""

    id: str
    title: str
    description: str
    width: int
    height: int
    series: list
    legend: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    x_labels: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    end_title: dict | None = None
    rows: list = field(default_factory=list)


def nice_maximum(value):
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1)."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def scale(largest, count=4):
    """A round top for the axis and whole-number gridlines from 0 up to it."""
    step = nice_maximum(largest / count)
    top = max(step, -(-largest // step) * step)
    return top, list(range(0, top + 1, step))


def _marker(x, y):
    """Where to draw a point's marker, whichever shape its series has."""
    return {
        "x": fmt(x), "y": fmt(y), "corner_x": fmt(x - 3), "corner_y": fmt(y - 3),
        "triangle": (
            f"M{fmt(x)},{fmt(y - 4)} L{fmt(x + 4)},{fmt(y + 3)} L{fmt(x - 4)},{fmt(y + 3)} Z"
        ),
    }


def _legend(series, y):
    """A legend row: a 20-unit sample (swatch or line with marker), then the series' name."""
    items, x = [], 0
    for one in series:
        items.append({
            "series": one, "x": fmt(x), "y": fmt(y), "sample_end": fmt(x + 20),
            "middle_y": fmt(y + 6), "markers": [_marker(x + 10, y + 6)],
            "text_x": fmt(x + 26), "text_y": fmt(y + 10),
        })
        x += 40 + CHAR_WIDTH * len(str(one.label))
    return items


def line_chart(chart_id, title, description, x_labels, series, label_every=4, end_title=""):
    """Lines over a shared x axis; each line is also named at its last point, and
    `end_title`, if given, names that point above the lines' names."""
    left, right, top, bottom, height = 36, 150, 34, 30, 300
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    count = len(x_labels)
    maximum, gridlines = scale(max((max(one.values) for one in series if one.values), default=0))

    def x_at(index):
        return left + (plot_width * index / (count - 1) if count > 1 else plot_width / 2)

    def y_at(value):
        return top + plot_height - plot_height * value / maximum

    chart = Chart(chart_id, title, description, WIDTH, height, series)
    chart.legend = _legend(series, 4)
    chart.grid = [
        {"y": fmt(y_at(value)), "label": value, "x1": fmt(left), "x2": fmt(left + plot_width),
         "label_x": fmt(left - 6), "label_y": fmt(y_at(value) + 4)}
        for value in gridlines
    ]
    chart.x_labels = [
        {"x": fmt(x_at(index)), "y": fmt(height - bottom + 16), "text": label}
        for index, label in enumerate(x_labels)
        if index % label_every == 0
    ]
    end_label_ys = _spread([y_at(one.values[-1]) for one in series if one.values], 14)
    for one, label_y in zip(series, end_label_ys):
        points = [(x_at(index), y_at(value)) for index, value in enumerate(one.values)]
        chart.lines.append({
            "series": one,
            "points": " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points),
            "markers": [_marker(x, y) for x, y in points],
            "label_x": fmt(points[-1][0] + 8),
            "label_y": fmt(label_y + 4),
            "last": one.values[-1],
        })
    if end_title and chart.lines:
        chart.end_title = {"text": end_title, "x": chart.lines[0]["label_x"], "y": fmt(top - 8)}
    return chart


def _spread(positions, gap):
    """Move label positions apart so that no two are closer than `gap`, keeping order."""
    order = sorted(range(len(positions)), key=positions.__getitem__)
    placed = list(positions)
    for before, after in zip(order, order[1:]):
        placed[after] = max(placed[after], placed[before] + gap)
    return placed


def stacked_bar_chart(chart_id, title, description, categories, series):
    """One horizontal bar per category, split into the series' values, total at its end."""
    legend_height, row_height, bar_height, total_width = 30, 46, 22, 50
    plot_width = WIDTH - total_width
    totals = [sum(one.values[index] for one in series) for index in range(len(categories))]
    maximum, _gridlines = scale(max(totals, default=0))
    height = legend_height + row_height * len(categories) + 4
    chart = Chart(chart_id, title, description, WIDTH, height, series)
    chart.legend = _legend(series, 4)
    for index, (name, total) in enumerate(zip(categories, totals)):
        top = legend_height + index * row_height
        bar_y = top + 18
        x, segments = 0.0, []
        for one in series:
            value = one.values[index]
            width = plot_width * value / maximum
            if value:
                segments.append({
                    "series": one, "value": value, "x": fmt(x), "width": fmt(width),
                    "text_x": fmt(x + width / 2), "show_value": width >= 20,
                })
            x += width
        chart.rows.append({
            "name": name, "total": total, "label_y": fmt(top + 12), "bar_y": fmt(bar_y),
            "bar_height": bar_height, "text_y": fmt(bar_y + bar_height / 2 + 4),
            "total_x": fmt(x + 6), "segments": segments,
        })
    return chart


def status_series(count_rows):
    """One series per status, in status order, from a list of {status: count} dicts."""
    return [
        Series(status, label, [counts[status] for counts in count_rows])
        for status, label in Assignment.Status.choices
    ]


def status_over_time_chart(quarters, day, counts, today=False):
    """The number of assignments per status at the end of each quarter, as lines that
    end at `day`, the day the page shows, with `counts`, the page's own figures for it.

    A page shows one day's counts beside the chart: ending on the last ended quarter
    would put other numbers at the lines' ends. A quarter ending on `day` itself gives
    way to the day, so that no point is drawn twice.
    """
    before = [quarter for quarter in quarters if quarter.quarter_end < day]
    series = status_series([quarter.counts for quarter in before] + [counts])
    last = quarters[-1]
    day_label = _("today") if today else day.isoformat()
    at_day = (
        _("Today: %(counts)s.") if today else _("At the end of %(day)s: %(counts)s.")
    ) % {"day": day_label, "counts": _counts_text(counts)}
    description = _(
        "Lines for the number of assignments per status at the end of each quarter "
        "from %(first)s to %(last)s. At the end of %(last)s: %(counts)s. "
        "The table after the chart gives every value."
    ) % {
        "first": quarters[0].label,
        "last": last.label,
        "counts": _counts_text(last.counts),
    }
    return line_chart(
        "status-over-time",
        _("Assignments per status at the end of each quarter"),
        f"{description} {at_day}",
        [str(quarter.quarter_end.year) for quarter in before] + [str(day.year)],
        series,
        end_title=day_label,
    )


def status_breakdown_chart(chart_id, title, breakdowns):
    """Stacked bars of counts per status for each area or unit."""
    count_rows = [
        {status: cell.count for status, cell in zip(Assignment.Status.values, breakdown.cells)}
        for breakdown in breakdowns
    ]
    parts = [
        _("%(name)s: %(counts)s") % {"name": breakdown.name, "counts": _counts_text(counts)}
        for breakdown, counts in zip(breakdowns, count_rows)
    ]
    description = _("Bars split by status. %(parts)s.") % {"parts": "; ".join(parts)}
    return stacked_bar_chart(
        chart_id, title, description,
        [breakdown.name for breakdown in breakdowns],
        status_series(count_rows),
    )


def _counts_text(counts):
    return ", ".join(f"{counts[status]} {label}" for status, label in Assignment.Status.choices)
