"""Synthetic registers for the benchmark, written straight into the tables with bulk SQL.

This is benchmark data, not a user's write: it bypasses the domain verbs and the
history signals on purpose, because a million history rows made one save at a
time would take an hour. The audit rules (every tracked write through a verb,
attributed, one history record per save) govern the app's write paths; here the
history rows are written beside the rows they describe, with the same shape the
verbs would give them, so that the pages read what a register with years of
history holds. Nothing here may be used on a real register.

Assignment `i` (1, 2, 3, ...) is a pure function of `i`, so growing a register
from 10 000 to 100 000 assignments gives the very rows a fresh 100 000 would.
Its year is `i` modulo 10 (a tenth of the register per year 2014–2023); status,
area, unit and the rest come from a hash of `i`, independent of the year.
Each assignment has ten versions over 540 days: registered, edited, its unit
changed, a status report treated by KS (70 %), its deadline moved (50 %) and
closed by KS (30 %); two status reports, one or two treatments, and the history
rows of all of them. The latest report's date kept on the assignment and on each
version (Assignment.last_report_on) is written beside them: the reports are dated on
the days versions 4 and 9 begin, so each version holds the latest report dated on or
before its day, as the app keeps it. The budget has 40 rows a year for 2014–2023, each funding
five assignments: a year's budget does not grow with the register.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction

from assignments.models import (
    Assignment,
    CommissionArea,
    DeadlineChange,
    Meeting,
    StatusReport,
    Treatment,
    Unit,
)
from budget.models import BudgetRow
from demo.commission import AREAS
from malmo_ks.history import FORK_FUNCTION

VERSIONS = 10
# No history of the synthetic register is dated earlier.
FIRST_DAY = date(2014, 1, 1)
UNITS = 40
CASE_OFFICERS = 50
BUDGET_YEARS = range(2014, 2024)
BUDGET_ROWS_PER_YEAR = 40
FUNDED_PER_ROW = 5
ACTOR = "bench (syntetiska data)"

# A word that occurs in one title in 40: the text search of the benchmark.
SEARCH_WORD = "hemlöshet"
# Every year from 2014 to 2023 holds a tenth of the assignments.
EXPORT_YEAR = 2016

UNIT_NAMES = [
    "Kommunstyrelsen", "Stadskontoret", "Förskolenämnden", "Grundskolenämnden",
    "Kulturnämnden", "Fritidsnämnden", "Servicenämnden", "Tekniska nämnden",
    "Stadsbyggnadsnämnden", "Miljönämnden", "Sociala resursnämnden",
    "Stadsområdesnämnd Norr", "Stadsområdesnämnd Öster", "Stadsområdesnämnd Väster",
    "Stadsområdesnämnd Söder", "Stadsområdesnämnd Innerstaden",
    "Vård- och omsorgsnämnden", "Funktionsstödsnämnden",
    "Arbetsmarknads- och socialnämnden", "Gymnasie- och vuxenutbildningsnämnden",
]
VERBS = [
    "Utreda", "Översyn av", "Utveckla", "Kartlägga", "Förbättra", "Stärka",
    "Följa upp", "Pröva",
]
TOPICS = [
    "barns hälsa i förskolan", "samverkan med universitet och högskola",
    "ekonomisk utsatthet bland barn", "hemlöshet bland unga vuxna",
    "folkhälsopolicyn", "epidemiologisk bevakning", "obetalt omsorgsarbete",
    "riksnormen för försörjningsstöd", "civilsamhällets roll", "boendesegregation",
    "trångboddhet", "grönytor i stadsdelarna", "skolresultat i grundskolan",
    "gymnasieskolans avhopp", "vuxenutbildningens platser", "språkutveckling",
    "ungdomsarbetslöshet", "praktikplatser i staden", "kommunala anställningsformer",
    "näringslivets forum", "samordningsförbundet", "kompetensförsörjning",
    "tandhälsa hos barn", "psykisk ohälsa bland unga", "äldres ensamhet",
    "fysisk aktivitet", "trygghet i kollektivtrafiken", "cykelvägar till skolan",
    "lekplatser", "biblioteken", "kulturskolan", "idrottsföreningar",
    "sommarlovsaktiviteter", "föräldrastöd", "mödrahälsovård", "våld i nära relationer",
    "digital delaktighet", "matkostnader i skolan", "energifattigdom", "hyresgästers inflytande",
]
PHRASES = [
    "föreslå åtgärder, tidplan, kostnad och finansiering",
    "redovisa hur arbetet kan följas upp över tid",
    "samla erfarenheter från andra kommuner",
    "pröva nya former för samverkan mellan förvaltningar",
    "beskriva effekterna för de grupper som berörs",
]
OUTCOMES = ["genomfort", "delvis_genomfort", "ej_genomfort", "utvecklingsprocess"]
BUDGET_NAMES = [
    "Projekt och utredningar", "Stimulans- och omstruktureringsmedel",
    "Reserv för flyktingmottagande", "Sociala investeringsfonder",
    "Kommungemensamma IT-kostnader", "Nytt ekonomisystem", "Hyra tidigare konserthuset",
]


def _array(values):
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]"


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _history_table(model):
    return _table(model.history.model)


# The assessment of report 2i (day 480): a tenth deviate, a tenth are at risk.
_LATE_ASSESSMENT = (
    "CASE {i} % 10 WHEN 0 THEN 'deviates' WHEN 1 THEN 'at_risk' ELSE 'on_track' END"
)


# Everything a row of any table needs to know about assignment i, computed once.
# A day offset d (0, 60, ..., 540) is version 1 + d / 60 of the assignment.
def _base_sql(first, last):
    return f"""
