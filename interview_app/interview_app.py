"""The Reflex app: the candidate's pages, with the HTTP API mounted in front of them."""

import reflex as rx

from interview_app import asset_caching, security_headers
from interview_app.api.app import create_api
from interview_app.config import get_settings
from interview_app.runtime import lifespan
from interview_app.ui import worker_tokens
from interview_app.ui.new_interview_state import NewInterviewState
from interview_app.ui.pages.completion import completion_page
from interview_app.ui.pages.home import index
from interview_app.ui.pages.interview import interview_page
from interview_app.ui.pages.loading import loading_page
from interview_app.ui.pages.problem import not_found_page
from interview_app.ui.pages.review_detail import review_detail_page
from interview_app.ui.pages.review_list import review_list_page
from interview_app.ui.pages.review_new import review_new_page
from interview_app.ui.pages.score import score_page
from interview_app.ui.review_detail_state import ReviewDetailState
from interview_app.ui.review_state import ReviewListState
from interview_app.ui.score_state import ScoreState
from interview_app.ui.state import InterviewState

settings = get_settings()
api = create_api(settings)

worker_tokens.install()  # before rx.App: a tab keeps its state when its worker dies
app = rx.App(
    api_transformer=[api, security_headers.middleware(settings), asset_caching.middleware()],
    stylesheets=["/interview.css", "/review.css"],
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    hydrate_fallback=loading_page,  # painted from the HTML, before the scripts (issue 20 §13)
)


def _api_lifespan():
    """Reflex serves the API inside its own ASGI app, so it runs the API's lifespan."""
    return lifespan(api)


app.register_lifespan_task(_api_lifespan)


app.add_page(index, route="/", title="AI-led interviews")
app.add_page(not_found_page, route="404", title="Page not found")  # Reflex's 404, in dev and in prod
app.add_page(
    interview_page, route="/interview/[application_id]", title=InterviewState.page_title, on_load=InterviewState.load
)
app.add_page(
    completion_page,
    route="/interview/[application_id]/complete",
    title="Interview submitted",
    on_load=InterviewState.load_completion,
)
app.add_page(
    score_page,
    route="/interview/[application_id]/score",
    title="Your interview score",
    on_load=ScoreState.load,
)
app.add_page(review_list_page, route="/review", title="Interview review", on_load=ReviewListState.load)
app.add_page(review_new_page, route="/review/new", title="New interview", on_load=NewInterviewState.load)
app.add_page(review_detail_page, route="/review/[session_id]", title="Interview review", on_load=ReviewDetailState.load)
