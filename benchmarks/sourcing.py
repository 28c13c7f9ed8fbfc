"""Sourcing benchmark: origins and findings over long via chains must grow linearly with the chain."""
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import results  # noqa: E402  benchmarks/results.py

from generator.facts import sourcing  # noqa: E402
from generator.facts.dataset import Dataset  # noqa: E402
from generator.facts.models import Assessment, Brief, Flight, Source  # noqa: E402

CHAINS = (1_000, 10_000, 100_000)
JUDGMENTS = 100  # assessments citing the flight at the end of the chain
HEADING = "## Sourcing graph"


def chain_brief(relays: int) -> Dataset:
    """One origin relayed relays times, a flight citing the last relay, and JUDGMENTS judgments citing the flight."""
    data = Dataset(brief=Brief(title="Bench", edition=date(2024, 12, 16), tlp="TLP:CLEAR", stale_after=30))
    for n in range(relays + 1):
        sid = f"s{n}"
        data.sources[sid] = Source(id=sid, title=sid, publisher="p", published="2024-12-01", kind="news",
                                   reliability="B", via=f"s{n - 1}" if n else None)
    data.flights["f"] = Flight(id="f", departure="unknown", arrival="2024-12-14", origin={"country": "BY"},
                               destination={"country": "LY"}, basis="reported", sources=[f"s{relays}"], credibility=1)
    for n in range(JUDGMENTS):
        data.assessments[f"a{n}"] = Assessment(
            id=f"a{n}", title="T", date="2024-12-15", judgment="J", likelihood="likely", confidence="high",
            attribution="brief", evidence=[{"flight": "f"}], sources=[f"s{relays}"])
    return data


def timed(relays: int) -> tuple[float, int, int]:
    """Seconds for every assessment's sourcing plus every finding, the channels seen and the findings made."""
    data = chain_brief(relays)
    start = time.perf_counter()
    every = sourcing.all_sourcing(data)
    found = sourcing.findings(data, data.brief.stale_after)
    seconds = time.perf_counter() - start
    return seconds, len({c for s in every.values() for c in s.channels}), len(found)


def section(chains=CHAINS) -> str:
    """The Markdown section for RESULTS.md."""
    rows = [(n, *timed(n)) for n in chains]
    lines = [HEADING, "",
             f"One origin relayed N times through `via`, a flight citing the last relay, and {JUDGMENTS} high-confidence "
             "judgments resting on that flight: time to compute every judgment's origins and every finding "
             "(`generator/facts/sourcing.py`).", "",
             "| relays | time | per relay | origins found | findings |", "|---|---|---|---|---|"]
    lines += [f"| {n:,} | {s:.3f} s | {s / n * 1e6:.1f} µs | {o} | {f} |" for n, s, o, f in rows]
    growth = rows[-1][1] / rows[0][1]
    span = rows[-1][0] / rows[0][0]
    lines += ["", f"From {rows[0][0]:,} to {rows[-1][0]:,} relays ({span:.0f}× longer) the time grows {growth:.0f}×: "
              f"linear is {span:.0f}×, {'met' if growth <= span * 1.5 else 'MISSED'} (within 1.5× of linear).", ""]
    return "\n".join(lines)


def write(path: Path, chains=CHAINS) -> str:
    """Put this benchmark's section into RESULTS.md in place of its previous one, leaving the rest as it is."""
    return results.put_section(path, HEADING, section(chains))


if __name__ == "__main__":
    sizes = tuple(int(n) for n in sys.argv[1:] if n.isdigit()) or CHAINS
    if "--write" in sys.argv:
        print(write(Path(__file__).with_name("RESULTS.md"), sizes))
    else:
        print(section(sizes))
