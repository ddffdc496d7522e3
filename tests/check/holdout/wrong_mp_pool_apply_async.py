import multiprocessing

import functions_framework

pool = multiprocessing.Pool(processes=2)


def render_pdf(invoice_id: str) -> str:
    return f"/tmp/{invoice_id}.pdf"


@functions_framework.http
def invoice(request):
    invoice_id = request.args.get("id")
    pool.apply_async(render_pdf, (invoice_id,))  # expect: LW103
    return f"rendering {invoice_id}"
