"""Server configuration for the galata tests (a throw-away root, no token)."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is provided by Jupyter's config loader)
c.ServerApp.allow_root = True  # noqa: F821 (CI runs as root)
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.LabApp.news_url = None  # noqa: F821
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821 (window.jupyterapp for tests)
