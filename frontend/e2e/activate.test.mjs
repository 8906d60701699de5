// The activation desk end to end against a seeded, enrolled portal: requests
// made by the real customer side (`rpctl client request`) are activated
// through each intake (file chooser, pasted text, QR image, dropped file,
// the camera fed a video of the request's QR), and the downloaded responses
// are installed by `rpctl client install`; refused previews sign nothing;
// the PDF sheet holds the customer, license and a QR of the response;
// deactivation frees the slot and a replay is refused in words. axe on each
// screen; drop→preview and click→QR timed.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { launchBrowser, startPortal } from './harness.mjs'
import { rpctl, seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

const run = promisify(execFile)

// The customer's machine: `rpctl client` with its own state directory.
function customer(portal, name) {
  const state = join(portal.dir, 'clients', name)
  const pub = join(portal.seeded.vdir, 'publisher.pub')
  const c = (args) => rpctl(portal.env, ['client', '--state', state, ...args])
  return {
    state,
    async request(key, { qr = false } = {}) {
      const out = join(portal.dir, 'clients', `${name}.req.txt`)
      const png = join(portal.dir, 'clients', `${name}.req.png`)
      const res = await c(['request', '--product', 'cad-pro', '--license', key, '--out', out, '--machine-id', name, ...(qr ? ['--qr', png] : [])])
      return { file: out, png, compact: res.compact, text: readFileSync(out, 'utf8') }
    },
    install: (resp) => c(['install', '--publisher-key', pub, '--in', resp]),
    status: () => c(['status', '--publisher-key', pub]),
    async deactivate() {
      const out = join(portal.dir, 'clients', `${name}.deact.txt`)
      await c(['deactivate', '--out', out])
      return out
    },
  }
}

// activatePage: the activation screen as a person uses it.
function activatePage(page) {
  const zone = page.getByRole('group', { name: 'Drop zone for the activation request' })
  return {
    zone,
    async openFile(file, button = 'Open file…') {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), zone.getByRole('button', { name: button }).click()])
      await chooser.setFiles(file)
    },
    async paste(text) {
      await zone.getByRole('button', { name: 'Paste text' }).click()
      await page.getByLabel('Pasted the activation request').fill(text)
      await page.getByRole('button', { name: 'Use the pasted text' }).click()
    },
    preview: () => page.getByTestId('preview'),
    fact: (label) => page.getByTestId('preview').locator('tr', { hasText: label }),
    sign: () => page.getByRole('button', { name: 'Sign the activation' }),
    qr: () => page.getByRole('img', { name: /^QR code of the signed response/ }),
    async save(dir) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save the response…' }).click()])
      const file = join(dir, download.suggestedFilename())
      await download.saveAs(file)
      return file
    },
    async sheet(dir) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Activation sheet (PDF)…' }).click()])
      const file = join(dir, download.suggestedFilename())
      await download.saveAs(file)
      return file
    },
    async next() {
      await page.getByRole('button', { name: 'Next request' }).click()
      await zone.waitFor()
    },
  }
}

// licenseShow reads a license through the portal's own API (serve holds the
// database lock, so rpctl cannot read it meanwhile).
async function licenseShow(page, key) {
  return page.evaluate(async (key) => {
    const res = await fetch('/api/call/licenses.show', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key }) })
    return (await res.json()).data
  }, key)
}

// settled waits for the theme's transitions to end (before axe and pictures).
async function settled(page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
}

// qrText decodes a PNG (bytes) with zbarimg.
async function zbar(file) {
  const { stdout } = await run('zbarimg', ['--raw', '-q', file])
  return stdout.trim()
}

