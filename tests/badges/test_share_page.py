"""The public share page of a badge: what it says, its buttons, and its machine-readable links."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from accounts.models import Profile
from progress.models import Evidence
from tests.factories import earn_seed_practitioner, review_all_evidence


def page_url(award):
    return reverse("badges:share", args=[award.public_id])


def text_of(response):
    """The page's visible text, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([,.;:])", r"\1", text)


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return unescape(match.group(1)) if match else None


def test_a_shared_badge_has_a_public_page_that_works_without_javascript(client, ada_shared_award):
    response = client.get(page_url(ada_shared_award))
    assert response.status_code == 200
    text = text_of(response)
    assert "Practitioner degree" in text
    assert f"Earned by ada on {ada_shared_award.awarded_at:%-d %B %Y}, issued by mlmath." in text
    assert "Valid, not revoked; some milestone evidence is self-attested" in text
    assert "Revoked" not in text
    assert "ada@example.com" not in response.content.decode()


def test_the_page_shows_the_display_name_and_never_the_email(client, ada_shared_award, learner):
    Profile.objects.for_user(learner)
    Profile.objects.filter(user=learner).update(display_name="Ada Lovelace")
    response = client.get(page_url(ada_shared_award))
    assert "Earned by Ada Lovelace on" in text_of(response)
    assert "ada@example.com" not in response.content.decode()


def test_the_page_states_the_requirements_in_plain_words(client, ada_shared_award):
    text = text_of(client.get(page_url(ada_shared_award)))
    assert "To earn it, a learner must:" in text
    assert "Complete Keras" in text
    assert "Complete XGboost" in text
    assert "Show evidence: Use Keras and XGBoost in a Kaggle competition" in text


def test_milestone_evidence_is_linked_with_its_review_state(client, ada_shared_award, learner):
    html = client.get(page_url(ada_shared_award)).content.decode()
    assert 'href="https://example.org/ada/kaggle-keras-xgboost"' in html
    assert "Self-attested" in text_of(client.get(page_url(ada_shared_award)))

    review_all_evidence(Evidence.State.VERIFIED)
    text = text_of(client.get(page_url(ada_shared_award)))
    assert "Verified by a curator" in text
    assert "curators verified the evidence for every milestone" in text


def test_rejected_evidence_is_said_plainly(client, ada_shared_award):
    review_all_evidence(Evidence.State.REJECTED, note="Not a Kaggle notebook.")
    text = text_of(client.get(page_url(ada_shared_award)))
    assert "Rests on rejected evidence" in text
    assert "Rejected by a curator" in text
    assert "Valid" not in text


def test_a_revoked_badge_says_revoked_and_never_valid_nor_the_curators_reason(
    client, ada_shared_award
):
    ada_shared_award.revoke(reason="The Kaggle notebook was someone else's.")
    response = client.get(page_url(ada_shared_award))
    assert response.status_code == 200
    text = text_of(response)
    assert "Revoked by the issuer. This badge does not count any more." in text
    assert "Kaggle notebook was someone else" not in text
    assert not re.search(r"\bvalid\b", text, re.IGNORECASE)
    assert "Add to LinkedIn" not in text


def test_add_to_linkedin_is_the_add_to_profile_url_with_every_value_encoded(
    client, ada_shared_award
):
    html = client.get(page_url(ada_shared_award)).content.decode()
    href = unescape(re.search(r'<a class="button" href="([^"]+)"[^>]*>Add to LinkedIn', html)[1])
    share_url = f"http://testserver{page_url(ada_shared_award)}"
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    assert parts.query == (
        "startTask=CERTIFICATION_NAME&name=Practitioner%20degree&organizationName=mlmath"
        f"&issueYear={ada_shared_award.awarded_at.year}&issueMonth={ada_shared_award.awarded_at.month}"
        f"&certUrl=http%3A%2F%2Ftestserver%2Fbadges%2F{ada_shared_award.public_id}%2F"
        f"&certId={ada_shared_award.public_id}"
    )
    assert dict(parse_qsl(parts.query))["certUrl"] == share_url
    # LinkedIn may ignore fields, so they are also shown for copying.
    text = text_of(client.get(page_url(ada_shared_award)))
    assert f"Credential ID {ada_shared_award.public_id}" in text
    assert f"Credential URL {share_url}" in text
    assert "Issuing organization mlmath" in text


