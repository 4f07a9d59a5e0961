"""The ASGI application: API under /api/v1, the web UI, static assets, /health and /docs."""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from pactum import __version__
from pactum.api import errors
from pactum.api.deps import TokenCache, reject_nul_characters
from pactum.services.bootstrap import Services, bootstrap
from pactum.services.uow import AsyncStore

STATIC = Path(__file__).parent.parent / "web" / "static"


def _discover(package: str) -> list[object]:
    pkg = importlib.import_module(package)
    return [importlib.import_module(f"{package}.{m.name}") for m in pkgutil.iter_modules(pkg.__path__)]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # `pactum serve`: the first registrations would otherwise load every holiday calendar inside
    # requests (seconds of latency for the first clients); tests skip it
    if os.environ.get("PACTUM_SERVE") == "1":
        from pactum.services.registry import warm_up

        warm_up(app.state.services.clock.today())
        # everything loaded so far lives as long as the process: keep it out of the cyclic
        # collector's full passes, which otherwise walk every imported module's objects (pandas,
        # Splink ...) in the middle of a request
        gc.freeze()
    threads = os.environ.get("PACTUM_SERVE_THREADS")
    if threads:
        # fewer threads than the default 40 competing for one interpreter lock: a request holding
        # the audit chain's lock gets the CPU back sooner (`pactum serve --threads`)
        anyio.to_thread.current_default_thread_limiter().total_tokens = int(threads)
    services: Services = app.state.services
    # on PostgreSQL the registration of arrivals runs on the event loop with its own connections
    # (as many as the worker's threads); the connections open on first use
    store = (AsyncStore(services.engine, int(threads or 8))
             if services.engine.dialect.name == "postgresql" else None)
    app.state.async_store = store
    try:
        yield
    finally:
        app.state.async_store = None
        if store is not None:
            await store.close()


# The app's own routes are module-level functions, not closures made in create_app: FastAPI keeps
# the callables of the routes it has analysed in process-wide caches (4,096 entries each), and a
# closure would keep its app, with its services and store engine, alive as long as it stays there
# (a test process that makes an app per test grew by gigabytes).
def api_docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="Pactum API",
                               swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                               swagger_css_url="/static/vendor/swagger-ui.css",
                               swagger_favicon_url="/static/img/favicon.svg")


def health(request: Request, response: Response) -> dict[str, Any]:
    """`ok` when the store answers and is at the code's migrations; otherwise 503 with status
    `migrations pending` (the routes of the areas behind would answer 500)."""
    from pactum.store.migrate import pending_heads, script_heads

    state = request.app.state
    engine = state.services.engine
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    code = getattr(state, "migration_heads", None)
    if code is None:
        code = state.migration_heads = script_heads()
    pending = pending_heads(engine, code)
    answer: dict[str, Any] = {"status": "ok", "version": __version__, "store": engine.dialect.name}
    if pending:
        response.status_code = 503
        answer.update(status="migrations pending", to_upgrade=sorted(pending))
    return answer


def create_app(services: Services | None = None) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="Pactum",
        version=__version__,
        description="EU migration and asylum management: registration and screening, identity, "
        "responsibility, procedures, returns, solidarity, situational awareness, follow-up.",
        # the interactive docs are served below from vendored assets (FastAPI's own pages load
        # Swagger UI and ReDoc from a CDN, and nothing here may need the network at run time)
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(reject_nul_characters)],
    )
    app.state.services = services or bootstrap()
    app.state.token_cache = TokenCache()
    errors.install(app)

    # FastAPI tries the included routers in order, each route by route: the registration of
    # arrivals (the write path under the heaviest load) is tried first. No other router has a
    # /registry path, so the order changes nothing else.
    routers = sorted(_discover("pactum.api.routers"),
                     key=lambda m: getattr(m, "__name__", "") != "pactum.api.routers.registry")
    for module in routers:
        app.include_router(module.router, prefix="/api/v1")  # type: ignore[attr-defined]

    from pactum.web import app as web_app

    web_app.install(app)
    for module in _discover("pactum.web.views"):
        app.include_router(module.router, include_in_schema=False)  # type: ignore[attr-defined]

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_api_route("/docs", api_docs, methods=["GET"], include_in_schema=False)
    app.add_api_route("/health", health, methods=["GET"], tags=["platform"], responses={503: {
        "description": "The store is behind the code's migrations: `to_upgrade` names the area "
                       "branches `pactum db upgrade` would apply"}})
    return app
