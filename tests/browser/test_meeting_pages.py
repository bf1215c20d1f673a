"""The meetings' pages in Chromium: axe-core finds nothing serious at desktop and at 390 px.

The walk also writes screenshots/<page>-<width>.png, as the main pages' walk does.
"""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Meeting
from tests.browser.conftest import DESKTOP
from tests.browser.pages import log_in
from tests.browser.test_main_pages import blocking_violations
from tests.factories import make_meeting

PHONE = {"width": 390, "height": 844}


def walk(page, held, planned):
    """The plan, a held and a planned meeting, the new-meeting form with its errors, the
    plan import; yield each page's name once it is shown."""
    for name, path in [
        ("sammantraden", "/sammantraden/"),
        ("sammantraden-ar", f"/sammantraden/?ar={held.date.year}"),
        ("sammantrade-hallet", f"/sammantraden/{held.pk}/"),
        ("sammantrade-planerat", f"/sammantraden/{planned.pk}/"),
        ("sammantradesplan-import", "/sammantraden/importera/"),
    ]:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        yield name
    page.goto("/sammantraden/ny/")
    page.get_by_label("Organ").select_option("namnd")
    page.get_by_label("Sammanträdesdatum").fill(planned.date.isoformat())
    page.get_by_role("button", name="Lägg till sammanträdet").click()
    expect(page.get_by_text("Ange nämnd när organet är en nämnd, och bara då.")).to_be_visible()
    yield "nytt-sammantrade-med-fel"


def test_meeting_pages_pass_axe_at_desktop_and_phone_width(page, demo, screenshots):
    held = (
        Meeting.objects.filter(body=Meeting.Body.KS, treatments__isnull=False)
        .order_by("-date").first()
    )
    planned = make_meeting(date=timezone.localdate() + timedelta(days=30))
    log_in(page, "admin")
    violations, sideways = {}, []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for name in walk(page, held, planned):
            violations[f"{name}-{viewport['width']}"] = blocking_violations(page)
            page.screenshot(path=screenshots / f"{name}-{viewport['width']}.png", full_page=True)
            width, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]")
            if width > inner:
                sideways.append(f"{name}-{viewport['width']}: {width} > {inner}")

    assert len(violations) == 12
    assert {name: found for name, found in violations.items() if found} == {}
    assert sideways == []


def test_a_politician_reads_a_meeting_and_is_offered_no_change(page, demo):
    held = (
        Meeting.objects.filter(body=Meeting.Body.KS, treatments__isnull=False)
        .order_by("-date").first()
    )
    log_in(page, "politiker")
    page.get_by_role("link", name="Sammanträden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sammanträden")
    expect(page.get_by_role("link", name="Nytt sammanträde")).to_have_count(0)
    page.goto(f"/sammantraden/?ar={held.date.year}")
    page.get_by_role("link", name=str(held)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(held))
    treated = page.get_by_role("table", name="Behandlingar vid sammanträdet")
    expect(treated.locator("tbody tr")).to_have_count(held.treatments.count())