CREATE TEMPORARY TABLE bench_base ON COMMIT DROP AS
SELECT i,
       1 + (h / 10) % 6 AS area_id,
       1 + (h / 60) % {UNITS} AS unit_id,
       1 + (h / 60 + 1) % {UNITS} AS first_unit_id,
       1 + (h / 2400) % {CASE_OFFICERS} AS officer_id,
       'Handläggare ' || lpad((1 + (h / 2400) % {CASE_OFFICERS})::text, 2, '0') AS officer_name,
       make_date(2014 + i % 10, 1 + (i / 10) % 12, 1 + (i / 120) % 28) AS decided,
       CASE WHEN h % 10 < 3 THEN 'pagaende' WHEN h % 10 < 7 THEN 'lagesrapport'
            ELSE 'avslutad' END AS final_status,
       (h / 7) % 2 = 0 AS moved,
       ({_array(['STK', 'SOF', 'GRF', 'FSF', 'MF', 'KUF'])})[1 + (i / 7) % 6]
           || '-' || (2014 + i % 10) || '-' || i AS reference,
       ({_array(VERBS)})[1 + i % {len(VERBS)}] || ' '
           || ({_array(TOPICS)})[1 + (i / {len(VERBS)}) % {len(TOPICS)}] AS title,
       'Utredningen ska ' || ({_array(PHRASES)})[1 + i % {len(PHRASES)}]
           || '. Den gäller ' || ({_array(TOPICS)})[1 + (i / 3) % {len(TOPICS)}]
           || ' och ska ' || ({_array(PHRASES)})[1 + (i / 5) % {len(PHRASES)}] || '.' AS description,
       ({_array(OUTCOMES)})[1 + (h / 3) % {len(OUTCOMES)}] AS closed_outcome
FROM generate_series({int(first)}, {int(last)}) AS i,
     -- Knuth's multiplicative hash: status, area, unit and so on independent of the year.
     LATERAL (SELECT (i::bigint * 2654435761) % 4294967296 / 4096 AS h) AS hashed
"""

_VERSION_SQL = f"""
SELECT b.*, k,
       (b.decided + (k - 1) * 60)::timestamptz + interval '9 hours' AS at,
       CASE WHEN b.final_status = 'pagaende' OR k < 5 THEN 'pagaende'
            WHEN b.final_status = 'avslutad' AND k = 10 THEN 'avslutad'
            ELSE 'lagesrapport' END AS status
