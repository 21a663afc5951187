"""Translated labels of the stored enum values (roles, scopes, statuses), for pages and reports."""

from app.i18n import N_, _

LABELS: dict[str, dict[str, str]] = {
    "role": {"owner": N_("Owner"), "researcher": N_("Researcher"), "reader": N_("Reader")},
    "role_category": {
        "parent": N_("Parent"),
        "child": N_("Child / young person"),
        "family_network": N_("Family network"),
        "professional": N_("Professional"),
    },
    "scope": {
        "interview": N_("Interview"),
        "group_interview": N_("Group interview"),
        "file_study": N_("Use of the case file"),
        "information_sharing": N_("Sharing information between agencies"),
        "quotes": N_("Quotes in the report"),
    },
    "method": {"written": N_("Written (signed form)"), "verbal": N_("Verbal (noted)"), "digital": N_("Digital")},
    "effect": {
        "exclude": N_("Exclude their contributions from now on"),
        "remove": N_("Remove their contributions"),
    },
    "step_status": {"open": N_("Open"), "done": N_("Done"), "skipped": N_("Skipped")},
    "event_status": {"draft": N_("Draft"), "confirmed": N_("Confirmed"), "disputed": N_("Disputed")},
    "gi_status": {"draft": N_("Prepared"), "open": N_("Open"), "closed": N_("Closed")},
    "source_kind": {
        "interview": N_("interview"),
        "document": N_("document"),
        "group_interview": N_("group interview"),
        "text": N_("note"),
    },
    "verdict": {"recognised": N_("recognised"), "partly": N_("partly"), "not_seen": N_("not seen")},
    "change": {
        "create": N_("created"),
        "update": N_("changed"),
        "delete": N_("deleted"),
        "restore": N_("restored"),
    },
}


def label(kind: str, value: object) -> str:
    """The translated label of an enum value, or the value itself when unknown."""
    raw = getattr(value, "value", value)
    text = LABELS.get(kind, {}).get(str(raw))
    return _(text) if text else str(raw)


def role_label(value: object) -> str:
    """The translated label of a review role."""
    return label("role", value)
