"""What the central server serves for signed updates.

* ``/updates/metadata/…`` and ``/updates/targets/…``: the TUF repository as static files
  (public: nothing in it is secret; every byte is checked by the kiosk against the signed
  metadata). Metadata must never be cached (``no-cache``: a proxy may keep it but asks each
  time, so a new timestamp is seen at once); a target's name carries its version and never
  changes, so it may be cached for a year (``immutable``).
* ``GET /api/v1/updates/offer?platform=linux|windows`` (signed by the kiosk, the query
  too): the version this kiosk may install, signed with the targets key, naming the build
  for its platform; none when the branch's version has no build published for it. No
  ``platform``: linux (kiosks older than Windows updates). 404 ``updates_off`` when the
  server has no repository; 422 ``invalid`` (naming the platforms) for one it does not know.
"""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session
from starlette.responses import Response

from central.api.bodies import errors, json_response
from central.api.errors import ApiError
from central.api.openapi import SIGNED
from central.api.sync import _signed_get
from central.models import Kiosk
from central.updates.repository import Repository, RepositoryError, repository_dir
from central.updates.rollout import offered_version
from trato.protocol.updates import (
    LINUX,
    OFFER_PATH,
    UPDATES_PATH,
    UpdateOffer,
    sign_offer,
)
from trato.protocol.wire import Platform

METADATA_CACHE = "no-cache"
TARGET_CACHE = "public, max-age=31536000, immutable"

router = APIRouter()


class UpdateFiles(StaticFiles):
    """Static files with the caching each kind of file needs; no directory listings."""

    def file_response(self, full_path: Any, stat_result: Any, scope: Any,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        is_target = Path(str(full_path)).parent.name == "targets"
        response.headers["Cache-Control"] = TARGET_CACHE if is_target else METADATA_CACHE
        return response


@router.get(OFFER_PATH, response_model=UpdateOffer, tags=["kiosk"],
            responses=errors(400, 401, 403, 404, 409, 413, 422),
            openapi_extra={"security": SIGNED})
async def update_offer(request: Request, platform: Annotated[Platform, Query(
        description="the kiosk's platform: the builds it takes")] = LINUX) -> Any:
    """The kiosk version this kiosk may install (its branch's rollout), signed."""
    repo = Repository(request.app.state.settings.data_dir)

    def work(session: Session, kiosk: Kiosk) -> UpdateOffer:
        if not repo.exists():
            raise ApiError(404, "updates_off", "this server publishes no updates")
        try:
            signer = repo.signer("targets")
        except RepositoryError:
            raise ApiError(404, "updates_off", "this server publishes no updates") from None
        version = offered_version(session, kiosk)
        if version is not None and platform not in repo.platforms(version):
            version = None  # staged, but not built for this platform: it stays as it is
        return sign_offer(signer, str(kiosk.id), version, platform)

    return json_response(await _signed_get(request, work))


def include_updates(app: FastAPI) -> None:
    directory = repository_dir(app.state.settings.data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    app.include_router(router)
    app.mount(UPDATES_PATH, UpdateFiles(directory=directory, check_dir=False), name="updates")
