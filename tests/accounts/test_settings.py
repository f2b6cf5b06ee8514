from accounts.models import Profile
from tests.html import by_id, elements, text

VALID = {
    "display_name": "Ada Lovelace",
    "time_zone": "Asia/Tokyo",
    "weekly_goal_hours": "7",
    "is_public": "on",
    "show_badges": "on",
    "show_activity": "on",
}


def time_zone_select(page):
    """The time zone <select>: (every option's value, the selected one's)."""
    [select] = elements(page, "select", name="time_zone")
    options = [dict(option.attributes) for option in elements(select, "option")]
    [selected] = [option["value"] for option in options if "selected" in option]
    return [option["value"] for option in options], selected


def zone_from_browser(page):
    """Whether the page lets the browser's zone preselect the select (a self-hosted script
    reads the mark)."""
    return any("data-time-zone-from-browser" in dict(e.attributes) for e in elements(page))


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/")


def test_settings_page_is_linked_from_header_and_dashboard(learner_client):
    for url in ["/", "/progress/"]:
        assert elements(learner_client.get(url), "a", href="/account/")


def test_time_zone_select_lists_iana_zones_with_utc_selected_by_default(learner_client):
    response = learner_client.get("/account/")
    options, selected = time_zone_select(response)
    assert {"UTC", "Asia/Tokyo", "America/New_York"} <= set(options)
    assert selected == "UTC"
    # JavaScript may preselect the browser's zone, from a self-hosted script, never inline.
    assert zone_from_browser(response)
    scripts = [dict(script.attributes) for script in elements(response, "script")]
    assert "/static/js/time-zone.js" in [script.get("src") for script in scripts]
    assert all("src" in script for script in scripts)


def test_saving_settings_changes_the_profile_and_confirms(learner_client, learner):
    response = learner_client.post("/account/", VALID, follow=True)
    [messages] = elements(response, "ul", class_="messages")
    assert text(messages) == "Settings saved."
    profile = Profile.objects.get(user=learner)
    assert profile.display_name == "Ada Lovelace"
    assert profile.time_zone == "Asia/Tokyo"
    assert profile.weekly_goal_hours == 7
    assert (profile.is_public, profile.show_badges, profile.show_activity) == (True, True, True)
    assert not profile.show_topic_progress
    # Once chosen, the browser no longer overrides the learner's zone.
    again = learner_client.get("/account/")
    assert again.status_code == 200
    assert not zone_from_browser(again)
    assert time_zone_select(again)[1] == "Asia/Tokyo"


def test_htmx_save_returns_the_form_fragment_with_a_live_confirmation(learner_client, learner, hx):
    response = learner_client.post("/account/", VALID, **hx())
    assert response.status_code == 200
    assert not elements(response, "html")
    [live] = elements(response, "div", role="status")
    assert dict(live.attributes)["aria-live"] == "polite"
    assert text(live) == "Settings saved."
    assert Profile.objects.get(user=learner).weekly_goal_hours == 7


def test_bad_input_rerenders_with_errors_and_changes_nothing(learner_client, learner, hx):
    bad = {**VALID, "time_zone": "Mars/Olympus_Mons", "weekly_goal_hours": "500"}
    for extra in [{}, hx()]:
        response = learner_client.post("/account/", bad, **extra)
        assert response.status_code == 422
        form = by_id(response, "settings-form")
        assert text(form).startswith("Profile and privacy Nothing was saved")
        assert "is not an IANA time zone name" in text(form)
        assert "less than or equal to 100" in text(form)
        invalid = elements(form, **{"aria-invalid": "true"})
        assert {dict(field.attributes)["name"] for field in invalid} == {
            "time_zone",
            "weekly_goal_hours",
        }
        # The learner's input is kept, not replaced by the browser's zone.
        assert not zone_from_browser(response)
    profile = Profile.objects.get(user=learner)
    assert (profile.time_zone, profile.weekly_goal_hours, profile.is_public) == ("UTC", 5, False)


def test_a_display_name_with_at_sign_is_refused(learner_client, learner):
    response = learner_client.post("/account/", {**VALID, "display_name": "ada@example.com"})
    assert response.status_code == 422
    assert "cannot contain “@”" in text(by_id(response, "settings-form"))
    assert Profile.objects.get(user=learner).display_name == ""


def test_settings_page_refuses_other_methods(learner_client):
    assert learner_client.put("/account/").status_code == 405
