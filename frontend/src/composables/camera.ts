// Reading a QR code with the camera, where the webview offers one: off until
// the user starts it; then a frame every ~300 ms goes to the backend's
// decoder (qr.decode) until a code is read, and the camera stops. The loop
// and the error mapping are pure (tests/activation.test.ts); useCamera wires
// them to getUserMedia, a <video> and a canvas.
import { onBeforeUnmount, ref, shallowRef, type Ref } from 'vue'
import { toBase64 } from '../api'

export const FRAME_INTERVAL_MS = 300
export const FRAME_MAX_WIDTH = 1280

export type CameraCode = 'camera_unsupported' | 'camera_not_found' | 'camera_denied' | 'camera_busy' | 'camera_failed'

// cameraSupported: is there a getUserMedia at all (an insecure context or a
// webview without it has none)?
export function cameraSupported(nav: { mediaDevices?: { getUserMedia?: unknown } } | undefined = globalThis.navigator): boolean {
  return typeof nav?.mediaDevices?.getUserMedia === 'function'
}

// cameraCode says in a stable code why getUserMedia failed.
export function cameraCode(err: unknown): CameraCode {
  const name = (err as { name?: string } | null)?.name ?? ''
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'camera_not_found'
    case 'NotAllowedError':
    case 'SecurityError':
      return 'camera_denied'
    case 'NotReadableError':
    case 'AbortError':
      return 'camera_busy'
    case 'TypeError':
      return 'camera_unsupported'
    default:
      return 'camera_failed'
  }
}

export type DecodeReply = { ok: true; text: string } | { ok: false; code: string; message: string }

export interface ScanDeps {
  grab: () => Promise<string | null> // a frame as base64 JPEG; null: none yet
  decode: (image: string) => Promise<DecodeReply>
  interval?: number
  sleep?: (ms: number, signal: { stopped: boolean }) => Promise<void>
}

export interface ScanLoop {
  stop(): void
  done: Promise<void>
}

// Codes that mean "this frame has no readable code": keep trying.
const KEEP_TRYING = new Set(['qr_not_found'])

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

// scanLoop grabs and decodes frames until a text is read (onText, then it
// ends), a reply other than qr_not_found arrives (onProblem, then it ends),
// or stop() is called (nothing more is reported, even a decode in flight).
export function scanLoop(deps: ScanDeps, onText: (text: string) => void, onProblem: (p: { code: string; message: string }) => void): ScanLoop {
  const state = { stopped: false }
  const sleep = deps.sleep ?? defaultSleep
  const interval = deps.interval ?? FRAME_INTERVAL_MS
  const done = (async () => {
    while (!state.stopped) {
      let frame: string | null = null
      try {
        frame = await deps.grab()
      } catch {
        frame = null
      }
      if (state.stopped) return
      if (frame) {
        const r = await deps.decode(frame)
        if (state.stopped) return
        if (r.ok) {
          state.stopped = true
          onText(r.text)
          return
        }
        if (!KEEP_TRYING.has(r.code)) {
          state.stopped = true
          onProblem({ code: r.code, message: r.message })
          return
        }
      }
      await sleep(interval, state)
    }
  })()
  return {
    stop() {
      state.stopped = true
    },
    done,
  }
}

export type CameraState = 'off' | 'starting' | 'scanning'

// grabFrame draws the video's current frame on the canvas (at most
// FRAME_MAX_WIDTH wide) and returns it as base64 JPEG.
export async function grabFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<string | null> {
  const w = video.videoWidth
  const h = video.videoHeight
  if (!w || !h) return null
  const scale = Math.min(1, FRAME_MAX_WIDTH / w)
  canvas.width = Math.round(w * scale)
  canvas.height = Math.round(h * scale)
  const ctx = canvas.getContext('2d')
  if (!ctx) return null
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height)
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.8))
  if (!blob) return null
  return toBase64(new Uint8Array(await blob.arrayBuffer()))
}

// useCamera: start() asks for the camera and scans; stop() releases it (and
// leaving the screen does too). onText gets the first code read.
export function useCamera(video: Ref<HTMLVideoElement | null>, decode: (image: string) => Promise<DecodeReply>, onText: (text: string) => void) {
  const state = ref<CameraState>('off')
  const problem = ref<{ code: string; message: string } | null>(null)
  const supported = cameraSupported()
  const stream = shallowRef<MediaStream | null>(null)
  let loop: ScanLoop | null = null
  let canvas: HTMLCanvasElement | null = null
  let gen = 0

  function stop(): void {
    gen++
    loop?.stop()
    loop = null
    for (const track of stream.value?.getTracks() ?? []) track.stop()
    stream.value = null
    if (video.value) video.value.srcObject = null
    state.value = 'off'
  }

  async function start(): Promise<void> {
    if (state.value !== 'off') return
    problem.value = null
    if (!cameraSupported()) {
      problem.value = { code: 'camera_unsupported', message: '' }
      return
    }
    const mine = ++gen
    state.value = 'starting'
    let s: MediaStream
    try {
      s = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
    } catch (err) {
      if (mine !== gen) return
      state.value = 'off'
      problem.value = { code: cameraCode(err), message: String((err as Error)?.message ?? err) }
      return
    }
    if (mine !== gen) {
      for (const track of s.getTracks()) track.stop()
      return
    }
    stream.value = s
    const v = video.value
    if (!v) {
      stop()
      return
    }
    v.srcObject = s
    try {
      await v.play()
    } catch {
      // autoplay of a muted inline video is allowed; frames are read anyway
    }
    if (mine !== gen) return
    state.value = 'scanning'
    canvas ??= document.createElement('canvas')
    const c = canvas
    loop = scanLoop(
      { grab: () => grabFrame(v, c), decode },
      (text) => {
        stop()
        onText(text)
      },
      (p) => {
        stop()
        problem.value = p
      },
    )
  }

  onBeforeUnmount(stop)
  return { state, problem, supported, start, stop }
}
