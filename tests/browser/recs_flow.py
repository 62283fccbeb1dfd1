"""The recommendation tracker's pages in headless Chromium with JavaScript off: the public
dashboard (chart, every recommendation, filters); an editor logs in, tries a status change the
workflow forbids (refused with the rule, nothing recorded), records implemented with a reason,
is refused verified without evidence, adds evidence, verifies, and sees the history; forged
CSRF and a non-editor's post are refused.

run(base, env) -> True when every check passed.  env: ED_LOGIN, ED_PW, REG_LOGIN, REG_PW, OUT."""

import os
import traceback
import re

from browser import Browser, Tally


def login(user, pw, base, keep):
    b = Browser(js=False)
    keep.append(b)
    b.get(base + "/login")
    b.fill("#login", user)
    b.fill("#password", pw)
    b.click_button("Log in")
    return b


def history_rows(b):
    return b.table("#history")[1:]


def rec_ids(b):
    return b.texts("#recs tr td:first-child a")


def run(base, env):
    t = Tally()
    check = t.check
    browsers = []
    step = "start"
    try:
        page = Browser(js=False)
        browsers.append(page)
        step = "public dashboard"
        page.get(base + "/recs")
        ids = rec_ids(page)
        check(len([i for i in ids if re.fullmatch(r"SSR1-\d+", i)]) == 28, "dashboard lists 28 SSR1")
        check(len([i for i in ids if re.fullmatch(r"SSR2-\d+", i)]) == 31, "dashboard lists 31 SSR2")
        check("CCT-16" in ids and "SSR2-3.a" in ids, "CCT-16 and sub-items listed")
        check(len(page.find_all("svg#chart-status rect")) >= 3, "the status chart is drawn")
        page.get(base + "/recs?review=SSR2&priority=medium")
        medium = rec_ids(page)
        check("SSR2-24" in medium and "SSR2-19" not in medium
              and all(i.startswith("SSR2-") for i in medium),
              "filters: SSR2 medium only: %r" % medium)
        page.get(base + "/recs/SSR2-19")
        check(page.text("#status") == "not-started", "not started at first")
        check(page.find("#status-form") is None, "no status form for the public")
        check("names.scan" in (page.text("#live") or ""), "live evidence binding shown")

        step = "editor: forbidden move"
        ed = login(env["ED_LOGIN"], env["ED_PW"], base, browsers)
        ed.get(base + "/recs/SSR2-19")
        check(ed.find("#status-form") is not None, "the editor gets the status form")
        ed.select("#to", "verified")
        st = ed.click_button("Record the change")
        check(st == 422, "forbidden move answered 422: %r" % st)
        check("only an implemented recommendation can be verified" in (ed.text("#error") or ""),
              "the rule is shown: %r" % ed.text("#error"))
        check(ed.text("#status") == "not-started", "status unchanged after a refusal")
        check(len(history_rows(ed)) == 0, "nothing recorded after a refusal")

        step = "editor: implemented"
        ed.select("#to", "implemented")
        ed.fill("#reason", "scan and report in production")
        ed.click_button("Record the change")
        check(ed.url.endswith("/recs/SSR2-19"), "back on the page after the change: " + ed.url)
        check(ed.text("#status") == "implemented", "now implemented")

        step = "editor: verified needs evidence"
        ed.select("#to", "verified")
        ed.click_button("Record the change")
        check("needs at least one evidence item" in (ed.text("#error") or ""),
              "verified without evidence refused")

        step = "editor: evidence"
        ed.select("#kind", "url")
        ed.fill("#ref", "https://www.icann.org/ssr2-rec19?a=1&b=<2>")
        ed.fill("#note", "names scan <b>report</b>")
        ed.click_button("Add evidence")
        ev = ed.text("#evidence") or ""
        check("https://www.icann.org/ssr2-rec19?a=1&b=<2>" in ev
              and "names scan <b>report</b>" in ev, "evidence shown as typed (escaped)")
        check(len(ed.find_all("#evidence b")) == 0, "no markup injected by the note")

        step = "editor: verified"
        ed.select("#to", "verified")
        ed.click_button("Record the change")
        check(ed.text("#status") == "verified", "now verified")
        hist = history_rows(ed)
        check(len(hist) == 2 and hist[0][2] == "not-started" and hist[0][3] == "implemented"
              and hist[0][4] == "scan and report in production" and hist[1][2] == "implemented"
              and hist[1][3] == "verified" and hist[1][1] == env["ED_LOGIN"],
              "the history: %r" % hist)

        step = "csrf and roles"
        forged = ed.post(base + "/recs/SSR2-20/status", {"csrf": "x" * 43, "to": "in-design"})
        check(forged == 403, "forged CSRF token refused: %r" % forged)
        reg = login(env["REG_LOGIN"], env["REG_PW"], base, browsers)
        reg.get(base + "/recs/SSR2-20")
        check(reg.find("#status-form") is None, "no form for a non-editor")
        tok = reg.attr("header input[name=csrf]", "value")
        as_reg = reg.post(base + "/recs/SSR2-20/status", {"csrf": tok, "to": "in-design"})
        check(as_reg == 403, "a registrar cannot change the tracker: %r" % as_reg)
        page.get(base + "/recs/SSR2-20")
        check(page.text("#status") == "not-started", "SSR2-20 untouched")

        step = "public sees the change"
        page.get(base + "/recs?status=verified")
        ver = rec_ids(page)
        check(ver == ["SSR2-19"], "filter verified: %r" % ver)
    except Exception as e:  # noqa: BLE001 (a step that throws is a failure with its name)
        t.failed('at step "%s": %s: %s' % (step, type(e).__name__, e))
        traceback.print_exc()
        if env.get("OUT"):
            for i, b in enumerate(browsers):
                b.screenshot(os.path.join(env["OUT"], "recs-fail-%d.png" % i))
    finally:
        for b in browsers:
            b.quit()
    return t.summary("browser")
