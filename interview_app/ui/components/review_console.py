"""Reflex wrappers of the review console's browser helpers in ``review_console.jsx`` (beside this module)."""

import reflex as rx
from reflex.event import no_args_event_spec, passthrough_event_spec

REVIEW_LIBRARY = rx.asset("review_console.jsx", shared=True).importable_path


class HideQueryToken(rx.Component):
    """Removes ``?token=`` from the address bar once ``hide`` is true (the token is in sessionStorage)."""

    library = REVIEW_LIBRARY
    tag = "HideQueryToken"

    hide: rx.Var[bool]


class Ticker(rx.Component):
    """Fires ``on_tick`` every ``interval_ms`` while ``active``: the list refreshes its live rows."""

    library = REVIEW_LIBRARY
    tag = "Ticker"

    active: rx.Var[bool]
    interval_ms: rx.Var[int]

    on_tick: rx.EventHandler[no_args_event_spec]


class ScrollToTarget(rx.Component):
    """Scrolls to and focuses the element ``target_id`` whenever ``nonce`` changes."""

    library = REVIEW_LIBRARY
    tag = "ScrollToTarget"

    target_id: rx.Var[str]
    nonce: rx.Var[int]


class CopyText(rx.Component):
    """Writes ``text`` to the clipboard whenever ``nonce`` changes; ``on_copied(ok)`` says whether it could."""

    library = REVIEW_LIBRARY
    tag = "CopyText"

    text: rx.Var[str]
    nonce: rx.Var[int]

    on_copied: rx.EventHandler[passthrough_event_spec(bool)]


hide_query_token = HideQueryToken.create
copy_text = CopyText.create
ticker = Ticker.create
scroll_to_target = ScrollToTarget.create
