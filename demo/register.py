"""Demo data: the assignments KS gave after Malmökommissionen, with invented details.

Titles marked as real come from DOMAIN.md; diarienummer, §, dates, texts and the
fictional titles are invented, and every page says so with a "Demodata" banner.
The history is dated as it happened, so that the register as of 2016-12-31 shows
the annual report's 19 avslutade, 8 lägesrapport and 4 pågående.
"""

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from assignments.models import (
    Assessment,
    Assignment,
    CommissionArea,
    DemoDataset,
    Meeting,
    StatusReport,
    Treatment,
    Unit,
)
from malmo_ks import roles

from .commission import AREAS

PASSWORD = "demo"
DECIDED_ON = date(2014, 3, 5)
REORGANISATION = date(2017, 5, 1)
DEMO_REASON = "Demodata"


UNTIL_2017 = date(2017, 4, 30)
LONG_AGO = date(2000, 1, 1)
# (name, kind, valid_to, successor) – successors exist from 2017-05-01.
UNITS = [
    ("Kommunstyrelsen", Unit.Kind.COMMITTEE, None, None),
    ("Stadskontoret", Unit.Kind.DEPARTMENT, None, None),
    ("Stadsområdesnämnd Norr", Unit.Kind.COMMITTEE, UNTIL_2017, "Vård- och omsorgsnämnden"),
    ("Stadsområdesnämnd Öster", Unit.Kind.COMMITTEE, UNTIL_2017, "Vård- och omsorgsnämnden"),
    ("Stadsområdesnämnd Väster", Unit.Kind.COMMITTEE, UNTIL_2017, "Funktionsstödsnämnden"),
    ("Stadsområdesnämnd Söder", Unit.Kind.COMMITTEE, UNTIL_2017, "Funktionsstödsnämnden"),
    ("Stadsområdesnämnd Innerstaden", Unit.Kind.COMMITTEE, UNTIL_2017, "Vård- och omsorgsnämnden"),
    (
        "Sociala resursnämnden",
        Unit.Kind.COMMITTEE,
        UNTIL_2017,
        "Arbetsmarknads- och socialnämnden",
    ),
    (
        "Arbetsmarknads-, gymnasie- och vuxenutbildningsnämnden",
        Unit.Kind.COMMITTEE,
        UNTIL_2017,
        "Gymnasie- och vuxenutbildningsnämnden",
    ),
    ("Förskolenämnden", Unit.Kind.COMMITTEE, None, None),
    ("Grundskolenämnden", Unit.Kind.COMMITTEE, None, None),
    ("Kulturnämnden", Unit.Kind.COMMITTEE, None, None),
    ("Fritidsnämnden", Unit.Kind.COMMITTEE, None, None),
    ("Servicenämnden", Unit.Kind.COMMITTEE, None, None),
    ("Tekniska nämnden", Unit.Kind.COMMITTEE, None, None),
    ("Stadsbyggnadsnämnden", Unit.Kind.COMMITTEE, None, None),
    ("Miljönämnden", Unit.Kind.COMMITTEE, None, None),
]
UNITS_FROM_2017 = [
    "Vård- och omsorgsnämnden",
    "Funktionsstödsnämnden",
    "Arbetsmarknads- och socialnämnden",
    "Gymnasie- och vuxenutbildningsnämnden",
]

