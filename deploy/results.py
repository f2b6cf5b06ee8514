"""Figures a scenario collects, its checks, and the table `make loadtest` prints."""

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Figures:
    """What one scenario's clients saw; shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    write_latencies: list = field(default_factory=list)
    server_errors: list = field(default_factory=list)  # (time answered, status, latency)
    connection_errors: list = field(default_factory=list)  # times
    acknowledged: list = field(default_factory=list)  # times
    signed_out: int = 0
    sign_in_failures: int = 0
    unexpected: list = field(default_factory=list)

    def record(self, response, is_write):
        with self.lock:
            self.requests += 1
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
            if response.status >= 500:
                finished = response.started + response.elapsed
                self.server_errors.append((finished, response.status, response.elapsed))
            if is_write:
                self.write_latencies.append(response.elapsed)

    def record_connection_error(self):
        with self.lock:
            self.requests += 1
            self.connection_errors.append(time.monotonic())


@dataclass
class Outcome:
    name: str
    figures: Figures = None
    seconds: float = 0
    checks: list = field(default_factory=list)  # (description, passed)
    notes: list = field(default_factory=list)
    lost: int = 0
    duplicated: int = 0
    wrong_state: int = 0
    writes_checked: int = 0
    fault_events: dict = field(default_factory=dict)

    def check(self, description, passed):
        self.checks.append((description, bool(passed)))

    @property
    def passed(self):
        return all(passed for _, passed in self.checks)


def percentile(values, fraction):
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def table(outcomes):
    lines = [
        "| scenario | s | requests | writes acked | writes/s | 5xx | p50 ms | p95 ms "
        "| lost | dup | wrong | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for outcome in outcomes:
        figures = outcome.figures or Figures()
        acked = len(figures.acknowledged)
        rate = acked / outcome.seconds if outcome.seconds else 0
        lines.append(
            f"| {outcome.name} | {outcome.seconds:.0f} | {figures.requests} | {acked} "
            f"| {rate:.0f} | {len(figures.server_errors)} "
            f"| {percentile(figures.write_latencies, 0.5) * 1000:.0f} "
            f"| {percentile(figures.write_latencies, 0.95) * 1000:.0f} "
            f"| {outcome.lost} | {outcome.duplicated} | {outcome.wrong_state} "
            f"| {'pass' if outcome.passed else 'FAIL'} |"
        )
    notes = []
    for outcome in outcomes:
        for note in outcome.notes:
            notes.append(f"- {outcome.name}: {note}")
        for description, passed in outcome.checks:
            if not passed:
                notes.append(f"- {outcome.name}: FAILED: {description}")
    return "\n".join([*lines, "", *notes])
