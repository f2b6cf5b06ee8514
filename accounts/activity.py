"""Streaks and the one-year activity calendar, counted by calendar day in the learner's zone.

A day counts when the learner completes a resource or submits milestone evidence. The rules
(`streaks`, `activity_calendar`) are plain functions over dates; `daily_activity` reads
them from the database in one aggregate query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Value
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from progress.models import Activity, Evidence, Status

CALENDAR_WEEKS = 53
CELL = 11  # px, one day
STEP = 13  # px, a cell and its gap
LEFT = 30  # px, room for weekday labels
TOP = 16  # px, room for month labels
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


@dataclass(frozen=True)
class DayActivity:
    completions: int = 0
    submissions: int = 0

    @property
    def total(self):
        return self.completions + self.submissions


def local_today(zone, now=None):
    return (now or timezone.now()).astimezone(zone).date()


def daily_activity(learner, zone):
    """{local date: DayActivity} over the learner's whole history, in one query.

    Completions come from the activity log; evidence counts on the day it was (last) submitted.
    Both are grouped by day in the database, in `zone`, so day boundaries follow the learner's
    clock, daylight saving included.
    """
    completions = (
        Activity.objects.for_learner(learner)
        .filter(status=Status.COMPLETED)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(completions=Count("pk"), submissions=Value(0, output_field=IntegerField()))
    )
    submissions = (
        Evidence.objects.for_learner(learner)
        .annotate(day=TruncDate("submitted_at", tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(completions=Value(0, output_field=IntegerField()), submissions=Count("pk"))
    )
    by_day = {}
    for row in completions.union(submissions, all=True):
        day = row["day"]
        if isinstance(day, str):  # SQLite hands back text from a UNION
            day = datetime.date.fromisoformat(day)
        earlier = by_day.get(day, DayActivity())
        by_day[day] = DayActivity(
            earlier.completions + row["completions"], earlier.submissions + row["submissions"]
        )
    return by_day


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int


def streaks(active_days, today):
    """Consecutive active days. The current streak survives until `today` ends without activity:
    it counts back from today, or from yesterday when today has nothing yet."""
    days = sorted(set(active_days))
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == datetime.timedelta(1) else 1
        longest = max(longest, run)
        previous = day
    active = set(days)
    day = today if today in active else today - datetime.timedelta(1)
    current = 0
    while day in active:
        current += 1
        day -= datetime.timedelta(1)
    return Streaks(current=current, longest=longest)


def long_date(day):
    return f"{day.day} {day:%B} {day.year}"


def completions_words(count):
    return ngettext("%(count)d completion", "%(count)d completions", count) % {"count": count}


def submissions_words(count):
    return ngettext("%(count)d evidence submission", "%(count)d evidence submissions", count) % {
        "count": count
    }


def days_words(count):
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def describe_day(day, activity):
    parts = []
    if activity.completions:
        parts.append(completions_words(activity.completions))
    if activity.submissions:
        parts.append(submissions_words(activity.submissions))
    return f"{' and '.join(parts) or 'No activity'} on {long_date(day)}"


def shade(count):
    """0 (none) to 4 (busiest), on fixed steps so a learner's colours do not shift over time."""
    if count == 0:
        return 0
    if count == 1:
        return 1
    if count <= 3:
        return 2
    if count <= 5:
        return 3
    return 4


@dataclass(frozen=True)
class Cell:
    day: datetime.date
    x: int
    y: int
    level: int
    title: str


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class ActivityCalendar:
    cells: tuple[Cell, ...]
    month_labels: tuple[Label, ...]
    weekday_labels: tuple[Label, ...]
    width: int
    height: int
    summary: str

    def cells_markup(self):
        """The year's 371 cells as SVG, written here rather than in a template loop: the loop
        (localized numbers and a date filter per cell) was half of the dashboard's render."""
        # Safe: only numbers, ISO dates and the escaped title.
        return mark_safe(
            "".join(
                f'<rect x="{cell.x:d}" y="{cell.y:d}" width="{CELL}" height="{CELL}" rx="2" '
                f'class="heatmap__cell heatmap__cell--{cell.level:d}" '
                f'data-date="{cell.day.isoformat()}"><title>{escape(cell.title)}</title></rect>'
                for cell in self.cells
            )
        )


def activity_calendar(activity_by_day, today):
    """One year up to `today` as SVG geometry: weeks as columns (Monday on top), one cell a day."""
    first = today - datetime.timedelta(weeks=CALENDAR_WEEKS - 1, days=today.weekday())
    cells, month_labels = [], []
    completions = submissions = active = 0
    day = first
    while day <= today:
        week, weekday = (day - first).days // 7, day.weekday()
        activity = activity_by_day.get(day, DayActivity())
        x, y = LEFT + week * STEP, TOP + weekday * STEP
        cells.append(Cell(day, x, y, shade(activity.total), describe_day(day, activity)))
        if day.day == 1 or day == first:
            month_labels.append(Label(x, TOP - 5, f"{day:%b}"))
        completions += activity.completions
        submissions += activity.submissions
        active += bool(activity.total)
        day += datetime.timedelta(1)
    # The first column's label is dropped when the next month's follows too closely to read.
    if len(month_labels) > 1 and month_labels[1].x - month_labels[0].x < 3 * STEP:
        month_labels.pop(0)
    done = [completions_words(completions)]
    if submissions:
        done.append(submissions_words(submissions))
    summary = (
        f"{' and '.join(done)} on {days_words(active)} between {long_date(first)} and "
        f"{long_date(today)}."
    )
    weekday_labels = tuple(
        Label(0, TOP + weekday * STEP + CELL - 1, text) for weekday, text in WEEKDAY_LABELS.items()
    )
    return ActivityCalendar(
        cells=tuple(cells),
        month_labels=tuple(month_labels),
        weekday_labels=weekday_labels,
        width=LEFT + CALENDAR_WEEKS * STEP,
        height=TOP + 7 * STEP,
        summary=summary,
    )


@dataclass(frozen=True)
class LearnerActivity:
    streaks: Streaks
    calendar: ActivityCalendar


def learner_activity(learner, zone, now=None):
    """Streaks and the calendar for one learner, from one query."""
    by_day = daily_activity(learner, zone)
    today = local_today(zone, now)
    active_days = [day for day, activity in by_day.items() if activity.total]
    return LearnerActivity(
        streaks=streaks(active_days, today), calendar=activity_calendar(by_day, today)
    )
