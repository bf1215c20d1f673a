"""What the browser tests share: logging in through the form and the register's main pages."""

from playwright.sync_api import expect

from assignments.models import Assignment
from demo import register as demo_data


def log_in(page, username, password=demo_data.PASSWORD):
    """Log in through the real login form, as a person would."""
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def ongoing_demo_assignment():
    """The first demo assignment that is still ongoing: every write control applies to it."""
    return Assignment.objects.filter(status=Assignment.Status.ONGOING).order_by("reference").first()


def show_status_form_with_errors(page, assignment):
    """Closing without an outcome: the browser lets it through, the model rule refuses it."""
    page.goto(f"/uppdrag/{assignment.pk}/status/")
    page.get_by_label("Ny status").select_option(label="avslutad")
    page.get_by_label("Sammanträdesdatum").fill("2016-11-02")
    page.get_by_label("Paragraf").fill("312")
    page.get_by_role("button", name="Spara statusen").click()
    expect(page.get_by_text("Inget har sparats. Rätta felen nedan.")).to_be_visible()


def visit_main_pages(page, assignment):
    """Open each main page as a logged-in handläggare; yield its name once it is shown.

    The status form is shown with its errors, since that is where a form most
    needs to be understood.
    """
    for name, path in [
        ("oversikt", "/"),
        ("uppdrag", "/uppdrag/"),
        ("uppdrag-detalj", f"/uppdrag/{assignment.pk}/"),
        ("forandringar", "/uppdrag/forandringar/"),
        ("budget", "/budget/"),
        ("sammanstallning", "/sammanstallning/"),
        ("aviseringar", "/konto/aviseringar/"),
    ]:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        yield name
    show_status_form_with_errors(page, assignment)
    yield "andra-status-med-fel"
