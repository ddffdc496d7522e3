import asyncio

from google.cloud import firestore

import lastword

db = firestore.Client()


def save_profile(uid: str, profile: dict) -> None:
    db.collection("profiles").document(uid).set(profile, merge=True)


@lastword.http
async def update_profile(request):
    body = await request.json()
    asyncio.to_thread(save_profile, body["uid"], body["profile"])  # expect: LW401
    return {"updated": body["uid"]}
