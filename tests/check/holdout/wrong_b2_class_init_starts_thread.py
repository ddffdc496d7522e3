import threading
import time

import functions_framework


class LeaseKeeper:
    def __init__(self, lease_id: str) -> None:
        self.lease_id = lease_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, daemon=True)  # expect: LW104
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.is_set():
            time.sleep(10)


@functions_framework.http
def acquire(request):
    lease_id = request.args["lease"]
    LeaseKeeper(lease_id)
    return {"lease": lease_id}
