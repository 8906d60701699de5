// Batch activation in the browser (serve mode): a USB stick's folder of
// requests made by the real customer side (`rpctl client request`, one as a
// QR code PNG, one deactivation), a garbage file, and an old response that
// must be skipped, picked through the file chooser; the bar, the results,
// the zip of responses (unpacked here and installed by `rpctl client
// install`), the CSV; then a folder of BATCH_N (default 200; BATCH_N=1000 to measure the issue's figure) requests,
// timed, with the bar moving chunk by chunk.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { unzipSync, strFromU8 } from 'fflate'
import { RPCTL, launchBrowser, startPortal } from './harness.mjs'
import { allocate, rpctl, seedEnrolled } from './seed.mjs'
import { SHOTS, TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

const run = promisify(execFile)
const BATCH_N = Number(process.env.BATCH_N || 200)

// client runs `rpctl client` for one machine (its own state directory).
function client(env, dir, name) {
  const state = join(dir, 'clients', name)
  return (args, json = true) => rpctl(env, ['client', '--state', state, ...args], { json })
}

// requests makes n activation requests for key in folder, n machines,
// a few spawns at a time (each is ~10 ms: a key pair and a signature).
async function requests(env, dir, folder, key, n) {
  mkdirSync(folder, { recursive: true })
  const one = (i) =>
    run(RPCTL, ['client', '--state', join(dir, 'perf-clients', `p${i}`), 'request', '--product', 'cad-pro', '--license', key, '--out', join(folder, `p${String(i).padStart(4, '0')}.req`), '--machine-id', `perf-${i}`], { env })
  for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, j) => one(i + j)))
}

function batchPage(page) {
  return {
    async chooseFiles(paths) {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose files…' }).click()])
      await chooser.setFiles(paths)
    },
    async chooseFolder(dir) {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose a folder…' }).click()])
      await chooser.setFiles(dir)
    },
    bar: () => page.getByRole('progressbar', { name: 'Batch progress' }),
    done: () => page.getByTestId('batch-done').waitFor(),
    total: async (what) => Number(await page.getByTestId(`total-${what}`).innerText()),
    async download(button) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()])
      return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) }
    },
  }
}

