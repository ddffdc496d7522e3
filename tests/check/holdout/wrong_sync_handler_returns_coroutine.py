import functions_framework
import httpx


async def fetch_weather(city: str) -> dict:
    async with httpx.AsyncClient() as client:
        resp = await client.get("https://api.weather.example/v1", params={"q": city})
        return resp.json()


@functions_framework.http
def weather(request):
    city = request.args.get("city", "London")
    return fetch_weather(city)  # expect: LW301
