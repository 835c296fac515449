"""Trato Digno central server: kiosk API, case follow-up, live board. Never imports Qt."""

__version__ = "0.1.0"
