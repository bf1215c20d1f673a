"""The read-only API (/api/v1/): the register's own selectors answered as JSON (and CSV)."""

import django_filters
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from assignments.detail_selectors import (
    ASSIGNMENT_RELATIONS,
    assignment_as_of,
    assignment_records,
)
from assignments.filters import AssignmentFilter
from assignments.models import Assignment, Meeting
from assignments.querysets import with_overdue_flag
from assignments.selectors import register_at
from assignments.timeline import assignment_timeline
from assignments.views.listing import Listing
from budget.models import BudgetRow
from malmo_ks import tables
from malmo_ks.asof import parse_as_of
from reports.changes import TooManyChanges, changes_between
from reports.forms import PeriodForm

from . import serializers as s
from .errors import BadParameter
from .permissions import is_public

CURSOR_PARAM = "cursor"
PAGE_SIZE_PARAM = "antal"
# The list's sorting is the page's; the API's rows come in id order, which a cursor keeps.
NOT_IN_API = ("sortering", "sida")
# Filters that would tie people to assignments: not offered in open data.
PERSONAL_FILTERS = ("handlaggare",)


class RegisterCursor(CursorPagination):
    """Pages by a cursor on the unique id: a row added or changed meanwhile never makes
    another row skip or repeat."""

    ordering = "id"
    page_size = 100
    max_page_size = 1000
    page_size_query_param = PAGE_SIZE_PARAM
    cursor_query_param = CURSOR_PARAM

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except Exception:
            raise BadParameter(CURSOR_PARAM, _("The cursor is not valid: use the “next” link."))

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(),
             "license": s.LICENCE, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "license", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "license": {"type": "string"},
                "results": schema,
            },
        }


def _as_of(request):
    as_of = parse_as_of(request)
    if as_of.error:
        raise BadParameter("per", as_of.error)
    return as_of.day


def _period(request, required=False):
    """`sedan` (and `till`) read by the changes page's own form."""
    if not required and not (request.GET.get("sedan") or request.GET.get("till")):
        return None
    form = PeriodForm(request.GET)
    if not form.is_valid():
        name = next(iter(form.errors))
        raise BadParameter(name, " ".join(form.errors[name]), form.errors)
    return form.cleaned_data["sedan"], form.cleaned_data["till"]


def _changes(period):
    try:
        return changes_between(*period)
    except TooManyChanges as error:
        raise BadParameter("sedan", _(
            "More than %(limit)s changes of one kind were registered in this period: "
            "too many for one page. Choose a shorter period."
        ) % {"limit": error.limit})


def _changed_ids(changes):
    return {
        change.assignment.id
        for kind in ("status_changes", "new_reports", "deadline_moves", "new_treatments",
                     "new_assignments", "other_changes")
        for change in getattr(changes, kind)
    }


def assignment_filterset(request):
    """The list page's FilterSet over the register at `per`, checked: (filterset, day)."""
    for name in NOT_IN_API:
        if name in request.GET:
            raise BadParameter(name, _("The API does not take “%(name)s”: rows come in id order, "
                                       "page by page through “next”.") % {"name": name})
    if is_public(request):
        for name in PERSONAL_FILTERS:
            if name in request.GET:
                raise BadParameter(name, _("Open data does not filter by person."))
    day = _as_of(request)
    filterset = AssignmentFilter(request.GET, register_at(day), day=day or timezone.localdate())
    if not filterset.is_valid():
        name = next(iter(filterset.errors))
        raise BadParameter(name, f"{name}: {' '.join(filterset.errors[name])}",
                           dict(filterset.errors))
    return filterset, day


def _filter_parameters():
    """The list's filters as OpenAPI parameters, read from the FilterSet itself."""
    parameters = []
    for name, field in AssignmentFilter.base_filters.items():
        if name in NOT_IN_API:
            continue
        if isinstance(field, (django_filters.NumberFilter, django_filters.ModelChoiceFilter)):
            kind, enum = OpenApiTypes.INT, None
        elif isinstance(field, django_filters.ChoiceFilter):
            kind, enum = OpenApiTypes.STR, [str(value) for value, _label in field.extra["choices"]]
        else:
            kind, enum = OpenApiTypes.STR, None
        parameters.append(OpenApiParameter(name, kind, enum=enum,
                                           description=str(field.label or "")))
    return parameters


