#!/usr/bin/env python3
"""site_browser.py SITE SHOTS URL_PREFIX PAGE...: renders each PAGE of the site in the
directory SITE (paths relative to it) in headless Chromium, driven over the DevTools
protocol as chart_browser.py drives it, at 1400 and at 390 CSS pixels (the latter as a phone:
mobile emulation, so the page's viewport meta decides its layout), and checks from the DOM:

- nothing overflows horizontally: the document's scrollWidth is at most the viewport's width;
- the page says its language, has a viewport meta, one h1 first and no heading level skipped;
- every img has alt text;
- every element's own text has a contrast of at least 4.5:1 against the background it is
  drawn on (WCAG 2 relative luminance, from the computed styles);
- every href, src and object data resolves to a file of SITE (URL_PREFIX: the only other
  address allowed, the upstream links of --commit-url; "-" for none);
- on each page with a chart (an <object class="chart">), hovering the middle point of the
  chart shows that commit's short sha and subject in the card, at both widths, and clicking
  it opens that commit's page (whose title names it).

SHOTS: a directory to write index.png (the index at 1400 px), commit.png (the first commit
page given, at 1400 px) and commit-phone.png (it at 390 px) into, or "-" for none.
Says what it saw and exits 1 when a check fails; 0 when all pass.
"""
import base64
import os
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chart_browser import Chrome, wait_for  # noqa: E402

WIDTHS = (1400, 390)

# what the page says of itself, computed in the page
PROBE = r"""(function () {
  function rgba(s) {
    var m = /rgba?\(([^)]*)\)/.exec(s || '');
    if (!m) return null;
    var p = m[1].split(/[ ,\/]+/).filter(function (x) { return x; }).map(parseFloat);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function lum(c) {
    var a = c.slice(0, 3).map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
  }
  function over(top, under) {
    var a = top[3];
    return [0, 1, 2].map(function (i) { return top[i] * a + under[i] * (1 - a); });
  }
  function background(el) {
    var layers = [];
    for (; el; el = el.parentElement) {
      var c = rgba(getComputedStyle(el).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    var bg = [255, 255, 255];
    for (var i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }
  var low = [], checked = 0;
  var all = document.body.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i], own = '';
    for (var n = el.firstChild; n; n = n.nextSibling)
      if (n.nodeType === 3) own += n.nodeValue;
    if (!own.trim()) continue;
    var r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility !== 'visible' || el.closest('object')) continue;
    var bg = background(el), fg = over(rgba(cs.color), bg);
    var l1 = lum(fg), l2 = lum(bg);
    var ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    checked++;
    if (ratio < 4.5) low.push(el.tagName + ' "' + own.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
  }
  var refs = [];
  document.querySelectorAll('a[href]').forEach(function (e) { refs.push(e.href); });
  document.querySelectorAll('img').forEach(function (e) { refs.push(e.src); });
  document.querySelectorAll('object[data]').forEach(function (e) { refs.push(e.data); });
  document.querySelectorAll('link[href]').forEach(function (e) { refs.push(e.href); });
  var wide = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > document.documentElement.clientWidth + 0.5 && !e.closest('.scroll'))
      wide.push(e.tagName + '.' + e.className);
  });
  var vp = document.querySelector('meta[name=viewport]');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    lang: document.documentElement.lang,
    viewport: vp ? vp.content : '',
    headings: Array.prototype.map.call(document.querySelectorAll('h1,h2,h3,h4,h5,h6'),
                                       function (h) { return +h.tagName[1]; }),
    noalt: Array.prototype.filter.call(document.querySelectorAll('img'),
                                       function (e) { return !(e.getAttribute('alt') || '').trim(); })
                          .map(function (e) { return e.getAttribute('src'); }),
    low: low, checked: checked, refs: refs, wide: wide.slice(0, 5),
    tables: document.querySelectorAll('table').length,
    scrolled: document.querySelectorAll('.scroll > table').length,
    title: document.title
  };
})()"""


