#!/usr/bin/python3
"""Browser test of the explorer (run by ctest as `browser_explorer`).

Opens explorer.html from a file:// URL in headless Chromium and drives it through the Chrome
DevTools Protocol, as a teacher would: the page loads a lesson from its URL fragment, runs it
(in its Web Worker), "repairs after a rupture" moves down, and it runs again. Checks that

* every chart is drawn, and the charts change when the slider moves: the variant's trust and
  share classified secure fall;
* the lesson's own arms keep their checksums when only the variant changes, and the variant's
  changes;
* the scenario the page offers ("copy as scenario"), run by the native `attachsim run --verbose`,
  gives every arm the checksum the page shows: the same numbers in the browser and on the command
  line;
* the slider's value is in the URL fragment (a shareable link);
* Stop stops a long run, and the page answers within half a second while a run goes on;
* the browser logged no error and threw no exception; the page refers to nothing outside itself
  and carries the not-a-diagnostic-tool notice;
* in Firefox too (headless, over WebDriver BiDi), the page runs the lesson from file:// and its
  checksums equal attachsim run's.

Writes a screenshot next to the page copy. Usage:
  browser_explorer_test.py EXPLORER_HTML ATTACHSIM_BINARY WORK_DIR
"""

import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--remote-debugging-port=0", "--window-size=1280,2000"]
CHARTS = ["chart-trust", "chart-felt", "chart-classes", "chart-explore", "chart-ruptures"]


