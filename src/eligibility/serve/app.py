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
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from eligibility import __version__
from eligibility.questionnaire.fields import profile_schema
from eligibility.serve import api, problems
from eligibility.serve.api import ANSWERS
from eligibility.serve.pages import routes as pages
from eligibility.serve.problems import ProblemDetails
from eligibility.serve.service import Service
from eligibility.serve.settings import ServeSettings, settings_from_env

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
    return app


def app_from_env() -> FastAPI:
    """The application of one ``eligibility serve`` worker process (uvicorn's factory)."""
    return create_app(settings_from_env())
