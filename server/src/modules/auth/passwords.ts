import crypto from 'node:crypto'
import argon2 from 'argon2'
import { passwordProblem } from '../../../../common/password.js'

/** Passwords: argon2id hashes, the policy (common/password.ts) and generated ones. */
export { passwordProblem }

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id })
export const verifyPassword = (hash: string, password: string) => argon2.verify(hash, password).catch(() => false)

/** A password that satisfies passwordProblem: the first administrator's when none is given, and one-time passwords. */
export function generatePassword(): string {
  for (;;) {
    const raw = crypto.randomBytes(12).toString('base64url').replace(/[-_]/g, '')
    const pw = `Gh-${raw.slice(0, 6)}${raw.slice(6, 12).toUpperCase()}7`
    if (pw.length >= 14 && !passwordProblem(pw)) return pw
  }
}

/** What a throttle answers: whether the key is over its limit, and when it frees up. */