FROM bench_base AS b, generate_series(1, {VERSIONS}) AS k
"""


def _assignment_values(version):
    """The columns of one version `v` of an assignment, in Assignment's and history's order."""
    closed = f"{version}.status = 'avslutad'"
    return f"""
        {version}.i, {version}.reference,
        {version}.title || CASE WHEN {version}.k < 3 THEN ' (utkast)' ELSE '' END,
        {version}.description || CASE WHEN {version}.k > 1
            THEN ' Reviderad i version ' || {version}.k || '.' ELSE '' END,
        {version}.decided, 'STK-2013-145', 1 + {version}.i % 400, {version}.status,
        {version}.decided + CASE WHEN {version}.moved AND {version}.k >= 8 THEN 900 ELSE 700 END,
        false,
        CASE WHEN {closed} THEN {version}.closed_outcome ELSE '' END,
        {version}.k, {version}.officer_id, {version}.area_id,
        CASE {version}.status WHEN 'lagesrapport' THEN 2 * {version}.i - 1
             WHEN 'avslutad' THEN 2 * {version}.i END,
        CASE WHEN {closed} AND {version}.closed_outcome = 'utvecklingsprocess'
             THEN {version}.unit_id END,
        CASE WHEN {version}.k < 6 THEN {version}.first_unit_id ELSE {version}.unit_id END,
        CASE WHEN {version}.k >= 9 THEN {version}.decided + 480
             WHEN {version}.k >= 4 THEN {version}.decided + 180 END,
        CASE WHEN {version}.k >= 9 THEN {_LATE_ASSESSMENT.format(i=f"{version}.i")}
             WHEN {version}.k >= 4 THEN 'on_track' ELSE '' END
    """


_ASSIGNMENT_COLUMNS = """id, reference, title, description, decided_on, decision_reference,
    decision_paragraph, status, planned_completion, planned_completion_is_year, outcome,
    version, case_officer_id, area_id, status_treatment_id, follow_up_owner_id,
    responsible_unit_id, last_report_on, last_assessment"""
_HISTORY_COLUMNS = "history_id, history_date, history_type, history_change_reason, history_user_name"
# Rows of an object with a later version get its date as valid_until, and the node of
# their interval, as the app's malmo_ks.history.keep_validity would; every other
# history row is current (NULL).
_VERSIONED_COLUMNS = f"{_HISTORY_COLUMNS}, valid_until, valid_fork"


def _fork_sql(began, ended):
    """The app's malmo_ks.history.ValidityFork: the database's own function."""
    return f"{FORK_FUNCTION}({began}, {ended}, '{settings.TIME_ZONE}')"


# The next version's date (version k + 1 begins on day 60 k, as `at` says).
_VALID_UNTIL = (
    f"CASE WHEN v.k < {VERSIONS} THEN (v.decided + v.k * 60)::timestamptz + interval '9 hours' END"
)


def _assignment_sql():
    return f"""
INSERT INTO {_table(Assignment)} ({_ASSIGNMENT_COLUMNS})
SELECT {_assignment_values("v")} FROM ({_VERSION_SQL}) AS v WHERE v.k = {VERSIONS};

INSERT INTO {_history_table(Assignment)} ({_ASSIGNMENT_COLUMNS}, {_VERSIONED_COLUMNS})
SELECT {_assignment_values("v")},
       {VERSIONS} * (v.i - 1) + v.k, v.at, CASE WHEN v.k = 1 THEN '+' ELSE '~' END,
       CASE v.k WHEN 1 THEN 'Registrerat' WHEN 5 THEN 'Lägesrapport behandlad av KS'
            WHEN 8 THEN CASE WHEN v.moved THEN 'Utredningen behöver mer tid'
                             ELSE 'Uppdaterad beskrivning' END
            WHEN 10 THEN CASE WHEN v.status = 'avslutad' THEN 'Avslutat av KS'
                              ELSE 'Uppdaterad beskrivning' END
            ELSE 'Uppdaterad beskrivning' END,
       v.officer_name,
       {_VALID_UNTIL}, {_fork_sql("v.at", _VALID_UNTIL)}
