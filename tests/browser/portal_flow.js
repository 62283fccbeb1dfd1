// The portal's pages in headless Chromium (Debian's chromium driven by playwright-core), with
// JavaScript off to prove the pages need none: a reporter submits a phishing report through the
// form (first with missing evidence, then complete, with an attachment), follows the case link;
// the registrar logs in, finds the case in its inbox, acknowledges and resolves it; the public
// SLA page changes accordingly.  CSRF: form posts without the token are refused.
//
// env: BASE (portal URL), CHROMIUM, REG_LOGIN, REG_PW, OUT (screenshots on failure)
'use strict';
const { check, failed, launch, finish } = require('./lib.js');

const BASE = process.env.BASE;

// The SLA table as {party name: {column header: cell text}}.
async function slaTable(page) {
	await page.goto(BASE + '/stats');
	return page.$$eval('#sla tr', rows => {
		const head = [...rows[0].querySelectorAll('th')].map(t => t.textContent);
		const out = {};
		for (const r of rows.slice(1)) {
			const cells = [...r.querySelectorAll('td')].map(t => t.textContent);
			const o = {};
			head.forEach((h, i) => { o[h + (o[h] !== undefined ? ' (action)' : '')] = cells[i]; });
			out[cells[0]] = o;
		}
		return out;
	});
}

