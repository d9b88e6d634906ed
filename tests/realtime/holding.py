"""Holds the first call's interviewer inside its answer, to place events while an offer is answered."""

from __future__ import annotations

import asyncio


def hold_first_answer(registry, release: asyncio.Event) -> asyncio.Event:
    """Wrap the registry's real provider: the first interviewer it makes starts its real answer,
    then waits for ``release`` before returning it. Returns the event set once that answer began."""
    provider = registry.provider
    inside = asyncio.Event()

    class HoldingTheFirstAnswer:
        name = provider.name
        hang_up_unheld = provider.hang_up_unheld

        def interviewer(self, *args):
            interviewer = provider.interviewer(*args)
            if inside.is_set():
                return interviewer
            answer = interviewer.answer

            async def held(offer_sdp):
                inside.set()
                result = asyncio.ensure_future(answer(offer_sdp))
                await release.wait()
                return await result

            setattr(interviewer, "answer", held)  # noqa: B010 (a method replaced on this one object)
            return interviewer

    registry.provider = HoldingTheFirstAnswer()
    return inside
