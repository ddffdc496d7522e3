import functions_framework.aio
from starlette.responses import JSONResponse


class OrderRepository:
    def __init__(self, pool) -> None:
        self.pool = pool

    async def save(self, order: dict) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute("INSERT INTO orders(data) VALUES ($1)", order)


class OrderService:
    def __init__(self, repo: OrderRepository) -> None:
        self.repo = repo

    async def place(self, order: dict) -> dict:
        self.repo.save(order)  # expect: LW401
        return {"status": "placed", "id": order["id"]}


service = OrderService(OrderRepository(pool=None))


@functions_framework.aio.http
async def orders(request):
    order = await request.json()
    result = await service.place(order)
    return JSONResponse(result)
