// The first screen end to end: first-run setup, sign-out, a refused and a
// good sign-in, sessions per browser, coded errors shown from the locale file.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, startPortal } from './harness.mjs'

const TIMEOUT = 15000

async function text(locator) {
  await locator.waitFor({ timeout: TIMEOUT })
  return (await locator.innerText()).trim()
}

describe('first run in the browser', () => {
  let portal
  let browser
  let page

  before(async () => {
    portal = await startPortal()
    browser = await launchBrowser()
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    page.setDefaultTimeout(TIMEOUT)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('shows the product name and the setup form on an empty portal', async () => {
    await page.goto(portal.url)
    assert.equal(await text(page.getByTestId('product-name')), 'Reseller Portal')
    await page.getByTestId('setup').waitFor()
    assert.equal(await page.getByTestId('signin').count(), 0)
  })

  it('checks that the two passwords match before sending anything', async () => {
    await page.locator('#setup-reseller').fill('Acme Resellers')
    await page.locator('#setup-admin').fill('alice')
    await page.locator('#setup-password').fill('correct horse battery')
    await page.locator('#setup-confirm').fill('correct horse battery!')
    await page.getByTestId('setup-submit').click()
    await page.getByText('The two passwords differ.').waitFor()
    assert.equal(await page.getByTestId('setup').count(), 1)
  })

  it('shows the backend refusal of a short password from the locale file', async () => {
    await page.locator('#setup-password').fill('short')
    await page.locator('#setup-confirm').fill('short')
    await page.getByTestId('setup-submit').click()
    const problem = page.getByTestId('problem')
    assert.equal(await text(problem), 'The password must be at least 8 characters long.')
    assert.equal(await problem.getAttribute('data-code'), 'password_too_short')
  })

  it('creates the reseller and its admin, and signs in', async () => {
    await page.locator('#setup-password').fill('correct horse battery')
    await page.locator('#setup-confirm').fill('correct horse battery')
    await page.getByTestId('setup-submit').click()
    assert.equal(await text(page.getByTestId('signed-in-as')), 'Signed in as alice')
    assert.equal(await text(page.getByTestId('company')), 'Acme Resellers')
  })

  it('keeps the session across a reload', async () => {
    await page.reload()
    assert.equal(await text(page.getByTestId('signed-in-as')), 'Signed in as alice')
    assert.equal(await text(page.getByTestId('company')), 'Acme Resellers')
  })

  it('does not share the session with another browser', async () => {
    const other = await launchBrowser()
    try {
      const p = await other.context.newPage()
      await p.goto(portal.url)
      await p.getByTestId('signin').waitFor({ timeout: TIMEOUT })
    } finally {
      await other.close()
    }
  })

  it('signs out to the sign-in form', async () => {
    await page.getByTestId('signout').click()
    await page.getByTestId('signin').waitFor()
    assert.equal(await page.locator('#signin-admin').inputValue(), 'alice')
    await page.reload()
    await page.getByTestId('signin').waitFor()
  })

  it('refuses a wrong password with its message and signs in with the right one', async () => {
    await page.locator('#signin-admin').fill('alice')
    await page.locator('#signin-password').fill('not the password')
    await page.getByTestId('signin-submit').click()
    const problem = page.getByTestId('problem')
    assert.equal(await text(problem), 'Wrong password.')
    assert.equal(await problem.getAttribute('data-code'), 'wrong_password')
    await page.locator('#signin-password').fill('correct horse battery')
    await page.getByTestId('signin-submit').click()
    assert.equal(await text(page.getByTestId('signed-in-as')), 'Signed in as alice')
    assert.equal(await text(page.getByTestId('company')), 'Acme Resellers')
  })
})
