"""/verify/: a plain verdict for links, VC-JWTs and bad input, with and without HTMX."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges.ob3 import build_credential, sign_credential
from badges.signing import parse_key_ring
from tests.badges.keys import private_key_pem
from tests.factories import make_credential_facts
from tests.html import by_id, elements, parsed, text

VERIFY = "/verify/"


def share_link(award):
    return "http://testserver" + reverse("badges:share", args=[award.public_id])


def credential_token(client, award):
    return client.get(reverse("badges:credential_jwt", args=[award.public_id])).content.decode()


def verdict_text(response):
    """The words of the verify panel (the form's messages and the verdict), once the page has
    answered as it should: words missing from an error page would prove nothing."""
    assert response.status_code in (200, 422), response.status_code
    return text(by_id(response, "verify-panel"))


def checks(response):
    """The verdict's list of checks, {"Signature": "Valid", ...}."""
    [listing] = elements(response, "dl", class_="verify-result__checks")
    names, values = elements(listing, "dt"), elements(listing, "dd")
    return dict(zip(map(text, names), map(text, values), strict=True))


def test_the_page_has_a_labelled_csrf_protected_form_that_uploads_files(client, db):
    response = client.get(VERIFY)

    assert response.status_code == 200
    [form] = elements(response, "form", action=VERIFY)
    assert dict(form.attributes)["enctype"] == "multipart/form-data"
    assert elements(form, "input", name="csrfmiddlewaretoken")
    for field in ("badge", "image", "email"):
        assert elements(form, "label", **{"for": f"id_{field}"})
        assert elements(form, id=f"id_{field}")
    assert dict(by_id(response, "verdict").attributes)["aria-live"] == "polite"


def test_a_shared_badge_link_gets_a_valid_verdict(client, shared_award):
    response = client.post(VERIFY, {"badge": share_link(shared_award)})

    text = verdict_text(response)
    assert response.status_code == 200
    assert "Valid: a badge issued by this site" in text
    assert checks(response)["Issued by this site"] == "Yes"
    assert "Not revoked" in text
    assert "Practitioner" in text
    assert "Not checked (no email address given)" in text


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (" ADA@example.org ", "Awarded to this email address"),
        ("bob@example.org", "Not awarded to this email address"),
    ],
)
def test_the_recipient_is_checked_against_the_email_given(client, shared_award, email, expected):
    response = client.post(VERIFY, {"badge": share_link(shared_award), "email": email})

    text = verdict_text(response)
    assert expected in text
    assert ("Not valid" in text) is (expected.startswith("Not"))


@pytest.mark.parametrize("url_name", ["badges:assertion", "badges:credential_jwt"])
def test_an_assertion_or_credential_url_is_verified_like_the_share_link(
    client, shared_award, url_name
):
    url = "http://testserver" + reverse(url_name, args=[shared_award.public_id])

    text = verdict_text(client.post(VERIFY, {"badge": url}))

    assert "Valid: a badge issued by this site" in text


def test_a_pasted_vc_jwt_is_verified(client, shared_award):
    token = credential_token(client, shared_award)

    text = verdict_text(client.post(VERIFY, {"badge": token[:40] + "\n" + token[40:]}))

    assert "Valid: a badge issued by this site" in text
    assert "A signed credential (VC-JWT)" in text


def test_a_revoked_badge_is_never_valid(client, shared_award):
    token = credential_token(client, shared_award)
    shared_award.revoke(reason="Evidence was copied")

    for submitted in (token, share_link(shared_award)):
        response = client.post(VERIFY, {"badge": submitted})
        assert response.status_code == 200
        text = verdict_text(response)
        assert "Not valid" in text
        assert "Revoked by the issuer" in text
        assert "Evidence was copied" not in text  # the curator's reason stays in the admin


def test_a_private_badge_link_is_like_no_badge(client, make_award):
    award = make_award(is_shared=False)

    text = verdict_text(client.post(VERIFY, {"badge": share_link(award)}))

    assert "no shared badge at this address" in text
    assert "Practitioner" not in text