def test_the_link_is_shown_as_text_and_copied_by_a_self_hosted_script(client, ada_shared_award):
    html = client.get(page_url(ada_shared_award)).content.decode()
    share_url = f"http://testserver{page_url(ada_shared_award)}"
    assert f'<a href="{share_url}" id="share-link">{share_url}</a>' in html
    assert f'data-copy-text="{share_url}"' in html
    assert re.search(r'<script src="/static/js/copy-link\.js" defer>', html)
    assert 'role="status" aria-live="polite"' in html


def test_downloads_and_verification_documents_are_linked(client, ada_shared_award):
    html = client.get(page_url(ada_shared_award)).content.decode()
    for name in ("badges:baked_png", "badges:baked_svg"):
        assert f'href="{reverse(name, args=[ada_shared_award.public_id])}" download' in html
    assertion_url = (
        f"http://testserver{reverse('badges:assertion', args=[ada_shared_award.public_id])}"
    )
    assert f'<link rel="alternate" type="application/ld+json" href="{assertion_url}"' in html
    assert f'<a href="{assertion_url}" type="application/ld+json">' in html
    credential_url = (
        f"http://testserver{reverse('badges:credential_jwt', args=[ada_shared_award.public_id])}"
    )
    assert f'<link rel="alternate" type="application/vc+jwt" href="{credential_url}"' in html
    assert client.get(credential_url)["Content-Type"] == "application/vc+jwt"


def test_head_requests_answer_like_get_without_a_body(client, ada_shared_award):
    for name in ("badges:share", "badges:assertion", "badges:baked_png"):
        response = client.head(reverse(name, args=[ada_shared_award.public_id]))
        assert response.status_code == 200
        assert response.content == b""


def test_the_badge_image_has_alt_text(client, ada_shared_award):
    html = client.get(page_url(ada_shared_award)).content.decode()
    image_path = reverse("badges:degree_svg", args=[ada_shared_award.degree.public_id])
    assert (
        f'<img class="shared-badge__image" src="{image_path}" '
        'alt="mlmath Practitioner badge: a bronze medal, level 1"'
    ) in html


def test_social_cards_use_a_png_image(client, ada_shared_award):
    html = client.get(page_url(ada_shared_award)).content.decode()
    png_url = (
        f"http://testserver{reverse('badges:degree_png', args=[ada_shared_award.degree.public_id])}"
    )
    assert meta(html, "property", "og:image") == png_url
    assert meta(html, "property", "og:image:type") == "image/png"
    assert meta(html, "name", "twitter:image") == png_url
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "property", "og:title") == "ada earned the mlmath Practitioner degree"
    assert meta(html, "property", "og:url") == f"http://testserver{page_url(ada_shared_award)}"
    assert client.get(png_url).headers["Content-Type"] == "image/png"


def test_site_url_sets_the_origin_of_every_public_link(client, ada_shared_award, settings):
    settings.SITE_URL = "https://mlmath.example.org"
    html = client.get(page_url(ada_shared_award)).content.decode()
    assert (
        f'<link rel="canonical" href="https://mlmath.example.org{page_url(ada_shared_award)}">'
        in html
    )
    assert "http://testserver" not in html


@pytest.mark.parametrize("catalog_scale", [1, 3])
def test_the_page_costs_a_fixed_number_of_queries(
    client, seed_catalog, make_learner, django_assert_max_num_queries, catalog_scale
):
    awards = [
        earn_seed_practitioner(make_learner(f"learner{n}")).set_shared(True)
        for n in range(catalog_scale)
    ]
    with django_assert_max_num_queries(3):
        assert client.get(page_url(awards[-1])).status_code == 200
