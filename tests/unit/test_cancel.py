"""A cancelled save writes nothing (domain/cancel.py): the check is per thread and only inside
``asking``."""

from __future__ import annotations

import threading

import pytest

from domain.cancel import SaveCancelled, asking, cancelled, raise_if_cancelled


def test_outside_asking_nothing_is_cancelled() -> None:
    assert not cancelled()
    raise_if_cancelled()


def test_inside_asking_the_question_is_asked_each_time() -> None:
    stop = threading.Event()
    with asking(stop.is_set):
        raise_if_cancelled()
        stop.set()
        assert cancelled()
        with pytest.raises(SaveCancelled, match="nothing was saved"):
            raise_if_cancelled()
    assert not cancelled()


def test_another_thread_is_not_affected() -> None:
    seen: list[bool] = []
    with asking(lambda: True):
        worker = threading.Thread(target=lambda: seen.append(cancelled()))
        worker.start()
        worker.join()
        assert cancelled()
    assert seen == [False]
