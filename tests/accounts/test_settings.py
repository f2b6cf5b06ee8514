from html.parser import HTMLParser

from accounts.models import Profile

VALID = {
    "display_name": "Ada Lovelace",
    "time_zone": "Asia/Tokyo",
    "weekly_goal_hours": "7",
    "is_public": "on",
    "show_badges": "on",
    "show_activity": "on",
}


class SelectOptions(HTMLParser):
    def __init__(self, name):
        super().__init__()
        self.name, self.inside, self.options, self.selected = name, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == self.name
        elif tag == "option" and self.inside:
            self.options.append(attrs["value"])
            if "selected" in attrs:
                self.selected = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False


def time_zone_select(html):
    parser = SelectOptions("time_zone")
    parser.feed(html)
    return parser


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/")


def test_settings_page_is_linked_from_header_and_dashboard(learner_client):
    for url in ["/", "/progress/"]:
        assert 'href="/account/"' in learner_client.get(url).text


def test_time_zone_select_lists_iana_zones_with_utc_selected_by_default(learner_client):
    response = learner_client.get("/account/")
    select = time_zone_select(response.text)
    assert {"UTC", "Asia/Tokyo", "America/New_York"} <= set(select.options)
    assert select.selected == "UTC"
    # JavaScript may preselect the browser's zone, from a self-hosted script, never inline.
    assert "data-time-zone-from-browser" in response.text
    assert 'src="/static/js/time-zone.js"' in response.text
    assert "<script>" not in response.text


def test_saving_settings_changes_the_profile_and_confirms(learner_client, learner):
    response = learner_client.post("/account/", VALID, follow=True)
    assert "Settings saved." in response.text
    profile = Profile.objects.get(user=learner)
    assert profile.display_name == "Ada Lovelace"
    assert profile.time_zone == "Asia/Tokyo"
    assert profile.weekly_goal_hours == 7
    assert (profile.is_public, profile.show_badges, profile.show_activity) == (True, True, True)
    assert not profile.show_topic_progress
    # Once chosen, the browser no longer overrides the learner's zone.
    again = learner_client.get("/account/")
    assert "data-time-zone-from-browser" not in again.text
    assert time_zone_select(again.text).selected == "Asia/Tokyo"


def test_htmx_save_returns_the_form_fragment_with_a_live_confirmation(learner_client, learner, hx):
    response = learner_client.post("/account/", VALID, **hx())
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'aria-live="polite"' in response.text
    assert "Settings saved." in response.text
    assert Profile.objects.get(user=learner).weekly_goal_hours == 7


def test_bad_input_rerenders_with_errors_and_changes_nothing(learner_client, learner, hx):
    bad = {**VALID, "time_zone": "Mars/Olympus_Mons", "weekly_goal_hours": "500"}
    for extra in [{}, hx()]:
        response = learner_client.post("/account/", bad, **extra)
        assert response.status_code == 422
        assert "Nothing was saved" in response.text
        assert "is not an IANA time zone name" in response.text
        assert "less than or equal to 100" in response.text
        assert 'aria-invalid="true"' in response.text
        # The learner's input is kept, not replaced by the browser's zone.
        assert "data-time-zone-from-browser" not in response.text
    profile = Profile.objects.get(user=learner)
    assert (profile.time_zone, profile.weekly_goal_hours, profile.is_public) == ("UTC", 5, False)


def test_a_display_name_with_at_sign_is_refused(learner_client, learner):
    response = learner_client.post("/account/", {**VALID, "display_name": "ada@example.com"})
    assert response.status_code == 422
    assert "cannot contain “@”" in response.text
    assert Profile.objects.get(user=learner).display_name == ""


def test_settings_page_refuses_other_methods(learner_client):
    assert learner_client.put("/account/").status_code == 405
