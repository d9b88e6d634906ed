"""What Reflex's own commands need from us: the bun to use, the ports Reflex chose, its environment.

These are the runner's settings, not the app's (those are in ``interview_app/config.py``): they
matter only to a process that runs a Reflex command (``reflex run``, ``reflex export``...).
``rxconfig.py`` calls :func:`prepare` so a plain ``reflex run`` behaves like ``make run``; the
app's processes, tests and tools that merely import the configuration start nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from interview_app.config import PROJECT_ROOT, ConfigError

# The bun ``make bootstrap`` installs (Node 20 is too old for Reflex's npm mode). Reflex looks for
# ``bun`` on the PATH instead while this one is not installed.
BUN_PATH = PROJECT_ROOT / ".tools" / "node_modules" / ".bin" / "bun"
# Reflex's own default page port (its DefaultPorts).
REFLEX_FRONTEND_PORT = 3000


def reflex_subcommand(argv: list[str]) -> str | None:
    """The subcommand of ``reflex ...`` (or ``python -m reflex ...``; "" for none), or None for any other program."""
    program = Path(argv[0]) if argv else Path()
    if not (program.name == "reflex" or (program.name == "__main__.py" and program.parent.name == "reflex")):
        return None
    return argv[1] if len(argv) > 1 else ""


def reflex_environment() -> dict[str, str]:
    """Reflex settings it reads only from the environment, never from ``rxconfig.py`` fields: no
    version check, no telemetry, and the registry npm is configured with (Reflex otherwise times
    several public registries before installing the page's packages). Runs ``npm`` once."""
    values = {"REFLEX_CHECK_LATEST_VERSION": "false", "REFLEX_TELEMETRY_ENABLED": "false"}
    if not os.environ.get("NPM_CONFIG_REGISTRY") and shutil.which("npm"):
        registry = subprocess.run(
            ["npm", "config", "get", "registry"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if registry:
            values["NPM_CONFIG_REGISTRY"] = registry
    return values


def prepare(argv: list[str]) -> None:
    """In a process running a Reflex command, put :func:`reflex_environment` into the environment
    (unless already set; Reflex's child processes inherit it, so ``npm`` runs once per command)."""
    if reflex_subcommand(argv) is None:
        return
    for name, value in reflex_environment().items():
        os.environ.setdefault(name, value)


def _port(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a TCP port (1-65535), not {raw!r}")
    return int(raw)


def chosen_ports() -> tuple[int | None, int | None]:
    """The (page, backend) ports Reflex chose for this run: it records them in the environment
    once free ones are found (it moves past taken ones); None until then."""
    return _port("REFLEX_FRONTEND_PORT"), _port("REFLEX_BACKEND_PORT")


def frontend_port() -> int:
    """The port the page is served on: the one Reflex chose for this run, else its default."""
    return _port("REFLEX_FRONTEND_PORT") or REFLEX_FRONTEND_PORT
