"""``NewInterviewState``: ``/review/new``, the hiring team's form that creates an interview (issue 20 §5).

The form's fields update the live preview as they change (the words the candidate's first screen
will say); Create sends the form to ``POST /api/review/interviews`` from this backend with the
reviewer's token (``review_client``), like every console action, and shows the invite link with
its expiry. The API's rules decide: its refusal is shown next to the field it names.
"""

from __future__ import annotations

import reflex as rx

from interview_app.ui import invite_form, review_client
from interview_app.ui.review_state import ReviewState, problem_message
from interview_app.ui.sync import backend_api_url

CONFLICT_MESSAGE = (
    "This external id already created another interview (different details). Use another id, or leave it empty."
)


class NewInterviewState(ReviewState):
    """The form's values (for the preview), the API's refusals by field, and the created link."""

    job_title: str = ""
    questions_text: str = ""
    duration: str = ""
    camera: str = "off"
    errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False
    invite_url: str = ""
    expires: str = ""
    replayed: bool = False  # the external id had already created this interview
    copy_nonce: int = 0
    copy_status: str = ""

    @rx.var
    def field_errors(self) -> dict[str, str]:
        """Every field's refusal ("" when none), so the page can show each next to its field."""
        return {name: self.errors.get(name, "") for name in invite_form.FIELDS}

    @rx.var
    def preview_length(self) -> str:
        return invite_form.preview(self.job_title, self.questions_text, self.duration, self.camera).length

    @rx.var
    def preview_title(self) -> str:
        return invite_form.preview(self.job_title, self.questions_text, self.duration, self.camera).job_title

    @rx.var
    def preview_devices(self) -> str:
        return invite_form.preview(self.job_title, self.questions_text, self.duration, self.camera).devices

    @rx.var
    def preview_suggested(self) -> bool:
        return not invite_form.question_lines(self.questions_text)

    @rx.event
    async def load(self):
        """Each visit: a token is needed (moved out of the link as on ``/review``); an empty form."""
        self.errors, self.form_error, self.invite_url, self.copy_status = {}, "", "", ""
        self._take_token_from_link()
        if self.hide_token:
            yield

    @rx.event
    def set_job_title(self, value: str):
        self.job_title = str(value)[:500]

    @rx.event
    def set_questions_text(self, value: str):
        self.questions_text = str(value)[:20_000]

    @rx.event
    def set_duration(self, value: str):
        self.duration = str(value)[:10]

    @rx.event
    def set_camera(self, value: str):
        self.camera = value if value in ("off", "selfview") else "off"

    @rx.event
    async def submit(self, form: dict):
        """Create: the API's answer is the link, or refusals shown by field."""
        form = form if isinstance(form, dict) else {}  # any client may call any handler with anything
        self.errors, self.form_error, self.copy_status = {}, "", ""
        if not self.reviewer_token:
            self.form_error = self.error_message or problem_message(review_client.Problem(401, "", ""))
            return
        self.saving = True
        yield
        outcome = await review_client.create_interview(
            backend_api_url(), self.reviewer_token, invite_form.api_body(form), self.router.url.origin
        )
        self.saving = False
        if isinstance(outcome, review_client.Problem):
            self._show_refusal(outcome)
            return
        self.invite_url = str(outcome.body.get("inviteUrl") or "")
        self.expires = invite_form.expiry_words(outcome.body.get("expiresAt"))
        self.replayed = outcome.status == 200

    def _show_refusal(self, problem: review_client.Problem) -> None:
        named = invite_form.refusal_words(problem.code, problem.details) if problem.status in (400, 422) else None
        if problem.code == "EXTERNAL_ID_CONFLICT":
            self.errors = {"external_id": CONFLICT_MESSAGE}
        elif named is not None:
            self.errors = {named[0]: named[1]}
        else:
            self.form_error = problem_message(problem, self.reviewer_token)

    @rx.event
    def start_over(self):
        """Another interview: the form again, the role and its plan kept (the same interview for the
        next candidate); the candidate's fields start empty."""
        self.invite_url, self.expires, self.copy_status = "", "", ""

    @rx.event
    def copy_link(self):
        """The browser helper writes the link to the clipboard when the nonce changes."""
        self.copy_status = ""
        self.copy_nonce += 1

    @rx.event
    def copied(self, ok: bool):
        self.copy_status = "Copied" if ok is True else "Copy failed: select the link and copy it."
