import datetime
from zoneinfo import ZoneInfo

import pytest
from model_bakery import baker

from accounts.activity import (
    DayActivity,
    activity_calendar,
    daily_activity,
    learner_activity,
    shade,
    streaks,
)
from progress.models import Activity, Status
from tests.factories import at
from tests.html import by_id, elements, list_items, text

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
D = datetime.date


def complete_at(learner, resource, *moments, status=Status.COMPLETED):
    for moment in moments:
        Activity.objects.create(
            learner=learner, resource=resource, status=status, created_at=at(moment)
        )


def test_2330_and_0030_in_tokyo_are_two_days(learner, resource):
    # 23:30 on 11 March and 00:30 on 12 March in Tokyo: the same UTC day, two Tokyo days.
    complete_at(learner, resource, "2026-03-11T14:30", "2026-03-11T15:30")
    assert daily_activity(learner, TOKYO) == {
        D(2026, 3, 11): DayActivity(completions=1),
        D(2026, 3, 12): DayActivity(completions=1),
    }
    assert daily_activity(learner, ZoneInfo("UTC")) == {D(2026, 3, 11): DayActivity(2)}


def test_days_follow_daylight_saving_changes(learner, resource):
    # New York moves from UTC-5 to UTC-4 on 8 March 2026: 04:30 UTC is 23:30 the day before
    # on 8 March, but 00:30 the same day on 9 March.
    complete_at(learner, resource, "2026-03-08T04:30", "2026-03-09T04:30")
    assert set(daily_activity(learner, NEW_YORK)) == {D(2026, 3, 7), D(2026, 3, 9)}


def test_only_completions_and_evidence_count(learner, resource):
    complete_at(learner, resource, "2026-03-01T10:00", status=Status.IN_PROGRESS)
    complete_at(learner, resource, "2026-03-01T11:00", status=Status.KNOWN)
    complete_at(learner, resource, "2026-03-02T10:00")
    baker.make(
        "progress.Evidence",
        learner=learner,
        submitted_at=at("2026-03-02T12:00"),
        url="https://x.org",
    )
    baker.make(
        "progress.Evidence",
        learner=learner,
        submitted_at=at("2026-03-03T12:00"),
        url="https://x.org",
    )
    assert daily_activity(learner, ZoneInfo("UTC")) == {
        D(2026, 3, 2): DayActivity(completions=1, submissions=1),
        D(2026, 3, 3): DayActivity(submissions=1),
    }


def test_another_learners_activity_never_counts(learner, make_learner, resource):
    complete_at(make_learner("grace"), resource, "2026-03-02T10:00")
    assert daily_activity(learner, ZoneInfo("UTC")) == {}


def test_activity_is_one_query_however_long_the_history(
    learner, resource, django_assert_num_queries
):
    for day in range(1, 29):
        complete_at(learner, resource, f"2026-02-{day:02}T10:00", f"2026-02-{day:02}T11:00")
    with django_assert_num_queries(1):
        result = learner_activity(learner, TOKYO, now=at("2026-03-01T00:00"))
    assert result.streaks.longest == 28


def test_streaks_current_counts_back_from_today_or_yesterday():
    days = [D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 5), D(2026, 3, 6)]
    assert streaks(days, today=D(2026, 3, 6)) == streaks(days, today=D(2026, 3, 7))
    assert streaks(days, today=D(2026, 3, 6)).current == 2
    assert streaks(days, today=D(2026, 3, 6)).longest == 3
    assert streaks(days, today=D(2026, 3, 8)).current == 0
    assert streaks([], today=D(2026, 3, 8)) == streaks([], today=D(2026, 3, 1))
    assert streaks([], today=D(2026, 3, 8)).longest == 0


def test_a_streak_spans_a_daylight_saving_change(learner, resource):
    # 7, 8 and 9 March in New York (the clocks change on the 8th), each in the late evening.
    complete_at(learner, resource, "2026-03-08T04:00", "2026-03-09T03:00", "2026-03-10T03:00")
    result = learner_activity(learner, NEW_YORK, now=at("2026-03-10T12:00"))
    assert (result.streaks.current, result.streaks.longest) == (3, 3)


