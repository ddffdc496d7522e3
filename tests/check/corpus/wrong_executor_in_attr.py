from concurrent.futures import ThreadPoolExecutor

import functions_framework


class Exporter:
    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(2)

    def _write(self, rows: list) -> None:
        ...

    def export(self, rows: list) -> None:
        self.executor.submit(self._write, rows)  # expect: LW103


exporter = Exporter()


@functions_framework.http
def export(request):
    exporter.export(request.get_json())
    return "exported"
