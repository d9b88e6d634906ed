"""One scorer in a process of its own (its own database client and HTTP client), as an app worker runs it.

``python -m tests.support.scorer_process MONGO_URI DB_NAME OPENAI_BASE_URL LEASE_SECONDS`` runs
``INTERVIEW_SCORING_CONCURRENCY`` = 2 scorer loops with the OpenAI judge (key ``sk-test-key``; the
local judge when the base URL is ``local``) until it is terminated.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import timedelta
from pathlib import Path

import httpx

from interview_app.config import Settings
from interview_app.scoring.worker import Scorer, make_judge
from interview_app.storage.mongo import connect
from interview_app.storage.scoring import ScoringStore


async def main(uri: str, db_name: str, base_url: str, lease: float) -> None:
    settings = Settings(
        prod=False,
        data_dir=Path("/nonexistent"),
        mongodb_uri=uri,
        mongodb_db=db_name,
        session_secret="x" * 32,
        candidate_secret="y" * 32,
        require_auth=False,
        openai_api_key=None if base_url == "local" else "sk-test-key",
        openai_base_url=base_url,
        scoring_lease=timedelta(seconds=lease),
        scoring_poll=timedelta(milliseconds=100),
        scoring_timeout=timedelta(seconds=60),
    )
    database = connect(uri, db_name, settings.database_timeout_ms)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with httpx.AsyncClient() as http:
        scorer = Scorer(settings, ScoringStore(database), make_judge(settings, http))
        scorer.start()
        print("scorer ready", flush=True)
        await stop.wait()
        await scorer.stop()
    await database.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