// y4mFromPng makes a few-frame Y4M video (I420, full-range BT.601) of a QR
// PNG centred on white at 640×480: ImageMagick for the picture, the rest here.
async function y4mFromPng(png, out) {
  const ppm = `${out}.ppm`
  await run('convert', [png, '-resize', '640x480', '-background', 'white', '-gravity', 'center', '-extent', '640x480', '-depth', '8', ppm])
  const buf = readFileSync(ppm)
  const m = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'))
  assert.ok(m, 'a binary PPM')
  const [W, H] = [Number(m[1]), Number(m[2])]
  const rgb = buf.subarray(m[0].length)
  const Y = Buffer.alloc(W * H)
  const U = Buffer.alloc((W / 2) * (H / 2))
  const V = Buffer.alloc((W / 2) * (H / 2))
  const clamp = (x) => Math.max(0, Math.min(255, Math.round(x)))
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3
      Y[y * W + x] = clamp(0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2])
    }
  }
  for (let y = 0; y < H / 2; y++) {
    for (let x = 0; x < W / 2; x++) {
      let r = 0
      let g = 0
      let b = 0
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const i = ((2 * y + dy) * W + 2 * x + dx) * 3
        r += rgb[i] / 4
        g += rgb[i + 1] / 4
        b += rgb[i + 2] / 4
      }
      U[y * (W / 2) + x] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)
      V[y * (W / 2) + x] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Y, U, V])
  const parts = [Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)]
  for (let i = 0; i < 10; i++) parts.push(frame)
  writeFileSync(out, Buffer.concat(parts))
  return out
}

