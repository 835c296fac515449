"""Errors of the kiosk API: always 4xx with :class:`trato.protocol.wire.ErrorBody`, never a 5xx
for bad input. Every response of the API also carries ``X-TD-Server-Time``."""

import json
import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from central.services.validation import describe_validation
from trato.protocol.wire import HEADER_SERVER_TIME, ErrorBody

log = logging.getLogger(__name__)

API_PATH_PREFIXES = ("/api/", "/healthz")


class ApiError(Exception):
    """Raise from API code: becomes ``status`` with ErrorBody(code, detail)."""

    def __init__(self, status: int, code: str, detail: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


def error_response(status: int, code: str, detail: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code, detail=detail).model_dump()
    out = {HEADER_SERVER_TIME: str(int(time.time()))}
    out.update(headers or {})
    return JSONResponse(body, status_code=status, headers=out)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PATH_PREFIXES)


def install_error_handlers(app: FastAPI) -> None:
    previous_http = app.exception_handlers.get(StarletteHTTPException)
    previous_validation = app.exception_handlers.get(RequestValidationError)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if not _is_api(request) and previous_validation is not None:
            return await previous_validation(request, exc)
        return error_response(422, "invalid", describe_validation(list(exc.errors())))

    @app.exception_handler(ValidationError)
    async def _pydantic(request: Request, exc: ValidationError) -> Response:
        return error_response(422, "invalid", describe_validation(exc.errors()))

    @app.exception_handler(json.JSONDecodeError)
    async def _json(_request: Request, exc: json.JSONDecodeError) -> Response:
        return error_response(400, "malformed_json", f"body is not valid JSON: {exc.msg}")

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        # A value the database cannot hold is bad input, not a server fault.
        log.info("refused a value the database cannot store on %s", request.url.path)
        return error_response(422, "not_storable", "a value cannot be stored (range or text)")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not _is_api(request) and previous_http is not None:
            return await previous_http(request, exc)
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "error"
        )
        return error_response(exc.status_code, code, str(exc.detail),
                              dict(exc.headers or {}))

    app.add_middleware(ServerTimeMiddleware)


class ServerTimeMiddleware:
    """Adds ``X-TD-Server-Time`` to every response (plain ASGI: no body buffering)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_time(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if h[0].lower() != _SERVER_TIME_LOWER]
                headers.append((_SERVER_TIME_LOWER, str(int(time.time())).encode()))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_time)


_SERVER_TIME_LOWER = HEADER_SERVER_TIME.lower().encode()
