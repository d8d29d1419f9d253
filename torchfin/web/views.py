"""Page views."""

from torchfin.web import web


@web.get("/")
def home():
    """Home page."""
    return "Torchfin"