STK = "Stadskontoret"
# (title, commission area number, responsible unit)
TITLES = [
    # Real titles, decided 2014-03-05 under STK-2013-145, owner stadskontoret.
    ("Översyn av befintliga forsknings- och utvecklingsstrukturer och samverkansformer "
     "med högskola och universitet", 6, STK),
    ("Utreda förutsättningarna för att stärka samarbetet med universitet och högskola "
     "(följeforskning, forskningscirklar)", 6, STK),
    ("Översyn av befintliga samarbetsstrukturer för barns hälsa", 1, STK),
    ("Översyn av KF-beslut Dnr 219/2002 Barnkonventionen – handledning för politiker "
     "och tjänstemän", 1, STK),
    ("Förbättra möjligheterna för barn och unga i Malmö att röra sig i hela staden", 1, STK),
    ("Utarbeta en handlingsplan för att minska den ekonomiska utsattheten bland barn", 1, STK),
    ("En forskarstödd fördjupning gällande det obetalda omsorgsarbetet", 4, STK),
    ("Tillskriva regeringen gällande riksnormen för försörjningsstödet", 4, STK),
    ("Utveckla former för samverkan kring social hållbarhet mellan förvaltningar och "
     "civilsamhället", 6, STK),
    ("Skapa former för ett kvalificerat analysarbete av den epidemiologiska bevakningen",
     5, STK),
    ("Översyn och eventuell revidering av Malmö stads folkhälsopolicy", 5, STK),
    # Plausible titles; the owner is not confirmed.
    ("Skapa ett forum med stadens näringsliv", 4, STK),
    ("Utveckla kommunala anställningsformer", 4, STK),
    ("Återkommande internationell konferens med fokus på social hållbarhet", 6, STK),
    ("Utreda utveckling av samordningsförbundet (FINSAM)", 4, "Sociala resursnämnden"),
    ("Kommungemensam långsiktig strategi för kompetens- och personalförsörjning", 3, STK),
    # Fictional titles, so that the register holds the 31 of the annual report.
    ("Fiktivt demouppdrag: Läxhjälp i stadens bibliotek", 3, "Kulturnämnden"),
    ("Fiktivt demouppdrag: Förskolans föräldrasamverkan i Norr", 1,
     "Stadsområdesnämnd Norr"),
    ("Fiktivt demouppdrag: Trygga stråk mellan bostad och skola", 2, "Tekniska nämnden"),
    ("Fiktivt demouppdrag: Blandade upplåtelseformer i nya detaljplaner", 2,
     "Stadsbyggnadsnämnden"),
    ("Fiktivt demouppdrag: Sommarjobb för unga i Öster", 4, "Stadsområdesnämnd Öster"),
    ("Fiktivt demouppdrag: Hälsosamtal i skolår 7", 5, "Grundskolenämnden"),
    ("Fiktivt demouppdrag: Språkstöd i förskolan", 3, "Förskolenämnden"),
    ("Fiktivt demouppdrag: Öppna fritidsverksamheter året runt", 1, "Fritidsnämnden"),
    ("Fiktivt demouppdrag: Boendesociala insatser i Väster", 2,
     "Stadsområdesnämnd Väster"),
    ("Fiktivt demouppdrag: Vuxenutbildning med praktik", 4,
     "Arbetsmarknads-, gymnasie- och vuxenutbildningsnämnden"),
    ("Fiktivt demouppdrag: Grönytor och folkhälsa", 5, "Miljönämnden"),
    ("Fiktivt demouppdrag: Uppsökande hälsoarbete i Söder", 5, "Stadsområdesnämnd Söder"),
    ("Fiktivt demouppdrag: Mötesplatser för äldre i Innerstaden", 5,
     "Stadsområdesnämnd Innerstaden"),
    ("Fiktivt demouppdrag: Social hänsyn i upphandling", 6, "Servicenämnden"),
    ("Fiktivt demouppdrag: Stöd till unga utan sysselsättning", 4, "Sociala resursnämnden"),
]

# Invented KS meeting dates and the first § used at each.
KS_MEETINGS = {
    date(2014, 12, 3): 410,
    date(2015, 3, 4): 70,
    date(2015, 6, 3): 190,
    date(2015, 9, 2): 260,
    date(2015, 12, 2): 380,
    date(2016, 3, 2): 60,
    date(2016, 6, 1): 180,
    date(2016, 9, 7): 250,
    date(2016, 11, 2): 312,
    date(2017, 3, 1): 65,
    date(2017, 6, 7): 185,
    date(2017, 9, 6): 255,
}

OUTCOMES = (
        Assignment.Outcome.DEVELOPMENT_PROCESS,
        Assignment.Outcome.IMPLEMENTED,
        Assignment.Outcome.DEVELOPMENT_PROCESS,
        Assignment.Outcome.PARTLY_IMPLEMENTED,
        Assignment.Outcome.DEVELOPMENT_PROCESS,
        Assignment.Outcome.DEVELOPMENT_PROCESS,
        Assignment.Outcome.NOT_IMPLEMENTED,
)


