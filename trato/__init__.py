"""What the kiosk and the central server share: the domain and the protocol they speak.

``trato.domain`` holds the IMSS vocabulary and the pure rules (validators, folios, business-day
deadlines); ``trato.protocol`` the wire format, request signing and sealing of personal data.
Both programs import this package; it imports neither of them, nor Qt, requests or FastAPI.
"""