def test_a_link_to_another_site_is_refused_without_fetching_it(client, db):
    response = client.post(VERIFY, {"badge": "https://badges.example.com/a/1"})

    assert "This link is not on this site (http://testserver)" in verdict_text(response)
    assert checks(response)["Issued by this site"] == "No"


def test_a_page_of_this_site_that_is_not_a_badge_is_explained(client, db):
    text = verdict_text(client.post(VERIFY, {"badge": "http://testserver/degrees/"}))

    assert "is not a badge" in text


def test_a_jwt_from_another_issuer_is_not_ours(client, db):
    other = parse_key_ring(private_key_pem(2))
    token = sign_credential(
        build_credential(make_credential_facts()),
        other.signing_key,
        "https://elsewhere.example/k.json",
    )

    text = verdict_text(client.post(VERIFY, {"badge": token}))

    assert "Not valid" in text
    assert "not issued by this site" in text


def test_a_tampered_jwt_has_an_invalid_signature(client, shared_award):
    header, payload, signature = credential_token(client, shared_award).split(".")
    forged_payload = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")

    response = client.post(VERIFY, {"badge": f"{header}.{forged_payload}.{signature}"})

    assert "Not valid" in verdict_text(response)
    assert checks(response)["Signature"] == "Not valid"


@pytest.mark.parametrize(
    ("submitted", "message"),
    [
        ("just some words", "neither a link"),
        ("a.b.c", "not a readable VC-JWT"),
        ("http://testserver/badges/not-a-uuid/", "is not a badge"),
    ],
)
def test_nonsense_gets_a_plain_explanation(client, db, submitted, message):
    response = client.post(VERIFY, {"badge": submitted})

    assert response.status_code == 200
    assert message in verdict_text(response)


def test_nothing_to_check_re_renders_the_form_with_a_message(client, db):
    response = client.post(VERIFY, {"badge": "", "email": "ada@example.org"})

    assert response.status_code == 422
    assert "Give one thing to check" in verdict_text(response)


def test_a_ten_megabyte_upload_is_refused_with_its_size(client, db):
    upload = SimpleUploadedFile("huge.png", b"\0" * (10 * 1024 * 1024), content_type="image/png")

    response = client.post(VERIFY, {"image": upload})

    assert response.status_code == 422
    assert "The file is 10.5 MB; the limit is 2 MB." in verdict_text(response)


def test_a_bad_email_is_refused_with_a_message(client, shared_award):
    response = client.post(VERIFY, {"badge": share_link(shared_award), "email": "not-an-email"})

    assert response.status_code == 422
    assert "Enter a valid email address" in verdict_text(response)


def test_posting_without_a_csrf_token_is_refused(shared_award):
    strict_client = Client(enforce_csrf_checks=True)

    response = strict_client.post(VERIFY, {"badge": share_link(shared_award)})

    assert response.status_code == 403


