// A by-hand benchmark of the licenses screens at scale (not a test):
//   node e2e/bench-ui.mjs        (RPCTL, RP_UI_DIR as for the browser tests)
// Seeds an enrolled portal, allocates one bundle of 100,000 licenses, creates
// 2,000 customers through the HTTP API, imports the bundle through the UI,
// then measures (median of 5, in-page clocks):
//   navigation to #/licenses until the first page's rows show   (≤ 300 ms)
//   typing a search until the table shows its answer, after the last key (≤ 150 ms)
//   the customer picker's answer after the last key              (≤ 150 ms)
//   importing the 100,000-license bundle until the summary shows (≤ 5 s)
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { allocate, seedEnrolled } from './seed.mjs'
import { open, signIn } from './pages.mjs'

const LICENSES = Number(process.env.BENCH_LICENSES || 100000)
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS || 2000)
const RUNS = 5
const FIRST = ['Ada', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara']
const LAST = ['Abbott', 'Baker', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ishikawa', 'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Umarov', 'Vasquez', 'Weber', 'Xu', 'Yilmaz', 'Zimmermann']

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms  (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`
const log = (...a) => console.log(...a)

let t = Date.now()
const portal = await startPortal({
  seed: async (ctx) => {
    const s = await seedEnrolled({ bundles: [], customers: false })(ctx)
    const t0 = Date.now()
    const big = await allocate(ctx.env, s.vdir, ctx.dir, { count: LICENSES, name: 'big-bundle.txt' })
    log(`rpctl vendor allocate --count ${LICENSES}: ${Date.now() - t0} ms, ${(statSync(big.file).size / 1e6).toFixed(1)} MB armored`)
    return { ...s, big }
  },
})
log(`seeded in ${Date.now() - t} ms`)
const browser = await launchBrowser()
const page = browser.context.pages()[0] ?? (await browser.context.newPage())
page.setDefaultTimeout(60000)
const results = {}

try {
  await open(page, portal.url, '/licenses')
  await signIn(page)
  await page.getByRole('heading', { name: 'Licenses', level: 2 }).waitFor()

  // Customers through the API with the session cookie (a process per
  // `rpctl user create` would take minutes).
  t = Date.now()
  const made = await page.evaluate(
    async ({ n, first, last }) => {
      const post = async (op, body) => (await fetch(`/api/call/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()
      const orgs = []
      for (let i = 0; i < Math.floor(n / 20); i++) orgs.push((await post('orgs.create', { name: `${last[i % last.length]} Holdings ${i}` })).data.id)
      let next = 0
      let fails = 0
      const users = n - orgs.length
      async function worker() {
        while (next < users) {
          const i = next++
          const name = `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]} ${i}`
          const body = { name, email: `user${i}@bench.example` }
          if (i % 3 === 0) body.org = orgs[i % orgs.length]
          const r = await post('users.create', body)
          if (!r.ok) fails++
        }
      }
      await Promise.all(Array.from({ length: 6 }, worker))
      return { orgs: orgs.length, users, fails }
    },
    { n: CUSTOMERS, first: FIRST, last: LAST },
  )
  log(`customers: ${made.users} users + ${made.orgs} organizations through the API in ${Date.now() - t} ms (${made.fails} refused)`)

  // Import the big bundle through the UI (once: a second import is the
  // "already imported" path, timed too).
  for (const label of ['import', 'import again (already imported)']) {
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Open file…' }).click()
    const fc = await chooser
    const t0 = Date.now()
    await fc.setFiles(portal.seeded.big.file)
    // the second import must show its own summary, not the first one's
    const want = label === 'import' ? /Imported/ : /already imported/
    await page.getByTestId('import-summary').filter({ hasText: want }).or(page.getByTestId('problem')).first().waitFor({ timeout: 120000 })
    const ms = Date.now() - t0
    const text = (await page.getByTestId('import-summary').or(page.getByTestId('problem')).first().innerText()).trim()
    log(`${label}: ${ms} ms — "${text}"`)
    results[label] = ms
    if (await page.getByTestId('problem').count()) throw new Error(`the import was refused: ${text}`)
  }

  // Assign one license to each of 200 customers, so name search has hits.
  await page.evaluate(async () => {
    const post = async (op, body) => (await fetch(`/api/call/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()
    const lic = (await post('licenses.list', { status: 'available', limit: 200 })).data.items
    const users = (await post('users.list', { limit: 200 })).data
    await Promise.all(users.map((u, i) => lic[i] && post('licenses.assign', { key: lic[i].key, user: u.id })))
  })

  // Navigation: from a freshly loaded dashboard, click "Licenses" until the
  // table shows the first page's rows (fresh data, not busy).
  const nav = []
  for (let i = 0; i < RUNS; i++) {
    await open(page, portal.url, '/dashboard')
    await page.reload()
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor()
    nav.push(
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const done = () => {
              const tb = [...document.querySelectorAll('table')].find((x) => x.getAttribute('aria-label') === 'Licenses')
              return tb && tb.getAttribute('aria-busy') === 'false' && tb.querySelectorAll('tbody tr').length > 0
            }
            const t0 = performance.now()
            const obs = new MutationObserver(() => {
              if (done()) {
                obs.disconnect()
                resolve(performance.now() - t0)
              }
            })
            obs.observe(document.body, { subtree: true, childList: true, attributes: true })
            document.querySelector('nav a[href="#/licenses"]').click()
          }),
      ),
    )
  }
  log(`navigation to #/licenses → first page: ${fmt(nav)}`)
  results.nav = median(nav)

  // Search: type a term; time from the last key until every row matches.
  await page.evaluate(() => document.addEventListener('keydown', () => (window.__lastKey = performance.now()), true))
  const box = page.getByLabel('Search', { exact: true })
  // Key prefixes from across the data set (a search by name word or email
  // prefix goes through the same path).
  const terms = await page.evaluate(async (n) => {
    const post = async (op, body) => (await fetch(`/api/call/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()
    const out = []
    for (const f of [0.1, 0.3, 0.5, 0.7, 0.9]) out.push((await post('licenses.list', { offset: Math.floor(n * f), limit: 1 })).data.items[0].key.slice(0, 5).toLowerCase())
    return out
  }, LICENSES)
  const searches = []
  for (const term of terms) {
    await box.fill('')
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') === null)
    await page.locator('table[aria-busy="false"]').waitFor()
    await box.pressSequentially(term, { delay: 40 })
    // Polled every animation frame (±16 ms): the rows all match the term.
    const end = await (
      await page.waitForFunction(
        (term) => {
          const tb = [...document.querySelectorAll('table')].find((x) => x.getAttribute('aria-label') === 'Licenses')
          if (!tb || tb.getAttribute('aria-busy') !== 'false') return false
          const rows = [...tb.querySelectorAll('tbody tr')]
          return rows.length > 0 && rows.every((r) => r.textContent.toLowerCase().includes(term)) && performance.now()
        },
        term,
        { polling: 'raf' },
      )
    ).jsonValue()
    searches.push(end - (await page.evaluate(() => window.__lastKey)))
  }
  log(`search (${terms.join(', ')}) → table after the last key: ${fmt(searches)}`)
  results.search = median(searches)

  // Customer picker, in the Assign dialog of an available license.
  await open(page, portal.url, '/licenses?status=available')
  await page.getByRole('table', { name: 'Licenses' }).locator('tbody tr').first().getByRole('link').first().click()
  await page.getByRole('button', { name: 'Assign…' }).click()
  const dlg = page.getByRole('dialog')
  const input = dlg.getByLabel('Customer').first()
  const pterms = ['moreau', 'yilmaz', 'castillo', 'ishikawa', 'quintero']
  const picks = []
  for (const term of pterms) {
    await input.fill('')
    await page.waitForTimeout(400)
    await input.pressSequentially(term, { delay: 40 })
    const end = await (
      await page.waitForFunction(
        (term) => {
          // every option shown answers this term (by name, email, or the
          // user's organization), so it is the new answer, not the last one
          const opts = [...document.querySelectorAll('[role="option"]')].map((e) => e.textContent.toLowerCase())
          return opts.length > 0 && opts.every((o) => o.includes(term)) && performance.now()
        },
        term,
        { polling: 'raf' },
      )
    ).jsonValue()
    picks.push(end - (await page.evaluate(() => window.__lastKey)))
  }
  log(`customer picker (${pterms.join(', ')}) → options after the last key: ${fmt(picks)}`)
  results.picker = median(picks)

  log('\nsummary vs targets:')
  log(`  navigation ${results.nav.toFixed(0)} ms (≤ 300)`)
  log(`  search     ${results.search.toFixed(0)} ms (≤ 150)`)
  log(`  picker     ${results.picker.toFixed(0)} ms (≤ 150)`)
  log(`  import     ${results.import ?? 'refused'} ms (≤ 5000)`)
} catch (err) {
  console.error(err)
  const file = join(import.meta.dirname, '..', '..', 'build', 'bin', 'bench-ui-failure.png')
  await page.screenshot({ path: file }).then(() => console.error(`screenshot: ${file}`), () => {})
  process.exitCode = 1
} finally {
  await browser.close()
  await portal.stop()
}
