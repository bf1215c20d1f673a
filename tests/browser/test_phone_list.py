"""The assignment list on a phone, 390 px wide (issue 14): no sideways scrolling, status and
title in view, filters folded away under "Filter", dates never broken, nothing for axe."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.pages import log_in
from tests.browser.test_main_pages import blocking_violations

PHONE = {"width": 390, "height": 844}


def first_row_box(page):
    """Where the first row's title and status are drawn, and the width of the document."""
    return page.evaluate(
        """() => {
            const row = document.querySelector("table.assignments tbody tr");
            const box = (cell) => { const r = cell.getBoundingClientRect();
                                    return [r.left, r.right, r.width]; };
            return {
                title: box(row.children[1]),
                status: box(row.querySelector(".badge")),
                scrollWidth: document.scrollingElement.scrollWidth,
            };
        }"""
    )


def test_at_390_px_the_list_shows_status_and_title_without_sideways_scrolling(page, demo):
    page.set_viewport_size(PHONE)
    log_in(page, "handlaggare")
    page.goto("/uppdrag/")

    drawn = first_row_box(page)
    assert drawn["scrollWidth"] <= PHONE["width"]
    for name in ("title", "status"):
        left, right, width = drawn[name]
        assert 0 <= left and right <= PHONE["width"] and width > 0, (name, drawn[name])
    first_row = page.locator("table.assignments tbody tr").first
    expect(first_row.locator(".badge")).to_be_visible()
    assert blocking_violations(page) == []


def test_at_390_px_the_filters_fold_away_under_filter(page, demo):
    page.set_viewport_size(PHONE)
    log_in(page, "handlaggare")
    page.goto("/uppdrag/")

    search = page.get_by_label("Sök", exact=True)
    expect(search).to_be_hidden()
    page.get_by_text("Filter", exact=True).click()
    expect(search).to_be_visible()
    search.fill("barnens")
    page.get_by_role("button", name="Filtrera", exact=True).click()
    # A list that is filtered shows what it is filtered by.
    expect(page.get_by_label("Sök", exact=True)).to_have_value("barnens")


def test_on_a_desktop_the_filters_are_shown_without_a_fold(page, demo):
    page.set_viewport_size(DESKTOP)
    log_in(page, "handlaggare")
    page.goto("/uppdrag/")

    expect(page.get_by_label("Sök", exact=True)).to_be_visible()
    expect(page.get_by_text("Filter", exact=True)).to_be_hidden()


def test_a_planned_completion_date_never_breaks_at_its_hyphens(page, demo):
    page.set_viewport_size(PHONE)
    log_in(page, "handlaggare")
    page.goto("/uppdrag/")

    cell = page.locator("table.assignments tbody td.date").filter(
        has_text=re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
    ).first
    assert cell.evaluate("cell => getComputedStyle(cell).whiteSpace") == "nowrap"
    # One line: the cell is no taller than a line of its text.
    height, line = cell.evaluate(
        """cell => { const style = getComputedStyle(cell);
            return [cell.getBoundingClientRect().height, parseFloat(style.lineHeight)
                    + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)]; }"""
    )
    assert height <= line + 1
