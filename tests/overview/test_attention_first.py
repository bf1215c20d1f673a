"""The overview starts with what needs attention, and its chart ends on the day it shows."""

import re

import pytest
from django.urls import reverse

from tests.overview.test_overview_page import assert_shows_count, section

URL = reverse("reports:overview")


# The page's sections, top to bottom: what needs attention, what changed, then the counts.
SECTION_ORDER = [
    "overdue-heading",
    "stale-heading",
    "due-soon-heading",
    "changes-heading",
    "counts-heading",
    "by-area-heading",
    "by-unit-heading",
    "over-time-heading",
]


def test_the_overdue_and_stale_lists_come_first_and_the_counts_after_the_changes(
    client, politiker, demo
):
    client.force_login(politiker)
    html = client.get(URL).content.decode()
    positions = [html.index(f'<h2 id="{heading}"') for heading in SECTION_ORDER]
    assert positions == sorted(positions)
    # Headings stay in order: the h1 before every h2, and no h3 or deeper skipped to.
    assert html.index("<h1>") < positions[0]
    assert not re.search(r"<h[3-6]", html[html.index("<main"):])


def test_the_quarter_table_sits_behind_a_disclosure_and_the_chart_stays_visible(
    client, politiker, demo
):
    client.force_login(politiker)
    over_time = section(client.get(URL).content.decode(), "over-time-heading")
    details = over_time[over_time.index("<details"):over_time.index("</details>")]
    assert "<summary>Visa tabellen kvartal för kvartal</summary>" in details
    assert "<caption>Uppdrag per status vid slutet av varje kvartal</caption>" in details
    assert "2016 kv. 4" in details
    assert over_time.index("<svg") < over_time.index("<details")


def end_labels(html):
    """{status label: number} at the ends of the over-time chart's lines."""
    chart = section(html, "over-time-heading").split("</svg>")[0]
    return {
        label: int(number)
        for number, label in re.findall(r'font-weight="700">(\d+) ([^<]+)</text>', chart)
    }


@pytest.mark.parametrize(
    ("per", "counts"),
    [
        (None, {"avslutad": 24, "lägesrapport": 5, "pågående": 2}),
        ("2016-12-31", {"avslutad": 19, "lägesrapport": 8, "pågående": 4}),
    ],
    ids=["today", "at the end of 2016"],
)
def test_the_chart_ends_on_the_counts_the_page_shows(
    client, politiker, demo, per, counts
):
    """The lines' last point is the day shown, labelled as that day, with the figures of the
    page's status table (before, today's page ended on the last ended quarter)."""
    client.force_login(politiker)
    html = client.get(URL, {"per": per} if per else {}).content.decode()
    status_values = {"avslutad": "avslutad", "lägesrapport": "lagesrapport", "pågående": "pagaende"}
    for label, count in counts.items():
        assert_shows_count(html, label, status_values[label], count, per=per)
    assert end_labels(html) == counts
    chart = section(html, "over-time-heading").split("</svg>")[0]
    day_label = per or "i dag"
    assert re.search(f'<text class="chart-end-day"[^>]*>{day_label}</text>', chart)
    in_words = ", ".join(
        f"{counts[label]} {label}" for label in ("pågående", "lägesrapport", "avslutad")
    )
    if per:
        assert f"Vid slutet av {per}: {in_words}." in chart
    else:
        assert f"I dag: {in_words}." in chart


def test_every_point_of_every_line_has_its_series_marker(client, politiker, demo):
    """Each quarter of each status line is marked in the status's own shape (circle,
    square, triangle), so the chart reads in grayscale; the legend shows each shape once."""
    client.force_login(politiker)
    chart = section(client.get(URL).content.decode(), "over-time-heading").split("</svg>")[0]
    lines = re.findall(r'<polyline points="([^"]+)" [^>]*stroke="(#[0-9a-f]{6})"', chart)
    assert len(lines) == 3
    shapes = {
        "circle": r'<circle cx="[\d.]+" cy="[\d.]+" r="3.5" fill="{colour}"/>',
        "square": r'<rect x="[\d.]+" y="[\d.]+" width="6" height="6" fill="#ffffff" '
                  r'stroke="{colour}" stroke-width="1.5"/>',
        "triangle": r'<path d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+ Z" fill="{colour}"/>',
    }
    for (points, colour), shape in zip(lines, shapes.values(), strict=True):
        markers = re.findall(shape.format(colour=colour), chart)
        assert len(markers) == len(points.split()) + 1  # every point, and the legend's sample
