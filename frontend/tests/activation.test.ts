// The activation desk's pure logic: how a document came in, the response's
// file name, the refusal fixes, and the camera's frame loop with a fake
// decoder (stops on the first text, keeps going on qr_not_found, stops
// when told — as leaving the screen does).
import { describe, expect, it } from 'vitest'
import { cameraCode, cameraSupported, scanLoop, type DecodeReply } from '../src/composables/camera'
import { intakeOf, intakeOfCamera, refusalFix, requestText, responseFileName, safeName, shortFingerprint, usedAfter } from '../src/stores/activation'

describe('intake', () => {
  it('tells a file from pasted text and the camera', () => {
    expect(intakeOf({ name: 'm1.req', params: { text: 'X' }, bytes: 1 }).via).toBe('file')
    expect(intakeOf({ name: 'photo.png', params: { image: 'iVBOR' }, bytes: 5 }).via).toBe('file')
    expect(intakeOf({ name: '', params: { text: 'X' }, bytes: 1 }).via).toBe('paste')
    expect(intakeOfCamera('RP1:abc')).toEqual({ name: '', via: 'camera', params: { text: 'RP1:abc' }, bytes: 7 })
  })

  it('keeps the request text for the sheet only when it came as text', () => {
    expect(requestText({ text: '  RP1:abc\n' })).toBe('RP1:abc')
    expect(requestText({ text: '   ' })).toBeUndefined()
    expect(requestText({ image: 'iVBOR' })).toBeUndefined()
  })
})

describe('response file name', () => {
  it('is HOSTNAME-LICENSE.response.txt with safe characters only', () => {
    expect(responseFileName('ws-01.acme.local', 'CAD-1234-ABCD')).toBe('ws-01.acme.local-CAD-1234-ABCD.response.txt')
    expect(responseFileName('Büro PC/№1', 'K1')).toBe('B-ro-PC-1-K1.response.txt')
    expect(responseFileName('../../etc', 'K1')).toBe('etc-K1.response.txt')
    expect(responseFileName('', 'K1')).toBe('machine-K1.response.txt')
    expect(responseFileName(undefined, '')).toBe('machine-license.response.txt')
    expect(responseFileName('<img src=x>', 'K')).toMatch(/^[A-Za-z0-9._-]+$/)
  })

  it('safeName never leaves a hidden or empty name', () => {
    expect(safeName('.hidden', 'x')).toBe('hidden')
    expect(safeName('///', 'x')).toBe('x')
    expect(safeName('a'.repeat(300), 'x')).toHaveLength(100)
  })
})

describe('preview rules', () => {
  it('shortens a fingerprint to 12 characters and an ellipsis', () => {
    expect(shortFingerprint('0123456789abcdef0123')).toBe('0123456789ab…')
    expect(shortFingerprint('short')).toBe('short')
  })

  it('counts the activation a new request takes, none for a repeat', () => {
    expect(usedAfter({ activations_used: 1, repeat: false })).toBe(2)
    expect(usedAfter({ activations_used: 1, repeat: true })).toBe(1)
  })

  it('offers the fix for each refusal', () => {
    expect(refusalFix('license_unassigned')).toBe('assign')
    expect(refusalFix('license_over_limit')).toBe('license')
    expect(refusalFix('license_expired')).toBe('license')
    expect(refusalFix('wrong_product')).toBe('license')
    expect(refusalFix('product_not_covered')).toBe('enroll')
    expect(refusalFix('certificate_expired')).toBe('enroll')
    expect(refusalFix('signature_invalid')).toBe('none')
    expect(refusalFix(undefined)).toBe('none')
  })
})

