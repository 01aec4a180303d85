"""Widgets, dialogs, map tools and the presenters that start tasks and update views.

Nothing outside ``ui/`` (and ``plugin.py``) imports from here.
"""
