"""Data handed to page scripts inside <script type="application/json">: no user text can end the element."""

import json

from app.templating import script_data


def test_hostile_text_cannot_leave_the_script_element_and_reads_back_the_same() -> None:
    value = {"title": "</script><script>alert(1)</script><!-- & -->", "n": [1, None, "x"]}
    embedded = str(script_data(value))
    assert not {"<", ">", "&"} & set(embedded)
    assert json.loads(embedded) == value  # JSON.parse in the page reads the escapes back as the same text