def test_htmx_gets_only_the_panel(client, shared_award):
    response = client.post(VERIFY, {"badge": share_link(shared_award)}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    panel = parsed(response)  # one element: the panel alone, no <html> around it
    assert (panel.name, dict(panel.attributes)["id"]) == ("div", "verify-panel")
    assert "Valid: a badge issued by this site" in verdict_text(response)


def test_a_get_with_a_badge_link_shows_its_verdict(client, shared_award):
    response = client.get(VERIFY, {"badge": share_link(shared_award)})

    assert "Valid: a badge issued by this site" in verdict_text(response)


def test_checking_a_link_costs_a_fixed_number_of_queries(
    client, shared_award, django_assert_max_num_queries
):
    # With the catalog version: a query when the shared cache is the database table; and the
    # learner's resources that count, for the credential's narrative, with where each resource
    # is (read once per catalog version).
    with django_assert_max_num_queries(7):
        response = client.post(VERIFY, {"badge": share_link(shared_award)})

    assert "Valid" in verdict_text(response)


def test_checking_a_jwt_costs_one_query(client, shared_award, django_assert_max_num_queries):
    token = credential_token(client, shared_award)

    with django_assert_max_num_queries(1):
        client.post(VERIFY, {"badge": token})


def test_a_badge_of_a_deleted_account_is_revoked(client, shared_award):
    shared_award.revoke(reason="The account was deleted.")
    shared_award.learner.delete()

    response = client.post(VERIFY, {"badge": share_link(shared_award)})

    assert response.status_code == 200
    text = verdict_text(response)

    assert "Not valid" in text
    assert "Revoked by the issuer" in text
    assert "deleted" not in text
    assert "Practitioner" in text


def upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("url_name", "filename", "content_type", "source"),
    [
        ("badges:credential_png", "badge.png", "image/png", "A baked PNG (Open Badges 3.0)"),
        ("badges:credential_svg", "badge.svg", "image/svg+xml", "A baked SVG (Open Badges 3.0)"),
        ("badges:baked_png", "badge.png", "image/png", "A baked PNG (Open Badges 2.0)"),
        ("badges:baked_svg", "badge.svg", "image/svg+xml", "A baked SVG (Open Badges 2.0)"),
    ],
)
def test_a_baked_image_is_verified(client, shared_award, url_name, filename, content_type, source):
    image = client.get(reverse(url_name, args=[shared_award.public_id])).content

    response = client.post(
        VERIFY,
        {"image": upload(filename, image, content_type), "email": "ada@example.org"},
    )

    text = verdict_text(response)
    assert "Valid: a badge issued by this site" in text
    assert source in text
    assert "Awarded to this email address" in text


def test_a_revoked_baked_image_is_not_valid(client, shared_award):
    image = client.get(reverse("badges:credential_png", args=[shared_award.public_id])).content
    shared_award.revoke(reason="Evidence was copied")

    response = client.post(VERIFY, {"image": upload("b.png", image, "image/png")})

    assert response.status_code == 200
    text = verdict_text(response)

    assert "Revoked by the issuer" in text
    assert "Evidence was copied" not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not an image", "neither a PNG nor an SVG image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00", "Corrupt PNG"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>',
            "declares a DTD or entities",
        ),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><unclosed></svg>", "Not a readable SVG"),
    ],
)
def test_a_file_that_is_not_a_baked_badge_gets_a_plain_message(client, db, content, message):
    response = client.post(VERIFY, {"image": upload("file.png", content, "image/png")})

    assert response.status_code == 200
    text = verdict_text(response)
    assert "Not valid" in text
    assert message in text


def test_an_image_that_was_never_baked_says_so(client, shared_award):
    plain = client.get(reverse("badges:degree_png", args=[shared_award.degree.public_id])).content

    text = verdict_text(client.post(VERIFY, {"image": upload("b.png", plain, "image/png")}))

    assert "This PNG image carries no badge" in text


def test_a_link_and_an_image_together_are_refused(client, shared_award):
    image = client.get(reverse("badges:credential_png", args=[shared_award.public_id])).content

    response = client.post(
        VERIFY, {"badge": share_link(shared_award), "image": upload("b.png", image, "image/png")}
    )

    assert response.status_code == 422
    assert "Give one thing to check" in verdict_text(response)


def test_checking_a_baked_image_costs_a_fixed_number_of_queries(
    client, shared_award, django_assert_max_num_queries
):
    image = client.get(reverse("badges:credential_png", args=[shared_award.public_id])).content

    with django_assert_max_num_queries(1):
        response = client.post(VERIFY, {"image": upload("b.png", image, "image/png")})

    assert "Valid" in verdict_text(response)


def test_the_share_page_links_its_baked_credentials_and_its_verdict(client, shared_award):
    page = client.get(reverse("badges:share", args=[shared_award.public_id]))

    for name in ("badges:credential_png", "badges:credential_svg"):
        assert elements(page, "a", href=reverse(name, args=[shared_award.public_id]))
    verify_link = f"/verify/?badge=http%3A%2F%2Ftestserver%2Fbadges%2F{shared_award.public_id}%2F"
    assert elements(page, "a", href=verify_link)
    assert "Valid: a badge issued by this site" in verdict_text(client.get(verify_link))
