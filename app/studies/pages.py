"""HTML pages of studies: the list with a form for a new study, and one study's page."""

from fastapi import APIRouter

pages = APIRouter(include_in_schema=False)
