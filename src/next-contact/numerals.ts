// The grammar only has to know ASCII digits, but the reported `text` must be an exact substring
// of what the member typed, so normalisation keeps a map back to the original indices.

export type Normalized = {
  text: string
  /** Original start index of each normalised character; null when the mapping is identity. */
  start: number[] | null
  /** Original end index (exclusive) of each normalised character; null when identity. */
  end: number[] | null
}

/** Maps a [from, to) span of the normalised text back to the input. */
export function originalSpan(n: Normalized, from: number, to: number): [number, number] {
  if (!n.start || !n.end) return [from, to]
  return [n.start[from] ?? from, n.end[to - 1] ?? to]
}

const NEEDS_WORK = /[\uFF01-\uFF5E\u3000〇零一二三四五六七八九十百千]/

const KANJI_DIGIT: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
}

const KANJI_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }

// Units after which a kanji numeral is a quantity we care about; anything else (一度, 一緒,
// 一部, 統一) stays untouched so ordinary words are never mangled.
const KANJI_RUN =
  /[〇零一二三四五六七八九十百千]+(?=年|月|日|時|分|週|[かヶヵカケ箇]月|営業日|日間|時間)/g

/** Parses a kanji numeral (positional 二十五 or digit-wise 二〇二七) into a number. */
export function parseKanjiNumber(s: string): number | null {
  if (!/[十百千]/.test(s)) {
    let n = 0
    for (const ch of s) {
      const d = KANJI_DIGIT[ch]
      if (d === undefined) return null
      n = n * 10 + d
    }
    return n
  }
  let total = 0
  let digit = -1
  for (const ch of s) {
    const d = KANJI_DIGIT[ch]
    if (d !== undefined) {
      digit = d
      continue
    }
    const u = KANJI_UNIT[ch]
    if (u === undefined) return null
    total += (digit < 0 ? 1 : digit) * u
    digit = -1
  }
  return total + (digit < 0 ? 0 : digit)
}

function fullWidthToAscii(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) return code - 0xfee0
  if (code === 0x3000) return 0x20
  return code
}

// A kanji run before 時/分/日 is only a numeral in a date/time reading: 一時的 (temporary),
// 十分 (enough) and 一日も早く (as soon as possible) are ordinary words.
function keepKanjiRun(src: string, run: string, at: number): boolean {
  const after = src.slice(at + run.length, at + run.length + 3)
  const before = at > 0 ? src[at - 1] : ''
  if (after.startsWith('時') && !after.startsWith('時間')) {
    if (/^時[的期点代刻折]/.test(after)) return false
  }
  if (after.startsWith('分')) return before === '時'
  if (after.startsWith('日') && !after.startsWith('日間')) {
    if (/^日[もあ中]/.test(after)) return false
  }
  return true
}

/** Full-width → ASCII and kanji numerals → digits, with an index map back to the input. */
export function normalize(input: string): Normalized {
  if (!NEEDS_WORK.test(input)) return { text: input, start: null, end: null }
  const chars: string[] = []
  const start: number[] = []
  const end: number[] = []
  let i = 0
  KANJI_RUN.lastIndex = 0
  let next = KANJI_RUN.exec(input)
  while (i < input.length) {
    while (next && next.index < i) next = KANJI_RUN.exec(input)
    if (next && next.index === i && keepKanjiRun(input, next[0], i)) {
      const value = parseKanjiNumber(next[0])
      if (value !== null) {
        const digits = String(value)
        const runEnd = i + next[0].length
        for (const d of digits) {
          chars.push(d)
          start.push(i)
          end.push(runEnd)
        }
        i = runEnd
        next = KANJI_RUN.exec(input)
        continue
      }
    }
    const code = input.charCodeAt(i)
    const mapped = fullWidthToAscii(code)
    chars.push(mapped === code ? (input[i] as string) : String.fromCharCode(mapped))
    start.push(i)
    end.push(i + 1)
    i++
  }
  return { text: chars.join(''), start, end }
}
