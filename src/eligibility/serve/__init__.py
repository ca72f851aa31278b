"""``eligibility serve``: the decisions as a web service, and the questionnaire in a browser.

The public API::

    from eligibility.serve import ServeSettings, create_app
    app = create_app(ServeSettings(store="audit.sqlite"))  # an ASGI application

Run it with any ASGI server; ``eligibility serve`` runs it with uvicorn (see
``docs/serve.md``).
"""

from eligibility.serve.app import create_app
from eligibility.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
