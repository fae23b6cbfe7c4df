"""A lecture hall of phones, at the protocol level: the one-process server against the hall.

Each visitor is a `harness.protocol.Visitor` (Streamlit's websocket protocol, no browser): it
opens one of the demos and interacts every 3-7 s the way a person does there (its registry
entry's interaction in harness/interactions.py: draws a digit, types an expression, picks a
GAN endpoint, picks a style, clicks the patch photo, trains the playground one epoch,
trains the Wasserstein critic one step).
Every scenario runs against `make run`'s single process and against `make serve`'s replicas
behind HAProxy in the same run, and prints their ratios. Only 127.0.0.1 is ever contacted;
every loop is bounded in count and time.

Scenarios (all by default, or pick with --scenarios):
  light    N = 10, 25, 50, 75, 100 visitors: p50/p95/p99, unfinished interactions, server
           CPU-ms per interaction, RSS per visitor, the slowest health check
  pages    10 visitors on one page at a time: server CPU-ms per interaction on each page
  heavy    light traffic alone, then with 10 visitors training an adversarial patch at once
  playground, wasserstein  light traffic on the pages without animations alone, then 30
           visitors animating a live training on that page: their frame rate and CPU, then
           the others' p95 with them
  followers  light traffic alone, then with 100 visitors following the lecturer (each one's
           page looks at the room every 2 s): the others' p95 with them, their looks' p95
  flood    200 visitors open the app at once and leave: how long /_stcore/health stays slow
  soak     (only when named) visitors joining and leaving for --soak-minutes: RSS over time

    .venv/bin/python bench/load.py [--scenarios light,pages,heavy,playground,wasserstein,followers,flood]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from deploy.hall import free_port, running_hall, stop_processes, wait_healthy  # noqa: E402
from harness.interactions import ON_PAGE, PAGES  # noqa: E402
from harness.protocol import Visitor, VisitorError, http_get  # noqa: E402
from ui.i18n import TEXTS  # noqa: E402

THINK_SECONDS = (3.0, 7.0)
GRACE_SECONDS = 30        # after a scenario, how long an interaction still in flight may take
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --- the servers --------------------------------------------------------------------------

@dataclass
class Target:
    name: str
    url: str
    pids: list[int]

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / CLOCK_TICKS

    def rss_bytes(self) -> int:
        return sum(int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
                   for pid in self.pids)


@dataclass
class _Replica:
    url: str
    pid: int


@contextmanager
def streamlit_replica(environment: dict[str, str], extra_flags: list[str],
                      cwd: str | None = None) -> Iterator[_Replica]:
    """One `streamlit run app.py` as `make run` starts it (from `cwd`, e.g. an older
    checkout, when given), on a free port of 127.0.0.1."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *extra_flags],
        cwd=cwd or REPO_ROOT, env={**os.environ, **environment},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout=180)
        yield _Replica(url, process.pid)
    finally:
        stop_processes([process])


@contextmanager
def target(kind: str, options: argparse.Namespace) -> Iterator[Target]:
    """`single`: one process as `make run` starts it; `gc`: the same with Streamlit's default
    full garbage collection after every script run (the gallery's setting before the hall
    work); `hall`: `make serve`'s replicas behind HAProxy."""
    environment = {"DEMO_DEVICE": "cpu"}
    if kind == "hall":
        with running_hall(replicas=options.replicas, environment=environment) as hall:
            yield Target(f"hall x{options.replicas}", hall.url, [r.pid for r in hall.replicas])
        return
    flags = ["--runner.postScriptGC", "true"] if kind == "gc" else []
    with streamlit_replica(environment=environment, extra_flags=flags,
                           cwd=options.baseline_checkout if kind == "gc" else None) as replica:
        yield Target("single" if kind == "single" else "single, full GC per run",
                     replica.url, [replica.pid])


