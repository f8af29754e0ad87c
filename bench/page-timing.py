#!/usr/bin/python3
"""Opens an HTML file in headless Chromium and prints the browser's own navigation timing.

Usage: page-timing.py FILE.html [--runs N]

Chromium is driven over --remote-debugging-pipe (fd 3: commands, fd 4: replies, each a JSON
text ended by NUL). Each run opens the page in a new tab and reads
performance.getEntriesByType('navigation')[0] after the load event: domInteractive (the
document parsed, the page readable and its script run), domContentLoadedEventEnd and
loadEventEnd, in milliseconds since navigation start. Prints one line per run and the median.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time


class Browser:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="slowscope-timing-")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # The child reads commands on fd 3 and writes on fd 4 (set up after the fork, so the
        # descriptors stay open: close_fds would close them).
        def arrange():
            # Through fds no pipe end holds, so that neither dup2 is a no-op leaving the
            # descriptor close-on-exec.
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
            read_end, write_end = os.dup2(read_end, 100), os.dup2(write_end, 101)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
        self.proc = subprocess.Popen(
            ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--remote-debugging-pipe", "--user-data-dir=" + self.dir,
             "about:blank"],
            close_fds=False, preexec_fn=arrange,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def close(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def timing(browser, url):
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.send("Page.enable", session=session)
    browser.send("Page.navigate", {"url": url}, session=session)
    deadline = time.time() + 30
    while time.time() < deadline:
        state = browser.send("Runtime.evaluate", {"expression": "document.readyState + ' ' + location.href",
                                                  "returnByValue": True}, session=session)
        value = state["result"].get("value", "")
        if value == "complete " + url:
            break
        time.sleep(0.05)
    nav = browser.send("Runtime.evaluate", {
        "expression": "JSON.stringify(performance.getEntriesByType('navigation')[0])",
        "returnByValue": True}, session=session)["result"]["value"]
    browser.send("Target.closeTarget", {"targetId": target})
    entry = json.loads(nav)
    return entry["domInteractive"], entry["domContentLoadedEventEnd"], entry["loadEventEnd"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = pathlib.Path(args.file).resolve().as_uri()
    browser = Browser()
    try:
        timing(browser, url)  # a first run warms the browser up; not counted
        runs = [timing(browser, url) for _ in range(args.runs)]
    finally:
        browser.close()
    for interactive, content_loaded, loaded in runs:
        print(f"domInteractive {interactive:.0f} ms, DOMContentLoaded end {content_loaded:.0f} ms, "
              f"load end {loaded:.0f} ms")
    print(f"median domInteractive {statistics.median(r[0] for r in runs):.0f} ms, "
          f"median load end {statistics.median(r[2] for r in runs):.0f} ms")


if __name__ == "__main__":
    main()
