"""See flyt.deviations.pages (this part is to be filled in)."""

from fastapi import APIRouter

router = APIRouter()