AS_OF = OpenApiParameter("per", OpenApiTypes.DATE, description="The register at the end of this day.")
SINCE = OpenApiParameter("sedan", OpenApiTypes.DATE, description="Only what changed from this day on.")
UNTIL = OpenApiParameter("till", OpenApiTypes.DATE, description="With sedan: up to this day.")
YEAR = OpenApiParameter("ar", OpenApiTypes.INT, description="Only this year.")
ERRORS = {400: s.ErrorSerializer, 401: s.ErrorSerializer, 403: s.ErrorSerializer,
          429: s.ErrorSerializer}


class ApiView(APIView):
    open_data = False

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Link"] = '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"'
        return response

    def context(self, request):
        return {"public": is_public(request), "request": request}

    def paged(self, request, rows, serializer_class):
        """One page of `rows` after the request's cursor, with the link to the next."""
        paginator = RegisterCursor()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            serializer_class(page, many=True, context=self.context(request)).data
        )


def _csv(filename, header, rows):
    """Every row, streamed as the list's CSV export is (`;`, UTF-8 with BOM, no formulas)."""
    return tables.csv_response(
        filename, tables.Table(filename, [tables.Column(name) for name in header], rows)
    )


def assignment_rows(request):
    """The list's rows for the API: filtered, at `per`, changed `sedan`, as values()."""
    filterset, _day = assignment_filterset(request)
    rows = filterset.qs
    period = _period(request)
    if period is not None:
        rows = rows.filter(id__in=_changed_ids(_changes(period)))
    fields = s.ROW_FIELDS if is_public(request) else (*s.ROW_FIELDS, *s.PERSON_FIELDS)
    return with_overdue_flag(rows, filterset.day).values(*fields)


class AssignmentList(ApiView):
    open_data = True
    pagination_class = RegisterCursor

    @extend_schema(
        parameters=[AS_OF, SINCE, UNTIL, *_filter_parameters()],
        responses={200: s.AssignmentRowSerializer(many=True), **ERRORS},
        summary="Assignments, filtered as the list page, at a past day if asked",
    )
    def get(self, request):
        rows = assignment_rows(request)
        return self.paged(request, rows, s.AssignmentRowSerializer)


class AssignmentCsv(ApiView):
    open_data = True

    @extend_schema(
        parameters=[AS_OF, SINCE, UNTIL, *_filter_parameters()],
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS},
        summary="Every assignment of the same filters as CSV for Excel (semicolon, UTF-8 with BOM)",
    )
    def get(self, request):
        rows = assignment_rows(request)
        serializer = s.AssignmentRowSerializer(context=self.context(request))
        names = list(serializer.fields)
        return _csv("uppdrag.csv", names, (
            [serializer.to_representation(row)[name] for name in names]
            for row in rows.order_by("id").iterator(chunk_size=2000)
        ))


class AssignmentDetail(ApiView):
    open_data = True

    @extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH), AS_OF],
        responses={200: s.AssignmentDetailSerializer, 404: s.ErrorSerializer, **ERRORS},
        summary="One assignment with treatments, status reports, deadline log and timeline",
    )
    def get(self, request, pk):
        pk, day = _id(pk), _as_of(request)
        assignment = _assignment_at(pk, day)
        records = assignment_records(assignment, day)
        public = is_public(request)
        detail = AssignmentAt(
            assignment, records,
            reports=None if public else records.reports,
            timeline=None if public else assignment_timeline(pk, day),
        )
        return Response(s.AssignmentDetailSerializer(detail, context=self.context(request)).data)


def _id(text):
    """An id from the path, or 404 in JSON: any text reaches the view, never a 500."""
    if not (text.isascii() and text.isdigit()) or int(text) > 2**63 - 1:
        raise Http404
    return int(text)


def _assignment_at(pk, day):
    """The assignment today (with the relations its page fetches) or at the end of `day`."""
    if day is None:
        assignment = (
            with_overdue_flag(Assignment.objects.all(), timezone.localdate())
            .select_related(*ASSIGNMENT_RELATIONS)
            .filter(pk=pk)
            .first()
        )
    else:
        assignment = assignment_as_of(pk, day)
    if assignment is None:
        raise Http404
    return assignment


