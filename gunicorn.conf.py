"""Gunicorn settings every start of the app shares (`make demo`, `make cluster`, the live-server
tests): gunicorn reads this file from the working directory."""

# No request-line limit of gunicorn's own: a search whose query string is too long would get
# gunicorn's HTML 414 page (default limit 4,094 bytes, at most 8,190), before the app could
# answer it like every other API error. The schemas bound every argument instead (`q` at 200
# characters: 422 naming `q`); in production the reverse proxy bounds the request line
# (docs/deployment.md).
limit_request_line = 0
