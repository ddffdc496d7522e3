import os
import threading

import functions_framework
import requests

SLACK_WEBHOOK = os.environ.get("SLACK_WEBHOOK_URL", "")


@functions_framework.http
def alert(request):
    body = request.get_json()
    message = {"text": f"Alert from {body.get('source')}: {body.get('message')}"}
    notifier = threading.Thread(  # expect: LW104
        target=requests.post,
        args=(SLACK_WEBHOOK,),
        kwargs={"json": message, "timeout": 10},
        daemon=True,
    )
    notifier.start()
    return "alert received"