async def warm_up(target_: Target) -> None:
    """Open every page once per replica (loads the models) and wait for the background
    warm-up, so that scenarios measure serving, not loading."""
    for _ in range(2 * len(target_.pids)):
        visitor = Visitor(target_.url, timeout=180)
        await visitor.connect()
        for page in PAGES:
            await visitor.open_page(page)
        await visitor.close()
    await asyncio.sleep(20)


# --- measuring ----------------------------------------------------------------------------

@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    page_loads: list[float] = field(default_factory=list)
    started: int = 0
    errors: list[str] = field(default_factory=list)
    health: list[float] = field(default_factory=list)

    @property
    def unfinished(self) -> int:
        return self.started - len(self.latencies)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def watch_health(url: str, tally: Tally, stop: asyncio.Event, every: float = 1.0) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        try:
            await http_get(url + "/_stcore/health", timeout=30)
            tally.health.append(time.perf_counter() - start)
        except (OSError, asyncio.TimeoutError, VisitorError):
            tally.health.append(30.0)
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - start)))


async def visit(url: str, page: str, rng: random.Random, until: float, tally: Tally,
                join_delay: float = 0.0, interactions: int | None = None) -> None:
    """One visitor: join, open `page`, interact with think times until `until` (or
    `interactions` times), leave."""
    await asyncio.sleep(join_delay)
    visitor = Visitor(url, timeout=GRACE_SECONDS + 30)
    try:
        await visitor.connect()
        tally.page_loads.append((await visitor.open_page(page)).seconds)
        done = 0
        while interactions is None or done < interactions:
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            if time.perf_counter() >= until:
                break
            tally.started += 1
            result = await ON_PAGE[page].over_protocol(visitor, rng)
            tally.latencies.append(result.seconds)
            done += 1
    except (VisitorError, OSError, asyncio.TimeoutError) as error:
        tally.errors.append(f"{page}: {error}")
    finally:
        await visitor.close()


async def crowd(target_: Target, visitors: int, seconds: float, pages: list[str],
                seed: int = 0, join_seconds: float = 5.0) -> tuple[Tally, float, int]:
    """`visitors` join within `join_seconds` and interact for `seconds`. Returns the tally,
    the server's CPU seconds while they interacted, and the RSS they added."""
    rng = random.Random(seed)
    tally, stop = Tally(), asyncio.Event()
    rss_before = target_.rss_bytes()
    start = time.perf_counter()
    until = start + join_seconds + seconds
    health = asyncio.create_task(watch_health(target_.url, tally, stop))
    cpu_start = target_.cpu_seconds()
    tasks = [asyncio.create_task(visit(target_.url, pages[i % len(pages)],
                                       random.Random(rng.random()), until, tally,
                                       join_delay=rng.uniform(0, join_seconds)))
             for i in range(visitors)]
    await asyncio.wait(tasks, timeout=until - start + GRACE_SECONDS)
    rss_added = target_.rss_bytes() - rss_before
    cpu = target_.cpu_seconds() - cpu_start
    for task in tasks:
        task.cancel()
    stop.set()
    await asyncio.gather(health, *tasks, return_exceptions=True)
    return tally, cpu, rss_added


def summary(tally: Tally, cpu: float | None = None, rss: int | None = None,
            visitors: int = 0) -> dict[str, float]:
    runs = len(tally.latencies) + len(tally.page_loads)
    figures = {"p50_ms": 1000 * percentile(tally.latencies, 50),
               "p95_ms": 1000 * percentile(tally.latencies, 95),
               "p99_ms": 1000 * percentile(tally.latencies, 99),
               "finished": len(tally.latencies), "unfinished": tally.unfinished,
               "errors": len(tally.errors),
               "health_max_ms": 1000 * max(tally.health, default=float("nan"))}
    if cpu is not None and runs:
        figures["cpu_ms_per_run"] = 1000 * cpu / runs
    if rss is not None and visitors:
        figures["rss_mb_per_visitor"] = rss / visitors / 2**20
    return figures


