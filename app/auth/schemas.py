"""Request and response shapes of accounts."""

from typing import Literal

from pydantic import BaseModel, Field


class LoginForm(BaseModel):
    """The log-in form."""

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1000)
    next: str = Field(default="/", max_length=2000)


class TokenOut(BaseModel):
    """An API bearer token (OAuth2 password style)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"


class UserOut(BaseModel):
    """A user as the API shows it."""

    id: int
    email: str
    name: str
    language: str | None


class LanguageForm(BaseModel):
    """The language switch."""

    language: Literal["nl", "en"]
    next: str = Field(default="/", max_length=2000)
