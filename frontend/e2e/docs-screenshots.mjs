// Screenshots for the README and docs/: the dashboard, licenses, a license's
// detail and the customers, in light and dark, on a portal seeded through the
// real rpctl. Run with `make screenshots` (not part of `make test`).
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { open, signIn, TIMEOUT } from './pages.mjs'
import { rpctl, seedEnrolled } from './seed.mjs'

const DOCS = join(import.meta.dirname, '..', '..', 'docs')

const portal = await startPortal({
  seed: async (ctx) => {
    const s = await seedEnrolled()(ctx)
    const list = await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'list', '--limit', '8'])
    for (const [i, l] of list.slice(0, 4).entries()) {
      await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'assign', l.key, i % 2 ? '--user' : '--org', i % 2 ? s.carol.id : s.org.id])
    }
    return { ...s, key: list[0].key }
  },
})
const browser = await launchBrowser()
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
      await page.waitForTimeout(700) // theme colour transitions
      const file = join(DOCS, `screenshot-${name}${scheme === 'dark' ? '-dark' : ''}.png`)
      await page.screenshot({ path: file })
      console.log(`wrote ${file}`)
    }
  }
} finally {
  await browser.close()
  await portal.stop()
}
