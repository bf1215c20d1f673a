"""The interface tests read the demo register, loaded once per module as the foundation tests do."""

from tests.foundation.conftest import _demo_register, demo  # noqa: F401
