"""``make run``: the embedded database, a ready demo link, then ``reflex run`` in dev mode.

The database is started here (and reused by every hot reload of the backend, which also seeds
the demo application) and stopped cleanly when Reflex exits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from interview_app.cli.invite import invite_url
from interview_app.config import get_settings
from interview_app.storage import embedded
from interview_app.storage.mongo import DEMO_APPLICATION_ID, DEMO_USER_ID

FRONTEND_URL = "http://localhost:3000"


def main() -> int:
    settings = get_settings()
    server, started = (None, False)
    if settings.mongodb_uri is None:
        server, started = embedded.ensure_running(settings.data_dir)
        print(f"Embedded database (SecantusDB) on {server.uri}, data in {settings.data_dir}/db")
    link = invite_url(settings, FRONTEND_URL, DEMO_APPLICATION_ID, DEMO_USER_ID)
    print("\n  Demo interview, ready once the app has compiled:\n  " + link + "\n", flush=True)
    reflex = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "dev", "--loglevel", "info"],
                              env=os.environ.copy())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop cleanly on SIGTERM too
    try:
        return reflex.wait()
    except (KeyboardInterrupt, SystemExit):
        reflex.send_signal(signal.SIGINT)
        try:
            return reflex.wait(timeout=15)
        except subprocess.TimeoutExpired:
            reflex.kill()
            return 1
    finally:
        if started and server is not None:
            embedded.stop(server)
            (settings.data_dir / "secantusd.json").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
