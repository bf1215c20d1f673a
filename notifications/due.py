"""What is due to whom, recorded as `Message` rows: reminders, changes, daily summaries, digests.

`record_due` is step one of `send_notifications`. Every message it finds is
written under its unique (recipient, kind, key), with `bulk_create(ignore_conflicts=True)`
on PostgreSQL and SQLite alike, so a rerun, a parallel run or a run after a crash
records nothing twice; `notifications.sending` then sends what is recorded.

The queries are set-based and few, whatever the register holds: one per kind of
reminder, the fixed number `reports.changes.changes_between` makes for the changes,
one for the followers, one for the people, one for what is already recorded, and
the compilation's own for a digest. Only messages not yet recorded are rendered,
and a message told alike to many (a change, a digest) once per language.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.filters import OVERDUE
from assignments.models import Assignment, Meeting
from assignments.querysets import overdue_condition, stale_condition
from reports.changes import TooManyChanges, changes_between
from reports.compilation import DUE, compile_register, previous_ks_meeting
from reports.overview import STALE_MONTHS

from .models import Message, Preferences
from .selectors import follower_pairs

DUE_SOON_DAYS = 14
# Changes are read from the history of the last two days (yesterday and today), so
# that a run missed around midnight loses none; their keys keep them single.
CHANGE_DAYS = 2
# A planned completion that passed is told within a week: a scheduler stopped for
# longer does not send the whole register's overdue assignments when it starts again.
OVERDUE_DAYS = 7
# Every key of a message due now was first due within this time: the messages
# recorded in it are read once, so that a rerun renders nothing. (Only an
# economy: the unique key is what keeps a message single.)
RECENTLY = timedelta(days=45)
BATCH_SIZE = 1000
# A summary (daily, stale, digest) lists at most this many lines; its links show all.
MAX_LINES = 50
ASSIGNMENT_FIELDS = ("id", "reference", "title", "planned_completion",
                     "planned_completion_is_year", "case_officer_id", "last_report_on")


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Due:
    """A message due to one person; `compose` is called in the person's language.

    Messages with the same `shared` name tell the same in each language, and are
    composed once per language.
    """

    recipient: int
    kind: str
    key: str
    compose: Callable[[], Email]
    shared: str = ""


@dataclass(frozen=True)
class Person:
    language: str
    change_delivery: str
    wants_digest: bool


def people():
    """Everyone who may get e-mail, by id: active, with an address; and how each wants it.

    A person without preferences has the defaults.
    """
    rows = (
        get_user_model().objects.filter(is_active=True).exclude(email="")
        .values_list("pk", "notification_preferences__language",
                     "notification_preferences__change_delivery",
                     "notification_preferences__wants_digest")
    )
    return {
        pk: Person(language or settings.LANGUAGE_CODE,
                   delivery or Preferences.ChangeDelivery.EACH, bool(digest))
        for pk, language, delivery, digest in rows
    }


def record_due(now=None):
    """Record every message due at `now` (default: now) that is not yet recorded.

    Returns how many were new to this run (a parallel run may have recorded some
    of them first: those are left as they are).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    persons = people()
    due = [
        *reminders(today, persons),
        *changes(today, persons),
        *digests(today, persons),
    ]
    return record(due, persons, now)


def record(due, persons, now):
    recorded = set(
        Message.objects.filter(created_at__gte=now - RECENTLY)
        .values_list("recipient_id", "kind", "key")
    )
    composed, rows = {}, []
    for message in due:
        if (message.recipient, message.kind, message.key) in recorded:
            continue
        recorded.add((message.recipient, message.kind, message.key))
        language = persons[message.recipient].language
        shared = (message.kind, message.shared, language) if message.shared else None
        email = composed.get(shared)
        if email is None:
            with translation.override(language):
                email = message.compose()
            if shared:
                composed[shared] = email
        rows.append(Message(
            recipient_id=message.recipient, kind=message.kind, key=message.key,
            subject=email.subject, body_text=email.text, body_html=email.html,
            next_attempt_at=now,
        ))
    Message.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(rows)


def absolute(path):
    return settings.SITE_URL + path


def render(template, context):
    """The message's text and HTML, each with the footer that leads to one's settings."""
    context = {
        **context,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "register_url": absolute(reverse("assignments:list")),
    }
    return (render_to_string(f"notifications/email/{template}.txt", context),
            render_to_string(f"notifications/email/{template}.html", context))


def _compose(subject, template, context):
    def compose():
        text, html = render(template, context)
        return Email(subject(), text, html)
    return compose


# Reminders to the case officer ---------------------------------------------------

