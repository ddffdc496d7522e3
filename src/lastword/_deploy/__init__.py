"""Deploying a function: a container image and Knative / Cloud Run service manifests.

The modules here do no I/O except :mod:`.command`, the thin ``lastword deploy`` shell: the
settings-to-platform table (:mod:`._settings`), what a source folder contains (:mod:`._source`),
and the text of a Dockerfile (:mod:`._dockerfile`) or a Service manifest (:mod:`._manifest`).
"""

from __future__ import annotations

from .._errors import LastwordError


class DeployError(LastwordError):
    """The function cannot be deployed as asked; the message says why and what to do."""
