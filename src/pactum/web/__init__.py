"""The server-rendered web UI (Jinja2 templates, htmx, Vega-Lite charts; all assets vendored)."""
