"""The figures of a run: one row per build, scenario, worker count and round; the order builds
take turns in; and how rounds fold into one figure and one ratio per scenario."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

THIS = "this build"
BASELINE = "plain Strawberry"

T = TypeVar("T")


@dataclass
class Row:
    build: str
    scenario: str
    workers: int
    round: int
    requests: int
    throughput: float
    p50_ms: float
    p99_ms: float
    cpu_seconds: float
    objects: int | None
    failures: int

    @property
    def cpu_ms_per_request(self) -> float | None:
        return self.cpu_seconds / self.requests * 1000 if self.requests else None

    @property
    def cpu_us_per_object(self) -> float | None:
        if not (self.objects and self.requests):
            return None
        return self.cpu_seconds / (self.requests * self.objects) * 1e6


def interleaved(builds: Sequence[T], rounds: int) -> list[tuple[int, T]]:
    """A B A B …: each round drives every build once, in the same order, so a slow hour of the
    shared machine weighs on each build alike."""
    return [(r, build) for r in range(rounds) for build in builds]


def fastest(rows: Iterable[Row]) -> Row:
    """A build's figure for a scenario: its fastest round (other load only ever slows one down)."""
    return max(rows, key=lambda row: row.throughput)


def paired_ratio(ours: Sequence[float | None], theirs: Sequence[float | None]) -> float | None:
    """The median over rounds of ours/theirs, each round's pair measured side by side; None
    where no round has both figures."""
    ratios = [a / b for a, b in zip(ours, theirs, strict=True) if a and b]
    return statistics.median(ratios) if ratios else None


@dataclass
class Figures:
    rows: list[Row]

    def runs(self, build: str, scenario: str, workers: int) -> list[Row]:
        return sorted(
            (
                r
                for r in self.rows
                if (r.build, r.scenario, r.workers) == (build, scenario, workers)
            ),
            key=lambda r: r.round,
        )

    def best(self, build: str, scenario: str, workers: int) -> Row | None:
        runs = self.runs(build, scenario, workers)
        return fastest(runs) if runs else None

    def throughput_ratio(self, other: str, scenario: str, workers: int) -> float | None:
        """This build's req/s over `other`'s, round by round."""
        ours, theirs = self._paired(other, scenario, workers)
        return paired_ratio([r.throughput for r in ours], [r.throughput for r in theirs])

    def cpu_ratio(self, other: str, scenario: str, workers: int) -> float | None:
        """This build's CPU per request over `other`'s (below 1: this build is cheaper)."""
        ours, theirs = self._paired(other, scenario, workers)
        return paired_ratio(
            [r.cpu_ms_per_request for r in ours], [r.cpu_ms_per_request for r in theirs]
        )

    def cpu_per_object_ratio(self, other: str, scenario: str, workers: int) -> float | None:
        ours, theirs = self._paired(other, scenario, workers)
        return paired_ratio(
            [r.cpu_us_per_object for r in ours], [r.cpu_us_per_object for r in theirs]
        )

    def _paired(self, other: str, scenario: str, workers: int) -> tuple[list[Row], list[Row]]:
        ours = {r.round: r for r in self.runs(THIS, scenario, workers)}
        theirs = {r.round: r for r in self.runs(other, scenario, workers)}
        rounds = sorted(ours.keys() & theirs.keys())
        return [ours[n] for n in rounds], [theirs[n] for n in rounds]
