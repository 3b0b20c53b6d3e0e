"""Benchmark: the planner on 2,000 candidates and 20 participants with every constraint kind, against greedy.

    python bench/bench_planner.py [--candidates 2000] [--participants 20] [--repeat 5] [--quick] [--json]

The instance is generated from a fixed seed: values 1..100 (heavy-tailed), efforts 0.5..16 h, 15 areas of
which three are capped, owners with shares (some knowledge islands), coupling groups of 2..4 items,
dependencies, pinned and excluded items, and island pairing on. Reported: the median wall time of
`solve` (validation, greedy, CP-SAT, explanations), the plan's value against greedy's and the solver's
status. Target: median < 2 s, and never below greedy's value.
"""
import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sprints.core.planner import solve  # noqa: E402
from sprints.core.planning_data import Candidate, Constraints, Owner, Participant  # noqa: E402

TARGET_SECONDS = 2.0
AREAS = [f"area{k:02d}" for k in range(15)]


def _owners(rng: random.Random, authors: list[str]) -> tuple[Owner, ...]:
    if rng.random() < 0.15:
        return (Owner(rng.choice(authors), 0.9),)
    chosen = rng.sample(authors, rng.randint(1, 3))
    weights = [rng.random() + 0.1 for _ in chosen]
    return tuple(Owner(author, round(w / sum(weights), 3)) for author, w in zip(chosen, weights))


def _links(rng: random.Random, index: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    groups = (f"g{index // 40}-{rng.randint(0, 9)}",) if rng.random() < 0.06 else ()
    depends = (f"item{rng.randrange(index)}",) if index and rng.random() < 0.05 else ()
    return groups, depends


def make_instance(candidates: int, participants: int, seed: int = 13) -> tuple[list, list, Constraints]:
    """A reproducible instance with every constraint kind."""
    rng = random.Random(seed)
    authors = [f"dev{k:02d}" for k in range(participants + 10)]
    items = []
    for index in range(candidates):
        area = rng.choice(AREAS)
        groups, depends = _links(rng, index)
        items.append(Candidate(
            id=f"item{index}", value=round(min(100.0, rng.paretovariate(1.5) * 5), 2),
            effort=rng.choice([0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16]), paths=(f"{area}/mod{index % 97}.py",),
            owners=_owners(rng, authors), groups=groups, depends_on=depends,
            pinned=index % 250 == 7, excluded=index % 50 == 11))
    people = [Participant(f"dev{k:02d}", capacity=float(rng.choice([16, 24, 32, 40, 60])),
                          areas=tuple(rng.sample(AREAS, 2))) for k in range(participants)]
    total = sum(p.capacity for p in people) * 0.9
    caps = tuple((area, total * 0.05) for area in AREAS[:3])
    return items, people, Constraints(total_capacity=total, area_caps=caps, pair_islands=True)


def measure(candidates: int, participants: int, repeat: int) -> dict:
    """Solve the instance `repeat` times; medians, value against greedy's, statuses."""
    items, people, constraints = make_instance(candidates, participants)
    seconds, plans = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        plans.append(solve(items, people, constraints))
        seconds.append(time.perf_counter() - started)
    plan = plans[-1]
    return {
        "candidates": candidates, "participants": participants, "repeat": repeat,
        "median_seconds": statistics.median(seconds), "max_seconds": max(seconds),
        "value": plan.total_value, "greedy_value": plan.greedy_value, "status": plan.status.value,
        "statuses": sorted({p.status.value for p in plans}), "solver": plan.solver,
        "chosen": len(plan.chosen), "effort": plan.total_effort, "capacity": plan.capacity,
        "never_below_greedy": all(p.total_value >= p.greedy_value - 1e-9 for p in plans),
    }


def report(result: dict) -> str:
    gain = result["value"] / result["greedy_value"] - 1 if result["greedy_value"] else 0.0
    lines = [
        f"planner benchmark: {result['candidates']} candidates, {result['participants']} participants, "
        f"{result['repeat']} run(s)",
        f"  solve, median                 {result['median_seconds']:10.3f} s  (target < {TARGET_SECONDS:g} s; "
        f"max {result['max_seconds']:.3f} s)",
        f"  plan value                    {result['value']:10.2f}  ({result['solver']}, "
        f"status {result['status']}; all runs: {', '.join(result['statuses'])})",
        f"  greedy value                  {result['greedy_value']:10.2f}  (plan {gain:+.2%})",
        f"  chosen items                  {result['chosen']:10d}  ({result['effort']:g} h of {result['capacity']:g} h)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the planner benchmark; return 0 when the median meets the target and no plan is below greedy."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one repetition")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    result = measure(options.candidates, options.participants, 1 if options.quick else max(1, options.repeat))
    print(json.dumps(result, indent=2) if options.json else report(result))
    return 0 if result["median_seconds"] < TARGET_SECONDS and result["never_below_greedy"] else 1


if __name__ == "__main__":
    sys.exit(main())