def show(label: str, figures: dict[str, float]) -> None:
    print(f"  {label:<28} " + "  ".join(
        f"{name} {value:.0f}" if isinstance(value, int) or abs(value) >= 10 else
        f"{name} {value:.2f}" for name, value in figures.items()), flush=True)


# --- scenarios ----------------------------------------------------------------------------

async def light(target_: Target, options) -> dict:
    results = {}
    for visitors in options.visitors:
        tally, cpu, rss = await crowd(target_, visitors, options.seconds, PAGES, seed=visitors)
        results[visitors] = summary(tally, cpu, rss, visitors)
        show(f"{visitors} visitors", results[visitors])
        for error in tally.errors[:3]:
            print(f"    error: {error}")
    return results


async def pages(target_: Target, options) -> dict:
    results = {}
    for page in PAGES:
        tally, cpu, _ = await crowd(target_, 10, options.seconds / 2, [page], seed=1)
        results[page] = summary(tally, cpu)
        show(page, results[page])
    return results


async def heavy(target_: Target, options) -> dict:
    """Light traffic (20 visitors) alone, then the same with 10 patch trainings at once."""
    alone, _, _ = await crowd(target_, 20, options.seconds, PAGES, seed=2)
    results = {"light alone": summary(alone)}
    show("light alone", results["light alone"])
    heavy_texts: list[list[str]] = []

    async def trainer(index: int) -> None:
        visitor = Visitor(target_.url, timeout=options.seconds + 60)
        try:
            await visitor.connect()
            await visitor.open_page("adversarial_patch")
            await asyncio.sleep(2 + 0.1 * index)
            await visitor.set_widget("adversarial_patch.train_start", trigger_value=True)
        except (VisitorError, OSError, asyncio.TimeoutError) as error:
            visitor.texts.append(f"error: {error}")
        finally:
            # what the page showed so far: a training outlasts the light crowd
            heavy_texts.append(visitor.texts)
            await visitor.close()

    trainers = [asyncio.create_task(trainer(i)) for i in range(10)]
    with_heavy, _, _ = await crowd(target_, 20, options.seconds, PAGES, seed=2)
    for task in trainers:
        task.cancel()
    await asyncio.gather(*trainers, return_exceptions=True)
    results["light with 10 heavy"] = summary(with_heavy)
    show("light with 10 heavy", results["light with 10 heavy"])
    # the gallery opens in Hungarian (texts/heavy_work.toml)
    saw = {what: [texts for texts in heavy_texts if any(marker in text for text in texts)]
           for what, marker in (("their place in line", "Sorban állsz"),
                                ("the busy message", "várakozási sor megtelt"),
                                ("their turn (training steps)", ". lépés · veszteség"))}
    for what, visitors in saw.items():
        print(f"    heavy visitors who saw {what}: {len(visitors)} of {len(heavy_texts)}")
    if saw["their place in line"]:
        print("    e.g. " + next(text for text in saw["their place in line"][0]
                                  if "Sorban állsz" in text)[:90])
    return results


# page -> the preset chips that start its live training, and the presets the visitors press
ANIMATED_PAGES = {
    "playground": ("playground.preset", ("xor_needs_hidden", "relu_deep", "memorize")),
    "wasserstein": ("wasserstein.preset", ("shifted_blob", "ring_vs_blob", "disjoint_wgan")),
}


def beside_light_alone(results: dict, others: str, tally: Tally) -> dict:
    """Add the light traffic's figures with `others` (e.g. "30 training") beside its
    "light alone" ones, and print the ratio of their p95s."""
    label = f"light with {others}"
    results[label] = summary(tally)
    show(label, results[label])
    print(f"ratio others' p95 with / without {others}: "
          f"{results[label]['p95_ms'] / results['light alone']['p95_ms']:.2f}")
    return results


