// Shared by the browser flows: the check tally, Debian's Chromium through playwright-core, the
// closing summary (exit status 1 on any failure).
'use strict';
const { chromium } = require('playwright-core');

let checks = 0, fails = 0;

function check(cond, what) {
	checks++;
	if (!cond) {
		fails++;
		console.error('FAIL: ' + what);
	}
}

// A failure outside a check (an exception at a step).
function failed(what) {
	checks++;
	fails++;
	console.error('FAIL ' + what);
}

function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-dev-shm-usage'],
	});
}

async function finish(browser) {
	await browser.close();
	console.log(`browser: ${checks - fails} passed, ${fails} failed`);
	process.exit(fails ? 1 : 0);
}

module.exports = { check, failed, launch, finish };
