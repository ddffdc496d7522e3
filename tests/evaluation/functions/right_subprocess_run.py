"""Run the page-count tool on a document description and return its JSON output."""

import json
import subprocess
import sys

import functions_framework

TOOL = """
import json, sys, time
doc = json.load(sys.stdin)
time.sleep(0.3)
print(json.dumps({"title": doc.get("title", ""), "pages": 1 + len(doc.get("body", "")) // 3000}))
"""


@functions_framework.http
def count_pages(request):
    doc = request.get_json(silent=True) or {"title": "untitled"}
    result = subprocess.run(
        [sys.executable, "-c", TOOL],
        input=json.dumps(doc),
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return result.stdout, 200, {"Content-Type": "application/json"}
