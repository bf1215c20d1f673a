"""`send_notifications` over a real SMTP server: what arrives, to whom, once."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, StatusReport
from malmo_ks import roles
from notifications.due import record_due
from notifications.models import Message, Preferences, Subscription
from notifications.sending import claim, retry_delay, send_due
from tests.conftest import signed_in
from tests.factories import ks_treatment, make_assignment, make_meeting
from tests.query_counts import assert_queries_do_not_grow

from .conftest import person

pytestmark = pytest.mark.django_db

SITE = "https://uppdrag.malmo.example"


def run():
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


def today():
    return timezone.localdate()


def recent(**fields):
    """An open assignment given last month: not yet stale, so no stale reminder."""
    fields.setdefault("decided_on", today() - timedelta(days=30))
    fields.setdefault("planned_completion", today() + timedelta(days=200))
    return make_assignment(**fields)


def subscribe(user, assignment):
    return Subscription.objects.create(user=user, assignment=assignment)


def prefer(user, **fields):
    Preferences.objects.update_or_create(user=user, defaults=fields)


def add_report(assignment, user, text="Arbetet pågår enligt plan.", at=None):
    report = StatusReport(assignment=assignment, report_date=today() - timedelta(days=1), text=text)
    assignment.add_status_report(report, user=user, at=at)
    return report


def subjects(smtp, address):
    return sorted(message.subject for message in smtp.inbox.to(address))


def test_the_case_officer_hears_in_swedish_that_the_planned_completion_is_14_days_away(smtp):
    officer = person("karin")
    day = today() + timedelta(days=14)
    assignment = recent(case_officer=officer, planned_completion=day, title="Barns hälsa")

    assert run() == "1 recorded, 1 sent, 0 failed\n"

    [message] = smtp.received
    assert message.to == ["karin@malmo.example"]
    assert message.subject == f"Planerat avslut om 14 dagar: {assignment.reference}"
    assert f"Uppdraget du handlägger planeras vara avslutat {day.isoformat()}." in message.text
    link = f"{SITE}/uppdrag/{assignment.pk}/"
    assert f"{assignment.reference} Barns hälsa\n{link}" in message.text
    assert f'href="{link}"' in message.html
    assert f"Ändra vilka e-postmeddelanden du får, och på vilket språk: {SITE}/konto/aviseringar/" in message.text
    assert f'href="{SITE}/konto/aviseringar/"' in message.html


def test_a_second_run_sends_nothing(smtp):
    officer = person("karin")
    recent(case_officer=officer, planned_completion=today() + timedelta(days=1))
    run()

    assert run() == "0 recorded, 0 sent, 0 failed\n"
    assert len(smtp.received) == 1
    assert smtp.received[0].subject.startswith("Planerat avslut i morgon: ")


def test_overdue_is_told_once_per_planned_date_and_stale_once_a_month_in_one_list(smtp):
    officer = person("karin")
    late = recent(case_officer=officer, planned_completion=today() - timedelta(days=1))
    quiet = [
        make_assignment(case_officer=officer, decided_on=today() - timedelta(days=400),
                        planned_completion=today() + timedelta(days=300), title=title)
        for title in ("Folkhälsopolicyn", "Barnkonventionen")
    ]
    run()
    run()

    assert subjects(smtp, "karin@malmo.example") == sorted([
        f"Planerat avslut har passerats: {late.reference}",
        "2 uppdrag du handlägger har inte haft någon lägesrapport på 6 månader",
    ])
    [stale] = [m for m in smtp.received if "lägesrapport" in m.subject]
    for assignment in quiet:
        assert f"- {assignment.reference} {assignment.title}\n  {SITE}/uppdrag/{assignment.pk}/" in (
            stale.text
        )
    assert f"{SITE}/uppdrag/?handlaggare={officer.pk}&utan_rapport=6" in stale.text
    assert Message.objects.get(kind=Message.Kind.STALE).key == f"{today():%Y-%m}"


def test_followers_hear_of_each_change_but_not_the_person_who_made_it(smtp):
    officer, reader = person("karin"), person("pia", roles.FORTROENDEVALD)
    assignment = recent(case_officer=officer, title="Barns hälsa")
    subscribe(reader, assignment)
    add_report(assignment, officer, text="Kartläggningen är klar.")
    assignment.move_deadline(today() + timedelta(days=400), user=officer, reason="Mer tid behövs")
    assignment.report_status(ks_treatment(meeting_date=today() - timedelta(days=1)), user=officer)

    run()

    assert subjects(smtp, "karin@malmo.example") == []
    assert subjects(smtp, "pia@malmo.example") == sorted(
        f"{what}: {assignment.reference}"
        for what in ("Ny lägesrapport", "Flyttat planerat avslut", "Ändrad status", "Ny behandling")
    )
    [report] = [m for m in smtp.inbox.to("pia@malmo.example") if "lägesrapport:" in m.subject]
    assert "En ändring i ett uppdrag du bevakar:" in report.text
    assert "Kartläggningen är klar." in report.text
    assert "Registrerat av Karin Test" in report.text
    assert f"{SITE}/uppdrag/{assignment.pk}/" in report.text
    [moved] = [m for m in smtp.inbox.to("pia@malmo.example") if "Flyttat" in m.subject]
    assert "Mer tid behövs" in moved.text


def test_a_colleagues_change_reaches_the_case_officer(smtp):
    officer, colleague = person("karin"), person("olle")
    assignment = recent(case_officer=officer)
    add_report(assignment, colleague)

    run()

    assert subjects(smtp, "karin@malmo.example") == [f"Ny lägesrapport: {assignment.reference}"]
    assert subjects(smtp, "olle@malmo.example") == []


def test_deactivated_accounts_and_people_without_an_address_get_nothing(smtp):
    writer = person("olle")
    gone = person("gone", roles.FORTROENDEVALD, is_active=False)
    silent = person("silent", roles.FORTROENDEVALD, email="")
    assignment = recent(case_officer=gone, planned_completion=today() + timedelta(days=1))
    subscribe(gone, assignment)
    subscribe(silent, assignment)
    add_report(assignment, writer)

    run()

    assert smtp.received == []
    assert not Message.objects.exists()


def test_a_person_deactivated_after_recording_gets_nothing(smtp):
    officer = person("karin")
    recent(case_officer=officer, planned_completion=today() + timedelta(days=1))
    record_due()
    officer.is_active = False
    officer.save()

    send_due()

    assert smtp.received == []
    assert Message.objects.get().sent_at is None


def test_a_person_who_chose_english_gets_english(smtp):
    officer = person("karin")
    prefer(officer, language="en")
    assignment = recent(case_officer=officer, planned_completion=today() + timedelta(days=1))

    run()

    [message] = smtp.received
    assert message.subject == f"Planned completion tomorrow: {assignment.reference}"
    assert "Change which e-mails you get, and their language" in message.text


def test_a_daily_reader_gets_yesterdays_changes_in_one_summary(smtp):
    officer, reader = person("karin"), person("pia", roles.FORTROENDEVALD)
    prefer(reader, change_delivery=Preferences.ChangeDelivery.DAILY)
    first, second = recent(case_officer=officer), recent(case_officer=officer)
    subscribe(reader, first)
    subscribe(reader, second)
    yesterday = today() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(yesterday, time(10)))
    add_report(first, officer, text="Först.", at=at)
    add_report(second, officer, text="Sedan.", at=at + timedelta(hours=1))
    add_report(second, officer, text="I dag, i morgondagens sammanfattning.")

    run()
    run()

    [summary] = smtp.inbox.to("pia@malmo.example")
    assert summary.subject == (
        f"2 ändringar {yesterday.isoformat()} i uppdrag du bevakar"
    )
    assert "Först." in summary.text and "Sedan." in summary.text
    assert "I dag" not in summary.text
    changes = reverse("reports:changes")
    assert f"{SITE}{changes}?sedan={yesterday}&till={yesterday}" in summary.text


def test_the_digest_before_a_ks_meeting_reaches_followers_and_those_who_asked(smtp, settings):
    settings.NOTIFY_DIGEST_DAYS = 7
    officer = person("karin")
    politician = person("pia", roles.FORTROENDEVALD)
    prefer(politician, wants_digest=True)
    person("nils", roles.FORTROENDEVALD)  # reads the register, follows nothing
    make_meeting(date=today() - timedelta(days=20))
    meeting = make_meeting(date=today() + timedelta(days=7))
    due = recent(case_officer=officer, title="Barns hälsa",
                 planned_completion=today() + timedelta(days=5))
    changed = recent(title="Folkhälsopolicyn")
    add_report(changed, officer)
    changed.report_status(ks_treatment(meeting_date=today() - timedelta(days=1)), user=officer)

    run()
    run()

    assert subjects(smtp, "nils@malmo.example") == []
    [digest] = smtp.inbox.to("pia@malmo.example")
    assert [m.subject for m in smtp.inbox.to("karin@malmo.example")
            if m.subject.startswith("Inför KS")] == [digest.subject]
    assert digest.subject == (
        f"Inför KS {meeting.date}: vad som har ändrats, vad som ska återrapporteras, "
        "vad som är försenat"
    )
    assert f"Kommunstyrelsen sammanträder {meeting.date}." in digest.text
    assert f"{changed.reference} Folkhälsopolicyn: Ändrad status" in digest.text
    assert f"{due.reference} Barns hälsa: pågående, {due.planned_completion}" in digest.text
    assert f"{SITE}/sammanstallning/sammanstallning.pdf?sammantrade={meeting.pk}" in digest.text
    assert f"{SITE}/sammanstallning/sammanstallning.docx?sammantrade={meeting.pk}" in digest.text
    assert f"sammantrade={meeting.pk}" in digest.text.split("Sammanställningen för sammanträdet: ")[1]
    assert f'href="{SITE}/uppdrag/"' in digest.html
    assert Message.objects.get(recipient=politician).key == f"meeting:{meeting.pk}"


def test_with_the_smtp_server_stopped_nothing_is_lost_and_the_next_run_delivers(smtp):
    officer = person("karin")
    recent(case_officer=officer, planned_completion=today() + timedelta(days=1))
    smtp.stop()

    assert run() == "1 recorded, 0 sent, 1 failed\n"
    message = Message.objects.get()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "Connection refused" in message.last_error or "Errno" in message.last_error

    smtp.start()
    assert send_due().sent == 0  # its next attempt is not yet due
    later = timezone.now() + retry_delay(1)
    assert send_due(now=later).sent == 1
    assert [m.to for m in smtp.received] == [["karin@malmo.example"]]
    assert Message.objects.get().sent_at is not None
    assert send_due(now=later + timedelta(days=1)).sent == 0


def test_after_the_last_attempt_the_administrators_see_the_message(smtp, settings, administrator):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    officer = person("karin")
    recent(case_officer=officer, planned_completion=today() + timedelta(days=1))
    smtp.stop()
    record_due()
    now = timezone.now()
    for attempt in range(1, 4):
        send_due(now=now)
        now += retry_delay(attempt)
    assert Message.objects.get().attempts == 2

    admin = signed_in(administrator)
    index = admin.get(reverse("admin:index")).content.decode()
    listing = admin.get(reverse("admin:notifications_message_changelist"),
                        {"leverans": "misslyckade"}).content.decode()

    assert "1 e-postmeddelande kunde inte levereras och försöks inte längre." in index
    assert "Planerat avslut i morgon" in listing

    # Once the server works again, an administrator sends it anew.
    smtp.start()
    admin.post(reverse("admin:notifications_message_changelist"),
               {"action": "try_again", "_selected_action": [Message.objects.get().pk]})
    run()
    assert [m.to for m in smtp.received] == [["karin@malmo.example"]]
    assert "kunde inte levereras" not in admin.get(reverse("admin:index")).content.decode()


def test_a_claimed_message_is_not_claimed_again():
    officer = person("karin")
    recent(case_officer=officer, planned_completion=today() + timedelta(days=1))
    record_due()
    now = timezone.now()

    first, second = claim(now), claim(now)

    assert [message.attempts for message in first] == [1]
    assert second == []


def test_recording_makes_as_many_queries_for_50_assignments_as_for_5():
    # The digest's queries are the compilation's (tests/overview, the compilation's own).
    officer, reader = person("karin"), person("pia", roles.FORTROENDEVALD)

    def add(serials):
        for serial in serials:
            assignment = recent(case_officer=officer,
                                planned_completion=today() + timedelta(days=1 + serial % 14))
            subscribe(reader, assignment)
            if serial % 5 == 0:
                add_report(assignment, officer if serial % 2 else reader)

    def fetch():
        with transaction.atomic():
            recorded = record_due()
            transaction.set_rollback(True)
        return recorded

    assert assert_queries_do_not_grow(fetch, add) == 50 + 10
    assert Assignment.objects.count() == 50


@pytest.mark.django_db
def test_the_demo_prints_its_messages_to_the_console(demo, settings, capsys):
    """`make demo` has no mail server: the console backend (EMAIL_HOST unset) shows what
    the demo's handläggare would get, addressed under .invalid, which reaches no one."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("send_notifications", stdout=io.StringIO())
    printed = capsys.readouterr().out
    assert "To: handlaggare@demo.invalid" in printed
    assert "inte haft någon lägesrapport" in printed
