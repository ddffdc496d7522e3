import os
import shlex

import functions_framework


@functions_framework.http
def rebuild_index(request):
    index = request.args.get("index", "main")
    os.system(f"python /app/scripts/reindex.py --index {shlex.quote(index)} &")  # expect: LW105
    return f"reindexing {index}"
