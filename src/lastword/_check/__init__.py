"""``lastword check``: a static checker for "nothing runs after the response".

The analysis core (``_analyze``, ``_flow``, ``_entrypoints``, ...) works on
source text and ``ast`` trees only; ``_files``, ``_config`` and ``command``
are the thin layer that reads files and configuration.
"""
