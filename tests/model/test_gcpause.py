"""The cycle collector is paused around bulk work and given back as it was."""

from __future__ import annotations

import gc

import pytest

from reader.model.gcpause import gc_paused


def test_pauses_and_resumes() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumes_after_an_error() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()


def test_leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
