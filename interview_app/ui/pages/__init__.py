"""The candidate's pages, one module per screen: home, the interview room, the completion screen.

The interview room is cut in three: ``call_controls`` (phase, Start/End, devices), ``feed_panel``
(the feed and its banners) and ``interview`` (the page that lays them out with the preview).
"""
