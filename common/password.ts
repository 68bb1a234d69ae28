/**
 * The password policy, shared by the server (which enforces it) and the web app (which checks a
 * new password as it is typed). Beside length and kinds of characters it refuses what guessing
 * tries first: the most common passwords, keyboard and counting runs, the names of the system,
 * and the account's own user name or display name.
 */

export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 128
export const passwordHelp = `${PASSWORD_MIN}-${PASSWORD_MAX}位，含大写字母、小写字母、数字、符号中的至少三类，不得使用常见密码或包含用户名、姓名`

/**
 * Words a guesser tries first; a password that contains one (ignoring case, with the usual
 * letter-for-digit swaps undone) is refused. Kept short on purpose: the most common passwords of
 * the published leak lists, and the names of this system and its users' world.
 */
const commonWords = [
  'password',
  'passw0rd',
  'p@ssword',
  'qwerty',
  'qwertz',
  'azerty',
  'asdfgh',
  'zxcvbn',
  '1qaz2wsx',
  'qazwsx',
  '1q2w3e',
  'abc123',
  'iloveyou',
  'admin',
  'welcome',
  'letmein',
  'monkey',
  'dragon',
  'master',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'superman',
  'trustno1',
  'woaini',
  'aini1314',
  '5201314',
  'changeme',
  'default',
  'secret',
  'guest',
  'gonghui',
  'zhonghua',
  'shengzhou',
  'china',
]

/** Whole passwords from the top of the lists that the patterns below do not already catch. */
const commonPasswords = new Set([
  'a1b2c3d4e5',
  'aa12345678',
  'qq123456789',
  'abcd1234!@#$',
  'abc@123456',
  'admin@123456',
  'p@ssw0rd123',
  'zaq1xsw2cde3',
  '1q2w3e4r5t',
  '1qaz@wsx3edc',
])

const leet: Record<string, string> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' }
// '1' and '!' stand for 'i' as often as for 'l'
const leetI: Record<string, string> = { ...leet, '1': 'i', '!': 'l' }

/** A run of at least `len` characters that count up or down (1234, abcd, 9876) or repeat (aaaa). */
function hasRun(s: string, len: number): boolean {
  let up = 1
  let down = 1
  let same = 1
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1)
    up = d === 1 ? up + 1 : 1
    down = d === -1 ? down + 1 : 1
    same = d === 0 ? same + 1 : 1
    if (up >= len || down >= len || same >= len) return true
  }
  return false
}

const keyboardRows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '!@#$%^&*()']

/** A run of at least `len` neighbouring keys of one keyboard row, either direction. */
function hasKeyboardRun(s: string, len: number): boolean {
  for (const row of keyboardRows) {
    const both = [row, [...row].reverse().join('')]
    for (const r of both) for (let i = 0; i + len <= r.length; i++) if (s.includes(r.slice(i, i + len))) return true
  }
  return false
}

/**
 * Why a password is refused, in Chinese, or null when it is acceptable. `who` are the account's
 * user name and display name; a password containing either (3 characters or more) is refused.
 */
export function passwordProblem(pw: string, who: { username?: string; displayName?: string } = {}): string | null {
  if (pw.length < PASSWORD_MIN) return `密码至少${PASSWORD_MIN}位`
  if (pw.length > PASSWORD_MAX) return `密码不能超过${PASSWORD_MAX}位`
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length
  if (kinds < 3) return '密码需包含大写字母、小写字母、数字、符号中的至少三类'
  const lower = pw.toLowerCase()
  for (const name of [who.username, who.displayName]) {
    const n = name?.trim().toLowerCase()
    if (n && n.length >= 2 && lower.includes(n)) return '密码不能包含用户名或姓名'
  }
  const plain = [...lower].map((c) => leet[c] ?? c).join('')
  const plainI = [...lower].map((c) => leetI[c] ?? c).join('')
  if (commonPasswords.has(lower) || commonWords.some((w) => lower.includes(w) || plain.includes(w) || plainI.includes(w)))
    return '密码过于常见（含 password、qwerty、admin、gonghui 等常见词），请换一个'
  if (hasRun(lower, 4) || hasKeyboardRun(lower, 5)) return '密码不能包含连续或重复的字符（如 1234、abcd、aaaa、qwert）'
  return null
}
