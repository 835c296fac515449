"""Sign-in, sessions, CSRF and login rate limiting against a real server."""

import httpx

from tests.central.web.conftest import PASSWORD, World, csrf_from, login


def test_login_opens_the_board_and_logout_closes_the_session(web_world: World) -> None:
    with httpx.Client(base_url=web_world.base_url, timeout=30) as c:
        assert c.get("/tablero").status_code == 303  # not signed in → sign-in page
        response = login(c, "nacional", PASSWORD)
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        assert "td_session=" in cookie and "HttpOnly" in cookie
        assert "samesite=strict" in cookie.lower()
        board = c.get("/tablero")
        assert board.status_code == 200
        assert "Tablero de monitoreo en tiempo real de Trato Digno" in board.text
        out = c.post("/salir", data={"csrf_token": csrf_from(board.text)})
        assert out.status_code == 303
        assert c.get("/tablero").status_code == 303


def test_wrong_password_is_refused_in_spanish(web_world: World) -> None:
    with httpx.Client(base_url=web_world.base_url, timeout=30) as c:
        response = login(c, "ooad_bc", "incorrecta")
        assert response.status_code == 401
        assert "no son correctos" in response.text


def test_post_without_csrf_token_is_rejected(web_world: World) -> None:
    with httpx.Client(base_url=web_world.base_url, timeout=30) as c:
        page = c.get("/entrar")
        assert page.status_code == 200
        no_token = c.post("/entrar", data={"username": "nacional", "password": PASSWORD})
        assert no_token.status_code == 403
    with web_world.login("nacional") as c:
        case_id = web_world.cases["queja_bc"]
        for path, data in ((f"/casos/{case_id}/nota", {"nota": "sin token"}),
                           (f"/casos/{case_id}/nota", {"nota": "token falso",
                                                       "csrf_token": "falso"}),
                           ("/salir", {})):
            response = c.post(path, data=data)
            assert response.status_code == 403, path
            assert "no se pudo verificar" in response.text
        assert c.get("/tablero").status_code == 200  # still signed in


def test_login_rate_limit_per_username_and_ip(web_world: World) -> None:
    with httpx.Client(base_url=web_world.base_url, timeout=30) as c:
        for _ in range(5):
            assert login(c, "umae", "mal").status_code == 401
        blocked = login(c, "umae", PASSWORD)  # even the right password
        assert blocked.status_code == 429
        assert "demasiados intentos" in blocked.text.lower()
        assert int(blocked.headers["retry-after"]) > 0
        # Another username from the same address is not affected.
        assert login(c, "admin", PASSWORD).status_code == 303


def test_static_assets_are_served_locally(web_world: World) -> None:
    with httpx.Client(base_url=web_world.base_url, timeout=30) as c:
        page = c.get("/entrar").text
        assert "http://" not in page.replace(web_world.base_url, "")
        assert "https://" not in page
        for path in ("/static/board.css", "/static/board.js", "/static/fonts/NotoSans-Regular.ttf"):
            assert c.get(path).status_code == 200
