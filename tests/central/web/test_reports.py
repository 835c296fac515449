"""The Muro del Trato Digno with its moderation, and the quarterly report."""

import pytest

from tests.central.web.conftest import World, csrf_from


def test_recognition_reaches_the_wall_only_after_moderation(web_world: World) -> None:
    case_id = web_world.cases["reconocimiento_ags"]
    with web_world.login("nacional") as c:
        assert "Enfermera AGS" not in c.get("/tablero").text
        wall = c.get("/reconocimientos").text
        assert "Por moderar" in wall and "Enfermera AGS" in wall
        response = c.post(f"/reconocimientos/{case_id}",
                          data={"csrf_token": csrf_from(wall), "decision": "aprobar"})
        assert response.status_code == 303
        assert "Enfermera AGS" in c.get("/tablero").text
    with web_world.login("unidad_ags") as c:
        wall = c.get("/reconocimientos").text
        assert "Enfermera AGS" in wall and "Por moderar" not in wall


@pytest.mark.parametrize("path", ["/reporte", "/reporte?anio=2026&trimestre=1"])
def test_quarterly_report_renders_with_charts(web_world: World, path: str) -> None:
    with web_world.login("nacional") as c:
        page = c.get(path)
        assert page.status_code == 200
        assert "Reporte trimestral" in page.text and "<svg" in page.text
        assert c.get("/reporte?anio=1800&trimestre=9").status_code == 400
