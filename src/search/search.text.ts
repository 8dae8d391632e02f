// Text for the search index and for queries, cut the same way on both sides.
//
// Normalisation: NFKC (ｶﾀｶﾅ → カタカナ, ＡＢＣ → ABC, ① → 1), lower case, and hiragana folded to
// katakana (ろご finds ロゴ), as Groonga's NormalizerNFKC with unify_kana does. Then the text is
// cut into runs of letters and digits, and each run into overlapping two-character grams
// ("名刺印刷" → 名刺 刺印 印刷) followed by its last character alone (刷), so that:
// - a word of two or more characters is the phrase of its grams (consecutive tokens in FTS5),
// - a one-character word is a prefix query on the tokens (色* finds 色の, 色 …).

const RUN = /[\p{L}\p{N}]+/gu

/** NFKC, lower case, hiragana → katakana. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u3041-\u3096\u309d\u309e]/g, (char) =>
      String.fromCharCode(char.charCodeAt(0) + 0x60),
    )
}

/** The runs of letters and digits of a normalised text, as arrays of characters. */
function runsOf(text: string): string[][] {
  return Array.from(normalizeForSearch(text).matchAll(RUN), (match) => Array.from(match[0]))
}

/**
 * The index form of a text: its grams as space-separated tokens, for the FTS5 column
 * `search_index.grams` (migrations/0018_search.sql). Empty when the text has no letters.
 */
export function gramsOf(text: string): string {
  const tokens: string[] = []
  for (const chars of runsOf(text)) {
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(`${chars[i]}${chars[i + 1]}`)
    tokens.push(chars[chars.length - 1]!)
  }
  return tokens.join(' ')
}

/**
 * The FTS5 MATCH expression that finds a word (or a quoted phrase) as a substring, or undefined
 * when it has no letters or digits to look for. Tokens hold only letters and digits, so quoting
 * each in double quotes is enough to keep FTS5's query syntax out of the user's hands.
 */
export function matchExpression(word: string): string | undefined {
  const parts = runsOf(word).map((chars) => {
    if (chars.length === 1) return `"${chars[0]}"*`
    const grams: string[] = []
    for (let i = 0; i + 1 < chars.length; i++) grams.push(`${chars[i]}${chars[i + 1]}`)
    return `"${grams.join(' ')}"`
  })
  return parts.length > 0 ? parts.join(' AND ') : undefined
}
