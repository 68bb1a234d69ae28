import crypto from 'node:crypto'

/** Session tokens: 256 random bits, kept only as their SHA-256 (a stolen table opens no session). */
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url')
export const newSecret = () => crypto.randomBytes(32).toString('base64url')
/** bearer tokens of phone sessions (会员端) start with this; accounts' never do (base64url has no '.') */
export const MEMBER_TOKEN_PREFIX = 'm.'
/** a phone session lasts this long; it can be ended sooner (sign-out, a cadre) */
export const MEMBER_SESSION_DAYS = 30
