"""The kiosk API under /api/v1 plus /healthz (see trato/protocol/wire.py for the protocol).

==================  ==========================================================================
``enrolment``       enrol with a one-time token, revoke (admin token), ``/healthz``
``sync``            signed push of records, pull of changes, a kiosk's own status
``report``          signed report of a kiosk's version and last self-test
``signed``          the signed-request check every ``sync`` endpoint starts with
``bodies``          raw body, gzip, JSON and model parsing into 4xx answers; response models
``errors``          :class:`~central.api.errors.ApiError` and the handlers: always 4xx
                    ``ErrorBody`` for bad input, never a 5xx
``openapi``         the published description: request models, errors, security schemes
``admission``       the push's load shedding: 429 ``busy`` with a random ``Retry-After``
                    before the body is read when the process has enough ingest work
==================  ==========================================================================

Every request but enrolment, health and revocation is signed by the kiosk
(:mod:`trato.protocol.signing`) over the raw body bytes as received (before gzip decoding):

=====================================  ======  ============
unsigned / unknown kiosk / bad sig.    401     ``unsigned`` / ``unknown_kiosk`` / ``bad_signature``
timestamp outside the window           401     ``expired``
nonce already seen                     409     ``replayed``
too much ingest work in this process   429     ``busy`` (+ ``Retry-After``)
too many wrong enrolment codes         429     ``rate_limited`` (+ ``Retry-After``)
revoked kiosk                          403     ``revoked``
body too large (after decompression)   413     ``too_large``
malformed JSON / gzip                  400     ``malformed_json`` / ``bad_encoding``
wrong shape                            422     ``invalid`` (+ the field and the reason)
=====================================  ======  ============

Every response carries ``X-TD-Server-Time`` (unix seconds).
"""

from fastapi import FastAPI


def include_api(app: FastAPI) -> None:
    from central.api.admission import IngestGate
    from central.api.enrolment import CodeAttempts
    from central.api.enrolment import router as enrolment_router
    from central.api.errors import install_error_handlers
    from central.api.openapi import install_openapi
    from central.api.report import router as report_router
    from central.api.sync import router as sync_router

    install_error_handlers(app)
    app.state.ingest_gate = IngestGate.from_settings(app.state.settings)
    app.state.code_attempts = CodeAttempts()
    app.include_router(enrolment_router)
    app.include_router(sync_router)
    app.include_router(report_router)
    install_openapi(app)
