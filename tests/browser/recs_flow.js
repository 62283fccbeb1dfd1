// The recommendation tracker's pages in headless Chromium with JavaScript off: the public
// dashboard (chart, every recommendation, filters); an editor logs in, tries a status change
// the workflow forbids (refused with the rule, nothing recorded), records implemented with a
// reason, is refused verified without evidence, adds evidence, verifies, and sees the history;
// forged CSRF and a non-editor's post are refused.
//
// env: BASE, CHROMIUM, ED_LOGIN, ED_PW, REG_LOGIN, REG_PW, OUT
'use strict';
const { check, failed, launch, finish } = require('./lib.js');

const BASE = process.env.BASE;

async function login(ctx, user, pw) {
	const p = await ctx.newPage();
	await p.goto(BASE + '/login');
	await p.fill('#login', user);
	await p.fill('#password', pw);
	await Promise.all([p.waitForNavigation(), p.click('button:has-text("Log in")')]);
	return p;
}

async function historyRows(page) {
	return page.$$eval('#history tr', rows => rows.slice(1).map(r =>
		[...r.querySelectorAll('td')].map(t => t.textContent)));
}

(async () => {
	const browser = await launch();
	const anon = await browser.newContext({ javaScriptEnabled: false });
	const page = await anon.newPage();
	let step = 'start';
	try {
		step = 'public dashboard';
		await page.goto(BASE + '/recs');
		const ids = await page.$$eval('#recs tr td:first-child a', a => a.map(x => x.textContent));
		check(ids.filter(i => /^SSR1-\d+$/.test(i)).length === 28, 'dashboard lists 28 SSR1');
		check(ids.filter(i => /^SSR2-\d+$/.test(i)).length === 31, 'dashboard lists 31 SSR2');
		check(ids.includes('CCT-16') && ids.includes('SSR2-3.a'), 'CCT-16 and sub-items listed');
		check((await page.$$('svg#chart-status rect')).length >= 3, 'the status chart is drawn');
		await page.goto(BASE + '/recs?review=SSR2&priority=medium');
		const medium = await page.$$eval('#recs tr td:first-child a', a => a.map(x => x.textContent));
		check(medium.includes('SSR2-24') && !medium.includes('SSR2-19') &&
		      medium.every(i => i.startsWith('SSR2-')), 'filters: SSR2 medium only: ' + medium);
		await page.goto(BASE + '/recs/SSR2-19');
		check((await page.textContent('#status')) === 'not-started', 'not started at first');
		check((await page.$('#status-form')) === null, 'no status form for the public');
		check((await page.textContent('#live')).includes('names.scan'), 'live evidence binding shown');

		step = 'editor: forbidden move';
		const edc = await browser.newContext({ javaScriptEnabled: false });
		const ed = await login(edc, process.env.ED_LOGIN, process.env.ED_PW);
		await ed.goto(BASE + '/recs/SSR2-19');
		check((await ed.$('#status-form')) !== null, 'the editor gets the status form');
		await ed.selectOption('#to', 'verified');
		const [refused] = await Promise.all([ed.waitForNavigation(), ed.click('button:has-text("Record the change")')]);
		check(refused.status() === 422, 'forbidden move answered 422: ' + refused.status());
		check((await ed.textContent('#error')).includes('only an implemented recommendation can be verified'),
		      'the rule is shown: ' + await ed.textContent('#error'));
		check((await ed.textContent('#status')) === 'not-started', 'status unchanged after a refusal');
		check((await historyRows(ed)).length === 0, 'nothing recorded after a refusal');

		step = 'editor: implemented';
		await ed.selectOption('#to', 'implemented');
		await ed.fill('#reason', 'scan and report in production');
		await Promise.all([ed.waitForNavigation(), ed.click('button:has-text("Record the change")')]);
		check(ed.url().endsWith('/recs/SSR2-19'), 'back on the page after the change: ' + ed.url());
		check((await ed.textContent('#status')) === 'implemented', 'now implemented');

		step = 'editor: verified needs evidence';
		await ed.selectOption('#to', 'verified');
		await Promise.all([ed.waitForNavigation(), ed.click('button:has-text("Record the change")')]);
		check((await ed.textContent('#error')).includes('needs at least one evidence item'),
		      'verified without evidence refused');

		step = 'editor: evidence';
		await ed.selectOption('#kind', 'url');
		await ed.fill('#ref', 'https://www.icann.org/ssr2-rec19?a=1&b=<2>');
		await ed.fill('#note', 'names scan <b>report</b>');
		await Promise.all([ed.waitForNavigation(), ed.click('button:has-text("Add evidence")')]);
		const evText = await ed.textContent('#evidence');
		check(evText.includes('https://www.icann.org/ssr2-rec19?a=1&b=<2>') &&
		      evText.includes('names scan <b>report</b>'), 'evidence shown as typed (escaped)');
		check((await ed.$$('#evidence b')).length === 0, 'no markup injected by the note');

		step = 'editor: verified';
		await ed.selectOption('#to', 'verified');
		await Promise.all([ed.waitForNavigation(), ed.click('button:has-text("Record the change")')]);
		check((await ed.textContent('#status')) === 'verified', 'now verified');
		const hist = await historyRows(ed);
		check(hist.length === 2 && hist[0][2] === 'not-started' && hist[0][3] === 'implemented' &&
		      hist[0][4] === 'scan and report in production' && hist[1][2] === 'implemented' &&
		      hist[1][3] === 'verified' && hist[1][1] === process.env.ED_LOGIN,
		      'the history: ' + JSON.stringify(hist));

		step = 'csrf and roles';
		const forged = await ed.request.post(BASE + '/recs/SSR2-20/status',
			{ form: { csrf: 'x'.repeat(43), to: 'in-design' } });
		check(forged.status() === 403, 'forged CSRF token refused: ' + forged.status());
		const regc = await browser.newContext({ javaScriptEnabled: false });
		const reg = await login(regc, process.env.REG_LOGIN, process.env.REG_PW);
		await reg.goto(BASE + '/recs/SSR2-20');
		check((await reg.$('#status-form')) === null, 'no form for a non-editor');
		const tok = await reg.getAttribute('header input[name=csrf]', 'value');
		const asReg = await reg.request.post(BASE + '/recs/SSR2-20/status', { form: { csrf: tok, to: 'in-design' } });
		check(asReg.status() === 403, 'a registrar cannot change the tracker: ' + asReg.status());
		await page.goto(BASE + '/recs/SSR2-20');
		check((await page.textContent('#status')) === 'not-started', 'SSR2-20 untouched');

		step = 'public sees the change';
		await page.goto(BASE + '/recs?status=verified');
		const ver = await page.$$eval('#recs tr td:first-child a', a => a.map(x => x.textContent));
		check(ver.length === 1 && ver[0] === 'SSR2-19', 'filter verified: ' + ver);
	} catch (e) {
		failed('at step "' + step + '": ' + e.message);
		if (process.env.OUT) {
			await page.screenshot({ path: process.env.OUT + '/recs-fail.png' }).catch(() => {});
		}
	}
	await finish(browser);
})();
