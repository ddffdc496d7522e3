import threading

import lastword


def refresh_token() -> None:
    ...


@lastword.http
def token(request):
    refresher = threading.Timer(0.5, refresh_token)
    refresher.start()
    if request.args.get("skip_refresh"):
        refresher.cancel()
    else:
        refresher.join()
    return {"token": "abc"}
