"""What axe-core cannot judge: the keyboard's way through a page, visible focus, and zoom."""

from playwright.sync_api import expect

from tests.browser.pages import log_in
from tests.conftest import PASSWORD
from tests.factories import make_area, make_assignment, make_unit


def test_list_needs_no_sideways_scrolling_at_200_percent_zoom(page, handlaggare):
    # The longest names the register holds, and an overdue flag.
    unit = make_unit("Arbetsmarknads-, gymnasie- och vuxenutbildningsnämnden")
    area = make_area(6, "Förändrade processer för en hållbar utveckling")
    for title in [
        (
            "Översyn av befintliga forsknings- och utvecklingsstrukturer och samverkansformer "
            "med högskola och universitet"
        ),
        "Kommungemensam långsiktig strategi för kompetens- och personalförsörjning",
    ]:
        make_assignment(title=title, responsible_unit=unit, area=area)
    # 200 % zoom of a 1280 px wide window leaves 640 CSS pixels for the page.
    page.set_viewport_size({"width": 640, "height": 800})
    log_in(page, handlaggare.username, PASSWORD)
    page.goto("/uppdrag/")
    expect(page.get_by_role("table", name="Uppdrag").locator("tbody tr")).to_have_count(2)

    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width


def test_skip_link_is_the_first_tab_stop_and_leads_to_the_content(page, politiker):
    log_in(page, politiker.username, PASSWORD)
    page.goto("/uppdrag/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the content, not back in the header.
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def tab_to(page, target, limit=40):
    """Press Tab until `target` has the focus: it must be reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with Tab")


def test_focus_is_visible_on_links_fields_and_buttons(page, politiker):
    log_in(page, politiker.username, PASSWORD)
    page.goto("/uppdrag/")
    for target in [
        page.get_by_role("link", name="Uppdrag", exact=True),
        page.get_by_label("Sök"),
        page.get_by_role("button", name="Filtrera"),
    ]:
        tab_to(page, target)
        outline = target.evaluate(
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2, outline
