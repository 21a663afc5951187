"""What every request schema shares: a body (or form) with a field the schema does not know is refused (422,
"This field is not known."), never silently dropped — a mistyped field name would otherwise change nothing
and answer success."""

from pydantic import BaseModel, ConfigDict


class RequestBody(BaseModel):
    """The base of every request schema (responses are plain ``BaseModel``, named …Out or …Result)."""

    model_config = ConfigDict(extra="forbid")
