"""Pages cite some articles and values as "unverified" (not yet checked against the Official
Journal text): every page says once, in its footer, what the word means and where to read more."""

from __future__ import annotations


def test_every_page_says_what_unverified_means(web_client):
    for user, path in (("com-solidarity", "/solidarity"), ("it-caseworker", "/"), ("it-analyst", "/reception")):
        page = web_client(user).get(path)
        assert page.status_code == 200, (user, path)
        assert 'id="unverified-meaning">A citation or value marked "unverified" is applied as shown but has not yet been checked against the Official Journal text' in page.text