def test_calendar_has_a_cell_per_day_with_titles_and_weeks_as_columns():
    today = D(2026, 11, 25)  # a Wednesday
    calendar = activity_calendar(
        {D(2026, 3, 12): DayActivity(3), D(2026, 3, 13): DayActivity(1, 1)}, today
    )
    first, last = calendar.cells[0], calendar.cells[-1]
    assert first.day.weekday() == 0  # columns start on Monday
    assert last.day == today
    assert len(calendar.cells) == (today - first.day).days + 1
    assert len({cell.x for cell in calendar.cells}) == 53
    titles = {cell.day: cell.title for cell in calendar.cells}
    assert titles[D(2026, 3, 12)] == "3 completions on 12 March 2026"
    assert titles[D(2026, 3, 13)] == "1 completion and 1 evidence submission on 13 March 2026"
    assert titles[D(2026, 3, 14)] == "No activity on 14 March 2026"
    levels = {cell.day: cell.level for cell in calendar.cells}
    assert (levels[D(2026, 3, 12)], levels[D(2026, 3, 13)], levels[D(2026, 3, 14)]) == (2, 2, 0)
    assert [label.text for label in calendar.month_labels][:2] == ["Dec", "Jan"]
    assert calendar.summary == (
        "4 completions and 1 evidence submission on 2 days between 24 November 2025 and "
        "25 November 2026."
    )


# A quarter to one on New Year's Day in Tokyo, still 31 December in UTC (the site's zone).
@pytest.mark.frozen_at(at("2026-12-31T15:45"))
def test_dashboard_shows_streaks_and_the_calendar_in_the_learners_zone(
    learner_client, learner, resource
):
    learner.profile.time_zone = "Asia/Tokyo"
    learner.profile.save()
    # 23:30 on 31 December and 00:30 on 1 January in Tokyo: one UTC day, two Tokyo days.
    complete_at(learner, resource, "2026-12-31T14:30", "2026-12-31T15:30")
    response = learner_client.get("/progress/")
    activity = by_id(response, "activity")
    assert {"1 completion on 31 December 2026", "1 completion on 1 January 2027"} <= {
        text(title) for title in elements(activity, "title")
    }
    assert list_items(activity, "Streaks") == ["2 days current streak", "2 days longest streak"]
    assert text(elements(activity, "figcaption")[0]).endswith(
        "Days follow your time zone, Asia/Tokyo."
    )


def test_busier_days_are_darker_on_fixed_steps():
    assert [shade(count) for count in (0, 1, 2, 3, 4, 5, 6, 40)] == [0, 1, 2, 2, 3, 3, 4, 4]


# Four minutes past four in the morning (UTC) is when the unfrozen version of this test failed:
# a completion five hours earlier fell on the day before, and the streak came out one day long.
# The mark (not a decorator) stops the clock for the fixtures too: a session opened at the real
# time had expired by the frozen one when the suite ran on an earlier clock.
@pytest.mark.frozen_at(at("2026-12-07T04:07"))
def test_dashboard_queries_do_not_grow_with_a_year_of_activity(
    seed_catalog, learner_client, learner, resource, django_assert_max_num_queries
):
    # Two completions on each of the last 365 days, both before the frozen moment of the day.
    first_of_today, second_of_today = at("2026-12-07T00:30"), at("2026-12-07T03:30")
    Activity.objects.bulk_create(
        Activity(
            learner=learner,
            resource=resource,
            status=Status.COMPLETED,
            created_at=moment - datetime.timedelta(days=day),
        )
        for day in range(365)
        for moment in (first_of_today, second_of_today)
    )
    # session, user, the catalog's and the learner's versions, the dashboard's own 13 (the
    # curricula followed among them),
    # profile, activity, study plan estimates, ...; and, this first time, the database cache
    # making the learner's awards token (a count, a savepoint, a read, an insert, a release)
    # and where each resource is (once per catalog version).
    with django_assert_max_num_queries(25):
        response = learner_client.get("/progress/")
    assert list_items(response, "Streaks")[1] == "365 days longest streak"
    # Seen again with nothing changed, the page is the one just rendered: session, user,
    # the two versions (one query in the database cache).
    with django_assert_max_num_queries(3):
        again = learner_client.get("/progress/")
    assert list_items(again, "Streaks")[1] == "365 days longest streak"
