"""The portal's pages in headless Chromium with JavaScript off, to prove the pages need none:
a reporter submits a phishing report through the form (first with missing evidence, then
complete, with an attachment), follows the case link; the registrar logs in, finds the case in
its inbox, acknowledges and resolves it; the public SLA page changes accordingly and fits a
1280-pixel window.  CSRF: form posts without the token are refused.

run(base, env) -> True when every check passed.  env: REG_LOGIN, REG_PW, ADMIN_LOGIN,
ADMIN_PW, OUT (screenshots on failure)."""

import os
import traceback
import re
import time

from browser import Browser, Tally


def sla_table(b, base):
    """The SLA table as {party name: {column: cell text}}."""
    b.get(base + "/stats")
    return b.table_dict("#sla")


def fits_window(b, css):
    """True when the element and the page fit the window's width (nothing cut off on the
    right, no horizontal scrolling)."""
    return b.js("const e = document.querySelector(arguments[0]);"
                "const w = document.documentElement.clientWidth;"
                "return e !== null && e.getBoundingClientRect().right <= w &&"
                " document.documentElement.scrollWidth <= w;", css)


def run(base, env):
    t = Tally()
    check = t.check
    out = env.get("OUT")
    browsers = []

    def new():
        br = Browser(js=False, width=1280, height=900)
        browsers.append(br)
        return br

    step = "start"
    try:
        page = new()
        step = "stats before"
        before = sla_table(page, base)
        check("Registrar One LLC" not in before, "no registrar row before any case")
        check(before.get("All parties", {}).get("Cases / Routed") == "0",
              "overall row shows 0 routed before: %r" % before.get("All parties"))

        step = "report form, missing evidence"
        page.get(base + "/report")
        page.select("#category", "phishing")
        page.fill("#targets", "https://login.bad-paypal.com/verify?session=1")
        page.fill("#description", "A copy of the PayPal login page collecting passwords.")
        page.fill("#reporter_email", "analyst@cert.example")
        st = page.click_button("Send report")
        check(st == 422, "missing evidence answered 422: %r" % st)
        err = page.text(".err[data-field=imitates]")
        check(err is not None and "imitates" in err, 'field-level error beside "imitates": %r' % err)
        check("login.bad-paypal.com" in page.value("#targets"), "the form keeps what was typed")
        check("Nothing was stored" in (page.text("#errors") or ""), "summary says nothing stored")

        step = "report form, complete"
        page.fill("#imitates", "PayPal")
        shot = os.path.join(out, "screenshot.png")
        with open(shot, "wb") as f:
            f.write(bytes.fromhex("89504e470d0a1a0a0000000d49484452"))
        page.attach("#attachments", shot)
        page.click_button("Send report")
        check(re.search(r"/r/[A-Za-z0-9_-]{40,}$", page.url) is not None,
              "redirected to the reporter link: " + page.url)
        check("phishing" in (page.text("#thanks") or ""), "reporter page names the report")
        row = page.text("table tr:nth-child(2)") or ""
        check("bad-paypal.com" in row and "open" in row, "reporter sees the open case: " + row)
        reporter_link = page.url

        step = "login"
        rp = new()
        rp.get(base + "/login")
        rp.fill("#login", env["REG_LOGIN"])
        rp.fill("#password", "wrong-password")
        rp.click_button("Log in")
        check("Wrong login or password" in (rp.text("#login-error") or ""), "wrong password refused")
        rp.fill("#password", env["REG_PW"])
        rp.click_button("Log in")
        check(rp.url.endswith("/inbox"), "login leads to the inbox: " + rp.url)
        sess = rp.cookie("ssr_session")
        check(sess is not None and sess.get("httpOnly") and sess.get("sameSite") == "Lax",
              "session cookie HttpOnly, SameSite=Lax: %r" % sess)

        step = "inbox"
        # routing runs in the background: reload until the case reaches the registrar
        link = None
        for _ in range(100):
            rp.get(base + "/inbox")
            link = rp.find("#cases a")
            if link is not None:
                break
            time.sleep(0.2)
        check(link is not None, "the case reaches the registrar's inbox")
        rp.click("#cases a")
        check("bad-paypal.com" in (rp.text("h1") or ""), "case page title")
        check(rp.text("#case-status") == "open", "case open")
        body = rp.text("main") or ""
        check("screenshot.png" in body, "attachment listed on the case page")
        check("https://login.bad-paypal.com/verify?session=1" in body, "evidence URL shown")
        imit = rp.text(".imitates") or ""
        check("imitates paypal.com" in imit and "subdomain label" not in imit,
              "the protected name the reported host imitates is shown: %r" % imit)
        check("analyst@cert.example" not in body, "the reporter's e-mail is hidden from the registrar")
        check("Registrar One LLC" in body and "VeriSign" in body, "parties listed")
        case_url = rp.url

        step = "csrf"
        forged = rp.post(case_url + "/acknowledge", {"csrf": "x" * 43})
        check(forged == 403, "acknowledge with a wrong CSRF token: %r" % forged)
        no_tok = rp.post(case_url + "/acknowledge", {})
        check(no_tok == 403, "acknowledge without a CSRF token: %r" % no_tok)
        rp.get(case_url)
        check(rp.text("#case-status") == "open", "forged posts changed nothing")

        step = "acknowledge"
        rp.click("#ack")
        check(rp.text("#case-status") == "acknowledged", "acknowledged")
        check(rp.find("#ack") is None, "no second acknowledge button")

        step = "resolve without reason"
        rp.select("#outcome", "no-action")
        rp.click("#resolve")
        check("reason" in (rp.text("#action-error") or ""), "no-action needs a reason")

        step = "resolve"
        rp.select("#outcome", "suspended")
        rp.click("#resolve")
        check(rp.text("#case-status") == "closed", "suspended: case closed")
        tl = rp.text("#timeline") or ""
        check("acknowledged" in tl and "resolved" in tl and "suspended" in tl,
              "timeline shows the steps")

        step = "reporter sees closed"
        page.get(reporter_link)
        check("closed" in (page.text("table tr:nth-child(2)") or ""), "reporter sees the case closed")

        step = "stats after"
        after = sla_table(page, base)
        reg = after.get("Registrar One LLC")
        check(reg is not None, "registrar row appears on the SLA page")
        if reg:
            check(reg.get("Cases / Routed") == "1" and reg.get("Cases / Acknowledged") == "1"
                  and reg.get("Cases / Resolved") == "1" and reg.get("Cases / Mitigated") == "1",
                  "registrar counts: %r" % reg)
            check(reg.get("Cases / Mitigation rate") == "100%", "mitigation rate 100%")
            check(reg.get("Time to acknowledge / within SLA") == "100%",
                  "acknowledged within the SLA")
            check(reg.get("Time to action / within SLA") == "100%", "acted within the SLA")
        check(after["All parties"]["Cases / Routed"] != before["All parties"]["Cases / Routed"],
              "overall row changed")
        fits = fits_window(page, "#sla")
        if not fits and out:
            page.screenshot(os.path.join(out, "stats-overflow.png"))
        check(fits,
              "the SLA table fits a 1280-pixel window: table right edge %r, page width %r, window %r"
              % (page.js("return document.querySelector('#sla').getBoundingClientRect().right"),
                 page.js("return document.documentElement.scrollWidth"),
                 page.js("return document.documentElement.clientWidth")))

        step = "admin"
        adm = new()
        adm.get(base + "/login")
        adm.fill("#login", env["ADMIN_LOGIN"])
        adm.fill("#password", env["ADMIN_PW"])
        adm.click_button("Log in")
        adm.get(base + "/admin")
        adm.select("#kind", "registrar")
        adm.fill("#name", "Registrar <Three> & Co")
        adm.fill("#iana_id", "1003")
        adm.fill("#email", "abuse@reg-three.example")
        adm.click_button("Save party")
        check(adm.text("#admin-msg") == "Party saved.", "admin saves a party")
        check("Registrar <Three> & Co" in (adm.text("#parties") or ""),
              "the new party is listed, its name escaped and shown as typed")
        adm.fill("#tld", "net")
        adm.fill("#operator", "VeriSign Global Registry Services")
        adm.fill("#rdap_base", "not a url")
        adm.click_button("Save entry")
        check("is not a URL" in (adm.text("#admin-msg") or ""),
              "bad directory entry refused with the reason")
        as_party = rp.fetch_status(base + "/admin")
        check(as_party == 403, "a registrar cannot open the admin page: %r" % as_party)

        step = "logout"
        rp.click_button("Log out " + env["REG_LOGIN"])
        rp.get(base + "/inbox")
        check(rp.url.endswith("/login"), "after logout the inbox asks for a login")
    except Exception as e:  # noqa: BLE001 (a step that throws is a failure with its name)
        t.failed('at step "%s": %s: %s' % (step, type(e).__name__, e))
        traceback.print_exc()
        if out:
            for i, br in enumerate(browsers):
                br.screenshot(os.path.join(out, "fail-%d.png" % i))
    finally:
        for br in browsers:
            br.quit()
    return t.summary("browser")
