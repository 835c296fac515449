"""The public folio page: status and dates only, Spanish 404, rate limit per address."""

import httpx

from tests.central.web.conftest import NARRATIVE_AGS, PERSONAL, World


def test_folio_page_shows_status_and_dates_only(web_world: World) -> None:
    folio = web_world.folios["queja_ags"]
    with httpx.Client(base_url=web_world.base_url, timeout=30) as c:  # not signed in
        for spelling in (folio, folio.replace("-", "").lower()):
            page = c.get(f"/folio/{spelling}")
            assert page.status_code == 200
            assert folio in page.text and "Queja" in page.text and "Recepción" in page.text
            assert "Plazo para resolver" in page.text
            for secret in (NARRATIVE_AGS, *PERSONAL.values(), "UMF No. 1"):
                assert secret not in page.text
        unknown = c.get("/folio/0000-0000-0000")
        malformed = c.get("/folio/esto-no-es-un-folio")
        for response in (unknown, malformed):
            assert response.status_code == 404
            assert "No encontramos ese folio" in response.text


def test_folio_page_is_rate_limited(web_world: World) -> None:
    with httpx.Client(base_url=web_world.base_url, timeout=30) as c:
        codes = [c.get("/folio/0000-0000-0000").status_code for _ in range(40)]
        assert codes[-1] == 429
        limited = c.get(f"/folio/{web_world.folios['queja_ags']}")
        assert limited.status_code == 429 and "Demasiadas consultas" in limited.text
        assert "retry-after" in limited.headers
