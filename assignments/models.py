"""The register's records: units, commission areas, assignments and what happens to them."""

import uuid
from datetime import datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from malmo_ks.dates import validate_not_after_today, validate_plausible_date
from malmo_ks.history import ActorHistory, HistoryManager
from malmo_ks.wording import format_planned_completion

from .querysets import AssignmentQuerySet

REFERENCE_PATTERN = r"^[A-ZÅÄÖ]{2,6}-[0-9]{4}-[0-9]{1,6}$"
validate_reference = RegexValidator(
    REFERENCE_PATTERN,
    _("Enter a diarienummer such as STK-2014-123 (förvaltning, year, serial number)."),
)


# Free text is read on a page, not stored as documents: 10 000 characters is about
# four pages of A4, more than any description or report the register holds. Without
# a bound, a megabyte of distinct words makes PostgreSQL refuse the search vector.
LONG_TEXT_MAX = 10_000
# A reason explains one change in a sentence or two.
REASON_MAX = 2_000


# A meeting, report or decision is registered once it has happened.
PAST_DATE_VALIDATORS = [validate_plausible_date, validate_not_after_today]


def long_text(verbose_name, limit=LONG_TEXT_MAX, **options):
    """A free-text field with its maximum enforced by the model, not only by forms."""
    return models.TextField(
        verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **options
    )


def submission_token():
    """The one-time token of a form that creates a row: a second identical submit finds it."""
    return models.UUIDField(
        _("submission"), null=True, blank=True, unique=True, editable=False
    )


# One answer for every way in (pages, admin, import, commands).
CLOSED_REFUSAL = _(
    "The assignment is closed: it takes no status report and no deadline move. "
    "An administrator can reopen it."
)


def save_once(record):
    """Validate and save a new record made by a form, once: a repeated submit finds the first.

    The form hands out a one-time token (`submission`). A second submission of the
    same page with the same input returns the row the first one made; two identical
    submissions at once both miss it, and the unique token lets one insert through
    while the other finds its row. Input changed before submitting again (the
    browser's back button) is a record of its own, under a token of its own.
    """
    earlier = _earlier_submission(record)
    if earlier is not None:
        if _same_input(earlier, record):
            return earlier
        record.submission = uuid.uuid4()
    try:
        record.full_clean(exclude=["submission"])
        with transaction.atomic():
            record.save()
    except (ValidationError, IntegrityError):
        # The same submit, committed meanwhile, also fails uniqueness checks.
        earlier = _earlier_submission(record)
        if earlier is None or not _same_input(earlier, record):
            raise
        return earlier
    return record


def _earlier_submission(record):
    if record.submission is None:
        return None
    return type(record).objects.filter(submission=record.submission).first()


def _same_input(earlier, record):
    """Whether `earlier` holds what `record` would: every stored value but its id and token."""
    return all(
        getattr(earlier, field.attname) == getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.name not in ("id", "submission")
    )


def has_acted(user):
    """Whether `user` is named in any tracked record or in its history.

    Such an account is part of the public record: it is deactivated, never deleted.
    """
    user_model = get_user_model()
    for model in apps.get_models():
        if not issubclass(model, (TrackedModel, ActorHistory)) or model._meta.abstract:
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is user_model
        ]
        if any(model._default_manager.filter(**{name: user}).exists() for name in names):
            return True
    return False


def refuse_deleting_an_actor(sender, instance, **kwargs):
    """Keep every account that has acted: it is deactivated (`is_active`), never deleted.

    Its foreign keys (case officer, author, changed by) are protected already;
    this also covers an account named only in the history, for every way in.
    """
    if has_acted(instance):
        raise models.ProtectedError(ACTOR_KEPT % {"user": instance.get_username()}, set())


ACTOR_KEPT = _(
    "%(user)s is named in the register or its history: the account cannot be deleted. "
    "Deactivate it instead (untick “Active”)."
)


# The free-text search of the list (querysets.search): the Swedish search document
# of these fields is stored with each assignment (Assignment.search_document), so a
# search reads it, and on PostgreSQL its GIN index (migration 0014), instead of
# stemming every row it passes.
SEARCH_FIELDS = ("reference", "title", "description")
SEARCH_INDEX = "assignment_search_swedish"


class SearchDocumentField(SearchVectorField):
    """A tsvector on PostgreSQL; on SQLite the stemmed text of swedish_search.document.

    Declared `text` there so that SQLite keeps the value as written (a column of
    an unknown type would turn a document of digits into a number).
    """

    def db_type(self, connection):
        return super().db_type(connection) if connection.vendor == "postgresql" else "text"


