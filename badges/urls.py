"""The badges app's URLs, included at the site root (some, like /.well-known/, must be there)."""

app_name = "badges"

urlpatterns = []