class Connection:
    """One browser page over a websocket protocol, commands answered in order; other messages
    (events) are kept. Subclasses say what an error reply looks like and how to evaluate."""

    def __init__(self, ws_url, **options):
        self.ws = websocket.create_connection(ws_url, timeout=300, **options)
        self.next_id = 0
        self.events = []

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if self.is_error(msg):
                    raise RuntimeError(f"{method}: {msg}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for_explorer(self):
        """Until the page has defined its test hook (it may still be loading)."""
        deadline = time.time() + 60
        while self.evaluate("typeof window.attachsimExplorer") != "object":
            if time.time() > deadline:
                raise RuntimeError("the page did not load")
            time.sleep(0.2)


class Page(Connection):
    """Chromium's DevTools Protocol."""

    @staticmethod
    def is_error(msg):
        return "error" in msg

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


class BidiPage(Connection):
    """WebDriver BiDi, for Firefox (which speaks BiDi, not CDP)."""

    def __init__(self, ws_url):
        super().__init__(ws_url + "/session", suppress_origin=True)
        self.send("session.new", capabilities={})
        self.context = self.send("browsingContext.getTree")["contexts"][0]["context"]

    @staticmethod
    def is_error(msg):
        return msg.get("type") == "error"

    def evaluate(self, expression):
        r = self.send("script.evaluate", expression=expression,
                      target={"context": self.context}, awaitPromise=True)
        if r.get("type") != "success":
            raise RuntimeError(f"{expression}: {r}")
        return r["result"].get("value")


def endpoint(proc, pattern, browser):
    """The websocket address a browser prints on stderr when its remote protocol listens."""
    deadline = time.time() + 60
    while time.time() < deadline:
        m = re.search(pattern, proc.stderr.readline())
        if m:
            return m.group(1)
    raise RuntimeError(f"{browser} did not start its remote protocol")


def firefox_run(page_file, binary, work):
    """Firefox (ESR, headless, WebDriver BiDi): the page loads from file://, runs the lesson in its
    worker, and its checksums equal attachsim run's on the copied scenario."""
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    if firefox is None:
        return ["firefox-esr is not installed (bash scripts/setup.sh installs it)"]
    url = Path(page_file).resolve().as_uri() + "#scenario=magic-of-repair&dyads=40&seed=7&autorun=0"
    failures = []
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen([firefox, "--headless", "--profile", profile,
                                 "--remote-debugging-port", "0", url],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            page = BidiPage(endpoint(proc, r"WebDriver BiDi listening on (ws://[^\s]+)",
                                     "firefox"))
            page.wait_for_explorer()
            page.evaluate("window.attachsimExplorer.ready")
            sums = json.loads(page.evaluate(
                "window.attachsimExplorer.run().then(r => JSON.stringify("
                "Object.fromEntries(r.res.arms.map(a => [a.name, a.checksum]))))"))
            toml_text = page.evaluate("window.attachsimExplorer.results().prep.toml")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    native = native_checksums(binary, toml_text, work)
    if sums != native or len(sums) != 3:
        failures.append(f"firefox checksums {sums} differ from attachsim run's {native}")
    return failures


def native_checksums(binary, toml_text, work):
    scenario = work / "explorer_variant.toml"
    scenario.write_text(toml_text)
    out = subprocess.run([binary, "run", str(scenario), "--verbose", "--no-progress", "-o",
                          str(work / "explorer_variant.h5")], check=True, capture_output=True,
                         text=True).stdout
    return dict(re.findall(r"^checksum (\S+): (0x[0-9a-f]{16})$", out, flags=re.M))


def main(page_file, binary, work):
    if not Path(page_file).exists():
        print(f"SKIP: {page_file} is not built (cmake --preset wasm && cmake --build --preset "
              "wasm; scripts/test.sh builds it before the tests)")
        return 77
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    html = Path(page_file).read_text(encoding="utf-8")
    failures = []
    if re.search(r"(src|href)=\"(https?:)?//", html) or "fetch(\"http" in html:
        failures.append("the page refers to something outside itself")
    if "does not assess or predict any real child or parent" not in html:
        failures.append("the not-a-diagnostic-tool notice is missing")
    url = Path(page_file).resolve().as_uri() + "#scenario=magic-of-repair&dyads=60&seed=7&autorun=0"
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(CHROMIUM + [f"--user-data-dir={profile}", url],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            browser = endpoint(proc, r"DevTools listening on (ws://[^\s]+)", "chromium")
            port = re.search(r":(\d+)/", browser).group(1)
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
            page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
            page.send("Runtime.enable")
            page.wait_for_explorer()
            page.evaluate("window.attachsimExplorer.ready")
            first = page.evaluate("window.attachsimExplorer.run().then(r => r.res)")
            points = {c: page.evaluate(f"window.attachsimExplorer.chartPoints('{c}')") for c in CHARTS}
            for chart, n in points.items():
                if not n:
                    failures.append(f"{chart} drew nothing")
            # The teacher's move: "repairs after a rupture" down, from the repairing group's 0.9.
            page.evaluate("window.attachsimExplorer.setSlider('repair_probability', 0.1)")
            fragment = page.evaluate("location.hash")
            if "repair_probability=0.1" not in fragment:
                failures.append(f"the slider is not in the URL fragment: {fragment}")
            second = page.evaluate("window.attachsimExplorer.run().then(r => r.res)")
            toml_text = page.evaluate("window.attachsimExplorer.results().prep.toml")
            shot = page.send("Page.captureScreenshot", format="png")
            (work / "explorer_test.png").write_bytes(base64.b64decode(shot["data"]))
            # Speed (docs/performance.md): the lesson at 500 children a group, in the browser.
            page.evaluate("document.getElementById('dyads').value = 500")
            timed = page.evaluate("window.attachsimExplorer.run().then(r => "
                                  "({seconds: r.seconds, rate: r.dyadDaysPerSecond}))")
            print(f"explorer: magic-of-repair + variant, 3 x 500 children: {timed['seconds']:.1f} s, "
                  f"{timed['rate']:.0f} dyad-days/s in headless Chromium")
            # Stop: a long run is stopped from its button while the page keeps answering.
            page.evaluate("document.getElementById('dyads').value = 4000")
            started = page.evaluate("""(() => {
                window.stopTest = window.attachsimExplorer.run().then(() => 'finished',
                                                                     (e) => e.message);
                return true; })()""")
            time.sleep(1.0)
            t0 = time.time()
            page.evaluate("1 + 1")
            answer = time.time() - t0
            if answer > 0.5:
                failures.append(f"the page took {answer:.2f} s to answer during a run")
            page.evaluate("document.getElementById('stop').click()")
            outcome = page.evaluate("window.stopTest")
            if not started or outcome != "stopped":
                failures.append(f"Stop did not stop the run: {outcome}")
            status = page.evaluate("document.getElementById('status').textContent")
            if status != "Stopped.":
                failures.append(f"status after Stop: {status!r}")
            page.send("Runtime.disable")
            errors = [e for e in page.events
                      if e.get("method") == "Runtime.exceptionThrown" or
                      (e.get("method") == "Runtime.consoleAPICalled" and
                       e["params"]["type"] in ("error", "assert"))]
            if errors:
                failures.append(f"browser errors: {json.dumps(errors)[:800]}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    names = [a["name"] for a in second["arms"]]
    if names != ["repair", "no-repair", "your-variant"]:
        failures.append(f"unexpected arms {names}")
    before = {a["name"]: a for a in first["arms"]}
    after = {a["name"]: a for a in second["arms"]}
    for name in ("repair", "no-repair"):
        if before[name]["checksum"] != after[name]["checksum"]:
            failures.append(f"{name} changed although only the variant did")
    if before["your-variant"]["checksum"] == after["your-variant"]["checksum"]:
        failures.append("the variant's results did not change with its repairs")
    # At 60 children a group, the 95% interval of mean trust is about +-0.02 and of a B share
    # about +-12 points; repair 0.9 -> 0.1 moves the lesson's groups by ~0.25 and ~55 points
    # (repair vs no-repair), so both must fall.
    trust = lambda a: a["trust"]["mean"][-1]
    secure = lambda a: a["ssp"][0]["classes"]["B"]["share"]
    v0, v1 = before["your-variant"], after["your-variant"]
    if not trust(v1) < trust(v0):
        failures.append("the variant's trust did not fall when its repairs fell to 0.1: "
                        f"{trust(v0)} -> {trust(v1)}")
    if not secure(v1) < secure(v0):
        failures.append("the variant's share secure did not fall when its repairs fell to 0.1: "
                        f"{secure(v0)} -> {secure(v1)}")
    native = native_checksums(binary, toml_text, work)
    browser = {a["name"]: a["checksum"] for a in second["arms"]}
    if native != browser:
        failures.append(f"checksums differ: browser {browser}, attachsim run {native}")
    failures += firefox_run(page_file, binary, work)
    shutil.copy(page_file, work / "explorer.html")
    if failures:
        print("FAIL\n  " + "\n  ".join(failures))
        return 1
    print(f"explorer: {len(names)} arms, every chart drawn, checksums (Chromium; Firefox on its own "
          f"run) equal to attachsim run: "
          f"{browser}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
