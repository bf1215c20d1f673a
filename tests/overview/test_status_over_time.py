"""Status over time: one query reads every quarter's counts from the daily counts."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from assignments.daily_counts import rebuild_daily_counts
from assignments.models import Assignment, DailyStatusCount
from assignments.querysets import count_by_status
from assignments.selectors import register_at
from demo.register import moment
from reports.charts import scale, status_over_time_chart
from reports.overview import quarter_ends, status_over_time
from tests.factories import ks_treatment
from tests.query_counts import assert_same_number, queries_made


def test_every_quarter_agrees_with_the_register_as_of_its_last_day(demo):
    quarters = status_over_time(date(2018, 1, 15))
    assert [quarter.quarter_end for quarter in quarters] == quarter_ends(date(2018, 1, 15))
    for quarter in quarters:
        assert quarter.counts == count_by_status(register_at(quarter.quarter_end)), quarter.label


def test_the_end_of_2016_shows_the_annual_reports_19_8_4(demo):
    quarters = {quarter.label: quarter for quarter in status_over_time(date(2016, 12, 31))}
    assert quarters["2016 kv. 4"].counts == {"pagaende": 4, "lagesrapport": 8, "avslutad": 19}


def test_a_rebuild_from_a_later_day_leaves_no_gap_before_it(demo):
    """A nightly run missed, then a rebuild from a later day: 2016 still counts 19/8/4."""
    DailyStatusCount.objects.all().delete()
    call_command("rebuild_daily_counts", "--since", "2020-01-01", stdout=io.StringIO())
    quarters = {quarter.label: quarter for quarter in status_over_time(date(2016, 12, 31))}
    assert quarters["2016 kv. 4"].counts == {"pagaende": 4, "lagesrapport": 8, "avslutad": 19}


@pytest.mark.parametrize("since", ["0001-01-01", "20161231", "2016-13-01"])
def test_a_rebuild_from_a_day_outside_the_register_is_refused(db, since):
    with pytest.raises(CommandError, match="2000-01-01 to 2100-12-31"):
        call_command("rebuild_daily_counts", "--since", since, stdout=io.StringIO())


def test_twelve_years_of_quarters_take_as_many_queries_as_one(demo):
    one_year, few = queries_made(lambda: status_over_time(date(2015, 1, 1)))
    twelve_years, more = queries_made(lambda: status_over_time(date(2026, 1, 1)))
    assert (len(one_year), len(twelve_years)) == (4, 48)
    assert_same_number(few, more, ("for 4 quarters", "for 48"))


def test_quarters_run_from_2014_q1_to_the_last_one_ended():
    assert quarter_ends(date(2014, 3, 30)) == []
    assert quarter_ends(date(2014, 3, 31)) == [date(2014, 3, 31)]
    assert quarter_ends(date(2015, 1, 1))[-2:] == [date(2014, 9, 30), date(2014, 12, 31)]


def test_an_empty_register_has_zero_in_every_quarter(db):
    quarters = status_over_time(date(2015, 1, 1))
    assert len(quarters) == 4
    assert all(set(quarter.counts.values()) == {0} for quarter in quarters)


def test_each_quarter_links_to_the_list_at_its_last_day(demo):
    quarter = status_over_time(date(2016, 12, 31))[-1]
    closed = quarter.cells[-1]
    assert (closed.count, closed.url) == (19, "/uppdrag/?status=avslutad&per=2016-12-31")


def test_the_axis_ends_on_a_round_gridline_above_the_largest_value():
    assert scale(31) == (40, [0, 10, 20, 30, 40])
    assert scale(8) == (8, [0, 2, 4, 6, 8])
    assert scale(0) == (1, [0, 1])


def test_the_line_chart_names_its_lines_and_describes_the_last_quarter(demo):
    quarters = status_over_time(date(2016, 12, 31))
    chart = status_over_time_chart(quarters, date(2016, 12, 31), quarters[-1].counts)
    assert [line["last"] for line in chart.lines] == [4, 8, 19]
    assert "från 2014 kv. 1 till 2016 kv. 4" in chart.description
    assert "19 avslutad" in chart.description
    # Labels at the lines' ends never overlap, even when the values are close.
    label_ys = sorted(float(line["label_y"]) for line in chart.lines)
    assert all(after - before >= 14 for before, after in zip(label_ys, label_ys[1:]))


def test_a_back_dated_change_shows_in_its_quarter_at_once(demo, handlaggare):
    """The daily counts from the change's day on are forgotten in the write's transaction."""
    ongoing_then = register_at(date(2016, 10, 1)).filter(status="pagaende").values("id")
    assignment = Assignment.objects.filter(status="pagaende", id__in=ongoing_then).first()
    before = {q.label: q.counts for q in status_over_time(date(2017, 12, 31))}
    treatment = ks_treatment(date(2016, 11, 2), paragraph=999)
    assignment.report_status(treatment, user=handlaggare, reason="Efterregistrerad",
                             at=moment(date(2016, 11, 2)))
    after = {q.label: q.counts for q in status_over_time(date(2017, 12, 31))}
    assert after["2016 kv. 3"] == before["2016 kv. 3"]
    assert after["2016 kv. 4"]["pagaende"] == before["2016 kv. 4"]["pagaende"] - 1
    assert after["2016 kv. 4"]["lagesrapport"] == before["2016 kv. 4"]["lagesrapport"] + 1
    for quarter in status_over_time(date(2017, 12, 31)):
        assert quarter.counts == count_by_status(register_at(quarter.quarter_end)), quarter.label
    rebuild_daily_counts()
    assert {q.label: q.counts for q in status_over_time(date(2017, 12, 31))} == after
