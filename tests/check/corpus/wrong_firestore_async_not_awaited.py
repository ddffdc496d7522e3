import functions_framework.aio
from google.cloud import firestore

db = firestore.AsyncClient()


@functions_framework.aio.http
async def visit(request):
    page = request.query_params.get("page", "home")
    db.collection("visits").document(page).set({"count": firestore.Increment(1)}, merge=True)  # expect: LW401
    return {"page": page}