def reminders(today, persons):
    """Planned completion in 14 days, tomorrow, passed; no status report in N months.

    To the case officer only. A deadline reminder is keyed by its assignment and
    planned date (a moved deadline is told again for its new date). The stale
    reminder is one message a month to each case officer listing all of theirs
    without a report: the overview's rule (assignments.querysets.stale_condition),
    repeated monthly while nothing is reported.
    """
    open_ = ~Q(status=Assignment.Status.CLOSED)
    tomorrow = today + timedelta(days=1)
    kinds = [
        (Message.Kind.DUE_SOON, open_ & Q(planned_completion__gt=tomorrow,
                                          planned_completion__lte=today + timedelta(DUE_SOON_DAYS))),
        (Message.Kind.DUE_TOMORROW, open_ & Q(planned_completion=tomorrow)),
        (Message.Kind.OVERDUE, overdue_condition(today)
         & Q(planned_completion__gte=today - timedelta(OVERDUE_DAYS))),
    ]
    for kind, condition in kinds:
        for row in _handled(condition, persons):
            key = f"assignment:{row['id']}:{row['planned_completion'].isoformat()}"
            yield Due(row["case_officer_id"], kind, key, _reminder(kind, row, today))
    months = settings.NOTIFY_STALE_MONTHS or STALE_MONTHS
    month = f"{today:%Y-%m}"
    # Most of a large register may be stale: the case officers who have this month's
    # list already are left out in the query, so a rerun reads none of theirs.
    told = Message.objects.filter(kind=Message.Kind.STALE, key=month).values("recipient_id")
    stale = defaultdict(list)
    for row in _handled(stale_condition(months, today) & ~Q(case_officer__in=told), persons):
        stale[row["case_officer_id"]].append(row)
    for officer, rows in stale.items():
        yield Due(officer, Message.Kind.STALE, month, _stale(officer, rows, months))


def _handled(condition, persons):
    """The assignments meeting `condition` whose case officer may get e-mail."""
    rows = (Assignment.objects.filter(condition, case_officer__isnull=False)
            .order_by("reference", "id").values(*ASSIGNMENT_FIELDS))
    return (row for row in rows if row["case_officer_id"] in persons)


def _reminder(kind, row, today):
    values = {"reference": row["reference"]}

    def subject():
        if kind == Message.Kind.DUE_SOON:
            days = (row["planned_completion"] - today).days
            return ngettext("Planned completion in %(days)s day: %(reference)s",
                            "Planned completion in %(days)s days: %(reference)s",
                            days) % dict(values, days=days)
        if kind == Message.Kind.DUE_TOMORROW:
            return _("Planned completion tomorrow: %(reference)s") % values
        return _("Planned completion passed: %(reference)s") % values

    return _compose(subject, "reminder", {
        "kind": kind, "assignment": row,
        "url": absolute(reverse("assignments:detail", args=[row["id"]])),
    })


def _stale(officer, rows, months):
    def subject():
        return ngettext(
            "%(count)s assignment you handle has had no status report in %(months)s months",
            "%(count)s assignments you handle have had no status report in %(months)s months",
            len(rows),
        ) % {"count": len(rows), "months": months}

    return _compose(subject, "stale", {
        "months": months,
        "assignments": [
            dict(row, url=absolute(reverse("assignments:detail", args=[row["id"]])))
            for row in rows[:MAX_LINES]
        ],
        "more": max(len(rows) - MAX_LINES, 0),
        "list_url": absolute(reverse("assignments:list"))
        + f"?{urlencode({'handlaggare': officer, 'utan_rapport': months})}",
    })


# Changes to the followers --------------------------------------------------------

@dataclass(frozen=True)
class Told:
    """A change as a message tells it: what happened, the change, and where to read more."""

    what: str
    change: object  # reports.changes.Change
    url: str


def _told(changes):
    """The changes the followers hear of, oldest first: status changes, new status
    reports, moved deadlines and new treatments (reports.changes)."""
    kinds = [
        (changes.status_changes, _("Changed status")),
        (changes.new_reports, _("New status report")),
        (changes.deadline_moves, _("Moved planned completion")),
        (changes.new_treatments, _("New treatment")),
    ]
    told = [
        Told(what, change, absolute(reverse("assignments:detail", args=[change.assignment.id])))
        for found, what in kinds for change in found
    ]
    return sorted(told, key=lambda item: (item.change.when, item.change.record))


class ChangeTexts:
    """The changes of one run by their record, labelled in the active language.

    Read in the language of the run first; a message in another language reads
    them once more in that language.
    """

    def __init__(self, start, found):
        self.start = start
        self.by_language = {translation.get_language(): _by_record(found)}

    def __getitem__(self, record):
        language = translation.get_language()
        if language not in self.by_language:
            self.by_language[language] = _by_record(changes_between(self.start))
        return self.by_language[language][record]


