"""The application: the API, the web questionnaire, their errors, and the OpenAPI page.

:func:`create_app` builds one application from :class:`ServeSettings`; ``eligibility
serve`` runs :func:`app_from_env` in each uvicorn worker process, which reads them from
the environment. The library objects are built when the application is (so bad rules
stop the server before it listens) and closed when it shuts down, after the requests
under way are answered.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import swagger_ui
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from eligibility import __version__
from eligibility.questionnaire.fields import profile_schema
from eligibility.serve import api, problems
from eligibility.serve.api import ANSWERS
from eligibility.serve.pages import routes as pages
from eligibility.serve.problems import ProblemDetails
from eligibility.serve.service import Service
from eligibility.serve.settings import ServeSettings, settings_from_env

#: Swagger UI's files, as the swagger-ui-py package ships them, and where they are served.
SWAGGER_UI = Path(swagger_ui.__file__).parent / "static"
DOCS_ASSETS = "/docs/assets"

DESCRIPTION = """Which French digital-health integration journeys apply to a software
product, and which of their steps remain, as a web service: the decisions of `eligibility
evaluate`, the questionnaire of `eligibility ask`, the portfolios of `eligibility batch`
and the audit log, for programs; the web questionnaire at `/` for people.

Bodies are JSON or YAML profiles, as the command line reads them; errors are RFC 9457
problem details (`application/problem+json`) with the command line's message."""


def create_app(settings: ServeSettings | None = None) -> FastAPI:
    """The application serving ``settings`` (the defaults: shipped rules, default store).

    Raises:
        RuleFileError: the rules or the questions cannot be loaded.
    """
    service = Service(settings or ServeSettings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(
        title="eligibility",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below, from this machine
        redoc_url=None,
    )
    app.state.service = service
    problems.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            # The profile's schema is the one `eligibility fields` documents (docs/profile.md).
            text = json.dumps(profile_schema(service.questions))
            profile = json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))
            profile.pop("$schema", None)
            components.update(profile.pop("$defs", {}))
            components["Profile"] = profile
            answers = {k: v for k, v in profile.items() if k != "required"}
            components["Answers"] = {**answers, "title": "Answers", "description": ANSWERS}
            problem = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(problem.pop("$defs", {}))
            components["ProblemDetails"] = problem
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    _docs(app)
    return app


def _docs(app: FastAPI) -> None:
    """The OpenAPI page at /docs, its Swagger UI files served from this machine (from the
    swagger-ui-py package) rather than a CDN, so that it works where the server cannot
    reach the internet."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=SWAGGER_UI), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="eligibility: API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )


def app_from_env() -> FastAPI:
    """The application of one ``eligibility serve`` worker process (uvicorn's factory)."""
    return create_app(settings_from_env())
