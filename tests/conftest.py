"""The service's shared fixtures (``tests.fixtures``), loaded only where the service can be imported.

``tests/lifeline`` tests a library that needs nothing of the service: it runs with ``app`` unimportable
(``tests/test_lifeline_alone.py`` checks that), so the service's fixtures are a plugin rather than this file.
"""

import importlib.util

from hypothesis import settings


def _service_importable() -> bool:
    try:
        return importlib.util.find_spec("app") is not None
    except ImportError:
        return False


pytest_plugins = ["tests.fixtures", "tests.loop_guard"] if _service_importable() else []

# Performance lives in bench/, never in a timed test: no Hypothesis example fails for taking long on a loaded
# machine (its default deadline is 200 ms per example).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")
