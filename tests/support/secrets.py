"""The secrets every in-process test app is configured with."""

SESSION_SECRET = "test-session-secret-0123456789-abcdefghijklmnop"
CANDIDATE_SECRET = "test-candidate-secret-0123456789-abcdefghijklmn"
REVIEWER_SECRET = "test-reviewer-secret-0123456789-abcdefghijklmno"