class SearchDocument(SearchVector):
    """The search document of SEARCH_FIELDS: the generated column's expression, and
    the same computed row by row where no column holds it (the history's records).

    PostgreSQL: `to_tsvector('swedish', ...)` of the fields with a space between.
    SQLite: `swedish_document(...)` of the same text (assignments.swedish_search),
    which finds what PostgreSQL finds.
    """

    output_field = SearchDocumentField()

    def __init__(self):
        super().__init__(*SEARCH_FIELDS, config="swedish")

    def as_sqlite(self, compiler, connection):
        return self.as_sql(
            compiler,
            connection,
            function="swedish_document",
            template="%(function)s(%(expressions)s)",
        )


def tracked_history(**options):
    """History for a domain model: attributed to an actor, kept if the object goes."""
    return HistoricalRecords(
        bases=[ActorHistory], cascade_delete_history=False, history_manager=HistoryManager,
        **options,
    )


class TrackedModel(models.Model):
    """A model whose saves remember the values they were loaded with.

    The status rules compare the new state with the stored one ("was it closed
    before?"), which needs the loaded values, not another query.
    """

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values))
        return instance

    def loaded_value(self, attname):
        return getattr(self, "_loaded_values", {}).get(attname)

    def _remember_loaded_values(self, fields=None):
        """Record the stored values of `fields` (attnames), or of every loaded field."""
        if fields is None:
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
        loaded = getattr(self, "_loaded_values", {})
        self._loaded_values = {**loaded, **{name: getattr(self, name) for name in fields}}

    def save(self, *args, **kwargs):
        # The history record is written after the row (post_save); one transaction
        # keeps them together, so a refused, unattributed write leaves no row behind.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
        self._remember_loaded_values()

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        refreshed = None
        if fields is not None:
            refreshed = [self._meta.get_field(name).attname for name in fields]
        self._remember_loaded_values(refreshed)

    def attribute(self, user=None, reason="", at=None):
        """Name who makes the next save, why and (for back-dated imports) when."""
        if user is not None:
            self._history_user = user
        self._change_reason = reason or None
        if at is not None:
            self._history_date = at
        else:
            self.__dict__.pop("_history_date", None)


class VersionedModel(TrackedModel):
    """A tracked model whose every user action is one new version.

    The version is what an edit page is loaded with: a save from a page loaded
    before someone else's save is caught (assignments.concurrency).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def check_edit(self):
        """Refuse what only a verb of the model may change; nothing, unless it says."""

    def save_tracked(self, *, user, reason="", at=None):
        """Save an edit: the changes an edit may make, as one new version."""
        self.check_edit()
        self.save_version(user=user, reason=reason, at=at)

    def save_version(self, *, user, reason="", at=None):
        """Validate and save one user action as one new version with its history record.

        The model's verbs call this directly: they may change what an edit may not.
        """
        self.attribute(user, reason, at)
        self.full_clean()
        if self.pk:
            self.version += 1
        self.save()


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units that existed on `day`: the 2017 reorganisation replaced several."""
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Unit(TrackedModel):
    """A nämnd, förvaltning or company responsible for assignments, valid for a period."""

    class Kind(models.TextChoices):
        COMMITTEE = "namnd", _("committee (nämnd)")
        DEPARTMENT = "forvaltning", _("department (förvaltning)")
        COMPANY = "bolag", _("municipal company")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )

    history = tracked_history()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "valid_from"],
                name="unit_unique_name_per_period",
                violation_error_message=_("A unit with this name already starts on this date."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_period",
                violation_error_message=_("The end of the validity period is before its start."),
            ),
        ]

    def __str__(self):
        return self.name


