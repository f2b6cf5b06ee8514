"""Badge images baked with the signed Open Badges 3.0 credential, and their round trip."""

import jwt as pyjwt
from django.urls import reverse

from badges.baking import OB3_CREDENTIAL, png_chunks, unbake_png, unbake_svg
from tests.badges.credentials import fetch_credential, verified_claims


def test_the_baked_png_carries_the_signed_credential_in_one_itxt_chunk(client, shared_award):
    response = client.get(reverse("badges:credential_png", args=[shared_award.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    token = unbake_png(response.content, OB3_CREDENTIAL)
    assert token == fetch_credential(client, shared_award)
    keyword_chunks = [
        data
        for chunk_type, data in png_chunks(response.content)
        if chunk_type == b"iTXt" and data.startswith(b"openbadgecredential\x00")
    ]
    assert len(keyword_chunks) == 1
    assert keyword_chunks[0][len(b"openbadgecredential\x00") :][:1] == b"\x00"  # uncompressed
    assert verified_claims(client, token)["jti"].endswith(
        f"{shared_award.public_id}/credential.jwt"
    )


def test_the_baked_svg_carries_the_signed_credential_right_after_the_svg_tag(client, shared_award):
    response = client.get(reverse("badges:credential_svg", args=[shared_award.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    assert svg.count("<openbadges:credential>") == 1
    assert svg.split(">", 1)[1].startswith("<openbadges:credential>")
    token = unbake_svg(svg, OB3_CREDENTIAL)
    assert pyjwt.get_unverified_header(token)["alg"] == "RS256"
    assert verified_claims(client, token)["credentialSubject"]["achievement"]["name"] == (
        "Practitioner"
    )


def test_private_badges_have_no_baked_credential(client, make_award):
    award = make_award(is_shared=False)

    for name in ("badges:credential_png", "badges:credential_svg"):
        assert client.get(reverse(name, args=[award.public_id])).status_code == 404


def test_a_baked_credential_image_costs_a_fixed_number_of_queries(
    client, shared_award, django_assert_max_num_queries
):
    # The award, the learner's resources that count (for the credential's narrative), the
    # catalog version itself when the shared cache is the database table, and the first time
    # the degree requirements and where each resource is (3 queries, then read once per catalog
    # version).
    for name, queries in (("badges:credential_png", 6), ("badges:credential_svg", 3)):
        with django_assert_max_num_queries(queries):
            assert client.get(reverse(name, args=[shared_award.public_id])).status_code == 200
