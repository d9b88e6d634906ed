"""The embedded SecantusDB child process: one server per data directory, reused, stopped cleanly."""

from __future__ import annotations

import dataclasses

import pytest

from interview_app.storage import embedded


def test_one_server_per_data_directory_reused_then_stopped(tmp_path):
    server, started = embedded.ensure_running(tmp_path)
    try:
        assert started and embedded.is_answering(server.uri)
        again, started_again = embedded.ensure_running(tmp_path)
        assert again == server and not started_again
    finally:
        embedded.stop_recorded(tmp_path)
    assert not embedded.is_answering(server.uri, timeout_ms=300)
    assert not (tmp_path / "secantusd.json").exists()


def test_a_second_server_on_a_port_already_answered_is_refused(tmp_path):
    """It used to "start" there: the new process failed on the files the first held, the first's
    answers looked like its own, and a later stop of the new one stopped nothing."""
    first = embedded.spawn(str(tmp_path / "db"))
    try:
        with pytest.raises(RuntimeError, match=f"already answers on port {first.port}"):
            embedded.spawn(first.storage_path, first.port)
        assert embedded.is_running(first)
        # another process id on that port (a process the system has since given the old id) is not it
        assert not embedded.is_running(dataclasses.replace(first, pid=first.pid + 1))
    finally:
        embedded.stop(first)
    assert not embedded.is_running(first)
