"""The bench's pure parts: the order builds take turns in, how rounds fold into ratios, and
issue #17's targets judged from figures."""

from __future__ import annotations

from bench.figures import BASELINE, THIS, Figures, Row, interleaved, paired_ratio
from bench.probe import Probe
from bench.targets import evaluate


def row(
    build: str,
    scenario: str,
    workers: int = 1,
    round_: int = 0,
    *,
    requests: int = 100,
    throughput: float = 100.0,
    p99_ms: float = 50.0,
    cpu_seconds: float = 1.0,
    objects: int = 10,
) -> Row:
    return Row(
        build,
        scenario,
        workers,
        round_,
        requests,
        throughput,
        10.0,
        p99_ms,
        cpu_seconds,
        objects,
        0,
    )


def test_builds_take_turns_round_by_round() -> None:
    assert interleaved(["this", "ref"], 2) == [(0, "this"), (0, "ref"), (1, "this"), (1, "ref")]
    assert interleaved(["this", "ref", "plain"], 1) == [(0, "this"), (0, "ref"), (0, "plain")]
    assert interleaved(["this"], 0) == []


def test_a_ratio_is_the_median_of_the_rounds_side_by_side() -> None:
    assert paired_ratio([10, 30, 8], [5, 10, 8]) == 2.0
    assert paired_ratio([10, 30], [5, 10]) == 2.5
    # a round without both figures does not count; none at all is no ratio
    assert paired_ratio([10, None], [5, 10]) == 2.0
    assert paired_ratio([None], [5]) is None


def test_rounds_are_paired_by_number_and_a_builds_figure_is_its_fastest_round() -> None:
    figures = Figures(
        [
            row(THIS, "grid", round_=0, throughput=60),
            row("ref", "grid", round_=0, throughput=20),
            row(THIS, "grid", round_=1, throughput=90),
            row("ref", "grid", round_=1, throughput=90),
        ]
    )
    best = figures.best(THIS, "grid", 1)
    assert best is not None and best.throughput == 90
    assert figures.throughput_ratio("ref", "grid", 1) == 2.0  # median of 3.0 and 1.0
    assert figures.throughput_ratio("ref", "grid", 2) is None


def test_cpu_per_object_and_per_request() -> None:
    measured = row(THIS, "grid", requests=200, cpu_seconds=2.0, objects=100)
    assert measured.cpu_ms_per_request == 10.0
    assert measured.cpu_us_per_object == 100.0
    assert row(THIS, "floor", objects=0).cpu_us_per_object is None


def _verdicts(figures: Figures, grid_20_ms: float, ref: str | None) -> dict[str, bool | None]:
    probes = {"worker grid 20": Probe(5, 2, 116, grid_20_ms)}
    return {v.target: v.met for v in evaluate(figures, probes, ref)}


def test_targets_met_missed_and_not_measured() -> None:
    fast = [
        row(THIS, "worker grid 100", requests=1000, cpu_seconds=1.0, objects=100),  # 10 µs
        row(THIS, "worker grid 20", throughput=600),
        row("ref", "worker grid 20", throughput=100),
        row(BASELINE, "worker grid 20", throughput=300),
        row(THIS, "account detail", throughput=400),
        row("ref", "account detail", throughput=100),
        row(THIS, "worker grid 20", workers=2, p99_ms=99.0),
        row(THIS, "account detail", workers=2, p99_ms=101.0),
    ]
    verdicts = _verdicts(Figures(fast), 2.5, "ref")
    assert verdicts == {
        "CPU per object, worker grid 100, 1 worker ≤ 12 µs": True,
        "CPU per request in-process, worker grid 20 ≤ 3 ms": True,
        "req/s ≥ 5x ref, worker grid 20, 1 worker": True,
        "req/s ≥ 5x ref, account detail, 1 worker": False,
        "req/s ≥ 5x ref, storefront page, 1 worker": None,
        "req/s ≥ 3x plain Strawberry, worker grid 20, 1 worker": False,
        "req/s ≥ 3x plain Strawberry, account detail, 1 worker": None,
        "p99 ≤ 100 ms at 32 clients, worker grid 20, 2 workers": True,
        "p99 ≤ 100 ms at 32 clients, account detail, 2 workers": False,
        "p99 ≤ 100 ms at 32 clients, storefront page, 2 workers": None,
    }
    # without --compare, the REF targets are not measured rather than missed
    without_ref = _verdicts(Figures(fast), 3.5, None)
    assert without_ref["req/s ≥ 5x REF (--compare), worker grid 20, 1 worker"] is None
    assert without_ref["CPU per request in-process, worker grid 20 ≤ 3 ms"] is False
