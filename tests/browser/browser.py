"""Shared by the browser flows: Debian's chromium driven by Debian's chromedriver through
Debian's python3-selenium (nothing from npm or PyPI).  One Browser is one browser context
(its own profile, so its own cookies); JavaScript is off unless asked for, to prove the pages
need none.  HTTP status codes of navigations come from Chromium's performance log, so a flow
can check that a refused form was answered 422 or 403."""

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException,
                                        WebDriverException)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


class Tally:
    """The check tally of a flow: every failure printed as it happens."""

    def __init__(self):
        self.checks = 0
        self.fails = 0

    def check(self, cond, what):
        self.checks += 1
        if not cond:
            self.fails += 1
            print("FAIL: " + what, flush=True)

    def failed(self, what):
        self.check(False, what)

    def summary(self, name):
        print("%s: %d passed, %d failed" % (name, self.checks - self.fails, self.fails))
        return self.fails == 0


class Browser:
    def __init__(self, js=False, width=1280, height=900):
        self.profile = tempfile.mkdtemp(prefix="ssr-chromium-")
        o = Options()
        o.binary_location = CHROMIUM
        # flags from the machine notes: headless, no sandbox as root, nothing that calls out
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-quic", "--no-first-run",
                  "--disable-default-apps", "--window-size=%d,%d" % (width, height),
                  "--user-data-dir=" + self.profile):
            o.add_argument(a)
        if not js:
            o.add_experimental_option(
                "prefs", {"profile.managed_default_content_settings.javascript": 2})
        o.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
        self.d.set_page_load_timeout(60)

    # ---- navigation -------------------------------------------------------------------
    def _drain(self):
        self.d.get_log("performance")

    def _last_status(self):
        """Status of the last top-level document response since the log was drained."""
        status = None
        for e in self.d.get_log("performance"):
            m = json.loads(e["message"])["message"]
            if m.get("method") != "Network.responseReceived":
                continue
            p = m["params"]
            if p.get("type") == "Document" and p.get("frameId") in (None, self._frame()):
                status = p["response"]["status"]
        return status

    def _frame(self):
        # the main frame's id: Page.getFrameTree over the DevTools protocol
        if not hasattr(self, "_frame_id"):
            self._frame_id = self.d.execute_cdp_cmd("Page.getFrameTree", {})["frameTree"]["frame"]["id"]
        return self._frame_id

    def get(self, url):
        self._drain()
        self.d.get(url)
        return self._last_status()

    def click(self, css):
        """Click something that navigates (a submit button, a link); wait for the new page
        and return its HTTP status."""
        self._drain()
        old = self.d.find_element(By.TAG_NAME, "html")
        self.d.find_element(By.CSS_SELECTOR, css).click()
        WebDriverWait(self.d, 30).until(lambda d: _replaced(old))
        WebDriverWait(self.d, 30).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        return self._last_status()

    def button(self, label):
        """CSS-free lookup of a button by its text; returns a selector usable by click()."""
        for b in self.d.find_elements(By.TAG_NAME, "button"):
            if b.get_attribute("textContent").strip() == label:
                # marked so that click() finds this very button
                self.d.execute_script(
                    "for (const e of document.querySelectorAll('[data-ssr-click]'))"
                    " e.removeAttribute('data-ssr-click');"
                    "arguments[0].setAttribute('data-ssr-click', '1')", b)
                return "[data-ssr-click='1']"
        raise NoSuchElementException("no button '%s'" % label)

    def click_button(self, label):
        return self.click(self.button(label))

    @property
    def url(self):
        return self.d.current_url

    # ---- reading ----------------------------------------------------------------------
    def find(self, css):
        els = self.d.find_elements(By.CSS_SELECTOR, css)
        return els[0] if els else None

    def find_all(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        """textContent of the first match (None when there is none), as the DOM has it."""
        el = self.find(css)
        return None if el is None else el.get_attribute("textContent")

    def texts(self, css):
        return [e.get_attribute("textContent") for e in self.find_all(css)]

    def value(self, css):
        return self.find(css).get_attribute("value")

    def attr(self, css, name):
        el = self.find(css)
        return None if el is None else el.get_attribute(name)

    def table_dict(self, css):
        """A table with header rows (th only) as {first cell: {column: cell text}}; a column's
        name joins the headers above it ("Time to action / median"), colspan and rowspan
        expanded."""
        grid, rows = {}, []
        for r, tr in enumerate(self.find_all(css + " tr")):
            cells = tr.find_elements(By.CSS_SELECTOR, "th, td")
            if cells and all(c.tag_name == "th" for c in cells):
                col = 0
                for c in cells:
                    while (r, col) in grid:
                        col += 1
                    cs = int(c.get_attribute("colspan") or 1)
                    rs = int(c.get_attribute("rowspan") or 1)
                    for dr in range(rs):
                        for dc in range(cs):
                            grid[(r + dr, col + dc)] = c.get_attribute("textContent")
                    col += cs
            else:
                rows.append([c.get_attribute("textContent") for c in cells])
        ncols = 1 + max((c for _, c in grid), default=-1)
        heads = []
        for col in range(ncols):
            names = []
            for (r, c), name in sorted(grid.items()):
                if c == col and name not in names:
                    names.append(name)
            heads.append(" / ".join(names))
        return {row[0]: dict(zip(heads, row)) for row in rows if row}

    def table(self, css):
        """Rows of a table as lists of cell texts (header row included)."""
        out = []
        for tr in self.find_all(css + " tr"):
            out.append([c.get_attribute("textContent")
                        for c in tr.find_elements(By.CSS_SELECTOR, "th, td")])
        return out

    def js(self, script, *args):
        """Evaluated through the DevTools protocol (works with page JavaScript off)."""
        return self.d.execute_script(script, *args)

    # ---- typing -----------------------------------------------------------------------
    def fill(self, css, text):
        el = self.d.find_element(By.CSS_SELECTOR, css)
        el.clear()
        el.send_keys(text)

    def select(self, css, value):
        """Choose the option whose value is value (an <option> without a value attribute has
        its text as its value, as in a form submission)."""
        sel = Select(self.d.find_element(By.CSS_SELECTOR, css))
        for o in sel.options:
            if o.get_attribute("value") == value:
                o.click()
                return
        raise NoSuchElementException("no option '%s' in %s" % (value, css))

    def attach(self, css, path):
        self.d.find_element(By.CSS_SELECTOR, css).send_keys(path)

    # ---- requests outside the page, with this context's cookies ------------------------
    def post(self, url, form):
        """POST an urlencoded form with the browser's cookies (as a forged page would);
        returns the HTTP status."""
        req = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                     method="POST")
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
        return _status(req, self.d.get_cookies())

    def fetch_status(self, url):
        """GET with the browser's cookies, redirects not followed; returns the status."""
        return _status(urllib.request.Request(url), self.d.get_cookies())

    def cookie(self, name):
        for c in self.d.get_cookies():
            if c["name"] == name:
                return c
        return None

    def screenshot(self, path):
        try:
            self.d.save_screenshot(path)
        except Exception:  # noqa: BLE001 (a failure report must not fail)
            pass

    def quit(self):
        try:
            self.d.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def _replaced(el):
    """True once el's document has been replaced by the next one.  While the new document
    commits, chromedriver may answer a check on the old element with an inspector error
    instead of a stale reference; both mean it is gone."""
    try:
        el.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as e:
        if "does not belong to the document" in str(e) or "No node with given id" in str(e):
            return True
        raise


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status(req, cookies):
    """Send req with the cookies, redirects not followed; the HTTP status."""
    c = "; ".join("%s=%s" % (k["name"], k["value"]) for k in cookies)
    if c:
        req.add_header("Cookie", c)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
