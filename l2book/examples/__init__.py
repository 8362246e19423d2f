"""The book's examples: one percent-format script per idea.

Each ``NAME.py`` here is the single source of an example. Its module docstring gives the title (first
line) and a one-line summary (next line); ``# %% [markdown]`` cells hold the text and ``# %%`` cells
the code (a cell can be tagged, ``# %% tags=["train"]``, so a chapter can show it). Files whose name
starts with ``_`` are not examples.

Run one with ``l2book run NAME``, ``python -m l2book.examples.NAME`` or as a notebook; list them with
``l2book list``. See :mod:`l2book.examples._registry` for discovery.
"""
