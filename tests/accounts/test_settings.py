import json

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


def time_zone_groups(page):
    """{group label: [option values]} of the time zone select, and its options outside groups."""
    [select] = elements(page, "select", name="time_zone")
    groups = {
        dict(group.attributes)["label"]: [
            dict(option.attributes)["value"] for option in elements(group, "option")
        ]
        for group in elements(select, "optgroup")
    }
    ungrouped = [
        dict(child.attributes)["value"]
        for child in select.children
        if not isinstance(child, str) and child.name == "option"
    ]
    return groups, ungrouped


def test_time_zones_are_places_grouped_by_region_without_legacy_aliases(learner_client):
    groups, ungrouped = time_zone_groups(learner_client.get("/account/"))
    assert ungrouped == ["UTC"]
    assert list(groups) == [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ]
    assert all(name.startswith(f"{area}/") for area, names in groups.items() for name in names)
    listed = {name for names in groups.values() for name in names}
    assert {"Asia/Kolkata", "Europe/Kyiv", "America/New_York", "Europe/Amsterdam"} <= listed
    for alias in ("W-SU", "Zulu", "US/Eastern", "Asia/Calcutta", "Europe/Kiev", "Etc/GMT+5"):
        assert alias not in listed
    assert 300 < len(listed) < 500  # one name per place, not every alias zoneinfo knows


def test_options_read_as_the_place_within_their_region(learner_client):
    [select] = elements(learner_client.get("/account/"), "select", name="time_zone")
    labels = {dict(o.attributes)["value"]: text(o) for o in elements(select, "option")}
    assert labels["America/Argentina/Buenos_Aires"] == "Argentina/Buenos Aires"
    assert labels["Europe/Paris"] == "Paris"


def test_a_legacy_alias_saved_before_shows_as_its_place_and_is_saved_as_it(learner_client, learner):
    Profile.objects.filter(user=learner).update(time_zone="Asia/Calcutta", time_zone_chosen=True)
    response = learner_client.get("/account/")
    assert time_zone_select(response)[1] == "Asia/Kolkata"
    learner_client.post("/account/", {**VALID, "time_zone": "Asia/Kolkata"})
    assert Profile.objects.get(user=learner).time_zone == "Asia/Kolkata"


def test_a_legacy_alias_posted_is_accepted_as_the_place_it_stands_for(learner_client, learner):
    response = learner_client.post("/account/", {**VALID, "time_zone": "US/Eastern"})
    assert response.status_code == 302
    assert Profile.objects.get(user=learner).time_zone == "America/New_York"


def test_a_saved_zone_of_no_place_is_still_shown_and_kept(learner_client, learner):
    Profile.objects.filter(user=learner).update(time_zone="Etc/GMT+5", time_zone_chosen=True)
    response = learner_client.get("/account/")
    groups, _ = time_zone_groups(response)
    assert groups["Your saved zone"] == ["Etc/GMT+5"]
    assert time_zone_select(response)[1] == "Etc/GMT+5"
    response = learner_client.post("/account/", {**VALID, "time_zone": "Etc/GMT+5"})
    assert response.status_code == 302
    assert Profile.objects.get(user=learner).time_zone == "Etc/GMT+5"


def test_the_browser_zone_script_learns_the_aliases_until_a_zone_is_saved(learner_client, learner):
    [select] = elements(learner_client.get("/account/"), "select", name="time_zone")
    aliases = json.loads(dict(select.attributes)["data-aliases"])
    assert aliases["Asia/Calcutta"] == "Asia/Kolkata"
    assert aliases["Europe/Kiev"] == "Europe/Kyiv"
    learner_client.post("/account/", VALID)
    [select] = elements(learner_client.get("/account/"), "select", name="time_zone")
    assert "data-aliases" not in dict(select.attributes)


def test_each_checkbox_comes_before_its_label_which_names_it(learner_client):
    form = by_id(learner_client.get("/account/"), "settings-form")
    for name in ("is_public", "show_badges", "show_topic_progress", "show_activity"):
        [row] = [
            row
            for row in elements(form, "div", class_="field__check")
            if elements(row, "input", name=name)
        ]
        box, label = [child for child in row.children if not isinstance(child, str)]
        kinds = (box.name, dict(box.attributes)["type"], label.name)
        assert kinds == ("input", "checkbox", "label")
        assert dict(label.attributes)["for"] == dict(box.attributes)["id"]
        help_id = dict(box.attributes)["aria-describedby"]
        assert text(by_id(form, help_id))
