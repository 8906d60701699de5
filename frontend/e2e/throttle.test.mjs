// Serve mode for a team: failed sign-ins from one address are throttled and
// then refused for a while, and the sign-in screen says so in words (not a
// bare code, and without saying when the lock ends — anonymous callers must
// not learn that). Its own server: the lock would refuse every other test
// on 127.0.0.1.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, startPortal } from './harness.mjs'
import { axe, open, watch, TIMEOUT } from './pages.mjs'
import { PASSWORD, seedSetUp } from './seed.mjs'

describe('sign-in throttling in the browser', () => {
  let portal
  let browser
  let page
  let seen

  before(async () => {
    portal = await startPortal({ seed: seedSetUp() })
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  async function attempt(password) {
    await page.getByLabel(/^Administrator/).fill('alice')
    await page.getByLabel(/^Password/).fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="signin"] button[type="submit"].n-button--loading'))
    return { code: await problem.getAttribute('data-code'), text: (await problem.innerText()).trim() }
  }

  it('answers wrong passwords in words, then refuses the address for a while, the right password too', async () => {
    await open(page, portal.url, '/dashboard')
    await page.getByTestId('signin').waitFor()
    const codes = []
    for (let i = 0; i < 10; i++) {
      const r = await attempt(`wrong password ${i}`)
      codes.push(r.code)
      if (r.code === 'account_locked') break
    }
    assert.equal(codes[0], 'wrong_password')
    const locked = await attempt(PASSWORD)
    assert.equal(locked.code, 'account_locked', `after ${codes.length} failures: ${codes.join(', ')}`)
    assert.match(locked.text, /Too many failed sign-ins from this address/)
    assert.match(locked.text, /try again later/)
    assert.doesNotMatch(locked.text, /\d{1,2}:\d{2}/, 'the message must not say when the lock ends')
    await page.getByTestId('signin').waitFor()
    await axe(page, 'sign-in (locked)')
    assert.match(portal.output(), /api signin: 429 account_locked/)
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})