async def animate(target_: Target, page: str, trainers: int, stop: asyncio.Event,
                  frames: list[float]) -> None:
    """`trainers` visitors each press one of `page`'s presets and let its animation run until
    `stop`: `Visitor.auto_rerun` plays the browser's frame timer. Appends each frame's time."""
    chips, presets = ANIMATED_PAGES[page]

    async def trainer(index: int) -> None:
        visitor = Visitor(target_.url, timeout=GRACE_SECONDS + 30)
        stage = "opening the page"
        try:
            await visitor.connect()
            await visitor.open_page(page)
            stage = "pressing a preset"
            await asyncio.sleep(0.1 * index)
            preset = presets[index % len(presets)]
            # a chip sends its label, in the gallery's opening language, Hungarian
            await visitor.set_widget(chips, string_array_value=[
                TEXTS[f"{page}.preset_{preset}"]["hu"]])
            stage = "animating"
            while not stop.is_set() and visitor.auto_reruns:
                interval = next(iter(visitor.auto_reruns.values()))
                result = await visitor.auto_rerun()
                frames.append(result.seconds)
                await asyncio.sleep(max(0.0, interval - result.seconds))
        except (VisitorError, OSError, asyncio.TimeoutError) as error:
            print(f"    trainer error while {stage}: {error}")
        finally:
            await visitor.close()

    await asyncio.gather(*(trainer(i) for i in range(trainers)))


async def animation(page: str, target_: Target, options) -> dict:
    """Light traffic on the demos without animations (20 visitors) alone; then --trainers
    visitors animating a live training on `page`, alone (their frame rate and the server CPU
    each costs); then both at once (the others' p95 beside the first figure)."""
    others = [other for other in PAGES if other not in ANIMATED_PAGES]
    alone, _, _ = await crowd(target_, 20, options.seconds, others, seed=4)
    results = {"light alone": summary(alone)}
    show("light alone", results["light alone"])

    stop, frames = asyncio.Event(), []
    task = asyncio.create_task(animate(target_, page, options.trainers, stop, frames))
    await asyncio.sleep(10)  # everyone has joined and started
    counted, cpu_start = len(frames), target_.cpu_seconds()
    await asyncio.sleep(options.seconds / 2)
    cpu, count = target_.cpu_seconds() - cpu_start, len(frames) - counted
    stop.set()
    await task
    results["trainers alone"] = {
        "frames_per_s_each": count / options.trainers / (options.seconds / 2),
        "frame_p95_ms": 1000 * percentile(frames[counted:], 95),
        "cpu_ms_per_frame": 1000 * cpu / max(count, 1),
        "cpu_ms_per_trainer_s": 1000 * cpu / options.trainers / (options.seconds / 2)}
    show("trainers alone", results["trainers alone"])

    stop, frames = asyncio.Event(), []
    task = asyncio.create_task(animate(target_, page, options.trainers, stop, frames))
    with_training, _, _ = await crowd(target_, 20, options.seconds, others, seed=4)
    stop.set()
    await task
    return beside_light_alone(results, f"{options.trainers} training", with_training)


