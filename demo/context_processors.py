"""Template context every page needs: whether the register holds demo data."""

from .register import is_demo_loaded


def register(request):
    return {"demo_data": is_demo_loaded()}
