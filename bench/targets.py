"""Issue #17's targets, and whether a run's figures meet them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.figures import BASELINE, THIS, Figures
from bench.probe import Probe

# The pages the throughput and latency targets name; the baseline serves the first two.
PAGES = ("worker grid 20", "account detail", "storefront page")
BASELINE_PAGES = ("worker grid 20", "account detail")
GRID_100_CPU_US_PER_OBJECT = 12.0
GRID_20_CPU_MS_IN_PROCESS = 3.0
TIMES_REF = 5.0
TIMES_BASELINE = 3.0
P99_MS = 100.0


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: float | None
    unit: str
    met: bool | None  # None: not measured in this run

    @property
    def shown(self) -> str:
        return "not measured" if self.measured is None else f"{self.measured:,.1f} {self.unit}"


def _verdict(
    target: str, measured: float | None, unit: str, ok: Callable[[float], bool]
) -> Verdict:
    return Verdict(target, measured, unit, None if measured is None else ok(measured))


def evaluate(figures: Figures, probes: dict[str, Probe], ref: str | None) -> list[Verdict]:
    grid_100 = figures.best(THIS, "worker grid 100", 1)
    grid_20 = probes.get("worker grid 20")
    verdicts = [
        _verdict(
            f"CPU per object, worker grid 100, 1 worker ≤ {GRID_100_CPU_US_PER_OBJECT:g} µs",
            grid_100.cpu_us_per_object if grid_100 else None,
            "µs",
            lambda v: v <= GRID_100_CPU_US_PER_OBJECT,
        ),
        _verdict(
            f"CPU per request in-process, worker grid 20 ≤ {GRID_20_CPU_MS_IN_PROCESS:g} ms",
            grid_20.cpu_ms if grid_20 else None,
            "ms",
            lambda v: v <= GRID_20_CPU_MS_IN_PROCESS,
        ),
    ]
    for page in PAGES:
        verdicts.append(
            _verdict(
                f"req/s ≥ {TIMES_REF:g}x {ref or 'REF (--compare)'}, {page}, 1 worker",
                figures.throughput_ratio(ref, page, 1) if ref else None,
                "x",
                lambda v: v >= TIMES_REF,
            )
        )
    for page in BASELINE_PAGES:
        verdicts.append(
            _verdict(
                f"req/s ≥ {TIMES_BASELINE:g}x plain Strawberry, {page}, 1 worker",
                figures.throughput_ratio(BASELINE, page, 1),
                "x",
                lambda v: v >= TIMES_BASELINE,
            )
        )
    for page in PAGES:
        best = figures.best(THIS, page, 2)
        verdicts.append(
            _verdict(
                f"p99 ≤ {P99_MS:g} ms at 32 clients, {page}, 2 workers",
                best.p99_ms if best else None,
                "ms",
                lambda v: v <= P99_MS,
            )
        )
    return verdicts


def print_targets(verdicts: list[Verdict]) -> None:
    print("| target | measured | met |")
    print("|---|---|---|")
    for v in verdicts:
        met = "-" if v.met is None else ("yes" if v.met else "no")
        print(f"| {v.target} | {v.shown} | {met} |")