@dataclass(frozen=True)
class Course:
    """What happens to one assignment: report and close meetings, deadline moves."""

    report_at: date | None = None
    close_at: date | None = None
    report_again_at: date | None = None
    deadline_moves: tuple = ()


def _plans():
    """31 courses: 19 closed, 8 with a status report and 4 ongoing at 2016-12-31."""
    m = sorted(KS_MEETINGS)
    closed_2015 = [Course(close_at=m[1 + i % 4]) for i in range(7)]
    closed_2015 += [Course(report_at=m[0], close_at=m[4])]
    closed_2016 = [
        Course(report_at=m[2 + i % 3], close_at=m[5 + i % 4],
             deadline_moves=((date(2016, 12, 31), True, "Remissvaret dröjde."),))
        for i in range(11)
    ]
    reported = [
        Course(report_at=m[6 + i % 3], close_at=m[9 + i % 2] if i < 5 else None,
             deadline_moves=(
                 (date(2016, 12, 31), True, "Underlag från nämnderna saknades."),
                 (date(2017, 12, 31), True, "Samordnas med budgetprocessen 2018."),
             ) if i % 2 else ((date(2017, 6, 30), False, "Ny lagstiftning inväntas."),))
        for i in range(8)
    ]
    ongoing = [
        Course(report_again_at=m[10] if i < 2 else None,
             deadline_moves=((date(2017, 12, 31), True, "Uppdraget utvidgades."),))
        for i in range(4)
    ]
    return closed_2015 + closed_2016 + reported + ongoing


