/**
 * The people met so far in a roster file, by document hash, with the row each was first met on:
 * the dry run's duplicate check within the file. A Map of a million hash strings costs 100+ MB;
 * this keeps the first 128 bits of each (keyed, uniformly distributed) hash and the row number in
 * typed arrays, open addressing — 20 bytes a person at most half full, so ≈ 40–80 MB for a million.
 * Two different people share a 128-bit prefix with probability ≈ n²/2¹²⁹ (3·10⁻²⁷ for a million).
 */
export class FirstRows {
  private words: Uint32Array
  private rowNos: Int32Array
  private mask: number
  private count = 0
  private readonly scratch = Buffer.alloc(48)

  constructor(capacity = 1 << 16) {
    let slots = 1
    while (slots < capacity * 2) slots *= 2
    this.words = new Uint32Array(slots * 4)
    this.rowNos = new Int32Array(slots)
    this.mask = slots - 1
  }

  get size() {
    return this.count
  }

  /**
   * The row the person of `hash` (base64url, as `Pii.hash` makes it) was first met on; or, the
   * first time, records `rowNo` (> 0) and returns undefined.
   */
  firstOrAdd(hash: string, rowNo: number): number | undefined {
    const n = this.scratch.write(hash, 'base64url')
    if (n < 16) throw new Error('document hash too short')
    const s = this.scratch
    const a = s.readUInt32LE(0),
      b = s.readUInt32LE(4),
      c = s.readUInt32LE(8),
      d = s.readUInt32LE(12)
    let i = a & this.mask
    while (true) {
      const r = this.rowNos[i]!
      if (r === 0) break
      const w = i * 4
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c && this.words[w + 3] === d) return r
      i = (i + 1) & this.mask
    }
    const w = i * 4
    this.words[w] = a
    this.words[w + 1] = b
    this.words[w + 2] = c
    this.words[w + 3] = d
    this.rowNos[i] = rowNo
    if (++this.count * 2 > this.rowNos.length) this.grow()
    return undefined
  }

  private grow() {
    const words = this.words
    const rowNos = this.rowNos
    this.words = new Uint32Array(words.length * 2)
    this.rowNos = new Int32Array(rowNos.length * 2)
    this.mask = this.rowNos.length - 1
    for (let j = 0; j < rowNos.length; j++) {
      const r = rowNos[j]!
      if (r === 0) continue
      let i = words[j * 4]! & this.mask
      while (this.rowNos[i] !== 0) i = (i + 1) & this.mask
      this.words.set(words.subarray(j * 4, j * 4 + 4), i * 4)
      this.rowNos[i] = r
    }
  }
}
