"""The shared pace of live animations: intervals grow with the crowd, frames take turns."""

import threading
import time

import pytest

from ui.animation import Pace


def test_the_interval_grows_with_the_number_of_animating_visitors():
    pace = Pace(frame_cpu_seconds=0.05, cpu_share=0.25, fastest=0.5)
    assert pace.frame_interval("a", True) == 0.5            # alone: the fastest pace
    for visitor in "bcdefghij":
        pace.frame_interval(visitor, True)
    assert pace.frame_interval("k", True) == pytest.approx(11 * 0.05 / 0.25)
    assert pace.frame_interval("k", False) == pytest.approx(10 * 0.05 / 0.25)  # k paused


def test_a_visitor_gone_quiet_stops_counting():
    pace = Pace(frame_cpu_seconds=1, cpu_share=1, fastest=0.1, forget_after=0.05)
    pace.frame_interval("gone", True)
    time.sleep(0.1)
    assert pace.frame_interval("here", True) == 1  # only "here" is counted


def test_frames_are_drawn_one_at_a_time_in_the_order_they_asked():
    pace = Pace(frame_cpu_seconds=0.05, cpu_share=0.25, fastest=0.5)
    order, inside, most_inside = [], [0], [0]
    first = threading.Event()

    def draw(name: str) -> None:
        with pace.frame():
            inside[0] += 1
            most_inside[0] = max(most_inside[0], inside[0])
            order.append(name)
            if name == 0:
                first.set()
                time.sleep(0.2)  # the others queue up behind this frame meanwhile
            inside[0] -= 1

    threads = [threading.Thread(target=draw, args=(0,))]
    threads[0].start()
    first.wait()
    for name in range(1, 6):
        threads.append(threading.Thread(target=draw, args=(name,)))
        threads[-1].start()
        time.sleep(0.02)  # they ask in this order
    for thread in threads:
        thread.join(timeout=10)
    assert order == [0, 1, 2, 3, 4, 5] and most_inside[0] == 1
