"""The public share page of a badge: what it says, its buttons, and its machine-readable links."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from accounts.models import Profile
from progress.models import Evidence
from tests.factories import at, earn_seed_practitioner, review_all_evidence
from tests.html import by_id, elements, labelled_by, main_text, text

# The badge is earned half an hour before the new year (UTC, the site's zone), so the page's
# date, LinkedIn's issue month and year are known, and a page drawn in any other zone shows.
pytestmark = pytest.mark.frozen_at(at("2026-12-31T23:30"))


def page_url(award):
    return reverse("badges:share", args=[award.public_id])


def meta(page, **which):
    """The content of the page's one <meta> tag with this property (or name)."""
    [tag] = elements(page, "meta", **which)
    return dict(tag.attributes)["content"]


def link_to(page, href, tag="a"):
    """The page's one <a> (or <link>) to `href`, as a dict of its attributes."""
    [found] = elements(page, tag, href=href)
    return dict(found.attributes)


def test_a_shared_badge_has_a_public_page_that_works_without_javascript(client, ada_shared_award):
    response = client.get(page_url(ada_shared_award))
    words = main_text(response)
    assert text(by_id(response, "badge-heading")) == "Practitioner degree"
    assert "Earned by ada on 31 December 2026, issued by mlmath." in words
    assert "Valid, not revoked; some milestone evidence is self-attested" in words
    assert "Revoked" not in words
    # Nowhere in the bytes: not in the text, nor in an attribute or a <meta> tag.
    assert "ada@example.com" not in response.content.decode()


def test_the_page_shows_the_display_name_and_never_the_email(client, ada_shared_award, learner):
    Profile.objects.for_user(learner)
    Profile.objects.filter(user=learner).update(display_name="Ada Lovelace")
    response = client.get(page_url(ada_shared_award))
    assert "Earned by Ada Lovelace on 31 December 2026" in main_text(response)
    assert "ada@example.com" not in response.content.decode()  # nor in any attribute


def test_the_page_states_the_requirements_in_plain_words(client, ada_shared_award):
    means = labelled_by(client.get(page_url(ada_shared_award)), "means-heading")
    assert "To earn it, a learner must:" in text(means)
    [requirements] = elements(means, "ul", class_="requirements")
    assert [text(item) for item in elements(requirements, "li")] == [
        "Complete Keras",
        "Complete XGboost",
        "Show evidence: Use Keras and XGBoost in a Kaggle competition",
    ]


def evidence_states(response):
    return [text(state) for state in elements(response, "span", class_="evidence__state")]


def test_milestone_evidence_is_linked_with_its_review_state(client, ada_shared_award, learner):
    response = client.get(page_url(ada_shared_award))
    evidence = labelled_by(response, "evidence-heading")
    assert link_to(evidence, "https://example.org/ada/kaggle-keras-xgboost")
    assert evidence_states(evidence) == ["Self-attested"]

    review_all_evidence(Evidence.State.VERIFIED)
    response = client.get(page_url(ada_shared_award))
    assert evidence_states(response) == ["Verified by a curator"]
    assert "curators verified the evidence for every milestone" in main_text(response)


def test_rejected_evidence_is_said_plainly(client, ada_shared_award):
    review_all_evidence(Evidence.State.REJECTED, note="Not a Kaggle notebook.")
    response = client.get(page_url(ada_shared_award))
    words = main_text(response)
    assert "Rests on rejected evidence" in words
    assert evidence_states(response) == ["Rejected by a curator"]
    assert "Valid" not in words


def test_a_revoked_badge_says_revoked_and_never_valid_nor_the_curators_reason(
    client, ada_shared_award
):
    ada_shared_award.revoke(reason="The Kaggle notebook was someone else's.")
    response = client.get(page_url(ada_shared_award))
    words = main_text(response)
    assert "Revoked by the issuer. This badge does not count any more." in words
    assert "Kaggle notebook was someone else" not in response.content.decode()  # nor hidden
    assert not re.search(r"\bvalid\b", words, re.IGNORECASE)
    assert "Add to LinkedIn" not in words


