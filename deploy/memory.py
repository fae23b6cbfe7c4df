"""Memory of a hall's replicas once their models are loaded: RSS, PSS and USS per replica.

    python -m deploy.memory [--replicas 2]

Starts a hall (deploy.hall.running_hall, which opens one session per replica and so starts
its model warm-up), waits until every replica has stopped using CPU (the warm-up is over),
and prints /proc/<pid>/smaps_rollup of each: RSS counts every page a replica maps, PSS
divides each shared page among the processes that map it (so the replicas' PSS add up to
what they really take), USS is what is the replica's alone (what stopping it would free).
"""

from __future__ import annotations

import argparse
import os
import time

from deploy.hall import running_hall


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of `pid`, in clock ticks."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_idle(pids: list[int], quiet_s: int = 4, timeout: float = 300) -> float:
    """Wait until none of `pids` used more than 3 ticks of CPU in each of `quiet_s`
    consecutive seconds; returns the seconds waited."""
    start = time.monotonic()
    last, quiet = [cpu_ticks(pid) for pid in pids], 0
    while quiet < quiet_s and time.monotonic() - start < timeout:
        time.sleep(1)
        now = [cpu_ticks(pid) for pid in pids]
        quiet = quiet + 1 if all(b - a <= 3 for a, b in zip(last, now)) else 0
        last = now
    return time.monotonic() - start


def memory_mb(pid: int) -> dict[str, float]:
    """RSS, PSS, USS (private clean + dirty) and Shared (clean + dirty) of `pid`, in MB."""
    kb: dict[str, int] = {}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            kb[parts[0].rstrip(":")] = int(parts[1])
    return {"RSS": kb["Rss"] / 1024, "PSS": kb["Pss"] / 1024,
            "USS": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024,
            "Shared": (kb["Shared_Clean"] + kb["Shared_Dirty"]) / 1024}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.memory", description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    args = parser.parse_args(argv)
    os.environ.setdefault("DEMO_DEVICE", "cpu")
    with running_hall(replicas=args.replicas) as hall:
        waited = wait_idle([replica.pid for replica in hall.replicas])
        print(f"{args.replicas} replicas, idle {waited:.0f} s after the hall was up")
        total = {"RSS": 0.0, "PSS": 0.0, "USS": 0.0}
        for replica in hall.replicas:
            figures = memory_mb(replica.pid)
            print(f"replica {replica.name} (pid {replica.pid}): "
                  + ", ".join(f"{name} {value:.0f} MB" for name, value in figures.items()))
            for name in total:
                total[name] += figures[name]
        print("sum: " + ", ".join(f"{name} {value:.0f} MB" for name, value in total.items())
              + " (the PSS sum is what the replicas take together)")


if __name__ == "__main__":
    main()
