"""The Reflex app: the candidate's pages, with the HTTP API mounted in front of them."""

import reflex as rx

from interview_app.api.app import create_api
from interview_app.api.runtime import lifespan

api = create_api()

app = rx.App(api_transformer=api)


def _api_lifespan():
    """Reflex serves the API inside its own ASGI app, so it runs the API's lifespan."""
    return lifespan(api)


app.register_lifespan_task(_api_lifespan)


def index() -> rx.Component:
    return rx.center(rx.heading("Interview"))


app.add_page(index, route="/", title="Interview")
