"""The embedded SecantusDB child process: one server per data directory, reused, stopped cleanly."""

from __future__ import annotations

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