def _by_record(found):
    return {item.change.record: item for item in _told(found)}


def changes(today, persons):
    """One message per change to each follower who wants them one by one, and
    yesterday's in one summary to each who wants them daily; never to the person
    who made the change."""
    start = today - timedelta(days=CHANGE_DAYS - 1)
    try:
        found = changes_between(start)
    except TooManyChanges:
        # More than reports.changes.MAX_CHANGES of a kind in two days: a bulk write
        # past the app, not people's work; nobody reads a thousand messages.
        return
    texts = ChangeTexts(start, found)
    told = _told(found)
    followers = defaultdict(set)
    for user_id, assignment_id in follower_pairs({item.change.assignment.id for item in told}):
        if user_id in persons:
            followers[assignment_id].add(user_id)
    yesterday = today - timedelta(days=1)
    daily = defaultdict(list)
    for item in told:
        change = item.change
        for user_id in sorted(followers[change.assignment.id] - {change.user_id}):
            if persons[user_id].change_delivery == Preferences.ChangeDelivery.DAILY:
                if timezone.localdate(change.when) == yesterday:
                    daily[user_id].append(change.record)
                continue
            yield Due(user_id, Message.Kind.CHANGE, change.record,
                      _change(texts, change.record), shared=change.record)
    for user_id, records in daily.items():
        yield Due(user_id, Message.Kind.DAILY, yesterday.isoformat(),
                  _daily(texts, yesterday, records))


def _change(texts, record):
    def compose():
        item = texts[record]
        subject = _("%(what)s: %(reference)s") % {
            "what": item.what, "reference": item.change.assignment.reference,
        }
        text, html = render("change", {"item": item})
        return Email(subject, text, html)
    return compose


def _daily(texts, day, records):
    def compose():
        items = [texts[record] for record in records]
        subject = ngettext(
            "%(count)s change on %(day)s to assignments you follow",
            "%(count)s changes on %(day)s to assignments you follow",
            len(items),
        ) % {"count": len(items), "day": day.isoformat()}
        text, html = render("daily", {
            "day": day, "items": items[:MAX_LINES], "more": max(len(items) - MAX_LINES, 0),
            "changes_url": absolute(reverse("reports:changes")) + f"?sedan={day}&till={day}",
        })
        return Email(subject, text, html)
    return compose


# The digest before a KS meeting --------------------------------------------------

def digests(today, persons):
    """The digest NOTIFY_DIGEST_DAYS (or fewer) days before each KS meeting of the
    plan, once per meeting, to every follower of anything and everyone who asked."""
    meetings = list(Meeting.objects.filter(
        body=Meeting.Body.KS, date__gt=today,
        date__lte=today + timedelta(days=settings.NOTIFY_DIGEST_DAYS),
    ))
    if not meetings:
        return
    readers = {user_id for user_id, _assignment in follower_pairs()}
    readers |= {pk for pk, person in persons.items() if person.wants_digest}
    for meeting in meetings:
        compose = _digest(today, meeting)
        for user_id in sorted(readers & persons.keys()):
            yield Due(user_id, Message.Kind.DIGEST, f"meeting:{meeting.pk}", compose,
                      shared=f"meeting:{meeting.pk}")


def _digest(today, meeting):
    def compose():
        previous = previous_ks_meeting(meeting.date)
        try:
            compilation = compile_register(today, previous, page=1, meeting=meeting)
            too_many = False
        except TooManyChanges:
            # The changes page tells them a page at a time: the digest links to it.
            compilation = compile_register(today, previous, page=1, meeting=meeting,
                                           with_changes=False)
            too_many = True
        due = next(section for section in compilation.sections if section.key == DUE)
        documents = f"?sammantrade={meeting.pk}"
        subject = _("Before KS on %(date)s: what changed, what is due, what is overdue") % {
            "date": meeting.date.isoformat()}
        text, html = render("digest", {
            "meeting": meeting,
            "compilation": compilation,
            "changes": (compilation.changes or [])[:MAX_LINES],
            "more_changes": max(len(compilation.changes or []) - MAX_LINES, 0),
            "too_many_changes": too_many,
            "due": due,
            "due_entries": due.entries[:MAX_LINES],
            "overdue": sum(section.overdue for section in compilation.sections),
            "overdue_url": absolute(reverse("assignments:list")) + f"?forsenade={OVERDUE}",
            "compilation_url": absolute(reverse("reports:compilation")) + f"?{compilation.query}",
            "pdf_url": absolute(reverse("reports:compilation_pdf")) + documents,
            "docx_url": absolute(reverse("reports:compilation_docx")) + documents,
        })
        return Email(subject, text, html)
    return compose
