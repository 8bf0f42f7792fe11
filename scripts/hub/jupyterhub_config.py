"""JupyterHub for the hub test: two local accounts on one machine.

Users log in with any name of ``allowed_users`` and the shared test password
(DummyAuthenticator stands in for the class's real login: PAM, OAuth, LTI); each
gets a single-user JupyterLab of their own, with its own kernels, in a home
folder of their own (SimpleLocalProcessSpawner stands in for a spawner that runs
each user as their own account or container; both start one server per user).
Settings come from the environment (scripts/hub.sh run).
"""

import os
import sys
from pathlib import Path

state = Path(os.environ["REDPILL_HUB_STATE"])
port = int(os.environ["REDPILL_HUB_PORT"])

c = get_config()  # noqa: F821 (provided by JupyterHub's config loader)
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 2}"
c.ConfigurableHTTPProxy.command = [os.environ["REDPILL_HUB_CHP"]]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "redpill-class"
c.Authenticator.allowed_users = {"alice", "bob"}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
if os.getuid() == 0:
    c.Spawner.args = ["--allow-root"]  # CI runs as root
