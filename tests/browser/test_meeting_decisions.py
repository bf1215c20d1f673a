"""A meeting's decisions form in Chromium: axe-core finds nothing serious at desktop and at
390 px, with and without errors; a handläggare records two decisions from the meeting's page.

The walk also writes screenshots/<page>-<width>.png, as the main pages' walk does.
"""

from playwright.sync_api import expect

from assignments.models import Assignment, Meeting
from tests.browser.conftest import DESKTOP
from tests.browser.pages import log_in
from tests.browser.test_main_pages import blocking_violations

PHONE = {"width": 390, "height": 844}


def held_ks_meeting():
    return (
        Meeting.objects.filter(body=Meeting.Body.KS, treatments__isnull=False)
        .order_by("-date").first()
    )


def ongoing(count):
    return list(Assignment.objects.filter(status=Assignment.Status.ONGOING).order_by("reference")
                [:count])


def fill_row(page, number, assignment, paragraph, kind):
    """Fill in row `number` (1, 2, …) of the form as a person would, by its fields' labels."""
    row = page.get_by_role("group", name=f"Rad {number}", exact=True)
    row.get_by_label("Uppdrag").select_option(str(assignment.pk))
    row.get_by_label("Paragraf (§)").fill(str(paragraph))
    row.get_by_label("Typ").select_option(kind)
    return row


def test_the_decisions_form_passes_axe_at_desktop_and_phone_width(page, demo, screenshots):
    meeting = held_ks_meeting()
    first, second = ongoing(2)
    log_in(page, "handlaggare")
    violations, sideways = {}, []

    def check(name, width):
        violations[f"{name}-{width}"] = blocking_violations(page)
        page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            sideways.append(f"{name}-{width}: {scroll} > {inner}")

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(f"/sammantraden/{meeting.pk}/beslut/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sammanträdets beslut")
        check("sammantrade-beslut", viewport["width"])
        fill_row(page, 1, first, 901, "lagesrapport")
        fill_row(page, 2, second, 902, "aterrapportering")  # closing without an outcome
        page.get_by_role("button", name="Registrera besluten").click()
        expect(page.get_by_text("Inget har sparats. Rätta felen nedan.")).to_be_visible()
        row = page.get_by_role("group", name="Rad 2", exact=True)
        expect(row.get_by_text("Ett avslut kräver ett resultat.")).to_be_visible()
        check("sammantrade-beslut-med-fel", viewport["width"])

    assert len(violations) == 4
    assert {name: found for name, found in violations.items() if found} == {}
    assert sideways == []
    assert not meeting.treatments.filter(paragraph__in=[901, 902]).exists()


def test_a_handlaggare_records_two_decisions_from_the_meeting_page(page, demo):
    meeting = held_ks_meeting()
    first, second = ongoing(2)
    log_in(page, "handlaggare")
    page.goto(f"/sammantraden/{meeting.pk}/")
    page.get_by_role("link", name="Registrera sammanträdets beslut").click()
    fill_row(page, 1, first, 901, "lagesrapport")
    row = fill_row(page, 2, second, 902, "aterrapportering")
    row.get_by_label("Resultat").select_option("genomfort")
    page.get_by_role("button", name="Registrera besluten").click()

    expect(page.get_by_text("2 beslut från sammanträdet har registrerats.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(meeting))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("lagesrapport", "avslutad")
