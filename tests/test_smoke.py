def test_home_page_lists_the_seed_topics(client, seed_catalog):
    response = client.get("/")
    assert response.status_code == 200
    assert "Linear Algebra" in response.content.decode()