def open_page(c, url, width):
    target = c.call("Target.createTarget", {"url": "about:blank"})
    s = c.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
    s = s["sessionId"]
    c.call("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}, s)
    c.call("Page.enable", {}, s)
    c.call("Page.navigate", {"url": url}, s)
    if not wait_for(lambda: c.eval_settled(s, "location.href") == url and
                    c.eval_settled(s, "document.readyState") == "complete"):
        raise RuntimeError("%s did not load" % url)
    # the charts' objects load their SVGs on their own
    wait_for(lambda: c.eval(s, "Array.prototype.every.call(document.querySelectorAll("
                               "'object.chart'), function(o){return o.contentDocument && "
                               "o.contentDocument.querySelectorAll('.pt').length})"), 10)
    return s, target["targetId"]


def check_refs(root, page, refs, prefix, fails):
    for ref in refs:
        u = urllib.parse.urlparse(ref)
        if u.scheme == "file":
            path = os.path.normpath(urllib.parse.unquote(u.path))
            if not (path.startswith(root + "/") and os.path.isfile(path)):
                fails.append("%s: %s is not a file of the site" % (page, ref))
        elif prefix == "-" or not ref.startswith(prefix):
            fails.append("%s: %s leads out of the site" % (page, ref))


def check_probe(root, page, width, p, prefix, fails):
    where = "%s at %d px" % (page, width)
    if p["scrollWidth"] > p["width"]:
        fails.append("%s: scrollWidth %d > viewport %d (wide: %s)"
                     % (where, p["scrollWidth"], p["width"], p["wide"]))
    if not p["lang"]:
        fails.append("%s: no lang" % where)
    if "width=device-width" not in p["viewport"]:
        fails.append("%s: viewport %r" % (where, p["viewport"]))
    h = p["headings"]
    if not h or h[0] != 1 or h.count(1) != 1 or \
            any(b > a + 1 for a, b in zip(h, h[1:])):
        fails.append("%s: headings out of order: %s" % (where, h))
    if p["noalt"]:
        fails.append("%s: images without alt text: %s" % (where, p["noalt"]))
    if p["low"] or not p["checked"]:
        fails.append("%s: contrast below 4.5:1 (%d checked): %s"
                     % (where, p["checked"], p["low"][:5]))
    if p["tables"] != p["scrolled"]:
        fails.append("%s: %d of %d tables not in a scroll container"
                     % (where, p["tables"] - p["scrolled"], p["tables"]))
    check_refs(root, where, p["refs"], prefix, fails)


def middle_point(svg):
    """The middle point of the chart that links a page: sha, x, y, subject, page (a path)."""
    root = ET.parse(svg).getroot()
    pts = [e for e in root.iter() if e.get("class") == "pt" and e.tag.endswith("}a")]
    if not pts:
        return None
    pt = pts[len(pts) // 2]
    href = pt.get("href") or pt.get("{http://www.w3.org/1999/xlink}href")
    return pt.get("data-sha"), float(pt.get("data-x")), float(pt.get("data-y")), \
        pt.get("data-subject"), os.path.normpath(os.path.join(os.path.dirname(svg), href))


def hover_and_click(c, root, page, width, fails):
    s, tid = open_page(c, "file://" + os.path.join(root, page), width)
    data = c.eval(s, "(function(){var o=document.querySelector('object.chart');"
                     "return o ? o.getAttribute('data') : ''})()")
    if not data:
        c.call("Target.closeTarget", {"targetId": tid})
        return 0
    svg = os.path.normpath(os.path.join(root, os.path.dirname(page), data))
    sha, x, y, subject, target = middle_point(svg)
    where = "%s at %d px, the point of %s" % (page, width, sha[:12])
    c.eval(s, "document.querySelector('object.chart').scrollIntoView()")
    r = c.eval(s, "(function(){var r=document.querySelector('object.chart')"
                  ".getBoundingClientRect();return [r.left,r.top,r.width,r.height]})()")
    k = r[2] / 1100.0
    px, py = r[0] + x * k, r[1] + y * k
    c.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": px, "y": py}, s)
    card = wait_for(lambda: c.eval(
        s, "(function(){var d=document.querySelector('object.chart').contentDocument,"
           "t=d.getElementById('tip');return t.getAttribute('visibility')=='visible' ? "
           "Array.prototype.map.call(t.getElementsByTagName('text'),"
           "function(e){return e.textContent}).join('\\n') : ''})()"), 5)
    if not card or sha[:12] not in card or subject not in card:
        fails.append("%s: hovering at %.0f,%.0f shows %r" % (where, px, py, card))
        return 1
    for kind in ("mousePressed", "mouseReleased"):
        c.call("Input.dispatchMouseEvent",
               {"type": kind, "x": px, "y": py, "button": "left", "clickCount": 1}, s)
    want = "file://" + target
    if not (target.startswith(root + "/commit/" + sha + "-") and os.path.isfile(target)):
        fails.append("%s: links %s, not its commit's page" % (where, target))
    got = wait_for(lambda: (lambda h: h if h == want else None)(
        c.eval_settled(s, "location.href")), 10)
    title = wait_for(lambda: c.eval_settled(s, "document.readyState") == "complete" and
                     c.eval_settled(s, "document.title"), 5) or ""
    if got != want or sha[:12] not in title:
        fails.append("%s: a click opened %r titled %r, not %r"
                     % (where, c.eval(s, "location.href"), title, want))
    c.call("Target.closeTarget", {"targetId": tid})
    return 1


def shot(c, root, page, width, out):
    s, tid = open_page(c, "file://" + os.path.join(root, page), width)
    h = 1000 if width > 600 else 1600
    c.call("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": h, "deviceScaleFactor": 1, "mobile": width < 600}, s)
    wait_for(lambda: c.eval(s, "document.readyState") == "complete")
    png = c.call("Page.captureScreenshot", {"format": "png"}, s)["data"]
    with open(out, "wb") as f:
        f.write(base64.b64decode(png))
    c.call("Target.closeTarget", {"targetId": tid})


def main():
    root, shots, prefix = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3]
    pages = sys.argv[4:]
    fails = []
    hovered = 0
    # file:// pages reach their own <object>'s SVG document only with this flag
    c = Chrome(tempfile.mkdtemp(), ["--allow-file-access-from-files"])
    try:
        for page in pages:
            for width in WIDTHS:
                s, tid = open_page(c, "file://" + os.path.join(root, page), width)
                check_probe(root, page, width, c.eval(s, PROBE), prefix, fails)
                c.call("Target.closeTarget", {"targetId": tid})
                hovered += hover_and_click(c, root, page, width, fails)
        if shots != "-":
            commit = next(p for p in pages if p.startswith("commit/"))
            shot(c, root, "index.html", 1400, os.path.join(shots, "index.png"))
            shot(c, root, commit, 1400, os.path.join(shots, "commit.png"))
            shot(c, root, commit, 390, os.path.join(shots, "commit-phone.png"))
    finally:
        c.close()
    if not hovered:
        fails.append("no page had a chart to hover")
    for f in fails:
        print(f)
    if not fails:
        print("%d pages at %s px: no overflow, accessible, links in the site; %d charts "
              "hovered and clicked" % (len(pages), "/".join(map(str, WIDTHS)), hovered))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
