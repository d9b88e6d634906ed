"""Reflex's own environment: set up for a Reflex command, and only then.

Importing ``rxconfig.py`` used to run ``npm config get registry`` in every process that loaded it
(each app worker, each test, each tool). A plain ``reflex run`` still needs no variables: the
bun, the registry, telemetry and version check off come from here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from interview_app.cli.reflex_env import BUN_PATH
from tests.support.app_server import ROOT

FAKE_NPM = """#!/bin/sh
echo "$@" >> "{log}"
echo https://registry.invalid/npm/
"""
PROBE = (
    "import json, os, sys; sys.argv = {argv!r}; import rxconfig; "
    "names = ('NPM_CONFIG_REGISTRY', 'REFLEX_CHECK_LATEST_VERSION', 'REFLEX_TELEMETRY_ENABLED'); "
    "print(json.dumps({{'env': {{n: os.environ.get(n) for n in names}}, "
    "'bun': str(rxconfig.config.bun_path), 'telemetry': rxconfig.config.telemetry_enabled}}))"
)


def load_rxconfig(tmp_path: Path, argv: list[str]) -> tuple[dict, list[str]]:
    """Import rxconfig in a fresh interpreter as ``argv`` with a recording ``npm`` first on the PATH
    and none of Reflex's variables set; returns what it saw and every npm invocation."""
    bin_dir, log = tmp_path / "bin", tmp_path / "npm.log"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM.format(log=log))
    npm.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_", "NPM_CONFIG_", "INTERVIEW_", "npm_"))}
    env.update(PATH=f"{bin_dir}:{env.get('PATH', '')}", INTERVIEW_DATA_DIR=str(tmp_path / "data"))
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return json.loads(out.stdout.strip().splitlines()[-1]), calls


def test_importing_rxconfig_runs_no_subprocess(tmp_path):
    seen, npm_calls = load_rxconfig(tmp_path, ["-c"])
    assert npm_calls == []
    assert seen["env"]["NPM_CONFIG_REGISTRY"] is None


def test_a_reflex_command_gets_the_registry_bun_and_quiet_defaults_with_no_variables(tmp_path):
    seen, npm_calls = load_rxconfig(tmp_path, [str(ROOT / ".venv" / "bin" / "reflex"), "export"])
    assert npm_calls == ["config get registry"]
    assert seen["env"] == {
        "NPM_CONFIG_REGISTRY": "https://registry.invalid/npm/",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    assert seen["bun"] == str(BUN_PATH) and seen["telemetry"] is False


def test_a_registry_already_chosen_is_kept_and_npm_not_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", "https://mirror.invalid/")
    from interview_app.cli import reflex_env

    assert "NPM_CONFIG_REGISTRY" not in reflex_env.reflex_environment()
