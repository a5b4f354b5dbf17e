"""Parts worked on ahead, on other threads: in order, a bounded number at once, and no work
left running once the taker stops."""

import threading
import time

import pytest

from addin.ahead import Later, ahead, alongside


def test_results_come_in_order_whatever_order_they_finish_in():
    def slow_first(k):
        time.sleep(0.02 if k % 3 == 0 else 0)
        return k * k
    assert list(ahead(slow_first, range(20))) == [k * k for k in range(20)]


def test_at_most_workers_plus_one_results_are_held():
    started, taken = [], []
    lock = threading.Lock()

    def work(k):
        with lock:
            started.append(k)
        return k
    for k in ahead(work, range(30), workers=2):
        time.sleep(0.002)   # the workers may run ahead while this result is used
        with lock:
            assert len(started) <= k + 3   # this one, and at most two after it
        taken.append(k)
    assert taken == list(range(30))


def test_a_failure_reaches_the_taker_and_stops_the_rest():
    done = []

    def work(k):
        if k == 3:
            raise ValueError("part 3")
        done.append(k)
        return k
    with pytest.raises(ValueError, match="part 3"):
        list(ahead(work, range(100)))
    assert max(done) < 3 + 3   # nothing submitted past the failing part and two after it


def test_a_taker_stopping_early_leaves_no_work_running():
    done = []
    results = ahead(lambda k: done.append(k) or k, range(1000))
    assert next(results) == 0
    results.close()
    assert len(done) <= 3


def test_later_computes_once_whoever_asks_first():
    calls = []
    later = Later(lambda: calls.append(1) or "terms")
    later.run()
    later.run()
    assert later.value() == "terms" and later.value() == "terms" and calls == [1]
    untouched = Later(lambda: calls.append(2) or "asked")
    assert untouched.value() == "asked" and calls == [1, 2]


def test_later_keeps_its_error_for_whoever_asks_for_the_value():
    def fails():
        raise ValueError("bad terms")
    later = Later(fails)
    later.run()   # the reader's moment: nothing raised there
    for _ in range(2):
        with pytest.raises(ValueError, match="bad terms"):
            later.value()


def test_alongside_runs_the_call_on_another_thread_while_this_one_does_the_other_work():
    threads = {}
    both = threading.Barrier(2, timeout=5)   # each waits for the other: they run at once

    def call(x):
        threads["call"] = threading.get_ident()
        both.wait()
        return x + 1

    def meanwhile():
        threads["meanwhile"] = threading.get_ident()
        both.wait()
    assert alongside(call, 41, meanwhile=meanwhile) == 42
    assert threads["meanwhile"] == threading.get_ident() != threads["call"]
    assert alongside(lambda x: x * 2, 21) == 42   # no other work: just the call


def test_alongside_raises_the_calls_error_after_the_other_work_is_done():
    done = []

    def fails():
        raise ValueError("unreadable")
    with pytest.raises(ValueError, match="unreadable"):
        alongside(fails, meanwhile=lambda: done.append(True))
    assert done == [True]
