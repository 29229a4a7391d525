import pytest
from django.urls import reverse

from records.models import Status
from tests.factories import DocumentFactory, StatementFactory, safe_city_graph

pytestmark = pytest.mark.django_db


def test_home_page_shows_counts_per_kind_and_latest_records(client):
    safe_city_graph()
    page = client.get("/").content.decode()
    assert "3 published records" in page
    assert "Minister announces 1,000 cameras" in page
    assert "Unpublished leak" not in page


def test_record_page_shows_links_in_both_directions_with_inverse_labels(client):
    graph = safe_city_graph()
    page = client.get(graph["opinion"].get_absolute_url()).content.decode()
    assert "Contradicts" in page
    assert "Minister announces 1,000 cameras" in page
    assert "Says no basis" in page
    assert "Is responded to by" in page
    assert "SHARE analysis of the DPIA" in page


def test_record_page_shows_citation_with_permalink_and_access_date(client):
    safe_city_graph()
    response = client.get("/r/commissioner-opinion/")
    assert "https://nadzor.example/r/commissioner-opinion/" in response.content.decode()
    assert "(accessed " in response.content.decode()


def test_markdown_body_is_rendered_and_script_is_never_executable(client):
    record = DocumentFactory(
        body="**bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)"
    )
    page = client.get(record.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert 'rel="nofollow noopener"' in page


def test_title_with_html_is_escaped_everywhere(client):
    record = StatementFactory(title='<img src=x onerror="alert(1)">')
    for url in ("/", "/records/", "/timeline/", record.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<img src=x" not in page, url
        assert "&lt;img src=x" in page, url


def test_unknown_record_id_is_404_not_500(client):
    assert client.get("/r/does-not-exist/").status_code == 404
    assert client.get("/r/%ff%fe/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/r/a%00b/", "/records/?actor=%00", "/api/records/?tag=x%00", "/tags/%00/"]
)
def test_nul_characters_in_an_address_are_a_clear_400_not_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"NUL character" in response.content


def test_record_list_filters_by_kind_and_actor_and_tag(client):
    graph = safe_city_graph()
    page = client.get("/records/?kind=statement").content.decode()
    assert "Minister announces" in page and "SHARE analysis" not in page
    page = client.get(f"/records/?actor={graph['share'].slug}").content.decode()
    assert "SHARE analysis" in page and "Minister announces" not in page
    page = client.get("/records/?tag=dpia").content.decode()
    assert "SHARE analysis" in page and "Minister announces" not in page


def test_record_list_filters_by_partial_date_range(client):
    DocumentFactory(title="In 2018", date="2018-06-01", date_precision=3)
    DocumentFactory(title="In 2020", date="2020-01-01", date_precision=1)
    page = client.get("/records/?date_from=2019&date_to=2020").content.decode()
    assert "In 2020" in page and "In 2018" not in page
    page = client.get("/records/?date_to=2018-06").content.decode()
    assert "In 2018" in page and "In 2020" not in page


def test_bad_filter_values_show_a_message_not_an_error(client):
    response = client.get("/records/?date_from=last+year&kind=bogus&actor=nobody")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD." in page
    assert "Select a valid choice" in page


def test_actor_page_lists_their_published_records_with_roles(client):
    graph = safe_city_graph()
    page = client.get(graph["mup"].get_absolute_url()).content.decode()
    assert "Ministarstvo unutrašnjih poslova" in page
    assert "Minister announces 1,000 cameras" in page and "Speaker" in page
    assert "Commissioner&#x27;s opinion on the DPIA" in page and "Subject" in page


def test_tag_page_lists_published_records_with_that_tag(client):
    safe_city_graph()
    page = client.get("/tags/dpia/").content.decode()
    assert "SHARE analysis" in page and "Commissioner" in page
    assert "Minister announces" not in page


def test_timeline_groups_records_by_year_oldest_first(client):
    DocumentFactory(title="Later record", date="2021-01-01", date_precision=1)
    DocumentFactory(title="Earlier record", date="2019-05-01", date_precision=2)
    DocumentFactory(title="Undated record", date=None, date_precision=None)
    page = client.get("/timeline/").content.decode()
    assert page.index("2019") < page.index("Earlier record") < page.index("2021")
    assert page.index("Later record") < page.index("Undated record")
    assert "May 2019" in page


def test_timeline_pages_fifty_records_at_a_time_oldest_first(client):
    for n in range(51):
        DocumentFactory(title=f"Entry {n:02d}", date=f"2019-01-{n % 28 + 1:02d}", date_precision=3)
    first = client.get("/timeline/").content.decode()
    second = client.get("/timeline/?page=2").content.decode()
    assert first.count(">Entry ") == 50 and second.count(">Entry ") == 1
    assert "Page 1 of 2" in first and 'href="?page=2"' in first


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    page = client.get("/records/?kind=document").content.decode()
    assert 'hreflang="sr-Latn" href="https://nadzor.example/sr-latn/records/?kind=document"' in page
    assert 'hreflang="sr-Cyrl" href="https://nadzor.example/sr/records/?kind=document"' in page
    assert '<html lang="en">' in page
    assert '<html lang="sr-Cyrl">' in client.get("/sr/records/").content.decode()
    assert '<html lang="sr-Latn">' in client.get("/sr-latn/records/").content.decode()


def test_pages_load_nothing_from_another_host(client):
    graph = safe_city_graph()
    for url in ("/", "/records/", "/timeline/", graph["opinion"].get_absolute_url(), "/actors/"):
        page = client.get(url).content.decode()
        for attribute in ('src="http', "src='http", 'href="//', "url(http"):
            assert attribute not in page, (url, attribute)
        assert '<link rel="stylesheet" href="/static/' in page


def test_example_records_say_so_on_their_page(client):
    record = DocumentFactory(tags=["example"])
    assert "Example record." in client.get(record.get_absolute_url()).content.decode()


def test_editor_preview_of_a_draft_is_marked_not_public(editor_client):
    draft = DocumentFactory(status=Status.DRAFT, title="Draft for review")
    page = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "Draft for review" in page
    assert "is not public" in page


def test_api_and_export_are_linked_from_every_page(client):
    page = client.get(reverse("records:home")).content.decode()
    assert "/api/records/" in page and "/api/export.jsonl" in page


def test_not_found_page_is_the_archives_own_page_with_a_way_back(client):
    response = client.get("/r/never-existed/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist" in page
    assert 'href="/records/"' in page


def test_the_server_error_page_stands_alone_with_the_site_icon_in_three_languages(rf):
    from archive.errors import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/records/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert '<link rel="icon" href="/static/favicon' in page  # no request for /favicon.ico
    assert "Something went wrong" in page and 'lang="sr-Cyrl"' in page
