"""The findings-tree page (bevindingenboom): the figure on top, the editable tree below.

Changes go through the JSON API (``app.findings.router``) from ``static/js/findings.js``; the page itself only
reads, so readers get the same page without the editing controls.
"""

from fastapi import APIRouter, Request, Response

from app.db import SessionDep
from app.deps import MemberDep
from app.findings import figure, service
from app.i18n import current_language
from app.templating import render, script_data
from app.vendor import plotly_css_url, plotly_js_url

pages = APIRouter(include_in_schema=False)


@pages.get("/reviews/{review_id}/findings")
def findings_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The findings tree: the interactive figure with the evidence beside it, and the tree to edit."""
    review_id = access.review_id
    tree = service.tree(session=session, review_id=review_id)
    frameworks = service.frameworks(session=session, review_id=review_id)
    empty = not (tree.root.children or tree.hindering or tree.what_works)
    context = {
        "review": access.review,
        "access": access,
        "active": "findings",
        "tree": tree,
        "empty": empty,
        "deleted": service.deleted_nodes(session=session, review_id=review_id),
        "figure": script_data(figure.figure_dict(tree, current_language())),
        "tree_json": script_data(tree.model_dump(mode="json")),
        "frameworks_json": script_data([f.model_dump(mode="json") for f in frameworks]),
        "options_json": script_data(
            service.evidence_options(session=session, review_id=review_id) if access.can_write else {}
        ),
        "plotly_js": plotly_js_url(),
        "plotly_css": plotly_css_url(),
    }
    return render(request, "findings/tree.html", context)