FROM ({_VERSION_SQL}) AS v;
"""


# Treatment 2i-1: KS's decision (ongoing) or its treatment of the status report;
# treatment 2i: KS's treatment of the final report, for closed assignments only.
_TREATMENTS_SQL = """
SELECT 2 * b.i - 1 AS id, b.i,
       CASE WHEN b.final_status = 'pagaende' THEN 'beslut' ELSE 'lagesrapport' END AS kind,
       b.decided + CASE WHEN b.final_status = 'pagaende' THEN 0 ELSE 240 END AS meeting_date,
       1 + b.i % 400 AS paragraph, b.officer_name
FROM bench_base AS b
UNION ALL
SELECT 2 * b.i, b.i, 'aterrapportering', b.decided + 540, 1 + (b.i + 1) % 400, b.officer_name
FROM bench_base AS b WHERE b.final_status = 'avslutad'
"""
_TREATMENT_COLUMNS = "id, assignment_id, meeting_id, kind, paragraph, reference, summary"
# A meeting's id is a function of its date, so that every batch names the same KS
# meetings and a later batch adds only the days new to it.
_MEETING_ID = "(t.meeting_date - DATE '2000-01-01' + 1)"
_MEETING_COLUMNS = "id, body, date, protocol_reference"


def _meeting_sql():
    """KS's meetings on the days the treatments name, each with its history record."""
    values = f"DISTINCT {_MEETING_ID}, 'KS', t.meeting_date, ''"
    return f"""
INSERT INTO {_table(Meeting)} ({_MEETING_COLUMNS})
SELECT {values} FROM ({_TREATMENTS_SQL}) AS t
ON CONFLICT DO NOTHING;

INSERT INTO {_history_table(Meeting)} ({_MEETING_COLUMNS}, {_HISTORY_COLUMNS})
SELECT m.*, m.id, m.date::timestamptz + interval '8 hours', '+', 'Sammanträde i planen',
       '{ACTOR}'
FROM (SELECT {values} FROM ({_TREATMENTS_SQL}) AS t) AS m (id, body, date, protocol_reference)
ON CONFLICT DO NOTHING;
"""


def _treatment_sql():
    values = f"""t.id, t.i, {_MEETING_ID}, t.kind, t.paragraph,
        'STK-' || extract(year FROM t.meeting_date) || '-' || t.id,
        'KS behandlade ärendet och beslutade enligt förslaget.'"""
    return f"""
INSERT INTO {_table(Treatment)} ({_TREATMENT_COLUMNS})
SELECT {values} FROM ({_TREATMENTS_SQL}) AS t;

INSERT INTO {_history_table(Treatment)} ({_TREATMENT_COLUMNS}, {_HISTORY_COLUMNS})
SELECT {values}, t.id, t.meeting_date::timestamptz + interval '10 hours', '+',
       'Behandling registrerad', t.officer_name
FROM ({_TREATMENTS_SQL}) AS t;
"""


# Report 2i-1 (day 180) is treated with treatment 2i-1 on day 240 unless the
# assignment is still ongoing; report 2i (day 480) is never treated.
_REPORTS_SQL = """
SELECT 2 * b.i - 1 AS id, b.i, b.decided + 180 AS report_date, b.officer_id, b.officer_name,
       CASE WHEN b.final_status <> 'pagaende' THEN 2 * b.i - 1 END AS treatment_id,
       'on_track' AS assessment
FROM bench_base AS b
UNION ALL
SELECT 2 * b.i, b.i, b.decided + 480, b.officer_id, b.officer_name, NULL,
       """ + _LATE_ASSESSMENT.format(i="b.i") + """
FROM bench_base AS b
"""
_REPORT_COLUMNS = """id, assignment_id, report_date, author_id, treatment_id, text, assessment,
    assessment_motivation"""
_MOTIVATION = (
    "CASE WHEN {a} = 'on_track' THEN '' ELSE 'Samrådet med förvaltningarna har dragit ut på tiden.' END"
)
_REPORT_TEXT = "'Arbetet går enligt plan. Samråd har hållits med berörda förvaltningar.'"


# A report's first version ends when KS treats it, 60 days later.
_REPORT_VALID_UNTIL = (
    "CASE WHEN r.treatment_id IS NOT NULL"
    " THEN (r.report_date + 60)::timestamptz + interval '9 hours' END"
)


