// Screenshots for the README and docs/: the dashboard, licenses, a license's
// detail and the customers (light and dark), the activation desk (preview,
// response with its QR) and a batch (in progress, done), on a portal seeded
// through the real rpctl. Run with `make screenshots` (not part of `make test`).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { open, signIn, TIMEOUT } from './pages.mjs'
import { rpctl, seedEnrolled } from './seed.mjs'

const DOCS = join(import.meta.dirname, '..', '..', 'docs')

// request makes an activation request with the real customer side.
async function request(ctx, key, machine, dir) {
  mkdirSync(dir, { recursive: true })
  const out = join(dir, `${machine}.req.txt`)
  await rpctl(ctx.env, ['client', '--state', join(ctx.dir, 'clients', machine), 'request', '--product', 'cad-pro', '--license', key, '--out', out, '--machine-id', machine])
  return out
}

const portal = await startPortal({
  seed: async (ctx) => {
    const s = await seedEnrolled()(ctx)
    await rpctl(ctx.env, ['portal', '--db', ctx.db, 'settings', 'set', '--company', 'Acme Resellers GmbH'])
    const list = (await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'list', '--limit', '20'])).filter((l) => l.product === 'cad-pro')
    for (const [i, l] of list.slice(0, 10).entries()) {
      await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'assign', l.key, i % 2 ? '--user' : '--org', i % 2 ? s.carol.id : s.org.id])
    }
    // a few activations made offline, so the screens have history
    const reqs = join(ctx.dir, 'reqs')
    for (const [i, l] of list.slice(1, 4).entries()) {
      const req = await request(ctx, l.key, `ws-${i + 1}`, reqs)
      await rpctl(ctx.env, ['portal', '--db', ctx.db, 'activate', '--in', req, '--out', join(reqs, `ws-${i + 1}.resp.txt`)], { json: false })
    }
    // the request the activation desk will take, and a folder for a batch
    const desk = await request(ctx, list[0].key, 'DESIGN-PC-07', join(ctx.dir, 'desk'))
    const batch = []
    for (const [i, l] of list.slice(4, 10).entries()) batch.push(await request(ctx, l.key, `LINE-${i + 1}`, join(ctx.dir, 'usb')))
    writeFileSync(join(ctx.dir, 'usb', 'notes.txt'), 'not a request\n')
    batch.push(join(ctx.dir, 'usb', 'notes.txt'))
    return { ...s, key: list[0].key, desk, batch }
  },
})
const browser = await launchBrowser()
const shoot = async (page, name) => {
  await page.waitForTimeout(700) // theme colour and modal transitions
  const file = join(DOCS, `screenshot-${name}.png`)
  await page.screenshot({ path: file })
  console.log(`wrote ${file}`)
}
try {
  const page = await browser.context.newPage()
  page.setDefaultTimeout(TIMEOUT)
  await page.setViewportSize({ width: 1280, height: 800 })
  await open(page, portal.url, '/dashboard')
  await signIn(page)
  const screens = [
    ['dashboard', '/dashboard', () => page.getByTestId('count-available').waitFor()],
    ['licenses', '/licenses', () => page.getByRole('link', { name: portal.seeded.key }).first().waitFor()],
    ['license', `/licenses/${portal.seeded.key}`, () => page.getByText(portal.seeded.key).first().waitFor()],
    ['customers', '/customers', () => page.getByText('Carol Jones').first().waitFor()],
  ]
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const [name, route, ready] of screens) {
      await open(page, portal.url, route)
      await ready()
      await shoot(page, `${name}${scheme === 'dark' ? '-dark' : ''}`)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // The activation desk: the request in, the preview, the signed response.
  await open(page, portal.url, '/activate')
  const zone = page.getByRole('group', { name: 'Drop zone for the activation request' })
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), zone.getByRole('button', { name: 'Open file…' }).click()])
  await chooser.setFiles(portal.seeded.desk)
  await page.getByRole('button', { name: 'Sign the activation' }).waitFor()
  await shoot(page, 'activate-preview')
  await page.getByRole('button', { name: 'Sign the activation' }).click()
  await page.getByRole('img', { name: /^QR code of the signed response/ }).waitFor()
  await shoot(page, 'activate-response')

  // A batch from a USB stick: in progress (the calls slowed down), then done.
  await open(page, portal.url, '/batch')
  await page.route('**/api/call/activation.batch', async (route) => {
    await new Promise((r) => setTimeout(r, 2500))
    await route.continue()
  })
  const [files] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose files…' }).click()])
  await files.setFiles(portal.seeded.batch)
  await page.getByRole('progressbar', { name: 'Batch progress' }).waitFor()
  await shoot(page, 'batch-progress')
  await page.getByTestId('batch-done').waitFor({ timeout: 30000 })
  await page.unroute('**/api/call/activation.batch')
  await shoot(page, 'batch-done')
} finally {
  await browser.close()
  await portal.stop()
}
