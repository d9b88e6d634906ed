"""Scoring a finished interview (issue 17): the rubric, what is judged, the judges' rules, the use cases.

Modules: ``rubric`` (anchors, weights, thresholds, versions: their one home), ``judged_input`` (what
a judge sees, redacted; too little to judge), ``prompt`` (constant instructions, the answer schema),
``validation`` (what may be stored), ``local_judge`` (deterministic rules), ``model`` (values and
Protocols, the statuses), ``use_cases`` (``score_next``), ``requeue`` (the one re-score).
"""

from interview_app.domain.scoring.requeue import Requeued, requeue
from interview_app.domain.scoring.use_cases import score_next

__all__ = ["Requeued", "requeue", "score_next"]
