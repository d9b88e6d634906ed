"""Scoring's adapters: the OpenAI judge (HTTP) and the scorer loop each app process runs."""