describe('batch in the browser', () => {
  let portal
  let browser
  let page
  let seen
  let bp
  let usb
  let env
  let dir

  before(async () => {
    portal = await startPortal({
      seed: async (ctx) => {
        const s = await seedEnrolled()(ctx)
        const portalCmd = (...a) => rpctl(ctx.env, ['portal', '--db', ctx.db, ...a])
        const k = s.bundles[0].licenses.map((l) => l.key)
        for (const i of [0, 1, 2]) await portalCmd('license', 'assign', k[i], '--user', s.carol.id)
        // one license with room for the timed folder
        const big = await allocate(ctx.env, s.vdir, ctx.dir, { product: 'cad-pro', count: 1, activations: BATCH_N + 200, name: 'perf-bundle.txt' })
        await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'import', big.file], { json: false })
        await portalCmd('license', 'assign', big.licenses[0].key, '--user', s.bob.id)

        const usb = join(ctx.dir, 'usb')
        mkdirSync(usb, { recursive: true })
        // g1, g2 on K0 (its two activations), g3 on K1, q1 on K1 as a QR image
        for (const [m, key] of [['g1', k[0]], ['g2', k[0]], ['g3', k[1]]]) {
          await client(ctx.env, ctx.dir, m)(['request', '--product', 'cad-pro', '--license', key, '--out', join(usb, `${m}.req.txt`), '--machine-id', m])
        }
        await client(ctx.env, ctx.dir, 'q1')(['request', '--product', 'cad-pro', '--license', k[1], '--out', join(ctx.dir, 'q1.req.txt'), '--qr', join(usb, 'q1.png'), '--machine-id', 'q1'])
        // d1 was activated on K2 earlier and now hands back a deactivation request
        const d1 = client(ctx.env, ctx.dir, 'd1')
        await d1(['request', '--product', 'cad-pro', '--license', k[2], '--out', join(ctx.dir, 'd1.req.txt'), '--machine-id', 'd1'])
        await rpctl(ctx.env, ['portal', '--db', ctx.db, 'activate', '--in', join(ctx.dir, 'd1.req.txt'), '--out', join(ctx.dir, 'd1.resp.txt')], { json: false })
        await d1(['install', '--publisher-key', join(s.vdir, 'publisher.pub'), '--in', join(ctx.dir, 'd1.resp.txt')])
        await d1(['deactivate', '--out', join(usb, 'd1.deact.txt')])
        writeFileSync(join(usb, 'bad.txt'), 'this is not a request, just a shopping list\n')
        writeFileSync(join(usb, 'g1.response.txt'), 'an old response: must be skipped\n')
        writeFileSync(join(usb, '.hidden'), 'hidden: skipped\n')
        return { ...s, keys: k, usb, perfKey: big.licenses[0].key }
      },
    })
    ;({ env, dir } = portal)
    usb = portal.seeded.usb
    browser = await launchBrowser()
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
    bp = batchPage(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('opens the batch screen', async () => {
    await open(page, portal.url, '/batch')
    await signIn(page)
    await page.getByRole('heading', { name: 'Batch activation', level: 2 }).waitFor()
    await axe(page, 'batch: pick')
  })

  it('activates the picked files; skips the old response and the hidden file', async () => {
    const names = ['g1.req.txt', 'g2.req.txt', 'g3.req.txt', 'q1.png', 'd1.deact.txt', 'bad.txt', 'g1.response.txt', '.hidden']
    await bp.chooseFiles(names.map((n) => join(usb, n)))
    await bp.done()
    assert.equal(await bp.bar().getAttribute('aria-valuenow'), '100')
    assert.equal(await page.getByTestId('batch-count').innerText(), '6 of 6 files')
    assert.deepEqual([await bp.total('activated'), await bp.total('deactivated'), await bp.total('failed')], [4, 1, 1])
    assert.match(await page.getByTestId('batch-skipped').innerText(), /^2 files skipped/)
    const table = page.getByRole('table', { name: 'Batch results' })
    assert.equal(await table.locator('tbody tr').count(), 6)
    const bad = table.locator('tbody tr', { hasText: 'bad.txt' })
    assert.equal(await bad.getAttribute('data-ok'), 'false')
    assert.match(await bad.innerText(), /Failed: \S/)
    assert.doesNotMatch(await bad.innerText(), /document_|shopping/) // words, not a code or the file's text
    assert.match(await table.locator('tbody tr', { hasText: 'd1.deact.txt' }).innerText(), /Deactivation\s+OK\s+A\d+/)
    assert.match(await table.locator('tbody tr', { hasText: 'q1.png' }).innerText(), /Activation\s+OK\s+A\d+\s+in the zip/)
    // each row names its license and customer, linked to their screens
    const [k0, k2] = [portal.seeded.keys[0], portal.seeded.keys[2]]
    for (const [file, key] of [['g1.req.txt', k0], ['d1.deact.txt', k2]]) {
      const row = table.locator('tbody tr', { hasText: file })
      const lic = row.getByRole('link', { name: key, exact: true })
      assert.equal(await lic.getAttribute('href'), `#/licenses/${encodeURIComponent(key)}`)
      const cust = row.getByRole('link', { name: 'Carol Jones', exact: true })
      assert.equal(await cust.getAttribute('href'), `#/customers/${portal.seeded.carol.id}`)
    }
    assert.equal(await bad.getByRole('link').count(), 0) // an unreadable file names nobody
    await axe(page, 'batch: done')
    await shot(page, 'batch-done.png')
    await page.getByTestId('batch-done').screenshot({ path: join(SHOTS, 'batch-results.png') })
  })

  it('downloads one zip of responses that rpctl client install accepts', async () => {
    const { name, bytes } = await bp.download('Save the responses (zip)…')
    assert.match(name, /^responses-\d{8}-\d{4}\.zip$/)
    const files = unzipSync(bytes)
    assert.deepEqual(Object.keys(files).sort(), ['g1.req.response.txt', 'g2.req.response.txt', 'g3.req.response.txt', 'q1.response.txt'])
    const pub = join(portal.seeded.vdir, 'publisher.pub')
    for (const m of ['g1', 'q1']) {
      const file = join(dir, `${m}.from-zip.txt`)
      writeFileSync(file, strFromU8(files[m === 'q1' ? 'q1.response.txt' : `${m}.req.response.txt`]))
      await client(env, dir, m)(['install', '--publisher-key', pub, '--in', file])
      const st = await client(env, dir, m)(['status', '--publisher-key', pub])
      assert.equal(st.activated, true, `${m}: ${JSON.stringify(st)}`)
    }
  })

  it('exports the results as CSV', async () => {
    const { name, bytes } = await bp.download('Export CSV…')
    assert.match(name, /^batch-\d{8}-\d{4}\.csv$/)
    const lines = bytes.toString('utf8').trim().split('\r\n')
    assert.equal(lines[0], 'file,kind,result,reason,activation,response,license,product,customer,customer_name')
    assert.equal(lines.length, 7)
    assert.match(lines.find((l) => l.startsWith('bad.txt')), /^bad\.txt,unreadable,failed,[^,]+,,,,,,$/)
    const g1 = lines.find((l) => l.startsWith('g1.req.txt')).split(',')
    assert.deepEqual(g1.slice(6), [portal.seeded.keys[0], 'cad-pro', portal.seeded.carol.id, 'Carol Jones'])
  })

  it('cancels between chunks: what was sent stays processed', async () => {
    const folder = join(dir, 'cancel', 'stick')
    await requests(env, join(dir, 'cancel'), folder, portal.seeded.perfKey, 150)
    await page.getByRole('button', { name: 'Start over' }).click()
    // each call takes a while, as over a slow network
    await page.route('**/api/call/activation.batch', async (route) => {
      await new Promise((r) => setTimeout(r, 700))
      await route.continue()
    })
    await bp.chooseFolder(folder)
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="batch-bar"]')?.getAttribute('data-done')) >= 50)
    await page.waitForTimeout(400) // the bar's transition
    await shot(page, 'batch-progress.png')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByTestId('batch-cancelled').waitFor()
    await page.unroute('**/api/call/activation.batch')
    const activated = await bp.total('activated')
    assert.ok(activated >= 50 && activated < 150 && activated % 50 === 0, `activated ${activated}`)
    assert.match(await page.getByTestId('batch-cancelled').innerText(), new RegExp(`Cancelled after ${activated} of 150 files`))
    const { bytes } = await bp.download('Save the responses (zip)…')
    assert.equal(Object.keys(unzipSync(bytes)).length, activated)
  })

  it(`activates a folder of ${BATCH_N} requests, the bar moving chunk by chunk`, async () => {
    const folder = join(dir, 'perf', 'stick')
    let t = Date.now()
    await requests(env, dir, folder, portal.seeded.perfKey, BATCH_N)
    console.log(`# ${BATCH_N} requests made by rpctl client request in ${Date.now() - t} ms`)
    await page.getByRole('button', { name: 'Start over' }).click()
    // sample the bar while it runs
    const samples = page.evaluate(
      () =>
        new Promise((resolve) => {
          const seen = new Set()
          const tick = () => {
            const bar = document.querySelector('[data-testid="batch-bar"]')
            if (bar) seen.add(bar.getAttribute('data-done'))
            if (document.querySelector('[data-testid="batch-done"]')) resolve([...seen])
            else requestAnimationFrame(tick)
          }
          tick()
        }),
    )
    t = Date.now()
    await bp.chooseFolder(folder)
    await page.getByTestId('batch-done').waitFor({ timeout: 120000 })
    const ms = Date.now() - t
    const moved = await samples
    console.log(`# browser batch of ${BATCH_N} files: ${ms} ms picked→done (UI says: ${await page.getByTestId('batch-summary').innerText()}); bar values seen: ${moved.length}`)
    assert.equal(await bp.total('activated'), BATCH_N)
    assert.ok(moved.length >= Math.min(5, Math.ceil(BATCH_N / 50)), `the bar moved through ${moved}`)
    const { bytes } = await bp.download('Save the responses (zip)…')
    assert.equal(Object.keys(unzipSync(bytes)).length, BATCH_N)
    await shot(page, 'batch-1000.png')
  })

  it('shows no console error and no CSP violation', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})

