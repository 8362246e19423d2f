"""The example pipeline: discover the examples, key them, run the ones whose key changed, store
the runs and hand their outputs to the pages. It knows nothing of MkDocs: the ``l2book`` MkDocs
plugin (:mod:`l2book.mkdocs_plugin`) adapts MkDocs' events to it.
"""
