"""Loads the stand-ins under ``lib/`` as if they were installed third-party libraries.

lastword tells the user's code from libraries by where a file lives (site-packages, the standard
library). The stand-ins imitate cloud SDKs (google-cloud-pubsub's batching publisher, an asyncio
client's flush task, opentelemetry's batch exporter) without a network or the real packages, so they
are compiled under a site-packages file name: their frames are a library's, as the real ones are.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import sysconfig
import types

_HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib")
_SITE = sysconfig.get_paths()["purelib"]


def library(name: str) -> types.ModuleType:
    full = f"lastword_standin_{name}"
    if full in sys.modules:
        return sys.modules[full]
    with open(os.path.join(_HERE, f"{name}.py"), encoding="utf-8") as file:
        source = file.read()
    filename = os.path.join(_SITE, "lastword_standins", f"{name}.py")  # never written: a name only
    module = types.ModuleType(full)
    module.__file__ = filename
    module.__spec__ = importlib.util.spec_from_loader(full, loader=None)
    sys.modules[full] = module
    exec(compile(source, filename, "exec"), module.__dict__)
    return module
