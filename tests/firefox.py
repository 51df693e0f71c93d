"""Debian's Firefox (firefox-esr), headless, driven over Marionette: enough to open a page and run JS.

Playwright's own Firefox cannot be downloaded on these machines, and Playwright cannot drive
Debian's build; Firefox's Marionette protocol (length-prefixed JSON over a local TCP socket) needs
no extra package. Every outside request goes to a closed local port, and page errors are read from
Firefox's output (``JavaScript error: file://...``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

# A closed port for every proxy; page console output and uncaught errors printed; no background traffic.
PREFS = {
    "devtools.console.stdout.content": True,
    "browser.dom.window.dump.enabled": True,
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.socks": "127.0.0.1",
    "network.proxy.socks_port": 9,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": True,
    "network.dns.disabled": True,
    "marionette.port": 0,
    "services.settings.server": "data:,#remote-settings-dummy/v1",
    "browser.region.network.url": "",
    "browser.region.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.update.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "extensions.update.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.server": "",
    "browser.startup.page": 0,
    "browser.shell.checkDefaultBrowser": False,
}


class Firefox:
    """``with Firefox(path) as ff: ff.open(url); ff.run("return 1")``; ``ff.errors`` after the block."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.errors: list[str] = []
        self._id = 0

    def __enter__(self) -> Firefox:
        self.profile = Path(tempfile.mkdtemp(prefix="kg-firefox-"))
        prefs = "".join(f'user_pref("{k}", {json.dumps(v)});\n' for k, v in PREFS.items())
        (self.profile / "user.js").write_text(prefs, encoding="utf-8")
        env = {**os.environ, "MOZ_REMOTE_SETTINGS_DEVTOOLS": "1"}
        command = [self.executable, "--headless", "--marionette", "-no-remote", "-profile", str(self.profile)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        port_file = self.profile / "MarionetteActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("firefox did not start")
            time.sleep(0.1)
        self.socket = socket.create_connection(("127.0.0.1", int(port_file.read_text())), timeout=60)
        self._receive()  # the server's greeting
        self.command("WebDriver:NewSession", {"capabilities": {}})
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self.command("Marionette:Quit", {})
        except (OSError, RuntimeError):
            self.process.kill()
        try:
            output = self.process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            self.process.kill()
            output = self.process.communicate()[0]
        self.socket.close()
        shutil.rmtree(self.profile, ignore_errors=True)
        self.errors = [line for line in output.splitlines() if line.startswith("JavaScript error: file://")]

    def _receive(self) -> Any:
        head = b""
        while not head.endswith(b":"):
            head += self.socket.recv(1)
        size, body = int(head[:-1]), b""
        while len(body) < size:
            body += self.socket.recv(size - len(body))
        return json.loads(body)

    def command(self, name: str, params: dict[str, Any]) -> Any:
        self._id += 1
        message = json.dumps([0, self._id, name, params]).encode()
        self.socket.sendall(b"%d:%s" % (len(message), message))
        _, _, error, result = self._receive()
        if error:
            raise RuntimeError(f"{name}: {error}")
        return result

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        self.command("WebDriver:Navigate", {"url": url})

    def run(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body; ``arguments`` holds ``args``) in the page and return its value."""
        return self.command("WebDriver:ExecuteScript", {"script": script, "args": list(args)})["value"]
