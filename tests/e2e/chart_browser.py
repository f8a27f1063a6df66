#!/usr/bin/env python3
"""chart_browser.py SVG SHA PAGE [LSHA LPAGE]: drives headless Chromium over the DevTools
protocol (on a pipe: --remote-debugging-pipe, no socket, no extra module) to hover the point
of commit SHA in the chart SVG with the mouse and then click it, and, given LSHA, to click
the label of culprit LSHA. Passes (exit 0) when the hover card shows the commit (its short
sha and its subject, as the point's data says) and the clicks open PAGE and LPAGE (file
paths); says what it saw otherwise (exit 1).
"""
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET


class Chrome:
    def __init__(self, profile, extra=()):
        r_to_chrome, w_to_chrome = os.pipe()
        r_from_chrome, w_from_chrome = os.pipe()
        # chromium reads its fd 3 and writes its fd 4: the child's ends are moved above 10
        # first, so that putting one at 3 cannot close the other
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (r_to_chrome, w_from_chrome)]
        os.close(r_to_chrome)
        os.close(w_from_chrome)

        def fds():
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        # pass_fds keeps 3 and 4, which preexec_fn made, when the child closes the rest
        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", "--user-data-dir=" + profile,
             "--window-size=1200,700"] + list(extra) + ["about:blank"],
            pass_fds=(3, 4), preexec_fn=fds,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in high:
            os.close(fd)
        self.w = os.fdopen(w_to_chrome, "wb")
        self.r = os.fdopen(r_from_chrome, "rb")
        self.id = 0
        self.buf = b""

    def _read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.r.fileno(), 65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.id += 1
        m = {"id": self.id, "method": method, "params": params or {}}
        if session:
            m["sessionId"] = session
        self.w.write(json.dumps(m).encode() + b"\0")
        self.w.flush()
        while True:
            r = self._read()
            if r.get("id") == self.id:
                if "error" in r:
                    raise RuntimeError("%s: %s" % (method, r["error"]))
                return r.get("result", {})

    def eval(self, session, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
        return r.get("result", {}).get("value")

    def eval_settled(self, session, expr):
        """eval while the page may be navigating: a context torn down mid-call answers None
        (wait_for asks again) instead of an error; any other error still raises"""
        try:
            return self.eval(session, expr)
        except RuntimeError as e:
            if "navigated or closed" in str(e) or "context" in str(e).lower():
                return None
            raise

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def wait_for(fn, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    return fn()


def open_chart(c, svg):
    target = c.call("Target.createTarget", {"url": "file://" + os.path.abspath(svg)})
    s = c.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
    s = s["sessionId"]
    if not wait_for(lambda: c.eval(s, "document.readyState") == "complete" and
                    c.eval(s, "document.querySelectorAll('.pt').length")):
        raise RuntimeError("the chart did not load")
    return s


def click_opens(c, s, x, y, sha, page, what):
    for kind in ("mousePressed", "mouseReleased"):
        c.call("Input.dispatchMouseEvent",
               {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}, s)
    want = "file://" + os.path.abspath(page)
    href = wait_for(lambda: (lambda h: h if h == want else None)(
        c.eval_settled(s, "location.href")), 10)
    if href != want:
        print("clicking %s opened %r, not %r" % (what, c.eval_settled(s, "location.href"), want))
        return False
    if not wait_for(lambda: sha[:12] in (c.eval_settled(s, "document.title") or "")):
        print("clicking %s opened a page titled %r" % (what, c.eval_settled(s, "document.title")))
        return False
    return True


def main():
    svg, sha, page = sys.argv[1:4]
    # what the point and the label are, read from the SVG as XML (not through the page)
    root = ET.parse(svg).getroot()
    pt = next(e for e in root.iter() if e.get("class") == "pt" and e.get("data-sha") == sha)
    x, y = float(pt.get("data-x")), float(pt.get("data-y"))
    subject = pt.get("data-subject")
    c = Chrome(tempfile.mkdtemp())
    try:
        s = open_chart(c, svg)
        c.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y}, s)
        card = wait_for(lambda: c.eval(
            s, "(function(){var t=document.getElementById('tip');"
               "return t.getAttribute('visibility')=='visible' ? "
               "Array.prototype.map.call(t.getElementsByTagName('text'),"
               "function(e){return e.textContent}).join('\\n') : ''})()"), 5)
        if not card or sha[:12] not in card or subject not in card:
            print("hovering %s at %.1f,%.1f shows %r, not its sha and subject %r"
                  % (sha[:12], x, y, card, subject))
            return 1
        if not click_opens(c, s, x, y, sha, page, "the point of " + sha[:12]):
            return 1
        if len(sys.argv) > 5:
            lsha, lpage = sys.argv[4:6]
            ns = "{http://www.w3.org/2000/svg}"
            box = next(r for a in root.iter(ns + "a") if lsha in (a.get("href") or "")
                       for r in a.iter(ns + "rect") if "label" in (r.get("class") or ""))
            lx = float(box.get("x")) + float(box.get("width")) / 2
            ly = float(box.get("y")) + float(box.get("height")) / 2
            s = open_chart(c, svg)
            if not click_opens(c, s, lx, ly, lsha, lpage, "the label of " + lsha[:12]):
                return 1
    finally:
        c.close()
    print("hover shows %s, a click opens its page%s" % (sha[:12], ", and its label's" if len(sys.argv) > 5 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