def _report_sql():
    return f"""
INSERT INTO {_table(StatusReport)} ({_REPORT_COLUMNS})
SELECT r.id, r.i, r.report_date, r.officer_id, r.treatment_id, {_REPORT_TEXT},
       r.assessment, {_MOTIVATION.format(a="r.assessment")}
FROM ({_REPORTS_SQL}) AS r;

INSERT INTO {_history_table(StatusReport)} ({_REPORT_COLUMNS}, {_VERSIONED_COLUMNS})
SELECT r.id, r.i, r.report_date, r.officer_id, NULL, {_REPORT_TEXT},
       r.assessment, {_MOTIVATION.format(a="r.assessment")},
       2 * r.id - 1, r.report_date::timestamptz + interval '11 hours', '+',
       'Lägesrapport registrerad', r.officer_name, {_REPORT_VALID_UNTIL},
       {_fork_sql("r.report_date::timestamptz + interval '11 hours'", _REPORT_VALID_UNTIL)}
FROM ({_REPORTS_SQL}) AS r
UNION ALL
SELECT r.id, r.i, r.report_date, r.officer_id, r.treatment_id, {_REPORT_TEXT},
       r.assessment, {_MOTIVATION.format(a="r.assessment")},
       2 * r.id, (r.report_date + 60)::timestamptz + interval '9 hours', '~',
       'Lägesrapport behandlad av KS', r.officer_name, NULL, NULL
FROM ({_REPORTS_SQL}) AS r WHERE r.treatment_id IS NOT NULL;
"""


_DEADLINE_COLUMNS = """id, assignment_id, previous_date, previous_is_year, new_date, new_is_year,
    reason, changed_by_id, changed_at"""


def _deadline_sql():
    values = """b.i, b.i, b.decided + 700, false, b.decided + 900, false,
        'Utredningen behöver mer tid', b.officer_id,
        (b.decided + 420)::timestamptz + interval '9 hours'"""
    return f"""
INSERT INTO {_table(DeadlineChange)} ({_DEADLINE_COLUMNS})
SELECT {values} FROM bench_base AS b WHERE b.moved;

INSERT INTO {_history_table(DeadlineChange)} ({_DEADLINE_COLUMNS}, {_HISTORY_COLUMNS})
SELECT {values}, b.i, (b.decided + 420)::timestamptz + interval '9 hours', '+',
       'Utredningen behöver mer tid', b.officer_name
FROM bench_base AS b WHERE b.moved;
"""