class CommissionArea(TrackedModel):
    """One of Malmökommissionen's six areas."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    history = tracked_history()

    class Meta:
        verbose_name = _("commission area")
        verbose_name_plural = _("commission areas")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=6),
                name="area_number_1_to_6",
                violation_error_message=_("Malmökommissionen has areas 1 to 6."),
            ),
        ]

    def __str__(self):
        return self.label(self.number, self.name)

    @staticmethod
    def label(number, name):
        """"3. Trygghet och delaktighet": how an area is named everywhere."""
        return f"{number}. {name}"


class MeetingQuerySet(models.QuerySet):
    def held_before(self, day):
        """Meetings that have taken place before `day` (a meeting of `day` itself has not yet)."""
        return self.filter(date__lt=day)

    def planned_from(self, day):
        """Meetings of the plan from `day` on: not yet taken place on the morning of `day`."""
        return self.filter(date__gte=day)


class Meeting(TrackedModel):
    """A meeting of KS, KSAU, KF or a nämnd: a day of its sammanträdesplan.

    The plan is entered ahead (a meeting may lie in the future); a treatment
    happens at a meeting that has taken place. One meeting per body (per nämnd)
    and day: "KS 2016-11-02" is one record, whatever it treated.
    """

    class Body(models.TextChoices):
        KS = "KS", _("KS")
        KSAU = "KSAU", _("KSAU")
        KF = "KF", _("KF")
        COMMITTEE = "namnd", _("committee (nämnd)")

    body = models.CharField(_("body"), max_length=10, choices=Body.choices, default=Body.KS)
    committee = models.ForeignKey(
        Unit,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("Only when the body is a committee."),
    )
    # A plan: the date may be ahead of today, but within the register's era.
    date = models.DateField(_("meeting date"), validators=[validate_plausible_date])
    protocol_reference = models.CharField(
        _("protocol diarienummer"), max_length=30, blank=True, validators=[validate_reference]
    )

    history = tracked_history()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "body", "id"]
        constraints = [
            # A NULL committee would make every KS meeting distinct in a plain unique
            # constraint (and nulls_distinct is PostgreSQL 15+ only, not SQLite): one
            # partial constraint per kind of body holds on both databases. The first
            # is also the index of "the last KS meeting" (selectors.last_ks_meeting).
            models.UniqueConstraint(
                fields=["body", "date"],
                condition=~Q(body="namnd"),
                name="meeting_unique_body_date",
                violation_error_message=_("This body already has a meeting on this date."),
            ),
            models.UniqueConstraint(
                fields=["committee", "date"],
                condition=Q(body="namnd"),
                name="meeting_unique_committee_date",
                violation_error_message=_("This committee already has a meeting on this date."),
            ),
            models.CheckConstraint(
                condition=Q(body="namnd", committee__isnull=False)
                | (~Q(body="namnd") & Q(committee__isnull=True)),
                name="meeting_committee_named",
                violation_error_message=_(
                    "Name the committee when the body is a committee, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(body__in=["KS", "KSAU", "KF", "namnd"]), name="meeting_body_valid"
            ),
        ]

    def __str__(self):
        body = self.committee.name if self.committee_id else self.get_body_display()
        return f"{body} {self.date:%Y-%m-%d}"

    def clean(self):
        # The other half of a treatment's rule (Treatment.clean): a meeting that has
        # treated something has taken place, and the plan cannot move it ahead.
        if (
            self.pk
            and self.date
            and self.date > timezone.localdate()
            and self.treatments.exists()
        ):
            raise ValidationError({"date": _(
                "Treatments are registered at this meeting, so it has taken place: its date "
                "cannot be after today."
            )})

    @property
    def is_planned(self):
        """Whether the meeting is still ahead: it has not taken place by the end of today."""
        return self.date > timezone.localdate()

    @classmethod
    def find_or_register(cls, meeting, *, user, reason="", at=None):
        """The stored meeting of `meeting`'s body (nämnd) and date, registered if new.

        A treatment names its meeting by body and date: the plan holds it already,
        or it is registered here, attributed like the treatment, in its transaction.
        Two requests registering the same meeting at once both get the one row.
        """
        if meeting.pk is not None:
            return meeting
        same = {"body": meeting.body, "committee": meeting.committee_id, "date": meeting.date}
        found = cls.objects.filter(**same).first()
        if found is not None:
            return found
        meeting.attribute(user, reason, at)
        try:
            meeting.full_clean()
            with transaction.atomic():
                meeting.save()
        except (ValidationError, IntegrityError):
            # A request registering the same meeting may have committed since the
            # look-up above: the uniqueness check (full_clean) or the unique index
            # (save) then refuses this one, and the meeting is there to be used.
            found = cls.objects.filter(**same).first()
            if found is None:
                raise
            return found
        return meeting

    def save_tracked(self, *, user, reason="", at=None):
        """Save a meeting entered by hand, in the admin or from a plan file, with its history."""
        self.attribute(user, reason, at)
        self.full_clean()
        self.save()


class Treatment(TrackedModel):
    """A political treatment of an assignment: the meeting and its paragraph (§)."""

    class Kind(models.TextChoices):
        DECISION = "beslut", _("decision")
        STATUS_REPORT = "lagesrapport", _("status report")
        FINAL_REPORT = "aterrapportering", _("final report")

    assignment = models.ForeignKey(
        "Assignment",
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="treatments",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="treatments",
    )
    paragraph = models.PositiveIntegerField(_("paragraph (§)"), validators=[MinValueValidator(1)])
    reference = models.CharField(
        _("diarienummer"), max_length=30, blank=True, validators=[validate_reference]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = long_text(_("summary"), blank=True)
    submission = submission_token()

    history = tracked_history()

    class Meta:
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        ordering = ["meeting__date", "paragraph", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "meeting", "paragraph"],
                name="treatment_unique_paragraph",
                violation_error_message=_(
                    "This treatment (body, meeting date, §) is already registered."
                ),
            ),
            models.CheckConstraint(
                condition=Q(paragraph__gte=1), name="treatment_paragraph_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["beslut", "lagesrapport", "aterrapportering"]),
                name="treatment_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} § {self.paragraph}"

    def resulting_status(self):
        """The status the treatment gave its assignment (`report_status`, `close`), or None:
        a decision leaves the status as it was."""
        return {
            self.Kind.STATUS_REPORT: Assignment.Status.STATUS_REPORT,
            self.Kind.FINAL_REPORT: Assignment.Status.CLOSED,
        }.get(self.kind)

    def clean(self):
        self._refuse_an_unheld_meeting()
        self._refuse_breaking_its_references()

    def _refuse_an_unheld_meeting(self):
        """A treatment happens at a meeting that has taken place; the plan may lie ahead."""
        meeting = self._meta.get_field("meeting").get_cached_value(self, default=None)
        if meeting is None and self.meeting_id is not None:
            meeting = self.meeting
        if meeting is None:
            return
        try:
            validate_not_after_today(meeting.date)
        except ValidationError as error:
            raise ValidationError({"meeting": error.error_list}) from None

    def save(self, *args, **kwargs):
        # The admin, imports and commands alike: a status must keep its treatment.
        self._refuse_breaking_its_references()
        super().save(*args, **kwargs)

    def _refuse_breaking_its_references(self):
        """Refuse moving or changing the kind of a treatment that a status or report names.

        An assignment's status rests on its treatment's kind and assignment (see
        `Assignment.clean`), and a treated status report on its treatment's
        assignment: changing either would leave that record invalid for good.
        """
        if self.pk is None or not hasattr(self, "_loaded_values"):
            return
        moved = self.assignment_id != self.loaded_value("assignment_id")
        rekinded = self.kind != self.loaded_value("kind")
        if not (moved or rekinded):
            return
        named = (
            Assignment.objects.filter(status_treatment=self.pk).exists()
            or StatusReport.objects.filter(treatment=self.pk).exists()
        )
        if not named:
            return
        message = _(
            "This treatment is behind an assignment's status or a status report: its "
            "assignment and kind cannot change. Register a new treatment instead."
        )
        raise ValidationError(
            {name: message for name, changed in [("assignment", moved), ("kind", rekinded)]
             if changed}
        )


class Assessment(models.TextChoices):
    """The handläggare's assessment in a status report, in Stratsys' three words.

    Blank is "no assessment": reports written before the assessment existed have none,
    and none is invented for them.
    """

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("Risk of deviation")
    DEVIATES = "deviates", _("Deviates")


# The assessments that need a motivation: the reader asks why.
MOTIVATED_ASSESSMENTS = (Assessment.AT_RISK, Assessment.DEVIATES)
NO_ASSESSMENT = _("No assessment")


def assessment_label(value):
    """An assessment in words, "No assessment" for a blank one: never a colour alone."""
    return str(Assessment(value).label if value else NO_ASSESSMENT)


def start_of_day(day):
    """The first instant of `day` in Malmö's time."""
    return timezone.make_aware(datetime.combine(day, time.min))


