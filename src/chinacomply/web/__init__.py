"""Server-rendered dashboard (Jinja2 + htmx) over the same services as the REST API."""