describe('activation desk in the browser', () => {
  let portal
  let browser
  let page
  let seen
  let ap
  let keys
  let out
  let m1
  const timings = []

  before(async () => {
    portal = await startPortal({
      seed: async (ctx) => {
        const s = await seedEnrolled()(ctx)
        const portalCmd = (...a) => rpctl(ctx.env, ['portal', '--db', ctx.db, ...a])
        const k = s.bundles[0].licenses.map((l) => l.key)
        // K[0] Bob (file, paste, then over the limit); K[1] Carol (QR image,
        // camera); K[2] unassigned; K[3..5] Carol (timed drops).
        await portalCmd('license', 'assign', k[0], '--user', s.bob.id)
        for (const i of [1, 3, 4, 5]) await portalCmd('license', 'assign', k[i], '--user', s.carol.id)
        return { ...s, keys: k }
      },
    })
    keys = portal.seeded.keys
    out = join(portal.dir, 'out')
    mkdirSync(join(portal.dir, 'clients'), { recursive: true })
    mkdirSync(out, { recursive: true })
    browser = await launchBrowser()
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
    ap = activatePage(page)
  })

  after(async () => {
    if (timings.length) console.log(`# drop→QR timings (ms): ${JSON.stringify(timings)}`)
    await browser?.close()
    await portal?.stop()
  })

  it('opens the activation screen from the dashboard', async () => {
    await open(page, portal.url, '/activate')
    await signIn(page)
    await page.getByRole('heading', { name: 'Activate a customer machine', level: 2 }).waitFor()
    await ap.zone.waitFor()
    await axe(page, 'activate: intake')
    await shot(page, 'activate-intake.png')
  })

  it('says in words when there is no camera', async () => {
    await page.getByRole('button', { name: 'Start camera' }).click()
    const p = page.getByTestId('camera-problem')
    await p.waitFor()
    assert.ok(['camera_not_found', 'camera_denied', 'camera_unsupported', 'camera_busy'].includes(await p.getAttribute('data-code')), await p.innerText())
    assert.match(await p.innerText(), /camera/i)
    assert.ok(await page.getByRole('button', { name: 'Start camera' }).isVisible())
  })

  it('activates a request file from the file chooser; rpctl client installs the response', async () => {
    m1 = customer(portal, 'm1')
    const req = await m1.request(keys[0])
    await ap.openFile(req.file)
    await ap.preview().waitFor()
    assert.equal(await page.getByTestId('preview-customer').innerText(), 'Bob Builder')
    assert.equal(await page.getByTestId('preview-customer').getAttribute('href'), `#/customers/${portal.seeded.bob.id}`)
    assert.equal(await page.getByTestId('preview-license').innerText(), keys[0])
    assert.equal(await page.getByTestId('preview-activations').innerText(), '0 → 1 of 2')
    assert.match(await page.getByTestId('preview-repeat').innerText(), /^No/)
    assert.match(await ap.fact('Fingerprint').innerText(), /[0-9a-f]{12}…/)
    await axe(page, 'activate: preview')
    await shot(page, 'activate-preview.png')

    await ap.sign().click()
    await ap.qr().waitFor()
    const hostname = (await page.getByTestId('activate-done').innerText()).match(/^Activated (.+) with license/)[1]
    const resp = await ap.save(out)
    assert.equal(resp.split('/').pop(), `${hostname.replace(/[^A-Za-z0-9._-]+/g, '-')}-${keys[0]}.response.txt`)
    await m1.install(resp)
    const st = await m1.status()
    assert.equal(st.activated, true)
    await axe(page, 'activate: response')
    await shot(page, 'activate-response.png')

    // The sheet: customer and license in its text; its QR is the response.
    const pdf = await ap.sheet(out)
    assert.match(pdf, /\.activation-sheet\.pdf$/)
    assert.ok(statSync(pdf).size > 1000)
    const { stdout: text } = await run('pdftotext', [pdf, '-'])
    assert.match(text, /Bob Builder/)
    assert.ok(text.includes(keys[0]), 'the sheet names the license')
    await run('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', pdf, join(out, 'sheet')])
    const sheetQr = await zbar(join(out, 'sheet-1.png'))
    const src = await ap.qr().getAttribute('src')
    const screenPng = join(out, 'screen-qr.png')
    writeFileSync(screenPng, Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'))
    const screenQr = await zbar(screenPng)
    assert.match(screenQr, /^RP1:/)
    assert.equal(sheetQr, screenQr)
  })

  it('shows the QR full screen on a white background', async () => {
    await page.getByRole('button', { name: 'Show full screen' }).click()
    await page.getByRole('button', { name: 'Leave full screen' }).waitFor()
    assert.equal(await page.evaluate(() => getComputedStyle(document.fullscreenElement).backgroundColor), 'rgb(255, 255, 255)')
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Leave full screen' }).waitFor({ state: 'detached' })
  })

  it('activates pasted text (armored)', async () => {
    await ap.next()
    const m2 = customer(portal, 'm2')
    const req = await m2.request(keys[0])
    await ap.paste(req.text)
    await ap.preview().waitFor()
    assert.equal(await page.getByTestId('preview-activations').innerText(), '1 → 2 of 2')
    await ap.sign().click()
    await ap.qr().waitFor()
    await m2.install(await ap.save(out))
    assert.equal((await m2.status()).activated, true)
  })

  it('activates the image of a request QR code', async () => {
    await ap.next()
    const m4 = customer(portal, 'm4')
    const req = await m4.request(keys[1], { qr: true })
    await ap.openFile(req.png, 'Image of a QR code…')
    await ap.preview().waitFor()
    assert.equal(await page.getByTestId('preview-customer').innerText(), 'Carol Jones')
    await ap.sign().click()
    await ap.qr().waitFor()
    await m4.install(await ap.save(out))
    assert.equal((await m4.status()).activated, true)
  })

  it('returns the same activation for a repeated request', async () => {
    await ap.next()
    await ap.paste(readFileSync(join(portal.dir, 'clients', 'm1.req.txt'), 'utf8'))
    await ap.preview().waitFor()
    assert.match(await page.getByTestId('preview-repeat').innerText(), /already activated/)
    assert.equal(await page.getByTestId('preview-activations').innerText(), '2 of 2 (unchanged)')
    await ap.sign().click()
    await page.getByText(/Already activated — the same activation returned/).first().waitFor()
  })

  it('refuses an unassigned license in words and signs nothing', async () => {
    await ap.next()
    const m6 = customer(portal, 'm6')
    const req = await m6.request(keys[2])
    await ap.paste(req.compact)
    const refusal = page.getByTestId('refusal')
    await refusal.waitFor()
    assert.equal(await refusal.getAttribute('data-code'), 'license_unassigned')
    assert.match(await refusal.innerText(), /This license is not assigned to a customer\./)
    assert.match(await refusal.innerText(), /Nothing was signed\./)
    const link = refusal.getByRole('link', { name: 'Assign the license' })
    assert.equal(await link.getAttribute('href'), `#/licenses/${keys[2]}`)
    assert.equal(await ap.sign().count(), 0)
    assert.equal(await page.getByTestId('preview-activations').innerText(), '0 of 2')
    await axe(page, 'activate: refused preview')
    await shot(page, 'activate-refused.png')
    assert.equal((await licenseShow(page, keys[2])).activations_used, 0)
  })

  it('refuses a license over its limit and signs nothing', async () => {
    await ap.next()
    const m3 = customer(portal, 'm3')
    await ap.paste((await m3.request(keys[0])).text)
    const refusal = page.getByTestId('refusal')
    await refusal.waitFor()
    assert.equal(await refusal.getAttribute('data-code'), 'license_over_limit')
    assert.match(await refusal.innerText(), /no activations left/)
    await refusal.getByRole('link', { name: 'Open the license to deactivate a machine first' }).waitFor()
    assert.equal(await ap.sign().count(), 0)
    const lic = await licenseShow(page, keys[0])
    assert.equal(lic.activations_used, 2)
    assert.equal(lic.activations.length, 2)
  })

  it('drop → preview → sign → QR, timed', async () => {
    for (const [i, key] of [keys[3], keys[4], keys[5]].entries()) {
      await ap.next()
      const req = await customer(portal, `t${i}`).request(key)
      const dt = await page.evaluateHandle(({ name, text }) => {
        const dt = new DataTransfer()
        dt.items.add(new File([text], name, { type: 'text/plain' }))
        return dt
      }, { name: `t${i}.req.txt`, text: req.text })
      // Timed in the page: from the drop event to the preview on screen, and
      // from the click event to the QR image decoded on screen.
      const watchFor = (sel, event) =>
        page.evaluate(
          ([sel, event]) =>
            new Promise((resolve) => {
              let t0 = 0
              window.addEventListener(event, () => (t0 = performance.now()), { capture: true, once: true })
              const obs = new MutationObserver(() => {
                const el = document.querySelector(sel)
                if (!el || !t0) return
                obs.disconnect()
                if (el.tagName === 'IMG') void el.decode().then(() => resolve(performance.now() - t0))
                else resolve(performance.now() - t0)
              })
              obs.observe(document.body, { childList: true, subtree: true })
            }),
          [sel, event],
        )
      const dropped = watchFor('[data-testid="preview"]', 'drop')
      await ap.zone.dispatchEvent('drop', { dataTransfer: dt })
      const toPreview = await dropped
      await ap.sign().waitFor()
      const signed = watchFor('[data-testid="response-qr"]', 'click')
      await ap.sign().click()
      const toQr = await signed
      timings.push({ dropToPreview: Math.round(toPreview), clickToQr: Math.round(toQr), sum: Math.round(toPreview + toQr) })
    }
    // A measurement, not an assertion: the figures go to the report.
    assert.equal(timings.length, 3)
  })

  it('deactivates with a request made by rpctl client deactivate; the slot is freed', async () => {
    const dreq = await m1.deactivate()
    await open(page, portal.url, '/deactivate')
    await page.getByRole('heading', { name: 'Deactivate a customer machine', level: 2 }).waitFor()
    await axe(page, 'deactivate: intake')
    const zone = page.getByRole('group', { name: 'Drop zone for the deactivation request' })
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), zone.getByRole('button', { name: 'Open file…' }).click()])
    await chooser.setFiles(dreq)
    await page.getByTestId('deactivate-document').waitFor()
    assert.match(await page.getByTestId('deactivate-document').innerText(), /^m1\.deact\.txt \(\d+ bytes\)$/)
    assert.equal((await licenseShow(page, keys[0])).activations_used, 2, 'nothing changes before the confirmation')
    await axe(page, 'deactivate: confirm')
    await page.getByRole('button', { name: 'Deactivate', exact: true }).click()
    await page.getByTestId('deactivate-done').waitFor()
    assert.match(await page.getByTestId('deactivate-done').innerText(), new RegExp(`on license ${keys[0]}\\.$`))
    assert.equal(await page.getByTestId('deactivate-slots').innerText(), '2 → 1 of 2')
    assert.equal((await licenseShow(page, keys[0])).activations_used, 1)
    await axe(page, 'deactivate: done')
    await shot(page, 'deactivate-done.png')

    // The same request again: refused in words, nothing changed.
    await page.getByRole('button', { name: 'Next request' }).click()
    await zone.getByRole('button', { name: 'Paste text' }).click()
    await page.getByLabel('Pasted the deactivation request').fill(readFileSync(dreq, 'utf8'))
    await page.getByRole('button', { name: 'Use the pasted text' }).click()
    await page.getByRole('button', { name: 'Deactivate', exact: true }).click()
    const refused = page.getByTestId('deactivate-refused')
    await refused.waitFor()
    assert.equal(await refused.getAttribute('data-code'), 'already_deactivated')
    assert.match(await refused.innerText(), /used before.*Nothing was changed\./s)
    assert.equal((await licenseShow(page, keys[0])).activations_used, 1)
    await axe(page, 'deactivate: refused')
  })

  it('looks right in the dark', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await settled(page)
    await axe(page, 'deactivate: refused (dark)')
    await shot(page, 'deactivate-refused-dark.png')
    await open(page, portal.url, '/activate')
    await ap.paste(readFileSync(join(portal.dir, 'clients', 'm2.req.txt'), 'utf8'))
    await ap.preview().waitFor()
    await settled(page)
    await axe(page, 'activate: preview (dark)')
    await shot(page, 'activate-preview-dark.png')
    await ap.sign().click()
    await ap.qr().waitFor()
    await settled(page)
    await axe(page, 'activate: response (dark)')
    await shot(page, 'activate-response-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('reads a request QR with the camera (Chromium fake camera fed a video of it)', async () => {
    const m5 = customer(portal, 'm5')
    const req = await m5.request(keys[1], { qr: true })
    const y4m = await y4mFromPng(req.png, join(out, 'm5.y4m'))
    const cam = await launchBrowser({ args: ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`, '--use-fake-ui-for-media-stream'] })
    try {
      const p = cam.context.pages()[0] ?? (await cam.context.newPage())
      p.setDefaultTimeout(TIMEOUT)
      const camSeen = await watch(p)
      await open(p, portal.url, '/activate')
      await signIn(p)
      await p.getByRole('button', { name: 'Start camera' }).click()
      await p.getByRole('button', { name: 'Stop camera' }).waitFor()
      await p.getByTestId('preview').waitFor({ timeout: 20000 })
      assert.equal(await p.getByRole('button', { name: 'Start camera' }).count(), 0, 'the intake (and camera) is gone')
      assert.equal(await p.evaluate(() => [...document.querySelectorAll('video')].filter((v) => v.srcObject).length), 0, 'the stream is released')
      assert.equal(await p.getByTestId('preview-customer').innerText(), 'Carol Jones')
      await p.getByRole('button', { name: 'Sign the activation' }).click()
      await p.getByRole('img', { name: /^QR code of the signed response/ }).waitFor()
      const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Save the response…' }).click()])
      const resp = join(out, download.suggestedFilename())
      await download.saveAs(resp)
      await m5.install(resp)
      assert.equal((await m5.status()).activated, true)
      assert.deepEqual(camSeen.errors, [])
      assert.deepEqual(camSeen.violations, [])
    } finally {
      await cam.close()
    }
  })

  it('had no console errors and no CSP violations', () => {
    assert.deepEqual(seen.errors, [])
    assert.deepEqual(seen.violations, [])
  })
})
