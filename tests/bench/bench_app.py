"""The app the start-session benchmark serves: the real API plus a bare baseline handler.

The baseline does the minimum any start must do, in the same process and on the same client:
one ``find_one`` of the application, one ``insert_one`` of the same session document into a
collection with the story's three indexes (``sessionId`` unique, ``applicationId`` + ``status``,
``startedAt``: issue 21's floor; ours has six more for the rules, the review console and scoring),
and one JWT. The ratio shows our whole overhead: the rules' snapshot read, the extra indexes,
validation, metadata and error handling.
"""

from fastapi import Request
from fastapi.responses import JSONResponse

from interview_app.api.app import create_api
from interview_app.domain import rules, tokens
from interview_app.domain.clock import utcnow
from interview_app.storage.mongo import SESSION_INDEXES
from interview_app.storage.sessions import application_from_document, session_document
from tests.bench import profiling, variants

STORY_INDEXES = [index for index in SESSION_INDEXES if index.document["name"] in variants.STORY_INDEX_NAMES]
variants.apply()  # none in `make bench`: see tests/bench/start_session_bounds.py
app = create_api()
_indexed = False
if profiling.ENABLED:
    profiling.install(app)


@app.post("/bench/bare")
async def bare(request: Request):
    global _indexed
    runtime = request.app.state.runtime
    collection = runtime.database.db["bareSessions"]
    if not _indexed:
        await collection.create_indexes(STORY_INDEXES)
        _indexed = True
    body = await request.json()
    application = await runtime.database.applications.find_one({"_id": body["applicationId"]})
    now = utcnow()
    document = session_document(
        rules.new_session(application_from_document(application), {"userAgent": request.headers.get("user-agent")}, now)
    )
    await collection.insert_one(document)
    token, _ = tokens.mint_session_token(
        runtime.settings.session_secret, document["sessionId"], application["_id"], now
    )
    return JSONResponse({"sessionId": document["sessionId"], "token": token}, status_code=201)


@app.post("/bench/bare-touch/{session_id}")
async def bare_touch(session_id: str, request: Request):
    """The heartbeat's minimum: verify the token, one conditional update."""
    runtime = request.app.state.runtime
    tokens.verify_session_token(runtime.settings.session_secret, request.headers["authorization"][7:])
    await runtime.database.sessions.update_one(
        {"sessionId": session_id, "status": "in_progress"}, {"$set": {"lastActivityAt": utcnow()}}
    )
    return JSONResponse(None, status_code=204)


@app.post("/bench/bare-append/{session_id}")
async def bare_append(session_id: str, request: Request):
    """The transcript write's minimum: verify the token, parse, one read and one conditional write."""
    runtime = request.app.state.runtime
    tokens.verify_session_token(runtime.settings.session_secret, request.headers["authorization"][7:])
    items = (await request.json())["items"]
    sessions = runtime.database.sessions
    doc = await sessions.find_one({"sessionId": session_id}, {"transcript": 1, "transcriptVersion": 1})
    version = doc.get("transcriptVersion", 0)
    await sessions.update_one(
        {"sessionId": session_id, "transcriptVersion": version},
        {"$set": {"transcript": [*doc.get("transcript", []), *items], "transcriptVersion": version + 1}},
    )
    return JSONResponse({"count": 0})
