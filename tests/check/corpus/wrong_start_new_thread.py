import _thread

import functions_framework


def heartbeat(job: str) -> None:
    ...


@functions_framework.http
def start_job(request):
    _thread.start_new_thread(heartbeat, (request.args["job"],))  # expect: LW104
    return "started"
