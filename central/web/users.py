"""Users on the web (``/usuarios``) and the password a user chooses (``/contrasena``).

An administrator manages the users of their own branch (the rules are in
:mod:`central.services.user_admin`); a user outside the branch is answered like an unknown
one (404). A refused change is the page again with the reason (422), never an error page. A
temporary password is shown once, on the answer to the POST that made it, never stored in
clear and never written to the audit log.
"""

import asyncio
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from central.db import write_session
from central.models import Role
from central.services import user_admin
from central.services.user_admin import Admin, admin_for
from central.services.users import MIN_PASSWORD_LENGTH, UserError
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.display import MX
from central.web.errors import not_found
from central.web.i18n import t
from central.web.state import render

router = APIRouter()

#: What each administrator may give: a branch administrator never gives ``nacional``.
ROLES = tuple(r.value for r in Role)
NO_STORE = {"Cache-Control": "no-store"}


def _admin(session: Session, viewer: Viewer) -> Admin:
    if not viewer.is_admin:
        raise not_found()
    try:
        return admin_for(session, viewer.user)
    except UserError:
        raise not_found() from None


def _roles(admin: Admin) -> list[str]:
    return [r for r in ROLES if admin.branch is None or r != Role.NACIONAL.value]


def _rows(session: Session, admin: Admin, search: str) -> tuple[list[dict[str, Any]], int]:
    out = []
    found, total = user_admin.users_in_branch(session, admin, search=search)
    for user, node in found:
        out.append({
            "id": str(user.id), "username": user.username, "name": user.display_name,
            "role": user.role, "scope": node.code if node else "",
            "scope_name": node.name if node else t("scope.nivel_central"),
            "active": user.active, "must_change": user.must_change_password,
            "is_self": user.id == admin.user.id,
            "last": user.last_login_at.astimezone(MX).strftime("%d/%m/%Y %H:%M")
            if user.last_login_at else "",
        })
    return out, total


def _page(request: Request, viewer: Viewer, *, status_code: int = 200,
          **context: Any) -> Response:
    search = str(request.query_params.get("buscar", "")).strip()[:100]
    with Session(request.app.state.engine) as session:
        admin = _admin(session, viewer)
        rows, total = _rows(session, admin, search)
    return render(request, "users.html", {
        "section": "users", "rows": rows, "total": total, "search": search,
        "roles": _roles(admin),
        "branch": admin.branch.code if admin.branch else "", "form": {}, **context,
    }, status_code=status_code, headers=NO_STORE)


def _refused(exc: UserError) -> str:
    return t(f"users.error.{exc.code}", **exc.values)


async def _act(request: Request, viewer: Viewer, action: Callable[[Session, Admin], Any]
               ) -> tuple[Any, str]:
    """Run ``action`` (a rule of user_admin) off the event loop; (its result, the refusal)."""

    def run() -> Any:
        with write_session(request.app.state.engine) as session:
            return action(session, _admin(session, viewer))

    try:
        return await asyncio.to_thread(run), ""
    except UserError as exc:
        if exc.code == "user_unknown":
            raise not_found() from None
        return None, _refused(exc)


@router.get("/usuarios", include_in_schema=False)
def users_page(request: Request, viewer: CurrentViewer) -> Response:
    return _page(request, viewer)


@router.post("/usuarios", include_in_schema=False)
async def create_user(request: Request, viewer: CurrentViewer) -> Response:
    form = await check_csrf(request, viewer)
    fields = {k: str(form.get(k, ""))[:200] for k in ("usuario", "nombre", "rol", "rama")}
    result, error = await _act(request, viewer, lambda s, a: user_admin.create_user(
        s, a, username=fields["usuario"], display_name=fields["nombre"], role=fields["rol"],
        scope_code=fields["rama"]))
    if error:
        return _page(request, viewer, status_code=422, error=error, form=fields)
    user, password = result
    return _page(request, viewer, issued={"username": user.username, "password": password},
                 notice=t("users.created", username=user.username))


@router.post("/usuarios/{user_id}/activo", include_in_schema=False)
async def set_active(request: Request, viewer: CurrentViewer, user_id: str) -> Response:
    form = await check_csrf(request, viewer)
    active = form.get("accion") == "activar"
    user, error = await _act(request, viewer,
                             lambda s, a: user_admin.set_active(s, a, user_id, active))
    if error:
        return _page(request, viewer, status_code=422, error=error)
    key = "users.enabled" if active else "users.disabled"
    return _page(request, viewer, notice=t(key, username=user.username))


@router.post("/usuarios/{user_id}/rol", include_in_schema=False)
async def change_role(request: Request, viewer: CurrentViewer, user_id: str) -> Response:
    form = await check_csrf(request, viewer)
    role, scope = str(form.get("rol", ""))[:32], str(form.get("rama", ""))[:64]
    user, error = await _act(request, viewer, lambda s, a: user_admin.change_role(
        s, a, user_id, role=role, scope_code=scope))
    if error:
        return _page(request, viewer, status_code=422, error=error)
    return _page(request, viewer, notice=t("users.changed", username=user.username))


@router.post("/usuarios/{user_id}/contrasena", include_in_schema=False)
async def reset_password(request: Request, viewer: CurrentViewer, user_id: str) -> Response:
    await check_csrf(request, viewer)
    result, error = await _act(request, viewer,
                               lambda s, a: user_admin.reset_password(s, a, user_id))
    if error:
        return _page(request, viewer, status_code=422, error=error)
    user, password = result
    return _page(request, viewer, issued={"username": user.username, "password": password},
                 notice=t("users.reset", username=user.username))


# ---------------------------------------------------------------- the user's own password


def _password_page(request: Request, viewer: Viewer, error: str = "",
                   status_code: int = 200) -> Response:
    return render(request, "password.html", {
        "section": "", "error": error, "required": viewer.user.must_change_password,
        "min_length": MIN_PASSWORD_LENGTH}, status_code=status_code, headers=NO_STORE)


@router.get("/contrasena", include_in_schema=False)
def password_form(request: Request, viewer: CurrentViewer) -> Response:
    return _password_page(request, viewer)


@router.post("/contrasena", include_in_schema=False)
async def change_password(request: Request, viewer: CurrentViewer) -> Response:
    form = await check_csrf(request, viewer)
    current, new, repeat = (str(form.get(k, ""))[:1024] for k in ("actual", "nueva", "repetir"))

    def run() -> None:
        with write_session(request.app.state.engine) as session:
            user_admin.change_own_password(session, viewer.id, current=current, new=new,
                                           repeat=repeat)

    try:
        await asyncio.to_thread(run)
    except UserError as exc:
        return _password_page(request, viewer, _refused(exc), 422)
    return RedirectResponse("/tablero", status_code=303)
