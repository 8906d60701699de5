// QR codes drawn by the backend (qr.encode), for any screen that shows one.
import { defineStore } from 'pinia'
import { call } from '../api'

export const useQRStore = defineStore('qr', () => {
  const encode = (text: string) => call('qr.encode', { text })
  return { encode }
})
