// The activation desk: a request in → preview → signed response out, and a
// deactivation request in → slot freed. The only caller of the activation
// operations; the pure rules (file names, refusal fixes, what a document
// carries) are exported for tests/activation.test.ts.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, type Activation, type ActivationResult, type DocParams, type LicenseDetail, type Preview, type Reply, type Sheet } from '../api'
import type { DecodeReply } from '../composables/camera'
import { problemOf, type Problem } from './session'

export type ActivateStage = 'intake' | 'previewing' | 'preview' | 'signing' | 'done'
export type DeactivateStage = 'intake' | 'confirm' | 'sending' | 'done'

export interface Intake {
  name: string // file name; '' for pasted text or the camera
  via: 'file' | 'paste' | 'camera'
  params: DocParams
  bytes: number
}

// intakeOf: a document from DocumentInput (a file, or pasted text when it
// has no name) or the camera's text.
export function intakeOf(doc: { name: string; params: DocParams; bytes: number }): Intake {
  return { name: doc.name, via: doc.name === '' ? 'paste' : 'file', params: doc.params, bytes: doc.bytes }
}
export function intakeOfCamera(text: string): Intake {
  return { name: '', via: 'camera', params: { text }, bytes: text.length }
}

// safeName keeps a file name part to [A-Za-z0-9._-] (runs of anything else
// become one '-'), never empty, never hidden.
export function safeName(s: string, fallback: string): string {
  const out = s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '')
  return out === '' ? fallback : out.slice(0, 100)
}

// responseFileName: HOSTNAME-LICENSE.response.txt.
export function responseFileName(hostname: string | undefined, license: string): string {
  return `${safeName(hostname ?? '', 'machine')}-${safeName(license, 'license')}.response.txt`
}

// shortFingerprint: the first 12 characters and an ellipsis.
export function shortFingerprint(fp: string): string {
  return fp.length > 12 ? `${fp.slice(0, 12)}…` : fp
}

// requestText: the request text, when the document came as text (the sheet
// binds a later request of the same installation with it).
export function requestText(p: DocParams): string | undefined {
  const t = p.text?.trim()
  return t ? t : undefined
}

export type FixKind = 'assign' | 'license' | 'enroll' | 'none'

// refusalFix: what the admin can do about a refused preview.
export function refusalFix(code: string | undefined): FixKind {
  switch (code) {
    case 'license_unassigned':
      return 'assign'
    case 'license_over_limit':
    case 'license_expired':
    case 'wrong_product':
      return 'license'
    case 'product_not_covered':
    case 'certificate_expired':
    case 'not_enrolled':
      return 'enroll'
    default:
      return 'none'
  }
}

// usedAfter: activations in use after signing (a repeat takes no new slot).
export function usedAfter(p: Pick<Preview, 'activations_used' | 'repeat'>): number {
  return p.repeat ? p.activations_used : p.activations_used + 1
}

export const useActivationStore = defineStore('activation', () => {
  // Activation.
  const stage = ref<ActivateStage>('intake')
  const intake = ref<Intake | null>(null)
  const preview = ref<Preview | null>(null)
  const result = ref<ActivationResult | null>(null)
  const problem = ref<Problem | null>(null)

  // Each intake gets a number; a reply for an older one than the newest is
  // dropped (the refs hold reactive proxies, so compare numbers).
  let seq = 0
  let dSeq = 0

  function reset(): void {
    seq++
    stage.value = 'intake'
    intake.value = null
    preview.value = null
    result.value = null
    problem.value = null
  }

  // take previews a request; nothing is signed.
  async function take(doc: Intake): Promise<void> {
    const mine = ++seq
    intake.value = doc
    preview.value = null
    result.value = null
    problem.value = null
    stage.value = 'previewing'
    const r = await call('activation.preview', doc.params)
    if (mine !== seq) return
    if (r.ok && r.data) {
      preview.value = r.data
      stage.value = 'preview'
    } else {
      problem.value = problemOf(r)
      stage.value = 'intake'
    }
  }

  // sign signs the previewed request; the QR comes with the reply.
  async function sign(): Promise<void> {
    const doc = intake.value
    if (!doc || !preview.value?.ok || stage.value !== 'preview') return
    const mine = seq
    stage.value = 'signing'
    problem.value = null
    const r = await call('activation.activate', { ...doc.params, qr: true })
    if (mine !== seq) return
    if (r.ok && r.data) {
      result.value = r.data
      stage.value = 'done'
    } else {
      problem.value = problemOf(r)
      stage.value = 'preview'
    }
  }

  function sheet(): Promise<Reply<Sheet>> {
    const a = result.value?.activation
    if (!a) return Promise.resolve({ ok: false, code: 'activation_not_found', message: '' })
    const req = intake.value ? requestText(intake.value.params) : undefined
    return call('activation.sheet', req ? { activation: a.id, request: req } : { activation: a.id })
  }

  async function decodeFrame(image: string): Promise<DecodeReply> {
    const r = await call('qr.decode', { image })
    if (r.ok && r.data) return { ok: true, text: r.data.text }
    return { ok: false, code: r.code || 'internal', message: r.message || '' }
  }

  // Deactivation.
  const dStage = ref<DeactivateStage>('intake')
  const dIntake = ref<Intake | null>(null)
  const dResult = ref<Activation | null>(null)
  const dLicense = ref<LicenseDetail | null>(null)
  const dProblem = ref<Problem | null>(null)

  function dReset(): void {
    dSeq++
    dStage.value = 'intake'
    dIntake.value = null
    dResult.value = null
    dLicense.value = null
    dProblem.value = null
  }

  function dTake(doc: Intake): void {
    dReset()
    dIntake.value = doc
    dStage.value = 'confirm'
  }

  // deactivate sends the confirmed request, then reads the license so the
  // freed slot shows.
  async function deactivate(): Promise<void> {
    const doc = dIntake.value
    if (!doc || dStage.value !== 'confirm') return
    const mine = dSeq
    dStage.value = 'sending'
    dProblem.value = null
    const r = await call('activation.deactivate', doc.params)
    if (mine !== dSeq) return
    if (!r.ok || !r.data) {
      dProblem.value = problemOf(r)
      dStage.value = 'confirm'
      return
    }
    dResult.value = r.data
    const l = await call('licenses.show', { key: r.data.license })
    if (mine !== dSeq) return
    dLicense.value = l.ok && l.data ? l.data : null
    dStage.value = 'done'
  }

  return {
    stage,
    intake,
    preview,
    result,
    problem,
    reset,
    take,
    sign,
    sheet,
    decodeFrame,
    dStage,
    dIntake,
    dResult,
    dLicense,
    dProblem,
    dReset,
    dTake,
    deactivate,
  }
})
