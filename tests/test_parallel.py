"""viewer.core.run.parallel: two threads really work, results keep their order, an error stops
the work and is raised, and no thread is left behind (conftest checks)."""

import contextlib
import threading

import pytest

from viewer.core.run.parallel import map_on_threads, on_one_core, run_together


def test_results_keep_the_order_of_the_items():
    assert map_on_threads(lambda x: x * x, range(50)) == [x * x for x in range(50)]
    assert map_on_threads(lambda x: x, []) == []
    assert map_on_threads(lambda x: x + 1, [1]) == [2]


def test_the_calling_thread_and_one_helper_work_at_once():
    """Each of the first two items waits for the other: one thread alone would time out."""
    both = threading.Barrier(2, timeout=30)
    workers = []

    def work(item: int) -> int:
        workers.append(threading.current_thread())
        if item < 2:
            both.wait()
        return item

    assert map_on_threads(work, range(6)) == list(range(6))
    assert threading.current_thread() in workers and len(set(workers)) == 2


def test_an_error_stops_the_work_and_is_raised():
    done = []

    def work(item: int) -> int:
        if item == 3:
            raise ValueError("item 3")
        done.append(sum(range(1000)))
        return item

    with pytest.raises(ValueError, match="item 3"):
        map_on_threads(work, range(10_000))
    # The rest were dropped: the other thread finishes what it holds, at most a few
    # hundred items while the failing one waits for the GIL, never all of them.
    assert len(done) < 5_000


def test_tasks_run_together_and_give_their_results_in_order():
    both = threading.Barrier(2, timeout=30)

    def meeting(value: str):
        def task() -> str:
            both.wait()  # one thread alone would wait here until the timeout
            return value

        return task

    assert run_together(meeting("first"), meeting("second")) == ["first", "second"]
    with pytest.raises(ZeroDivisionError):
        run_together(lambda: 1, lambda: 1 / 0)


def test_on_one_core_the_calling_thread_works_alone_while_busy_and_only_it():
    def workers(patience: float) -> set[threading.Thread]:
        """The threads that work on four items; the first two wait up to `patience` s for
        each other (alone, the first waits in vain)."""
        both = threading.Barrier(2, timeout=patience)

        def work(item: int) -> threading.Thread:
            if item < 2:
                with contextlib.suppress(threading.BrokenBarrierError):
                    both.wait()
            return threading.current_thread()

        return set(map_on_threads(work, range(4)))

    busy = threading.Event()
    busy.set()
    with on_one_core(busy.is_set):
        assert workers(0.2) == {threading.current_thread()}
        elsewhere = []
        other = threading.Thread(target=lambda: elsewhere.append(len(workers(30))))
        other.start()
        other.join()
        assert elsewhere == [2]  # another thread still has its helper
        busy.clear()
        assert len(workers(30)) == 2  # asked at each call: no longer busy, two threads
        busy.set()
    assert len(workers(30)) == 2


def test_a_helper_asks_its_callers_question_in_nested_work():
    """A method starts computing while two threads measure: the nested work on the helper
    keeps to one thread too, not only the caller's."""
    busy = threading.Event()
    both = threading.Barrier(2, timeout=30)

    def outer(item: int) -> tuple[threading.Thread, set[threading.Thread]]:
        both.wait()  # both threads hold an item: the helper exists
        busy.set()
        pair = threading.Barrier(2, timeout=0.2)  # a nested helper would meet its caller

        def nested(item: int) -> threading.Thread:
            if item < 2:
                with contextlib.suppress(threading.BrokenBarrierError):
                    pair.wait()
            return threading.current_thread()

        return threading.current_thread(), set(map_on_threads(nested, range(4)))

    with on_one_core(busy.is_set):
        results = map_on_threads(outer, range(2))
    assert len({thread for thread, _ in results}) == 2
    for thread, nested_workers in results:
        assert nested_workers == {thread}