def test_add_to_linkedin_is_the_add_to_profile_url_with_every_value_encoded(
    client, ada_shared_award
):
    response = client.get(page_url(ada_shared_award))
    [button] = [a for a in elements(response, "a", class_="button") if text(a) == "Add to LinkedIn"]
    share_url = f"http://testserver{page_url(ada_shared_award)}"
    parts = urlsplit(dict(button.attributes)["href"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    assert parts.query == (
        "startTask=CERTIFICATION_NAME&name=Practitioner%20degree&organizationName=mlmath"
        "&issueYear=2026&issueMonth=12"
        f"&certUrl=http%3A%2F%2Ftestserver%2Fbadges%2F{ada_shared_award.public_id}%2F"
        f"&certId={ada_shared_award.public_id}"
    )
    assert dict(parse_qsl(parts.query))["certUrl"] == share_url
    # LinkedIn may ignore fields, so they are also shown for copying.
    [fields] = elements(response, "dl", class_="copy-fields")
    names, values = elements(fields, "dt"), elements(fields, "dd")
    assert dict(zip(map(text, names), map(text, values), strict=True)) == {
        "Name": "Practitioner degree",
        "Issuing organization": "mlmath",
        "Issue date": "December 2026",
        "Credential ID": str(ada_shared_award.public_id),
        "Credential URL": share_url,
    }


def test_the_link_is_shown_as_text_and_copied_by_a_self_hosted_script(client, ada_shared_award):
    response = client.get(page_url(ada_shared_award))
    share_url = f"http://testserver{page_url(ada_shared_award)}"
    link = by_id(response, "share-link")
    assert (dict(link.attributes)["href"], text(link)) == (share_url, share_url)
    [copy_button] = elements(response, "button", **{"data-copy-text": share_url})
    status = by_id(response, dict(copy_button.attributes)["data-copy-status"])
    assert (dict(status.attributes)["role"], dict(status.attributes)["aria-live"]) == (
        "status",
        "polite",
    )
    [script] = elements(response, "script", src="/static/js/copy-link.js")
    assert "defer" in dict(script.attributes)


def test_downloads_and_verification_documents_are_linked(client, ada_shared_award):
    response = client.get(page_url(ada_shared_award))
    for name in ("badges:baked_png", "badges:baked_svg"):
        assert "download" in link_to(response, reverse(name, args=[ada_shared_award.public_id]))
    assertion_url = (
        f"http://testserver{reverse('badges:assertion', args=[ada_shared_award.public_id])}"
    )
    alternate = link_to(response, assertion_url, tag="link")
    assert (alternate["rel"], alternate["type"]) == ("alternate", "application/ld+json")
    assert link_to(response, assertion_url)["type"] == "application/ld+json"
    credential_url = (
        f"http://testserver{reverse('badges:credential_jwt', args=[ada_shared_award.public_id])}"
    )
    alternate = link_to(response, credential_url, tag="link")
    assert (alternate["rel"], alternate["type"]) == ("alternate", "application/vc+jwt")
    assert client.get(credential_url)["Content-Type"] == "application/vc+jwt"


def test_head_requests_answer_like_get_without_a_body(client, ada_shared_award):
    for name in ("badges:share", "badges:assertion", "badges:baked_png"):
        response = client.head(reverse(name, args=[ada_shared_award.public_id]))
        assert response.status_code == 200
        assert response.content == b""


def test_the_badge_image_has_alt_text(client, ada_shared_award):
    response = client.get(page_url(ada_shared_award))
    [image] = elements(response, "img", class_="shared-badge__image")
    image_path = reverse("badges:degree_svg", args=[ada_shared_award.degree.public_id])
    assert dict(image.attributes)["src"] == image_path
    assert dict(image.attributes)["alt"] == "mlmath Practitioner badge: a bronze medal, level 1"


def test_social_cards_use_a_png_image(client, ada_shared_award):
    response = client.get(page_url(ada_shared_award))
    png_url = (
        f"http://testserver{reverse('badges:degree_png', args=[ada_shared_award.degree.public_id])}"
    )
    assert meta(response, property="og:image") == png_url
    assert meta(response, property="og:image:type") == "image/png"
    assert meta(response, name="twitter:image") == png_url
    assert meta(response, name="twitter:card") == "summary"
    assert meta(response, property="og:title") == "ada earned the mlmath Practitioner degree"
    assert meta(response, property="og:url") == f"http://testserver{page_url(ada_shared_award)}"
    assert client.get(png_url).headers["Content-Type"] == "image/png"


def test_site_url_sets_the_origin_of_every_public_link(client, ada_shared_award, settings):
    settings.SITE_URL = "https://mlmath.example.org"
    response = client.get(page_url(ada_shared_award))
    [canonical] = elements(response, "link", rel="canonical")
    assert dict(canonical.attributes)["href"] == (
        f"https://mlmath.example.org{page_url(ada_shared_award)}"
    )
    # Not one link, attribute or word anywhere in the bytes points at the request's host.
    assert response.status_code == 200
    assert "http://testserver" not in response.content.decode()


@pytest.mark.parametrize("catalog_scale", [1, 3])
def test_the_page_costs_a_fixed_number_of_queries(
    client, seed_catalog, make_learner, django_assert_max_num_queries, catalog_scale
):
    awards = [
        earn_seed_practitioner(make_learner(f"learner{n}")).set_shared(True)
        for n in range(catalog_scale)
    ]
    # The award, its evidence, and the learner's resources that count (completed and known).
    with django_assert_max_num_queries(4):
        assert client.get(page_url(awards[-1])).status_code == 200
