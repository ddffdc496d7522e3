import logging
import threading
import urllib.request

import functions_framework


class SlackHandler(logging.Handler):
    def emit(self, record):
        body = self.format(record).encode()
        threading.Thread(target=self._post, args=(body,)).start()  # expect: LW104

    def _post(self, body):
        urllib.request.urlopen("https://hooks.example.com/alerts", data=body, timeout=5)


logging.basicConfig(level=logging.INFO, handlers=[SlackHandler(level=logging.ERROR)])


@functions_framework.http
def charge(request):
    payment = request.get_json()
    if payment.get("amount", 0) <= 0:
        logging.error("refused a payment of %s", payment.get("amount"))
        return "refused", 400
    return "charged"