class AssignmentAt:
    """What the detail serializer reads, the same from today's row and a past version."""

    FIELDS = (
        "id", "reference", "title", "description", "status", "case_officer_id", "decided_on",
        "decision_reference", "decision_paragraph", "planned_completion",
        "planned_completion_is_year", "outcome", "last_report_on", "last_assessment",
    )

    def __init__(self, assignment, records, *, reports, timeline):
        for field in self.FIELDS:
            setattr(self, field, getattr(assignment, field))
        self.case_officer = assignment.case_officer if assignment.case_officer_id else None
        self.get_status_display = assignment.get_status_display()
        self.is_overdue = bool(assignment.is_overdue)
        self.area = str(assignment.area)
        self.responsible_unit = str(assignment.responsible_unit)
        self.follow_up_owner = (
            str(assignment.follow_up_owner) if assignment.follow_up_owner_id else None
        )
        self.status_treatment = (
            str(assignment.status_treatment) if assignment.status_treatment_id else None
        )
        self.treatments = records.treatments
        self.deadline_log = records.deadline_log
        self.status_reports = reports
        self.timeline = timeline


class MeetingList(ApiView):
    open_data = True
    pagination_class = RegisterCursor

    @extend_schema(
        parameters=[YEAR],
        responses={200: s.MeetingSerializer(many=True), **ERRORS},
        summary="The meeting plan (sammanträdesplan)",
    )
    def get(self, request):
        meetings = _year(request, Meeting.objects.select_related("committee"), "date__year")
        return self.paged(request, meetings, s.MeetingSerializer)


def _year(request, queryset, field):
    year = request.GET.get("ar")
    if not year:
        return queryset
    if not (year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
        raise BadParameter("ar", _("“ar” is a year between 2000 and 2100."))
    return queryset.filter(**{field: int(year)})


def budget_rows(request):
    return _year(request, BudgetRow.objects.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.only("id"))
    ), "year")


class BudgetRowList(ApiView):
    open_data = True
    pagination_class = RegisterCursor

    @extend_schema(
        parameters=[YEAR],
        responses={200: s.BudgetRowSerializer(many=True), **ERRORS},
        summary="KS budget rows with budget, outcome and the assignments they fund",
    )
    def get(self, request):
        rows = budget_rows(request)
        return self.paged(request, rows, s.BudgetRowSerializer)


class BudgetRowCsv(ApiView):
    open_data = True

    @extend_schema(parameters=[YEAR], responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS},
                   summary="The budget rows as CSV for Excel")
    def get(self, request):
        serializer = s.BudgetRowSerializer()
        names = list(serializer.fields)
        data = s.BudgetRowSerializer(budget_rows(request).order_by("id"), many=True).data
        return _csv("budgetrader.csv", names, (
            [", ".join(map(str, row[n])) if n == "assignments" else row[n] for n in names]
            for row in data
        ))


class StatusCounts(ApiView):
    open_data = True

    @extend_schema(parameters=[AS_OF, *_filter_parameters()],
                   responses={200: s.CountsSerializer, **ERRORS},
                   summary="How many assignments have each status, at a day, filtered as the list")
    def get(self, request):
        filterset, _day = assignment_filterset(request)
        # The list page's own counts: the kept daily figures, or the filtered rows counted.
        statuses = [
            {**item, "label": str(item["label"])}
            for item in Listing(filterset).status_counts
        ]
        return Response(s.CountsSerializer({
            "day": filterset.day, "total": sum(item["count"] for item in statuses),
            "statuses": statuses, "license": s.LICENCE,
        }).data)


class Changes(ApiView):
    @extend_schema(parameters=[SINCE, UNTIL], responses={200: s.ChangesSerializer, **ERRORS},
                   summary="What changed since a day: the changes page's sections")
    def get(self, request):
        return Response(s.ChangesSerializer(_changes(_period(request, required=True))).data)


class Schema(SpectacularJSONAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []


@require_safe
@login_not_required
def documentation(request):
    """The API's description, for people: every path with its parameters, from the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = [
        {"path": path, "summary": operation.get("summary", ""),
         "parameters": operation.get("parameters", [])}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api/documentation.html", {
        "paths": paths, "open_data": settings.OPEN_DATA, "licence": s.LICENCE,
    })
