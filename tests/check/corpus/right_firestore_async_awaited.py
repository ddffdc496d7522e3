import functions_framework.aio
from google.cloud import firestore

db = firestore.AsyncClient()


@functions_framework.aio.http
async def visit(request):
    page = request.query_params.get("page", "home")
    ref = db.collection("visits").document(page)
    await ref.set({"count": firestore.Increment(1)}, merge=True)
    snapshot = await ref.get()
    return {"page": page, "count": snapshot.get("count")}
