// The signed-in customer's side of the customer portal (#/my/…): their
// licenses (an organization manager: the organization's), their own
// password, and their activation requests (in → preview → signed at once or
// queued for the reseller's approval) and deactivations. The backend checks
// the role and the ownership of every license, request and activation. The
// pure rules (state tags, which button, the response out) are exported for
// tests/customerPortal.test.ts.
import { defineStore } from 'pinia'
import { call, type ActivationResult, type CustomerRequest, type DocParams, type MyPreview, type RequestState } from '../api'

// submitKind: what the preview's one button does. 'sign' answers at once
// (immediate mode, signing unlocked), 'send' queues the request for the
// reseller's approval, 'locked' (immediate mode while no admin unlocked
// signing) offers no button: the backend would refuse with
// customer_signing_locked. A refused preview offers none either.
export type SubmitKind = 'sign' | 'send' | 'locked' | 'none'
export function submitKind(p: Pick<MyPreview, 'ok' | 'mode' | 'sign_now'> | null): SubmitKind {
  if (!p || !p.ok) return 'none'
  if (p.sign_now) return 'sign'
  return p.mode === 'immediate' ? 'locked' : 'send'
}

// stateTag: a request's state as a tag (the word always, the colour only as a
// hint); an unknown state shows as itself.
export interface StateTag {
  type: 'info' | 'success' | 'error' | 'default'
  key: string // customerPortal.requests.st.* (or '' for an unknown state)
}
export function stateTag(state: RequestState | string): StateTag {
  switch (state) {
    case 'pending':
      return { type: 'info', key: 'customerPortal.requests.st.pending' }
    case 'approved':
      return { type: 'success', key: 'customerPortal.requests.st.approved' }
    case 'rejected':
      return { type: 'error', key: 'customerPortal.requests.st.rejected' }
    default:
      return { type: 'default', key: '' }
  }
}

// requestLink: the request's own page.
export const requestLink = (id: string) => `/my/requests/${encodeURIComponent(id)}`

// responseOf: an approved request as the activation desk's result, so the
// admin's ResponseOut (save as HOSTNAME-LICENSE.response.txt, QR, copy,
// sheet) serves the customer too; null until there is a response.
export function responseOf(r: CustomerRequest | null): ActivationResult | null {
  if (!r || r.state !== 'approved' || !r.response) return null
  return {
    activation: {
      id: r.activation ?? '',
      license: r.license,
      product: r.product,
      status: 'active',
      machine: r.machine,
      hostname: r.hostname ?? '',
      os: r.os ?? '',
      app_version: r.app_version ?? '',
      customer: r.customer,
      customer_name: r.customer_name,
      created: r.decided ?? r.created,
      apply_by: '',
      deactivated: null,
      admin: '',
    },
    response: r.response,
    qr_png: r.qr_png,
    repeat: r.repeat,
  }
}

// hasMore: whether a page of requests leaves some out.
export const hasMore = (shown: number, total: number) => shown < total

export const useCustomerPortalStore = defineStore('customerPortal', () => {
  const licenses = (offset: number, limit: number) => call('my.licenses', { offset, limit })
  const license = (key: string) => call('my.license', { key })
  const changePassword = (current: string, next: string) => call('my.passwd', { password: current, new_password: next })

  // Activation: preview changes nothing; activate signs at once or queues.
  const previewActivation = (doc: DocParams) => call('my.activation.preview', docOnly(doc))
  const activate = (doc: DocParams) => call('my.activate', { ...docOnly(doc), qr: true })
  const requests = (offset: number, limit: number) => call('my.requests', { offset, limit })
  const request = (id: string) => call('my.request', { id, qr: true })
  const requestSheet = (id: string) => call('my.request.sheet', { id })

  // Deactivation: never waits for approval.
  const previewDeactivation = (doc: DocParams) => call('my.deactivation.preview', docOnly(doc))
  const deactivate = (doc: DocParams) => call('my.deactivate', docOnly(doc))

  return {
    licenses,
    license,
    changePassword,
    previewActivation,
    activate,
    requests,
    request,
    requestSheet,
    previewDeactivation,
    deactivate,
  }
})

// docOnly: the document's text or image, nothing else.
function docOnly(doc: DocParams): DocParams {
  return doc.image ? { image: doc.image } : { text: doc.text ?? '' }
}