def moment(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def is_demo_loaded():
    return DemoDataset.objects.exists()


def register_is_empty():
    return not (
        Assignment.objects.exists() or Unit.objects.exists() or Meeting.objects.exists()
    )


def create_users():
    User = get_user_model()
    people = [
        ("handlaggare", "Hanna", "Lind", roles.HANDLAGGARE, False),
        ("politiker", "Olof", "Berg", roles.FORTROENDEVALD, False),
        ("admin", "Amira", "Svensson", roles.ADMINISTRATOR, True),
    ]
    users = {}
    for username, first, last, role, staff in people:
        # Addresses under .invalid (RFC 2606) reach no one: `send_notifications` in the
        # demo prints its messages to the console (EMAIL_HOST unset) for these three.
        user = User.objects.create_user(
            username, email=f"{username}@demo.invalid", password=PASSWORD,
            first_name=first, last_name=last, is_staff=staff,
        )
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


def create_units():
    units = {}
    for name in UNITS_FROM_2017:
        units[name] = _create(Unit(name=name, valid_from=REORGANISATION), REORGANISATION)
    for name, kind, valid_to, successor in UNITS:
        unit = Unit(
            name=name,
            kind=kind,
            valid_from=LONG_AGO,
            valid_to=valid_to,
            replaced_by=units.get(successor),
        )
        units[name] = _create(unit, date(2014, 1, 2))
    return units


def create_areas():
    return {
        number: _create(CommissionArea(number=number, name=name), date(2014, 1, 2))
        for number, name in enumerate(AREAS, start=1)
    }


def _create(obj, day):
    obj.attribute(reason=DEMO_REASON, at=moment(day, 8))
    obj.full_clean()
    obj.save()
    return obj


class _Paragraphs:
    """Hands out consecutive § numbers per meeting."""

    def __init__(self):
        self.next = dict(KS_MEETINGS)

    def take(self, meeting):
        paragraph = self.next[meeting]
        self.next[meeting] += 1
        return paragraph


def create_assignments(users, units, areas):
    paragraphs = _Paragraphs()
    outcomes = itertools.cycle(OUTCOMES)
    assignments = []
    for serial, ((title, area, unit), plan) in enumerate(zip(TITLES, _plans(), strict=True)):
        assignment = Assignment(
            reference=f"STK-2014-{201 + serial}",
            title=title,
            description=(
                "Demodata. Uppdraget ska redovisa förslag till åtgärder, tidsplan, "
                "kostnadsberäkning och förslag till finansiering."
            ),
            area=areas[area],
            responsible_unit=units[unit],
            case_officer=users["handlaggare"],
            decided_on=DECIDED_ON,
            decision_reference="STK-2013-145",
            decision_paragraph=67,
            planned_completion=date(2015, 12, 31),
            planned_completion_is_year=True,
        )
        assignment.save_tracked(
            user=users["handlaggare"], reason=DEMO_REASON, at=moment(date(2014, 3, 12))
        )
        _live_through(assignment, plan, users, paragraphs, outcomes)
        assignments.append(assignment)
    return assignments


def _live_through(assignment, plan, users, paragraphs, outcomes):
    """Apply the plan's events in date order, each dated when it happened."""
    officer = users["handlaggare"]
    events = [(when, "move", move) for when, move in _deadline_dates(plan)]
    for kind in ("report_at", "report_again_at", "close_at"):
        if meeting := getattr(plan, kind):
            events.append((meeting, kind, None))
    if assignment.responsible_unit.replaced_by_id:
        events.append((REORGANISATION, "reorganise", None))
    for when, kind, move in sorted(events, key=lambda event: event[0]):
        if kind == "reorganise":
            _reorganise(assignment, users["admin"])
            continue
        if kind == "move":
            new_date, is_year, reason = move
            assignment.move_deadline(
                new_date, is_year=is_year, user=officer, reason=reason, at=moment(when)
            )
            continue
        treatment = Treatment(
            meeting=Meeting(body=Meeting.Body.KS, date=when),
            paragraph=paragraphs.take(when),
            reference=assignment.reference,
            summary="Demodata. Kommunstyrelsen godkände redovisningen.",
        )
        if kind == "close_at":
            outcome = next(outcomes)
            owner = (
                assignment.responsible_unit
                if outcome == Assignment.Outcome.DEVELOPMENT_PROCESS
                else None
            )
            assignment.close(
                treatment, outcome=outcome, follow_up_owner=owner, user=officer,
                reason=DEMO_REASON, at=moment(when, 15),
            )
        else:
            report = StatusReport(
                assignment=assignment,
                report_date=date(when.year, when.month, 1),
                text="Demodata. Arbetet pågår; delrapport med förslag till fortsatt arbete.",
                author=officer,
                **_assessment(plan),
            )
            report.attribute(officer, DEMO_REASON, moment(report.report_date))
            report.full_clean()
            report.save()
            assignment.report_status(
                treatment, user=officer, report=report, reason=DEMO_REASON,
                at=moment(when, 15),
            )


def _assessment(plan):
    """The handläggare's bedömning: at risk where the planned completion had to move."""
    if plan.deadline_moves:
        return {
            "assessment": Assessment.AT_RISK,
            "assessment_motivation": "Demodata. Remissvaren dröjer; slutdatum har flyttats.",
        }
    return {"assessment": Assessment.ON_TRACK}


def _deadline_dates(plan):
    """Each deadline move is registered a few weeks before the date it replaces."""
    previous = date(2015, 12, 31)
    for move in plan.deadline_moves:
        yield date(previous.year, 11, 15), move
        previous = move[0]


def _reorganise(assignment, admin):
    """Open assignments follow their responsibilities into the 2017 organisation."""
    unit = assignment.responsible_unit
    if assignment.status == Assignment.Status.CLOSED:
        return
    assignment.responsible_unit = unit.replaced_by
    assignment.save_tracked(
        user=admin,
        reason=f"Omorganisation 2017-05-01: ansvaret övergick från {unit.name}.",
        at=moment(REORGANISATION, 8),
    )


def mark_loaded():
    DemoDataset.objects.create()


def load():
    """Fill an empty register; the caller holds the transaction and the attribution."""
    users = create_users()
    units = create_units()
    areas = create_areas()
    assignments = create_assignments(users, units, areas)
    return {"users": users, "units": units, "areas": areas, "assignments": assignments}
