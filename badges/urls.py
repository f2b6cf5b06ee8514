"""The badges app's URLs, included at the site root (some, like /.well-known/, must be there)."""

from django.urls import path, re_path

from badges import ob3_views, verify_views

app_name = "badges"

urlpatterns = [
    path(
        "badges/<uuid:public_id>/credential.jwt",
        ob3_views.credential_jwt,
        name="credential_jwt",
    ),
    path(".well-known/jwks.json", ob3_views.jwks, name="jwks"),
    re_path(
        r"^badges/keys/(?P<key_id>[A-Za-z0-9_-]{43})\.json$",
        ob3_views.signing_key,
        name="signing_key",
    ),
    path("badges/revocations.json", ob3_views.revocation_list_view, name="revocation_list"),
    path("verify/", verify_views.verify, name="verify"),
]
