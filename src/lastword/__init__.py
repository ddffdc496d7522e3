"""lastword: a functions framework where the HTTP response is the last word.

Serve a function: ``lastword serve main.py --target hello``. Declare one::

    import lastword

    @lastword.http
    def hello(request):
        return "Hello, World!"
"""

from ._config import Config
from ._declare import Declaration, cloud_event, http
from ._invocation import Invocation, Work
from ._lifecycle import wait_until

__all__ = ["Config", "Declaration", "Invocation", "Work", "cloud_event", "http", "wait_until"]
__version__ = "0.1.0"
