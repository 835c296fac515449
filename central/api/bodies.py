"""Reading a kiosk API request: the raw body under a size limit, gzip undone with a limit on
the inflated size, JSON and pydantic models parsed into 4xx answers with a reason; the API's
response models and its JSON answer."""

import json
import uuid
import zlib
from typing import Annotated, Any

from fastapi import Request, Response
from pydantic import BaseModel, Field, ValidationError

from central.api.errors import ApiError
from central.services.validation import describe_validation
from trato.protocol.wire import NO_NUL, SCHEMA_VERSION, ErrorBody

_ERROR_MEANING = {
    400: "Malformed body: not JSON, bad gzip or Content-Length",
    401: "Not signed, unknown kiosk, bad signature, timestamp outside the window, bad token",
    403: "Revoked kiosk (or the administrative API is off)",
    404: "Unknown kiosk",
    409: "Replayed nonce, token already used, or busy: retry",
    413: "Body too large (after decompression)",
    415: "Content-Encoding other than gzip",
    422: "Wrong shape (the field and the reason), unsupported schema_version",
    429: "Too many wrong enrolment codes: retry after Retry-After seconds",
    503: "The database does not answer",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers an operation documents (OpenAPI), each an :class:`ErrorBody`."""
    return {status: {"model": ErrorBody, "description": _ERROR_MEANING[status]}
            for status in statuses}


def check_schema_version(data: Any) -> None:
    """The one rule of :mod:`trato.protocol.wire`: a request body without a supported
    ``schema_version`` is refused whole, before anything else in it is read."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if type(version) is not int or version != SCHEMA_VERSION:
        shown = "missing" if not isinstance(data, dict) or "schema_version" not in data \
            else f"{version!r} is not supported"
        raise ApiError(422, "unsupported_schema",
                       f"schema_version {shown}; this server speaks {SCHEMA_VERSION}")


class KioskStatusOut(BaseModel):
    kiosk_id: uuid.UUID
    status: str
    reason: str = ""
    server_time: int
    last_sync_at: str | None = None


class RevokeRequest(BaseModel):
    reason: Annotated[str, Field(max_length=500, pattern=NO_NUL)] = ""


class Health(BaseModel):
    status: str
    database: str
    version: str


async def read_raw_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise ApiError(413, "too_large", f"body larger than {limit} bytes")
        except ValueError:
            raise ApiError(400, "bad_request", "invalid Content-Length") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "too_large", f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(raw: bytes, encoding: str | None, limit: int) -> bytes:
    """Undo gzip (if declared) with a hard limit on the decompressed size."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "x-gzip"):
        raise ApiError(415, "unsupported_encoding", f"Content-Encoding {encoding} not accepted")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, limit + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise ApiError(413, "too_large",
                           f"body larger than {limit} bytes after decompression")
        out += inflater.flush()
    except zlib.error:
        raise ApiError(400, "bad_encoding", "body is not valid gzip") from None
    if not inflater.eof:
        raise ApiError(400, "bad_encoding", "gzip body is truncated")
    if len(out) > limit:
        raise ApiError(413, "too_large", f"body larger than {limit} bytes after decompression")
    return out


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "malformed_json", "body is nested too deeply") from None


def check_storable_text(*values: str) -> None:
    """Text columns cannot hold NUL characters."""
    if any("\x00" in v for v in values):
        raise ApiError(422, "invalid", "text must not contain NUL characters")


def parse_model(model: type[BaseModel], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise ApiError(422, "invalid", describe_validation(exc.errors())) from None


def json_response(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")
