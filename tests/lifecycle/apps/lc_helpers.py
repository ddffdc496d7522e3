"""Helpers in another module of the user's app: they start work on the caller's behalf."""

from __future__ import annotations

import threading
import time


def store_blob(tag: str, seconds: float = 0.2) -> None:
    time.sleep(seconds)


def start_upload(tag: str, seconds: float = 0.2) -> threading.Thread:
    """Uploads in the background and returns the thread (callers often forget to join it)."""
    thread = threading.Thread(target=store_blob, args=(tag, seconds), name=f"helper-upload-{tag}")
    thread.start()
    return thread


def in_background(function, *args) -> threading.Thread:
    """Runs ``function(*args)`` on a thread of its own."""
    thread = threading.Thread(target=function, args=args)
    thread.start()
    return thread


def upload_now(tag: str) -> None:
    """Uploads and waits: the right version."""
    start_upload(tag, 0.01).join()
