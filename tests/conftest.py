"""The service's shared fixtures (``tests.fixtures``), loaded only where the service can be imported.

``tests/lifeline`` tests a library that needs nothing of the service: it runs with ``app`` unimportable
(``tests/test_lifeline_alone.py`` checks that), so the service's fixtures are a plugin rather than this file.
"""

import importlib.util


def _service_importable() -> bool:
    try:
        return importlib.util.find_spec("app") is not None
    except ImportError:
        return False


pytest_plugins = ["tests.fixtures"] if _service_importable() else []
