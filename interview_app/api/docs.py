"""The API's docs page (Swagger UI) served from this server, never from a CDN.

FastAPI's default docs page loads Swagger UI from a CDN and starts it with an inline script; both
break a self-only Content-Security-Policy. The Swagger UI files come from the pinned PyPI package
``swagger-ui-py`` (only its static files are used) and the page starts it with a script file.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

DOCS = "/api/docs"
ASSETS = f"{DOCS}/assets"
INIT_SCRIPT = """window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
});
"""

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Interview API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{DOCS}/init.js"></script>
</body>
</html>
"""


def swagger_ui_dir() -> Path:
    """The package's static directory, found without importing it (its module pulls in Jinja)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def install(api: FastAPI) -> None:
    """``GET /api/docs`` and its assets."""

    @api.get(DOCS, include_in_schema=False)
    async def docs_page() -> HTMLResponse:
        return HTMLResponse(PAGE)

    @api.get(f"{DOCS}/init.js", include_in_schema=False)
    async def docs_init() -> Response:
        return Response(INIT_SCRIPT, media_type="text/javascript")

    api.mount(ASSETS, StaticFiles(directory=swagger_ui_dir()), name="docs-assets")
