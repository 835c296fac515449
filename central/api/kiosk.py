"""Kiosk API endpoints (filled in below)."""

from fastapi import APIRouter

router = APIRouter()
