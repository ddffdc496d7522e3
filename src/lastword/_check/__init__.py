"""``lastword check``: a static checker for "nothing runs after the response".

The analysis core works on source text and ``ast`` trees only:

* ``_analyze``: sources in; findings, and the functions checked, out.
* ``_entrypoints``: the functions the platform can serve (from ``lastword._signatures``).
* ``_engine``: one run; entry points walked, callees summarised once.
* The walk of one function, in layers, each using the ones before it: ``_scope`` (names,
  types), ``_core`` (work started and finished, leaving the function), ``_hooks`` (Flask
  callbacks), ``_calls`` (calls), ``_exprs`` (expressions, ``await``), ``_stmts``
  (statements, path by path), ``_flow`` (the driver).
* ``_known``: what library calls do, as data (``_effects`` its shape, ``_apply`` the
  effects); ``_workers``: worker threads created at import that requests feed.
* ``_work``: the vocabulary (kinds of work, items, the abstract state, results).
* ``_rules``, ``_findings``, ``_output``: messages, results, output formats.

``_files``, ``_config`` and ``command`` are the thin layer that reads files and
configuration.
"""