def _reference_sql(last):
    """Areas, units, case officers and the budget: made once, with the first assignments."""
    units = UNIT_NAMES + [f"Utredningsenhet {n}" for n in range(len(UNIT_NAMES) + 1, UNITS + 1)]
    budget_names = BUDGET_NAMES + [
        f"Utvecklingsprojekt {n}" for n in range(len(BUDGET_NAMES) + 1, BUDGET_ROWS_PER_YEAR + 1)
    ]
    first_year = BUDGET_YEARS[0]
    budget_row = f"""
SELECT (y - {first_year}) * {BUDGET_ROWS_PER_YEAR} + j AS id, y AS year,
       ({_array(budget_names)})[j] AS name,
       CASE WHEN j % 10 = 0 THEN 3 ELSE 4 + j % 5 END AS account_class,
       1000000 * (1 + (y * 37 + j * 11) % 90) AS budget,
       CASE WHEN y < 2023 THEN 1000000 * (1 + (y * 37 + j * 11) % 90) * (8 + j % 5) / 10 END
           AS outcome,
       1 AS version
FROM generate_series({first_year}, {BUDGET_YEARS[-1]}) AS y,
     generate_series(1, {BUDGET_ROWS_PER_YEAR}) AS j
"""
    budget_columns = "id, year, name, account_class, budget, outcome, version"
    link_table = connection.ops.quote_name(BudgetRow.assignments.through._meta.db_table)
    link_history = _table(_link_history_model())
    links = f"""
SELECT r.id AS budgetrow_id, 1 + (r.id * 7919 + m * 4729) % {int(last)} AS assignment_id
FROM ({budget_row}) AS r, generate_series(0, {FUNDED_PER_ROW - 1}) AS m
"""
    return f"""
INSERT INTO {_table(CommissionArea)} (id, number, name)
SELECT n, n, ({_array(AREAS)})[n] FROM generate_series(1, 6) AS n;
INSERT INTO {_history_table(CommissionArea)} (id, number, name, {_HISTORY_COLUMNS})
SELECT n, n, ({_array(AREAS)})[n], n, '2014-01-01', '+', 'Registrerat', '{ACTOR}'
FROM generate_series(1, 6) AS n;

INSERT INTO {_table(Unit)} (id, name, kind, valid_from)
SELECT n, ({_array(units)})[n], 'namnd', '2000-01-01' FROM generate_series(1, {UNITS}) AS n;
INSERT INTO {_history_table(Unit)} (id, name, kind, valid_from, {_HISTORY_COLUMNS})
SELECT n, ({_array(units)})[n], 'namnd', '2000-01-01', n, '2014-01-01', '+', 'Registrerad',
       '{ACTOR}'
FROM generate_series(1, {UNITS}) AS n;

INSERT INTO auth_user (id, username, first_name, last_name, email, password, is_superuser,
                       is_staff, is_active, date_joined)
SELECT n, 'handlaggare' || lpad(n::text, 2, '0'), 'Handläggare', lpad(n::text, 2, '0'),
       '', '!', false, false, true, '2014-01-01'
FROM generate_series(1, {CASE_OFFICERS}) AS n;

INSERT INTO {_table(BudgetRow)} ({budget_columns})
SELECT {budget_columns} FROM ({budget_row}) AS r;
INSERT INTO {_history_table(BudgetRow)} ({budget_columns}, {_HISTORY_COLUMNS})
SELECT {budget_columns}, id, make_date(year - 1, 12, 1)::timestamptz, '+', 'Budget beslutad',
       '{ACTOR}'
FROM ({budget_row}) AS r;
INSERT INTO {link_table} (budgetrow_id, assignment_id)
SELECT budgetrow_id, assignment_id FROM ({links}) AS l;
INSERT INTO {link_history} (id, history_id, budgetrow_id, assignment_id)
SELECT id, budgetrow_id, budgetrow_id, assignment_id FROM {link_table};
"""


def _link_history_model():
    """simple_history's record of a budget row's links to assignments, one row per link."""
    return BudgetRow.history.model._meta.get_field("historicalbudgetrow_assignments").related_model


def _all_models():
    models = [
        CommissionArea, Unit, Assignment, Meeting, Treatment, StatusReport, DeadlineChange,
        BudgetRow,
    ]
    history = [model.history.model for model in models]
    links = [BudgetRow.assignments.through, _link_history_model()]
    return [*models, *history, *links]


def _reset_sequences(cursor):
    for statement in connection.ops.sequence_reset_sql(
        no_style(), [*_all_models(), get_user_model()]
    ):
        cursor.execute(statement)


def add_assignments(first, last):
    """Add assignments `first`..`last` (1-based) with their history, in one transaction.

    The first batch (`first` == 1) also brings areas, units, case officers and
    the budget, whose rows fund assignments among the first batch.
    """
    statements = [_base_sql(first, last)]
    if first == 1:
        statements.append(_reference_sql(last))
    statements += [_assignment_sql(), _meeting_sql(), _treatment_sql(), _report_sql(), _deadline_sql()]
    # The foreign keys are deferred: an assignment and the treatment behind its
    # status point at each other, and are checked together at the commit.
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        _reset_sequences(cursor)


def vacuum_analyze():
    """What autovacuum does to a register over time: fresh statistics and a visibility map."""
    with connection.cursor() as cursor:
        for model in _all_models():
            cursor.execute(f"VACUUM ANALYZE {_table(model)}")


def table_rows():
    """Row counts of the largest tables, for the report."""
    counts = {}
    with connection.cursor() as cursor:
        for model in [Assignment, Assignment.history.model, Treatment, StatusReport,
                      StatusReport.history.model, DeadlineChange, BudgetRow]:
            cursor.execute(f"SELECT count(*) FROM {_table(model)}")
            counts[model._meta.db_table] = cursor.fetchone()[0]
    return counts
