"""Serve an invoice; a copy of what was served is archived in Cloud Storage."""

import flask
import functions_framework
from google.cloud import storage

archive = storage.Client().bucket("eval-invoices")


def _render(invoice_id):
    return f"%PDF-1.4 invoice {invoice_id}\n".encode()


def _archive(invoice_id, pdf):
    archive.blob(f"served/{invoice_id}.pdf").upload_from_string(pdf, "application/pdf")


@functions_framework.http
def download_invoice(request):
    invoice_id = request.args.get("id", "1")
    pdf = _render(invoice_id)
    response = flask.make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.call_on_close(lambda: _archive(invoice_id, pdf))
    return response