describe('camera errors', () => {
  it('maps getUserMedia failures to codes', () => {
    expect(cameraCode({ name: 'NotFoundError' })).toBe('camera_not_found')
    expect(cameraCode({ name: 'NotAllowedError' })).toBe('camera_denied')
    expect(cameraCode({ name: 'NotReadableError' })).toBe('camera_busy')
    expect(cameraCode({ name: 'TypeError' })).toBe('camera_unsupported')
    expect(cameraCode(new Error('x'))).toBe('camera_failed')
    expect(cameraCode(null)).toBe('camera_failed')
  })

  it('knows when there is no getUserMedia', () => {
    expect(cameraSupported(undefined)).toBe(false)
    expect(cameraSupported({})).toBe(false)
    expect(cameraSupported({ mediaDevices: {} })).toBe(false)
    expect(cameraSupported({ mediaDevices: { getUserMedia: () => undefined } })).toBe(true)
  })
})

// A fake camera: grab() hands out frames; decode() answers from a script.
function fake(script: DecodeReply[], frames: (string | null)[] = []) {
  const seen = { grabs: 0, decodes: [] as string[], sleeps: 0 }
  return {
    seen,
    deps: {
      grab: async () => {
        const f = frames.length > 0 ? frames[seen.grabs % frames.length] : `frame${seen.grabs}`
        seen.grabs++
        return f
      },
      decode: async (image: string) => {
        seen.decodes.push(image)
        return script.shift() ?? { ok: false as const, code: 'qr_not_found', message: '' }
      },
      sleep: async () => {
        seen.sleeps++
        await Promise.resolve()
      },
    },
  }
}

const notFound: DecodeReply = { ok: false, code: 'qr_not_found', message: 'no readable QR code' }

describe('camera frame loop', () => {
  it('keeps going on qr_not_found and stops on the first text', async () => {
    const f = fake([notFound, notFound, { ok: true, text: 'RP1:req' }, { ok: true, text: 'second' }])
    const texts: string[] = []
    const problems: string[] = []
    const loop = scanLoop(f.deps, (t) => texts.push(t), (p) => problems.push(p.code))
    await loop.done
    expect(texts).toEqual(['RP1:req'])
    expect(problems).toEqual([])
    expect(f.seen.decodes).toEqual(['frame0', 'frame1', 'frame2'])
    expect(f.seen.sleeps).toBe(2)
  })

  it('does not decode while the video has no frame yet', async () => {
    const f = fake([{ ok: true, text: 'T' }], [null, null, 'img'])
    const texts: string[] = []
    await scanLoop(f.deps, (t) => texts.push(t), () => {}).done
    expect(f.seen.grabs).toBe(3)
    expect(f.seen.decodes).toEqual(['img'])
    expect(texts).toEqual(['T'])
  })

  it('stops on another problem and reports it', async () => {
    const f = fake([notFound, { ok: false, code: 'not_signed_in', message: '' }])
    const problems: string[] = []
    await scanLoop(f.deps, () => {}, (p) => problems.push(p.code)).done
    expect(problems).toEqual(['not_signed_in'])
    expect(f.seen.decodes).toHaveLength(2)
  })

  it('stops when told (leaving the screen), even with a decode in flight', async () => {
    let release: (r: DecodeReply) => void = () => {}
    let decodes = 0
    const texts: string[] = []
    const loop = scanLoop(
      {
        grab: async () => 'f',
        decode: () => {
          decodes++
          return new Promise<DecodeReply>((r) => (release = r))
        },
        sleep: async () => {},
      },
      (t) => texts.push(t),
      () => {},
    )
    await new Promise((r) => setTimeout(r, 0))
    expect(decodes).toBe(1)
    loop.stop()
    release({ ok: true, text: 'late' })
    await loop.done
    expect(texts).toEqual([])
    expect(decodes).toBe(1)
  })

  it('waits the interval between frames', async () => {
    const waits: number[] = []
    const f = fake([notFound, { ok: true, text: 'x' }])
    await scanLoop({ ...f.deps, interval: 300, sleep: async (ms) => void waits.push(ms) }, () => {}, () => {}).done
    expect(waits).toEqual([300])
  })
})
