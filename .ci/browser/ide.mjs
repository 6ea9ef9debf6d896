// The GraphQL IDE in a real browser, offline: the system Chromium, headless, opens /graphql of a
// running development server with every request to another host aborted (and DNS for any other
// host failing), waits for GraphiQL to render with the schema's descriptions, runs
// `{ categories { code } }` and finds the answer in the result pane, then sets the Authorization
// header in the headers editor and runs `{ me { email } }` as a signed-in citizen.
// Fails on any request to another host, any Content-Security-Policy violation or page error.
//
// usage: node ide.mjs http://127.0.0.1:PORT

import { chromium } from 'playwright-core';

const base = process.argv[2];
if (!base) {
  console.error('usage: node ide.mjs BASE_URL');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;

const isLoopback = (url) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const offsite = [];
const problems = [];

async function graphql(query, variables = {}, headers = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** The text of the CodeMirror editor inside `selector`. */
const editorValue = (page, selector) =>
  page.evaluate((selector) => {
    const element = document.querySelector(`${selector} .CodeMirror`);
    return element && element.CodeMirror ? element.CodeMirror.getValue() : null;
  }, selector);

/** Replaces the text of the CodeMirror editor inside `selector`, as typing would. */
const setEditorValue = (page, selector, value) =>
  page.evaluate(
    ([selector, value]) => {
      document.querySelector(`${selector} .CodeMirror`).CodeMirror.setValue(value);
    },
    [selector, value],
  );

/** Runs what the query editor holds and waits for a result that satisfies `check`. */
async function run(page, check) {
  await page.click('.graphiql-execute-button');
  let last = null;
  await page.waitForFunction(
    () => {
      const element = document.querySelector('.graphiql-response .CodeMirror');
      const text = element && element.CodeMirror ? element.CodeMirror.getValue() : '';
      try {
        return JSON.parse(text) && text;
      } catch {
        return false;
      }
    },
    null,
    { timeout: TIMEOUT },
  );
  for (let i = 0; i < 50; i++) {
    last = JSON.parse(await editorValue(page, '.graphiql-response'));
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`unexpected result: ${JSON.stringify(last)}`);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // Belt and braces: no other host even resolves.
  args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
});
let failed = false;
try {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && !isLoopback(url)) {
      offsite.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  page.on('websocket', (socket) => {
    if (!isLoopback(new URL(socket.url()))) offsite.push(socket.url());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  const started = Date.now();
  const response = await page.goto(`${base}/graphql`, { waitUntil: 'load' });
  if (response.status() !== 200) throw new Error(`GET /graphql answered ${response.status()}`);

  // GraphiQL rendered, and the schema (from introspection) is in its documentation explorer with
  // its descriptions.
  await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');
  console.log(`ide: GraphiQL rendered in ${Date.now() - started} ms`);
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.click('.graphiql-doc-explorer-content a.graphiql-doc-explorer-type-name');
  await page.waitForSelector('text=Complaint categories, in display order.');
  console.log('ide: the documentation explorer shows the schema descriptions');

  // A dialog locks scrolling with a <style> element of its own: allowed by the page's nonce,
  // or a CSP violation below.
  await page.click('[aria-label="Open settings dialog"]');
  await page.waitForSelector('[role="dialog"]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[role="dialog"]', { state: 'detached' });

  // The first query, typed into the editor and run with the execute button.
  await setEditorValue(page, '.graphiql-query-editor', '{ categories { code } }');
  const expected = await graphql('{ categories { code } }');
  const result = await run(page, (r) => r.data && Array.isArray(r.data.categories));
  if (JSON.stringify(result) !== JSON.stringify(expected)) {
    throw new Error(`result pane ${JSON.stringify(result)} differs from ${JSON.stringify(expected)}`);
  }
  console.log(`ide: { categories { code } } answered ${result.data.categories.length} categories`);

  // Signed in through the headers editor.
  const email = `ide-${Date.now()}@example.id`;
  const registered = await graphql(
    'mutation($input: RegisterInput!) { register(input: $input) { token } }',
    { input: { email, password: 'kopi susu gula aren', displayName: 'IDE' } },
  );
  const token = registered.data.register.token;
  await page.getByRole('button', { name: 'Headers' }).click();
  // The tab shows the headers editor; the variables editor beside it is hidden.
  await setEditorValue(
    page,
    '.graphiql-editor-tool .graphiql-editor:not(.hidden)',
    JSON.stringify({ Authorization: `Bearer ${token}` }),
  );
  await setEditorValue(page, '.graphiql-query-editor', '{ me { email } }');
  await run(page, (r) => r.data && r.data.me && r.data.me.email === email);
  console.log('ide: { me { email } } answered as the signed-in citizen');
} catch (error) {
  failed = true;
  console.error(`ide: ${error.stack || error}`);
} finally {
  await browser.close();
}

if (offsite.length > 0) {
  failed = true;
  console.error(`ide: requests to other hosts were attempted:\n  ${offsite.join('\n  ')}`);
}
if (problems.length > 0) {
  failed = true;
  console.error(`ide: the page reported problems:\n  ${problems.join('\n  ')}`);
}
console.log(failed ? 'ide: FAILED' : 'ide: passed');
process.exit(failed ? 1 : 0);
