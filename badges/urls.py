"""The badges app's URLs, included at the site root (some, like /.well-known/, must be there).

Documents about an award live under its public id, documents about a degree under the
degree's; both ids are UUIDs that never change, so links in old badges keep working.
"""

from django.urls import path, re_path

from badges import ob3_views, verify_views, views

app_name = "badges"

urlpatterns = [
    path("badges/issuer.json", views.issuer, name="issuer"),
    path("badges/degrees/<uuid:public_id>.json", views.badge_class, name="badge_class"),
    path("badges/degrees/<uuid:public_id>.png", views.degree_png, name="degree_png"),
    path("badges/degrees/<uuid:public_id>.svg", views.degree_svg, name="degree_svg"),
    path("badges/<uuid:public_id>/", views.award_detail, name="share"),
    path("badges/<uuid:public_id>/assertion.json", views.assertion, name="assertion"),
    path("badges/<uuid:public_id>/badge.png", views.baked_png, name="baked_png"),
    path("badges/<uuid:public_id>/badge.svg", views.baked_svg, name="baked_svg"),
    path(
        "badges/<uuid:public_id>/credential.jwt",
        ob3_views.credential_jwt,
        name="credential_jwt",
    ),
    path(
        "badges/<uuid:public_id>/credential.png",
        ob3_views.baked_credential_png,
        name="credential_png",
    ),
    path(
        "badges/<uuid:public_id>/credential.svg",
        ob3_views.baked_credential_svg,
        name="credential_svg",
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
