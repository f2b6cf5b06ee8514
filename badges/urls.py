"""The badges app's URLs, included at the site root (some, like /.well-known/, must be there).

Documents about an award live under its public id, documents about a degree under the
degree's; both ids are UUIDs that never change, so links in old badges keep working.
"""

from django.urls import include, path, re_path

from badges import (
    clr_views,
    exchange_views,
    ob3_views,
    status_views,
    verify_views,
    views,
)

app_name = "badges"

# What a learner's award is, at /badges/<award's public id>/...: its share page, the Open
# Badges 2.0 assertion and baked images, and the signed Open Badges 3.0 credential (VC-JWT and
# Data Integrity).
award_documents = [
    path("", views.award_detail, name="share"),
    path("assertion.json", views.assertion, name="assertion"),
    path("badge.png", views.baked_png, name="baked_png"),
    path("badge.svg", views.baked_svg, name="baked_svg"),
    path("credential.jwt", ob3_views.credential_jwt, name="credential_jwt"),
    path("credential.json", ob3_views.credential_json, name="credential_json"),
    path("credential.png", ob3_views.baked_credential_png, name="credential_png"),
    path("credential.svg", ob3_views.baked_credential_svg, name="credential_svg"),
    # Add to wallet: the learner starts a VC-API exchange for their own badge.
    path("wallet/", exchange_views.start, name="wallet_start"),
]

# What the issuer publishes once for everyone: itself, its degrees' badge classes and images,
# its signing keys and what it revoked.
issuer_documents = [
    path("issuer.json", views.issuer, name="issuer"),
    path("degrees/<uuid:public_id>.json", views.badge_class, name="badge_class"),
    path("degrees/<uuid:public_id>.png", views.degree_png, name="degree_png"),
    path("degrees/<uuid:public_id>.svg", views.degree_svg, name="degree_svg"),
    re_path(
        r"^keys/(?P<key_id>[A-Za-z0-9_-]{43})\.json$", ob3_views.signing_key, name="signing_key"
    ),
    path("revocations.json", ob3_views.revocation_list_view, name="revocation_list"),
    # A wallet completes an exchange here (VC-API); the token is 43 url-safe characters.
    re_path(
        r"^exchanges/(?P<token>[A-Za-z0-9_-]{43})$",
        exchange_views.exchange,
        name="wallet_exchange",
    ),
    # Bitstring Status Lists, numbered from 1 (no leading zero: one URL per list).
    re_path(
        r"^status/revocation/(?P<number>[1-9][0-9]{0,5})$",
        status_views.status_list,
        name="status_list",
    ),
]

urlpatterns = [
    path("badges/", include(issuer_documents)),
    path("badges/<uuid:public_id>/", include(award_documents)),
    # A learner's own record in a curriculum (CLR 2.0), for them only.
    path(
        "badges/records/<slug:curriculum_slug>/<str:username>/clr.json",
        clr_views.learner_record,
        name="learner_record",
    ),
    path(".well-known/jwks.json", ob3_views.jwks, name="jwks"),
    path(".well-known/did.json", ob3_views.did_json, name="did"),
    path("verify/", verify_views.verify, name="verify"),
]
