// Idle detection: the app locks itself when nobody has touched it for a
// while. Only user input counts; the backend's own idle lock (which every
// call, status included, postpones) stays the second line.

export const IDLE_LOCK_MS = 15 * 60 * 1000 // the backend's default idle timeout

export const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const

export interface IdleTimer {
  stop(): void
}

// watchIdle calls onIdle once after ms without activity on target; every
// listener is removed again by stop().
export function watchIdle(target: EventTarget, ms: number, onIdle: () => void): IdleTimer {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  const arm = () => {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      stop()
      onIdle()
    }, ms)
  }
  const stop = () => {
    stopped = true
    clearTimeout(timer)
    for (const e of ACTIVITY_EVENTS) target.removeEventListener(e, arm)
  }
  for (const e of ACTIVITY_EVENTS) target.addEventListener(e, arm, { passive: true })
  arm()
  return { stop }
}
