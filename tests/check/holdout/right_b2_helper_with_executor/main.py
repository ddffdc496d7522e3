import functions_framework
from parallel import run_all


def ping_db() -> str:
    return "db ok"


def ping_cache() -> str:
    return "cache ok"


@functions_framework.http
def ready(request):
    return {"checks": run_all([ping_db, ping_cache])}
