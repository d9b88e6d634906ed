"""One page build per test run: later test apps get a copy of it with their own URL written in.

A prod start compiles the pages and bundles them (vite, then gzip and brotli sidecars): 20-30 s of
CPU, most of a start. The bundle bakes in the app's URL, in one small module (``reflex-env-<hash>.js``,
what ``env.json`` says) and the sitemap, and in nothing else: the pages read no setting when they
compile (the states read them at run time). So after the run's first build,
:func:`tests.support.app_server.running_app` keeps a copy of it (:func:`save`: ``build/client`` and the
routes manifest, with the URL it names and the files that name it), and every later app of the run, on
any pytest-xdist worker, port or URL, starts through :func:`main` here: Reflex starts as in production
(``interview_app.cli.reflex_prod``) but, instead of compiling and bundling, installs that copy with the
URL replaced and those files' sidecars made again (:func:`install`). ``make prod`` itself is tested on
a real build (``tests/cli/test_prod.py``).

``python -m tests.support.prebuilt_page run ...`` is such a ``reflex run``;
``python -m tests.support.prebuilt_page runner`` is ``make prod``'s runner (``interview_app.cli.prod``:
workers, a local Redis) whose Reflex starts that way.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / ".web-page"  # ignored by git with the workers' .web-* directories
MANIFEST = SNAPSHOT / "page.json"
ROUTES = "routes.json"
# A test run's id, the same on every pytest-xdist worker: a copy is used only by the run that built it
# (the code cannot have changed since). Without workers, this process's own.
RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
MODULE = "tests.support.prebuilt_page"
BROTLI = (
    "const z = require('node:zlib'), fs = require('node:fs');"
    "for (const f of process.argv.slice(1)) fs.writeFileSync(f + '.br', z.brotliCompressSync(fs.readFileSync(f)));"
)


def available() -> bool:
    """Whether this run has built a page whose copy a start can use."""
    try:
        return json.loads(MANIFEST.read_text())["run"] == RUN
    except (OSError, ValueError, KeyError):
        return False


def save(web: Path) -> None:
    """Keep the page just built in ``web`` for the rest of the run (call it while no other start runs)."""
    base = json.loads((web / "env.json").read_text())["PING"].removesuffix("/ping")
    client = web / "build" / "client"
    naming = sorted(
        str(path.relative_to(client))
        for path in client.rglob("*")
        if path.is_file() and path.suffix not in (".gz", ".br") and base.encode() in path.read_bytes()
    )
    if not any(name.startswith("assets/reflex-env-") for name in naming):
        return  # not the bundle this module knows: every start builds, as without it
    MANIFEST.unlink(missing_ok=True)
    shutil.rmtree(SNAPSHOT / "client", ignore_errors=True)
    shutil.copytree(client, SNAPSHOT / "client")
    for name in (ROUTES, "env.json"):
        shutil.copy(web / name, SNAPSHOT / name)
    staged = MANIFEST.with_suffix(".tmp")
    staged.write_text(json.dumps({"run": RUN, "base": base, "files": naming}))
    staged.replace(MANIFEST)  # last: a copy without its manifest is never used


def install(web: Path, base: str) -> None:
    """The kept page into ``web``, naming ``base`` (``http(s)://host:port``) where the build named its own."""
    manifest = json.loads(MANIFEST.read_text())
    client = web / "build" / "client"
    shutil.rmtree(client, ignore_errors=True)
    shutil.copytree(SNAPSHOT / "client", client, copy_function=os.link)  # links: nothing is written in place
    shutil.copy(SNAPSHOT / ROUTES, web / ROUTES)
    old, new = manifest["base"], base.rstrip("/")
    rewritten = []
    for name in manifest["files"]:
        path = client / name
        text = _renamed(path.read_bytes(), old, new)
        for stale in (path, path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")):
            stale.unlink(missing_ok=True)  # a new file, not a write through the link into the copy
        path.write_bytes(text)
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(text, compresslevel=9))
        rewritten.append(str(path))
    subprocess.run(["node", "-e", BROTLI, *rewritten], check=True)
    (web / "env.json").write_bytes(_renamed((SNAPSHOT / "env.json").read_bytes(), old, new))


def _renamed(data: bytes, old: str, new: str) -> bytes:
    """``data`` naming the app at ``new`` where it named ``old``, its event socket (``ws://``,
    ``wss://``) included."""
    for before, after in ((old, new), (_websocket(old), _websocket(new))):
        data = data.replace(before.encode(), after.encode())
    return data


def _websocket(url: str) -> str:
    """``http://h:p`` as the event socket's ``ws://h:p`` (``https`` as ``wss``)."""
    return "ws" + url.removeprefix("http")


def _start_reflex_on_the_kept_page() -> None:
    import reflex.reflex
    from reflex import constants
    from reflex.utils import build, prerequisites

    from interview_app.cli import reflex_prod

    def kept_page(root: Path) -> None:
        """Where the build would bundle the page (its URL as the build's ``env.json`` would name it)."""
        install(prerequisites.get_web_dir(), constants.Endpoint.PING.get_url().removesuffix("/ping"))

    reflex.reflex._compile_app = lambda **_: None  # pyright: ignore[reportPrivateUsage]
    build.setup_frontend_prod = kept_page
    reflex_prod.main()


def _start_the_runner() -> None:
    """``make prod``'s runner, its Reflex started by this module instead of ``interview_app.cli.reflex_prod``."""
    from interview_app.cli import prod

    real = prod.reflex_command

    def on_the_kept_page(settings):
        command = real(settings)
        command[command.index("interview_app.cli.reflex_prod")] = MODULE
        return command

    prod.reflex_command = on_the_kept_page
    sys.exit(prod.main())


def main() -> None:
    if sys.argv[1:2] == ["runner"]:
        del sys.argv[1]
        _start_the_runner()
    else:
        _start_reflex_on_the_kept_page()


if __name__ == "__main__":
    main()
