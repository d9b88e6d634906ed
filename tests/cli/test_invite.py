"""The invite command mints a link whose token verifies as the application's owner."""

from urllib.parse import parse_qs, urlparse

from interview_app.cli.invite import invite_url
from interview_app.domain import tokens


def test_invite_link_carries_an_owner_token(settings):
    link = invite_url(settings, "https://jobs.example/", "app-7", "user-7")
    parsed = urlparse(link)
    assert parsed.path == "/interview/app-7"
    identity = tokens.verify_candidate_token(settings.candidate_secret, parse_qs(parsed.query)["token"][0])
    assert identity == tokens.CandidateIdentity(user_id="user-7", application_id="app-7")