class Assignment(VersionedModel):
    """A special investigation assignment (särskilt utredningsuppdrag) given by KS."""

    class Status(models.TextChoices):
        ONGOING = "pagaende", _("ongoing")
        STATUS_REPORT = "lagesrapport", _("status report")
        CLOSED = "avslutad", _("closed")

    class Outcome(models.TextChoices):
        IMPLEMENTED = "genomfort", _("implemented")
        PARTLY_IMPLEMENTED = "delvis_genomfort", _("partly implemented")
        NOT_IMPLEMENTED = "ej_genomfort", _("not implemented")
        DEVELOPMENT_PROCESS = "utvecklingsprocess", _("continues as a development process")

    reference = models.CharField(
        _("diarienummer"),
        max_length=30,
        unique=True,
        validators=[validate_reference],
        error_messages={"unique": _("An assignment with this diarienummer already exists.")},
    )
    title = models.CharField(_("title"), max_length=300)
    description = long_text(_("description"), blank=True)
    area = models.ForeignKey(
        CommissionArea,
        verbose_name=_("commission area"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    decided_on = models.DateField(_("decided on"), validators=PAST_DATE_VALIDATORS)
    decision_reference = models.CharField(
        _("decision diarienummer"), max_length=30, validators=[validate_reference]
    )
    decision_paragraph = models.PositiveIntegerField(
        _("decision paragraph (§)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ONGOING
    )
    status_treatment = models.ForeignKey(
        Treatment,
        verbose_name=_("treatment behind the status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_completion = models.DateField(
        _("planned completion"), null=True, blank=True, validators=[validate_plausible_date]
    )
    planned_completion_is_year = models.BooleanField(
        _("planned completion is a year"),
        default=False,
        help_text=_("Shown as “during 2017”; the date is then the last day of that year."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    follow_up_owner = models.ForeignKey(
        Unit,
        verbose_name=_("follow-up owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_up_assignments",
    )
    # Written by the database with every write, whoever writes (pages, admin,
    # import, SQL): no way in can leave it behind the text. Not part of the
    # history, whose versions are searched by computing the same expression.
    search_document = models.GeneratedField(
        expression=SearchDocument(),
        output_field=SearchDocumentField(),
        db_persist=True,
        verbose_name=_("search document"),
    )
    # Kept from the status reports (`keep_latest_report`), never edited: the date and
    # assessment of the latest report, so that "stale" and "at risk" are a column, today
    # and on every history version, not a search through the reports of every assignment.
    last_report_on = models.DateField(
        _("latest status report"), null=True, blank=True, editable=False
    )
    last_assessment = models.CharField(
        _("latest assessment"), max_length=20, choices=Assessment.choices, blank=True,
        editable=False,
    )
    history = tracked_history(excluded_fields=["search_document"])
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["reference", "id"]
        indexes = [
            # The list sorted by title reads its first 50 rows from here, not after a sort.
            models.Index(fields=["title", "id"], name="assignment_title_order"),
            # Counts per status (list, overview) read this index alone, not the table.
            models.Index(fields=["status", "id"], name="assignment_status_count"),
            # The overview's tally (reports.overview.Tally) reads this index alone, in
            # its group order: no table read, no hashing.
            models.Index(
                fields=[
                    "area", "responsible_unit", "status", "planned_completion", "decided_on",
                    "last_report_on", "last_assessment",
                ],
                name="assignment_overview_tally",
            ),
            # The overview's ten stalest read `assignment_stalest` (open assignments by
            # their latest report, never reported first), made by SQL in migration 0013:
            # PostgreSQL needs NULLS FIRST in it, which SQLite (nulls first anyway) refuses.
            # The overview's overdue and due-soon lists: the first ten open assignments
            # by planned completion, read in order from here and no further.
            models.Index(
                fields=["planned_completion", "reference", "id"],
                condition=~Q(status="avslutad"),
                name="assignment_open_by_completion",
            ),
            # The list filtered by area or unit, as the overview's figures link to it
            # (?omrade=3&status=lagesrapport), counts per status from these alone.
            models.Index(fields=["area", "status", "id"], name="assignment_area_status_count"),
            models.Index(
                fields=["responsible_unit", "status", "id"], name="assignment_unit_status_count"
            ),
        ]
        permissions = [
            ("reopen_assignment", _("Can reopen a closed assignment")),
            ("import_assignments", _("Can import assignments and budget rows from a file")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pagaende", "lagesrapport", "avslutad"]),
                name="assignment_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_PATTERN),
                name="assignment_reference_format",
                violation_error_message=_("Malformed diarienummer."),
            ),
            models.CheckConstraint(
                condition=Q(status="pagaende") | Q(status_treatment__isnull=False),
                name="assignment_status_has_treatment",
                violation_error_message=_(
                    "A status report or closing needs the political treatment behind it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    status="avslutad",
                    outcome__in=[
                        "genomfort",
                        "delvis_genomfort",
                        "ej_genomfort",
                        "utvecklingsprocess",
                    ],
                )
                | (~Q(status="avslutad") & Q(outcome="")),
                name="assignment_closed_has_outcome",
                violation_error_message=_(
                    "A closed assignment needs an outcome, and only a closed one has it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="utvecklingsprocess") | Q(follow_up_owner__isnull=False),
                name="assignment_process_has_owner",
                violation_error_message=_(
                    "Name the follow-up owner of the development process."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def clean(self):
        errors = {}
        if self.status != self.Status.ONGOING:
            treatment = self.status_treatment
            needed_kind = (
                Treatment.Kind.FINAL_REPORT
                if self.status == self.Status.CLOSED
                else Treatment.Kind.STATUS_REPORT
            )
            if treatment is None:
                errors["status_treatment"] = _(
                    "A status report or closing needs the political treatment behind it."
                )
            elif treatment.assignment_id != self.pk or treatment.kind != needed_kind:
                errors["status_treatment"] = _(
                    "The treatment must be a %(kind)s of this assignment."
                ) % {"kind": Treatment.Kind(needed_kind).label}
        if self.status == self.Status.CLOSED and not self.outcome:
            errors["outcome"] = _("Closing needs an outcome.")
        if self.outcome == self.Outcome.DEVELOPMENT_PROCESS and self.follow_up_owner_id is None:
            errors["follow_up_owner"] = _("Name the follow-up owner of the development process.")
        if errors:
            raise ValidationError(errors)

    def check_edit(self):
        """What an edit (the edit page, the admin, the import) may not change.

        Reopening and moving the deadline are verbs of their own, each with its
        reason (`reopen`, `move_deadline`); an edit that does either is refused.
        """
        errors = {}
        if (
            self.loaded_value("status") == self.Status.CLOSED
            and self.status != self.Status.CLOSED
        ):
            errors["status"] = _(
                "A closed assignment can only be reopened by an administrator, with a reason."
            )
        if (
            self.pk
            and hasattr(self, "_loaded_values")
            and self.planned_completion != self.loaded_value("planned_completion")
        ):
            errors["planned_completion"] = _(
                "A deadline is moved with a reason, so the earlier date is kept."
            )
        if errors:
            raise ValidationError(errors)

    def refuse_when_closed(self, field=NON_FIELD_ERRORS):
        """A closed assignment takes no status report and no deadline move, whoever asks."""
        if self.status == self.Status.CLOSED:
            raise ValidationError({field: CLOSED_REFUSAL})

    @transaction.atomic
    def add_treatment(self, treatment, *, user, reason="", at=None):
        """Register a political treatment; reports and closings go through their own verbs.

        Returns the treatment registered: an earlier one if this was a repeated submit.
        """
        treatment.assignment = self
        treatment.meeting = Meeting.find_or_register(
            treatment.meeting, user=user, reason=_meeting_reason(self), at=at
        )
        treatment.attribute(user, reason, at)
        return save_once(treatment)

    @transaction.atomic
    def add_status_report(self, report, *, user, reason="", at=None):
        """Register a status report, written by `user` unless it names its author.

        Returns the report registered: an earlier one if this was a repeated submit.
        A closed assignment takes none (`StatusReport.clean`).
        """
        report.assignment = self
        if report.author_id is None and user is not None:
            report.author = user
        report.attribute(user, reason, at)
        return save_once(report)

    @transaction.atomic
    def report_status(self, treatment, *, user, reason="", report=None, at=None):
        """Record the treatment of a status report: the assignment moves to lägesrapport."""
        self.refuse_when_closed("status")
        treatment.kind = Treatment.Kind.STATUS_REPORT
        self.add_treatment(treatment, user=user, reason=reason, at=at)
        if report is not None:
            report.mark_treated(treatment, user=user, reason=reason, at=at)
        self.status = self.Status.STATUS_REPORT
        self.status_treatment = treatment
        self.save_version(user=user, reason=reason, at=at)
        return treatment

    @transaction.atomic
    def close(self, treatment, *, outcome, follow_up_owner=None, user, reason="", at=None):
        """Record KS's treatment of the final report and close the assignment."""
        if self.status == self.Status.CLOSED:
            raise ValidationError({"status": _("The assignment is already closed.")})
        treatment.kind = Treatment.Kind.FINAL_REPORT
        self.add_treatment(treatment, user=user, reason=reason, at=at)
        self.status = self.Status.CLOSED
        self.status_treatment = treatment
        self.outcome = outcome
        self.follow_up_owner = follow_up_owner
        self.save_version(user=user, reason=reason, at=at)
        return treatment

    @transaction.atomic
    def reopen(self, *, user, reason):
        """Reopen a closed assignment: rare, administrators only, always with a reason."""
        if not user.has_perm("assignments.reopen_assignment"):
            raise PermissionDenied
        if self.status != self.Status.CLOSED:
            raise ValidationError({"status": _("Only a closed assignment can be reopened.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for reopening.")})
        last_report_treatment = (
            self.treatments.filter(kind=Treatment.Kind.STATUS_REPORT)
            .order_by("-meeting__date", "-paragraph", "-id")
            .first()
        )
        self.status = self.Status.STATUS_REPORT if last_report_treatment else self.Status.ONGOING
        self.status_treatment = last_report_treatment
        self.outcome = ""
        self.follow_up_owner = None
        self.save_version(user=user, reason=reason)

    @transaction.atomic
    def move_deadline(self, new_date, *, is_year=False, user, reason, at=None):
        """Move the planned completion, keeping the earlier date and the reason in the log."""
        change = DeadlineChange(
            assignment=self,
            previous_date=self.planned_completion,
            previous_is_year=self.planned_completion_is_year,
            new_date=new_date,
            new_is_year=is_year,
            reason=reason,
            changed_by=user,
            changed_at=at or timezone.now(),
        )
        change.attribute(user, reason, at)
        change.full_clean()
        change.save()
        self.planned_completion = new_date
        self.planned_completion_is_year = is_year
        self.save_version(user=user, reason=reason, at=at)
        return change

    def planned_completion_display(self):
        return format_planned_completion(self.planned_completion, self.planned_completion_is_year)

    # --- The latest status report, kept on the row and on every history version ------------

    def save(self, *args, **kwargs):
        if self._state.adding:
            # A new assignment has no reports yet: nothing to take, nothing to lock.
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            self._take_latest_report()
            super().save(*args, **kwargs)

    def _take_latest_report(self):
        """Read the kept fields from the reports as committed, under the row's lock.

        Whoever saves (the edit page, the admin, a verb holding an instance loaded
        before a colleague's report), the kept fields are the reports', never what the
        instance was loaded with: an edit cannot write back an older latest report.
        The report writes lock the same row first (`StatusReport.save`), so the two wait
        for each other. The version does not move: a report is not an edit of the
        assignment, and a colleague's open edit form stays valid.
        """
        # NO KEY UPDATE: as strong as the UPDATE itself, and no wait on the key-share
        # locks that inserting a treatment or report of this assignment takes.
        Assignment.objects.select_for_update(no_key=True).filter(pk=self.pk).values("pk").first()
        self.last_report_on, self.last_assessment = latest_report_of(self.pk)

    def keep_latest_report(self, report, report_days):
        """After `report` was saved: keep the latest report on the row and on the history.

        `self` is locked and fresh. The row is saved through the tracked path when its
        latest report changed, as the report's author and reason, dated as the report's
        registration is (an import's back-dated `at` too). The history versions are then
        made to answer "the latest report dated on or before the end of day D" for every
        day D, as the register at a past day needs (`keep_report_days_in_history`).
        """
        user = getattr(report, "_history_user", None)
        reason = getattr(report, "_change_reason", None) or _("A status report was registered")
        at = report.__dict__.get("_history_date")
        if (self.last_report_on, self.last_assessment) != latest_report_of(self.pk):
            self.attribute(user, str(reason), at)
            self.save()
        keep_report_days_in_history(self.pk, report_days, user=user, reason=str(reason))



def _meeting_reason(assignment):
    """Why a meeting missing from the plan was registered, as its history tells it.

    In Swedish whatever the user's language, as the import's reason: the history is
    a public record.
    """
    return f"Registrerat med en behandling av {assignment.reference}"


class StatusReport(TrackedModel):
    """A dated report on progress; frozen once a political treatment has handled it."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="status_reports",
    )
    report_date = models.DateField(_("report date"), validators=PAST_DATE_VALIDATORS)
    text = long_text(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_reports",
    )
    treatment = models.ForeignKey(
        Treatment,
        verbose_name=_("treated at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_reports",
    )
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=Assessment.choices, blank=True
    )
    assessment_motivation = long_text(
        _("motivation of the assessment"),
        limit=REASON_MAX,
        blank=True,
        help_text=_("Required for risk of deviation and deviates."),
    )
    submission = submission_token()

    history = tracked_history()

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["report_date", "id"]
        indexes = [
            # "No status report in N months" (querysets.stale) and the overview's last
            # report date: one assignment's reports in a date range.
            models.Index(fields=["assignment", "report_date"], name="status_report_by_date"),
            # Stale at a day (querysets.stale): the few reports of the last months of
            # every assignment at once, not the whole table.
            models.Index(fields=["report_date"], name="status_report_date"),
        ]

    def __str__(self):
        return f"{self.assignment.reference} {self.report_date:%Y-%m-%d}"

    @property
    def is_frozen(self):
        return self.loaded_value("treatment_id") is not None

    def clean(self):
        if self.is_frozen:
            raise ValidationError(
                _("This status report has been treated politically and can no longer change.")
            )
        if self.assignment_id:
            self.assignment.refuse_when_closed("assignment")
        if self.treatment_id and self.treatment.assignment_id != self.assignment_id:
            raise ValidationError(
                {"treatment": _("The treatment belongs to another assignment.")}
            )
        if self.assessment in MOTIVATED_ASSESSMENTS and not self.assessment_motivation.strip():
            raise ValidationError({"assessment_motivation": _(
                "Give a short motivation: %(assessment)s needs one."
            ) % {"assessment": Assessment(self.assessment).label.lower()}})

    def save(self, *args, **kwargs):
        # Frozen holds for every caller, not only those that run full_clean().
        if self.is_frozen:
            raise ValidationError(
                _("This status report has been treated politically and can no longer change.")
            )
        # Every way in (verbs, admin, import, commands) keeps its assignment's latest
        # report in the same transaction; the assignments are locked first, so that two
        # reports, or a report and an edit, of one assignment wait for each other.
        # The report's assignment needs a version from its day; one it was moved away
        # from (the admin, before treatment) only needs its values derived again.
        touched = {self.assignment_id: {self.report_date}}
        loaded_assignment = self.loaded_value("assignment_id")
        if loaded_assignment not in (None, self.assignment_id):
            touched[loaded_assignment] = set()
        keeps = self._state.adding or any(
            self.loaded_value(name) != getattr(self, name)
            for name in ("assignment_id", "report_date", "assessment")
        )
        with transaction.atomic(using=kwargs.get("using")):
            locked = {}
            if keeps:
                locked = Assignment.objects.select_for_update(no_key=True).in_bulk(
                    sorted(touched)
                )
            super().save(*args, **kwargs)
            for assignment_id, assignment in locked.items():
                assignment.keep_latest_report(self, touched[assignment_id])

    def mark_treated(self, treatment, *, user, reason="", at=None):
        self.treatment = treatment
        self.attribute(user, reason, at)
        self.full_clean()
        self.save()


class DeadlineChange(TrackedModel):
    """One move of an assignment's planned completion, with the earlier date and why."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="deadline_changes",
    )
    previous_date = models.DateField(_("previous planned completion"), null=True, blank=True)
    previous_is_year = models.BooleanField(_("previous date is a year"), default=False)
    new_date = models.DateField(_("new planned completion"), validators=[validate_plausible_date])
    new_is_year = models.BooleanField(_("new date is a year"), default=False)
    reason = long_text(_("reason"), limit=REASON_MAX)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    history = tracked_history()

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__regex=r"\S"),
                name="deadline_change_has_reason",
                violation_error_message=_("Give a reason for moving the deadline."),
            ),
        ]

    def __str__(self):
        return f"{self.assignment.reference}: {self.previous_date} → {self.new_date}"

    def clean(self):
        if self._state.adding and self.assignment_id:
            self.assignment.refuse_when_closed("assignment")


class DemoDataset(models.Model):
    """Marks a register filled by `load_demo`, so every page can say it is demo data."""

    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo datasets")



class DailyStatusCount(models.Model):
    """How many assignments had `status` at the end of `day`.

    One row per status and day, from the first day of the history up to a day
    before today (assignments.daily_counts). Derived from the assignments' history,
    never edited: a back-dated history record deletes the rows from its day on,
    in its own transaction, and `rebuild_daily_counts` fills them in again.
    """

    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=20)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("daily status count")
        verbose_name_plural = _("daily status counts")
        constraints = [
            # Also the index of "the counts at these days" and of "the last day kept".
            models.UniqueConstraint(fields=["day", "status"], name="daily_status_count_day_status"),
        ]

    def __str__(self):
        return f"{self.day} {self.status}: {self.count}"


# --- The latest status report, kept (Assignment.keep_latest_report) ---------------------------


def latest_report_of(assignment_id):
    """(date, assessment) of the assignment's latest report by date, then registration."""
    latest = (
        StatusReport.objects.filter(assignment_id=assignment_id)
        .order_by("-report_date", "-id")
        .values_list("report_date", "assessment")
        .first()
    )
    return latest or (None, "")


def keep_report_days_in_history(assignment_id, report_days, *, user=None, reason=""):
    """Make every history version of the assignment carry the latest report dated on or
    before its own day, with a version beginning on every report's day.

    The register at the end of day D (`selectors.register_at`) is the version that held
    then; its `last_report_on` must be the latest report dated D or earlier, as it was
    before the value was kept, whenever the report was registered. A report registered
    on its own day starts a version that day (the row's save). One registered later
    (back-dated, or an import of old records) gets a version from the start of its day,
    a copy of the version that held then, named by who registered the report: without it,
    the days between the report's date and the next version would not see it. The kept
    values of the versions are derived from the reports, like `valid_until`, and are
    rewritten here when a report lands among them.
    """
    from malmo_ks.history import actor_name, refresh_validity

    history_model = Assignment.history.model
    records = list(
        history_model.objects.filter(id=assignment_id).order_by("history_date", "history_id")
    )
    if not records:
        return
    added = False
    for day in sorted(report_days):
        start, end = start_of_day(day), start_of_day(day + timedelta(days=1))
        if records[0].history_date >= start or any(
            start <= record.history_date < end for record in records
        ):
            continue
        held = [record for record in records if record.history_date < start][-1]
        copy = history_model(**{
            field.attname: getattr(held, field.attname)
            for field in history_model._meta.concrete_fields
            if field.attname not in ("history_id", "valid_until", "valid_fork")
        })
        copy.history_date = start
        copy.history_type = "~"
        copy.history_user = user
        copy.history_user_name = actor_name(user)
        copy.history_change_reason = reason
        copy.save()
        added = True
    if added:
        refresh_validity(history_model.objects.filter(id=assignment_id))
        records = list(
            history_model.objects.filter(id=assignment_id).order_by("history_date", "history_id")
        )
    reports = list(
        StatusReport.objects.filter(assignment_id=assignment_id)
        .order_by("report_date", "id")
        .values_list("report_date", "assessment")
    )
    for record in records:
        day = timezone.localdate(record.history_date)
        kept = next(
            ((date, assessment) for date, assessment in reversed(reports) if date <= day),
            (None, ""),
        )
        if kept != (record.last_report_on, record.last_assessment):
            history_model.objects.filter(history_id=record.history_id).update(
                last_report_on=kept[0], last_assessment=kept[1]
            )
