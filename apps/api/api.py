from ninja import NinjaAPI

api = NinjaAPI(title="Prostir API", version="1", urls_namespace="api")


@api.get("/me")
def me(request):
    return {"username": request.user.get_username()}
