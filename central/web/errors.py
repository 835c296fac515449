"""Web error pages in Spanish (the kiosk API keeps its own JSON errors)."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from central.web.auth import (
    CsrfRejectedError,
    LoginRequiredError,
    PasswordChangeRequiredError,
    login_redirect,
)
from central.web.i18n import t
from central.web.scope import OutOfScopeError
from central.web.state import render

API_PREFIXES = ("/api/", "/healthz", "/openapi.json", "/docs", "/redoc")


class WebError(Exception):
    def __init__(self, status: int, heading_key: str, message_key: str,
                 headers: dict[str, str] | None = None, **values: Any) -> None:
        super().__init__(heading_key)
        self.status = status
        self.heading_key = heading_key
        self.message_key = message_key
        self.headers = headers
        self.values = values


def not_found() -> WebError:
    return WebError(404, "error.404.title", "error.404.text")


def error_page(request: Request, status: int, heading_key: str, message_key: str,
               headers: dict[str, str] | None = None, **values: Any) -> Response:
    return render(
        request, "error.html",
        {"heading": t(heading_key), "message": t(message_key, **values), "section": ""},
        status_code=status, headers=headers,
    )


def install_web_errors(app: FastAPI) -> None:
    previous_http = app.exception_handlers.get(StarletteHTTPException)

    @app.exception_handler(LoginRequiredError)
    async def _login(_request: Request, exc: LoginRequiredError) -> Response:
        return login_redirect(exc)

    @app.exception_handler(PasswordChangeRequiredError)
    async def _password(_request: Request, _exc: PasswordChangeRequiredError) -> Response:
        return RedirectResponse("/contrasena", status_code=303)

    @app.exception_handler(CsrfRejectedError)
    async def _csrf(request: Request, _exc: CsrfRejectedError) -> Response:
        return error_page(request, 403, "error.csrf.title", "error.csrf.text")

    @app.exception_handler(OutOfScopeError)
    async def _scope(request: Request, _exc: OutOfScopeError) -> Response:
        return error_page(request, 404, "error.404.title", "error.404.text")

    @app.exception_handler(WebError)
    async def _web(request: Request, exc: WebError) -> Response:
        return error_page(request, exc.status, exc.heading_key, exc.message_key, exc.headers,
                          **exc.values)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith(API_PREFIXES) and previous_http is not None:
            return await previous_http(request, exc)  # type: ignore[no-any-return]
        if exc.status_code == 404:
            return error_page(request, 404, "error.404.title", "error.404.text")
        if exc.status_code == 405:
            return error_page(request, 405, "error.405.title", "error.405.text")
        return error_page(request, exc.status_code, "error.generic.title", "error.generic.text",
                          dict(exc.headers or {}))
