// Turns a failed reply's stable code into a human message from the locale
// files; an unknown code falls back to the backend's own English message.
import { useI18n } from 'vue-i18n'

export interface CodedProblem {
  code: string
  message: string
}

type Translate = (key: string) => string
type Has = (key: string) => boolean

export function problemText(t: Translate, te: Has, p: CodedProblem | null): string {
  if (p === null) return ''
  const key = `errors.${p.code}`
  if (te(key)) return t(key)
  return p.message || t('errors.unknown')
}

export function useProblemText() {
  const { t, te } = useI18n()
  return (p: CodedProblem | null): string => problemText(t, te, p)
}