async def followers(target_: Target, options) -> dict:
    """Light traffic (20 visitors on the demos) alone, then with --followers visitors whose
    "follow the lecturer" switch is on: each one's fragment looks at the room every
    FOLLOW_SECONDS (`Visitor.auto_rerun` plays the browser's timer). Their CPU per look, and
    the others' p95 beside the first figure."""
    alone, _, _ = await crowd(target_, 20, options.seconds, PAGES, seed=5)
    results = {"light alone": summary(alone)}
    show("light alone", results["light alone"])
    stop, looks = asyncio.Event(), []

    async def follower(index: int) -> None:
        visitor = Visitor(target_.url, timeout=GRACE_SECONDS + 30)
        try:
            await visitor.connect()
            await asyncio.sleep(0.05 * index)
            await visitor.open_page("")
            await visitor.set_widget("classroom.follow", bool_value=True)
            while not stop.is_set() and visitor.auto_reruns:
                interval = next(iter(visitor.auto_reruns.values()))
                looks.append((await visitor.auto_rerun()).seconds)
                await asyncio.sleep(interval)
        except (VisitorError, OSError, asyncio.TimeoutError) as error:
            print(f"    follower error: {error}")
        finally:
            await visitor.close()

    task = asyncio.gather(*(follower(i) for i in range(options.followers)))
    await asyncio.sleep(10)  # everyone has joined
    counted, cpu_start = len(looks), target_.cpu_seconds()
    await asyncio.sleep(options.seconds / 2)
    cpu, count = target_.cpu_seconds() - cpu_start, len(looks) - counted
    results["followers alone"] = {"looks_per_s": count / (options.seconds / 2),
                                  "look_p95_ms": 1000 * percentile(looks[counted:], 95),
                                  "cpu_ms_per_look": 1000 * cpu / max(count, 1)}
    show("followers alone", results["followers alone"])
    with_followers, _, _ = await crowd(target_, 20, options.seconds, PAGES, seed=5)
    stop.set()
    await task
    return beside_light_alone(results, f"{options.followers} following", with_followers)


async def flood(target_: Target, options, visitors: int = 200) -> dict:
    """`visitors` open a page at once and leave right away; health polled every 0.1 s."""
    tally, stop = Tally(), asyncio.Event()
    health = asyncio.create_task(watch_health(target_.url, tally, stop, every=0.1))
    rng = random.Random(3)

    async def reload(index: int) -> None:
        visitor = Visitor(target_.url, timeout=30)
        try:
            await visitor.connect()
            await visitor.send_page_request(PAGES[index % len(PAGES)])
            await asyncio.sleep(rng.uniform(0, 0.5))
        except (VisitorError, OSError, asyncio.TimeoutError) as error:
            tally.errors.append(str(error))
        finally:
            await visitor.close()

    await asyncio.sleep(1)
    flood_start = time.perf_counter()
    start_index = len(tally.health)
    await asyncio.gather(*(reload(i) for i in range(visitors)))
    flood_end = time.perf_counter()
    bystander = Tally()
    await visit(target_.url, "gan", random.Random(4), time.perf_counter() + 15, bystander,
                interactions=3)
    await asyncio.sleep(max(0.0, flood_start + 20 - time.perf_counter()))
    stop.set()
    await health
    samples = tally.health[start_index:]
    # health checks were sent every 0.1 s from the flood's start: find the last slow one
    slow = [i for i, seconds in enumerate(samples) if seconds >= 1.0]
    elapsed = 0.0
    recovered_after = 0.0
    for i, seconds in enumerate(samples):
        elapsed += max(seconds, 0.1)
        if slow and i == slow[-1]:
            recovered_after = elapsed
    figures = {"health_max_ms": 1000 * max(samples, default=float("nan")),
               "health_ok_after_s": recovered_after,
               "flood_seconds": flood_end - flood_start,
               "health_ok_after_flood_end_s": max(0.0, recovered_after - (flood_end - flood_start)),
               "errors": len(tally.errors),
               "bystander_p50_ms": 1000 * percentile(bystander.latencies, 50)}
    show(f"{visitors} reloads", figures)
    return figures