(async () => {
	const browser = await launch();
	const reporter = await browser.newContext({ javaScriptEnabled: false });
	const page = await reporter.newPage();
	let step = 'start';
	try {
		step = 'stats before';
		const before = await slaTable(page);
		check(before['Registrar One LLC'] === undefined, 'no registrar row before any case');
		check(before['All parties'] !== undefined && before['All parties']['Routed'] === '0',
		      'overall row shows 0 routed before: ' + JSON.stringify(before['All parties']));

		step = 'report form, missing evidence';
		await page.goto(BASE + '/report');
		await page.selectOption('#category', 'phishing');
		await page.fill('#targets', 'https://login.bad-paypal.com/verify?session=1');
		await page.fill('#description', 'A copy of the PayPal login page collecting passwords.');
		await page.fill('#reporter_email', 'analyst@cert.example');
		await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send report")')]);
		const err = await page.textContent('.err[data-field=imitates]').catch(() => null);
		check(err && err.includes('imitates'), 'field-level error beside "imitates": ' + err);
		check((await page.inputValue('#targets')).includes('login.bad-paypal.com'),
		      'the form keeps what was typed');
		check((await page.textContent('#errors')).includes('Nothing was stored'), 'summary says nothing stored');

		step = 'report form, complete';
		await page.fill('#imitates', 'PayPal');
		await page.setInputFiles('#attachments', {
			name: 'screenshot.png', mimeType: 'image/png',
			buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
		});
		await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send report")')]);
		check(/\/r\/[A-Za-z0-9_-]{40,}$/.test(page.url()), 'redirected to the reporter link: ' + page.url());
		const thanks = await page.textContent('#thanks');
		check(thanks.includes('phishing'), 'reporter page names the report');
		const row = await page.textContent('table tr:nth-child(2)');
		check(row.includes('bad-paypal.com') && row.includes('open'), 'reporter sees the open case: ' + row);
		const reporterLink = page.url();

		step = 'login';
		const party = await browser.newContext({ javaScriptEnabled: false });
		const rp = await party.newPage();
		await rp.goto(BASE + '/login');
		await rp.fill('#login', process.env.REG_LOGIN);
		await rp.fill('#password', 'wrong-password');
		await Promise.all([rp.waitForNavigation(), rp.click('button:has-text("Log in")')]);
		check((await rp.textContent('#login-error')).includes('Wrong login or password'), 'wrong password refused');
		await rp.fill('#password', process.env.REG_PW);
		await Promise.all([rp.waitForNavigation(), rp.click('button:has-text("Log in")')]);
		check(rp.url().endsWith('/inbox'), 'login leads to the inbox: ' + rp.url());
		const cookies = await party.cookies();
		const sess = cookies.find(c => c.name === 'ssr_session');
		check(sess && sess.httpOnly && sess.sameSite === 'Lax', 'session cookie HttpOnly, SameSite=Lax');

		step = 'inbox';
		// routing runs in the background: reload until the case reaches the registrar
		let link = null;
		for (let i = 0; i < 100 && !link; i++) {
			await rp.goto(BASE + '/inbox');
			link = await rp.$('#cases a');
			if (!link) await new Promise(r => setTimeout(r, 200));
		}
		check(link !== null, 'the case reaches the registrar\'s inbox');
		await Promise.all([rp.waitForNavigation(), link.click()]);
		check((await rp.textContent('h1')).includes('bad-paypal.com'), 'case page title');
		check((await rp.textContent('#case-status')) === 'open', 'case open');
		const body = await rp.textContent('main');
		check(body.includes('screenshot.png'), 'attachment listed on the case page');
		check(body.includes('https://login.bad-paypal.com/verify?session=1'), 'evidence URL shown');
		check(!body.includes('analyst@cert.example'), 'the reporter\'s e-mail is hidden from the registrar');
		check(body.includes('Registrar One LLC') && body.includes('VeriSign'), 'parties listed');
		const caseUrl = rp.url();

		step = 'csrf';
		const forged = await rp.request.post(caseUrl + '/acknowledge', { form: { csrf: 'x'.repeat(43) } });
		check(forged.status() === 403, 'acknowledge with a wrong CSRF token: ' + forged.status());
		const noTok = await rp.request.post(caseUrl + '/acknowledge', { form: {} });
		check(noTok.status() === 403, 'acknowledge without a CSRF token: ' + noTok.status());
		check((await rp.reload(), await rp.textContent('#case-status')) === 'open', 'forged posts changed nothing');

		step = 'acknowledge';
		await Promise.all([rp.waitForNavigation(), rp.click('#ack')]);
		check((await rp.textContent('#case-status')) === 'acknowledged', 'acknowledged');
		check((await rp.$('#ack')) === null, 'no second acknowledge button');

		step = 'resolve without reason';
		await rp.selectOption('#outcome', 'no-action');
		await Promise.all([rp.waitForNavigation(), rp.click('#resolve')]);
		check((await rp.textContent('#action-error')).includes('reason'), 'no-action needs a reason');

		step = 'resolve';
		await rp.selectOption('#outcome', 'suspended');
		await Promise.all([rp.waitForNavigation(), rp.click('#resolve')]);
		check((await rp.textContent('#case-status')) === 'closed', 'suspended: case closed');
		const tl = await rp.textContent('#timeline');
		check(tl.includes('acknowledged') && tl.includes('resolved') && tl.includes('suspended'),
		      'timeline shows the steps');

		step = 'reporter sees closed';
		await page.goto(reporterLink);
		check((await page.textContent('table tr:nth-child(2)')).includes('closed'), 'reporter sees the case closed');

		step = 'stats after';
		const after = await slaTable(page);
		const reg = after['Registrar One LLC'];
		check(reg !== undefined, 'registrar row appears on the SLA page');
		if (reg) {
			check(reg['Routed'] === '1' && reg['Acknowledged'] === '1' && reg['Resolved'] === '1' &&
			      reg['Mitigated'] === '1', 'registrar counts: ' + JSON.stringify(reg));
			check(reg['Mitigation rate'] === '100%', 'mitigation rate 100%');
			check(reg['within SLA'] === '100%', 'acknowledged within the SLA');
		}
		check(after['All parties']['Routed'] !== before['All parties']['Routed'], 'overall row changed');

		step = 'admin';
		const adm = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
		await adm.goto(BASE + '/login');
		await adm.fill('#login', process.env.ADMIN_LOGIN);
		await adm.fill('#password', process.env.ADMIN_PW);
		await Promise.all([adm.waitForNavigation(), adm.click('button:has-text("Log in")')]);
		await adm.goto(BASE + '/admin');
		await adm.selectOption('#kind', 'registrar');
		await adm.fill('#name', 'Registrar <Three> & Co');
		await adm.fill('#iana_id', '1003');
		await adm.fill('#email', 'abuse@reg-three.example');
		await Promise.all([adm.waitForNavigation(), adm.click('button:has-text("Save party")')]);
		check((await adm.textContent('#admin-msg')) === 'Party saved.', 'admin saves a party');
		check((await adm.textContent('#parties')).includes('Registrar <Three> & Co'),
		      'the new party is listed, its name escaped and shown as typed');
		await adm.fill('#tld', 'net');
		await adm.fill('#operator', 'VeriSign Global Registry Services');
		await adm.fill('#rdap_base', 'not a url');
		await Promise.all([adm.waitForNavigation(), adm.click('button:has-text("Save entry")')]);
		check((await adm.textContent('#admin-msg')).includes('is not a URL'), 'bad directory entry refused with the reason');
		const asParty = await rp.request.get(BASE + '/admin');
		check(asParty.status() === 403, 'a registrar cannot open the admin page: ' + asParty.status());

		step = 'logout';
		await Promise.all([rp.waitForNavigation(), rp.click('button:has-text("Log out")')]);
		await rp.goto(BASE + '/inbox');
		check(rp.url().endsWith('/login'), 'after logout the inbox asks for a login');
	} catch (e) {
		failed('at step "' + step + '": ' + e.message);
		if (process.env.OUT) {
			for (const [i, p] of reporter.pages().entries()) {
				await p.screenshot({ path: process.env.OUT + '/fail-' + i + '.png' }).catch(() => {});
			}
		}
	}
	await finish(browser);
})();