async def soak(target_: Target, options) -> dict:
    """Visitors join and leave for --soak-minutes; the server's RSS every 30 s."""
    rng = random.Random(5)
    tally = Tally()
    end = time.perf_counter() + 60 * options.soak_minutes
    samples = []

    async def sampler() -> None:
        start = time.perf_counter()
        while time.perf_counter() < end:
            samples.append((time.perf_counter() - start, target_.rss_bytes() / 2**20))
            print(f"    {samples[-1][0] / 60:5.1f} min  RSS {samples[-1][1]:.0f} MB  "
                  f"interactions {len(tally.latencies)}", flush=True)
            await asyncio.sleep(30)

    async def visitor_stream(slot: int) -> None:
        # each slot is one seat in the hall: a visitor stays 1-3 minutes, then the next comes
        while time.perf_counter() < end:
            stay = time.perf_counter() + rng.uniform(60, 180)
            await visit(target_.url, rng.choice(PAGES), random.Random(rng.random()),
                        min(stay, end), tally)

    await asyncio.gather(sampler(), *(visitor_stream(i) for i in range(options.soak_visitors)))
    third = len(samples) // 3
    first, last = samples[third][1], samples[-1][1]
    figures = {"rss_start_mb": samples[0][1], "rss_at_third_mb": first, "rss_end_mb": last,
               "growth_last_two_thirds_mb": last - first, "interactions": len(tally.latencies),
               "errors": len(tally.errors)}
    show("soak", figures)
    return figures


SCENARIOS = {"light": light, "pages": pages, "heavy": heavy,
             "playground": functools.partial(animation, "playground"),
             "wasserstein": functools.partial(animation, "wasserstein"),
             "followers": followers, "flood": flood, "soak": soak}


def ratio_lines(results: dict[str, dict], scenario: str) -> None:
    names = list(results)
    if len(names) < 2:
        return
    base, *others = names
    for other in others:
        for key, figures in results[other].items():
            if not isinstance(figures, dict):
                continue
            reference = results[base].get(key, {})
            for metric in ("p95_ms", "cpu_ms_per_run"):
                if metric in figures and reference.get(metric):
                    print(f"ratio {scenario} {key} {metric}: {other} / {base} = "
                          f"{figures[metric] / reference[metric]:.2f}")


async def run(options: argparse.Namespace) -> None:
    all_results: dict[str, dict[str, dict]] = {name: {} for name in options.scenarios}
    for kind in options.targets:
        with target(kind, options) as target_:
            print(f"== {target_.name} at {target_.url} (pids {target_.pids})", flush=True)
            await warm_up(target_)
            for name in options.scenarios:
                print(f"-- {name}", flush=True)
                all_results[name][target_.name] = await SCENARIOS[name](target_, options)
    print("== ratios")
    for name, results in all_results.items():
        if name == "light":
            for target_name, by_count in results.items():
                good = [n for n, figures in by_count.items() if figures["p95_ms"] <= 1000
                        and figures["unfinished"] == 0]
                print(f"largest N with p95 <= 1 s ({target_name}): {max(good, default=0)}")
        if name == "flood":
            continue
        ratio_lines(results, name)
    if "flood" in all_results:
        names = list(all_results["flood"])
        if len(names) >= 2:
            base, other = all_results["flood"][names[0]], all_results["flood"][names[-1]]
            print(f"ratio flood health_ok_after_s: {names[-1]} / {names[0]} = "
                  f"{other['health_ok_after_s'] / max(base['health_ok_after_s'], 0.1):.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="light,pages,heavy,playground,wasserstein,followers,flood",
                        type=lambda s: s.split(","))
    parser.add_argument("--targets", default="single,hall", type=lambda s: s.split(","),
                        help="any of: gc (Streamlit's full GC per run), single, hall")
    parser.add_argument("--visitors", default="10,25,50,75,100",
                        type=lambda s: [int(n) for n in s.split(",")])
    parser.add_argument("--seconds", type=float, default=60, help="length of each crowd")
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--trainers", type=int, default=30, help="the playground and wasserstein scenarios")
    parser.add_argument("--followers", type=int, default=100, help="the followers scenario")
    parser.add_argument("--soak-minutes", type=float, default=30)
    parser.add_argument("--soak-visitors", type=int, default=30)
    parser.add_argument("--baseline-checkout", default=None,
                        help="for the gc target: run the app from another checkout (e.g. a "
                             "git worktree of an older commit) to measure 'before' figures")
    options = parser.parse_args(argv)
    unknown = set(options.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}")
    asyncio.run(run(options))


if __name__ == "__main__":
    main()
