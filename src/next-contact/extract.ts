import { tzOffset } from '@date-fns/tz'
import * as chrono from 'chrono-node'
import {
  compareDays,
  defaultBusinessCalendar,
  makeDay,
  plusDays,
  ymd,
  type Day,
} from './business-days'
import type { BusinessHours } from '../business-hours/business-hours'
import {
  scanMentions,
  timeIn,
  type Ctx,
  type DateMention,
  type Mention,
  type TimeMention,
} from './grammar'
import { normalize, originalSpan } from './numerals'

export type NextContact = {
  /** YYYY-MM-DD in the workspace time zone. */
  date: string
  /** HH:mm (24 h), only when a clock time is stated for the chosen date. */
  time?: string
  /** The matched substring of the input. */
  text: string
}

export type ExtractOptions = {
  now: Date
  /** IANA zone the relative words resolve in; default Asia/Tokyo. */
  timeZone?: string
  /** Workspace closure days (YYYY-MM-DD) skipped by business-day counting. */
  closedDays?: string[]
  /**
   * The workspace's business days (src/business-hours: its week, closed days and whether
   * Japanese public holidays are closed), which 営業日 / business days count. When given it is
   * the whole calendar and `closedDays` is not read; absent, the default week (Monday–Friday)
   * with Japanese public holidays and `closedDays`.
   */
  calendar?: BusinessHours
}

// One reading of the text: a day (from a date mention), a clock time, or both; or N hours.
type Unit = {
  start: number
  end: number
  /** the day; absent for a bare time (today if still ahead, else tomorrow) and N hours */
  day?: DateMention
  /** for a bare time: the day named earlier in its sentence, which the time belongs to */
  bound?: DateMention
  time?: TimeMention
  hours?: number
}

type Resolved = { day: Day; minutes?: number }

// 'described': the date is only described (明日は祝日です, Monday is a holiday); it becomes a
// candidate only when the sentence goes on to promise something for it anyway (…ですが発送します).
type Verdict = 'candidate' | 'excluded' | 'orphan' | 'described'

// ── Marker vocabularies ────────────────────────────────────────────────────────────────────
// Past and request forms are listed before commitments so that, at the same position, the
// longer excluding reading (お送りした, ご連絡ください) wins over the bare commitment noun.
const JA_PAST =
  'いただいた|頂いた|いただきました|頂きました|承りました|受け付けました|お送りした|発送した|出荷した|納品した|届いた|届きました|された|済み|済(?!み次第)|ました(?!ら)|でした(?!ら)|だった|ておりました'
const JA_REQUEST =
  'ください|下さい|お願い|願います|いただけ(?!るよう)|頂け(?!るよう)|いただきますよう|頂きますよう|ご入稿|ご入金|お振込|お振り込み|ご返送|ご記入|ご確認の上'
const JA_NOTICE =
  '休業(?!明け)|連休|お休み(?!明け)|休み(?!明け)|定休日|休館|店休|新価格|価格改定|改定|営業時間|受付時間|平日|承っております|受け付けております|有効期限|期限|締切|締め切り|〆切|適用|(?:祝日|休日(?!明け)|祭日)(?!(?:です|でございます)?(?:が|けれど|けど|でも|も))'
const JA_DISCUSS =
  'について|の件|ご希望|ご指定|ご要望|ご都合|いかが|でしょうか|ますか|ですか|ませんか|ご検討|調整中|未定|検討中|当初'
// A commitment noun also counts without its honorific prefix and in every polite verb form:
// 回答いたします, 連絡させていただきます, 電話差し上げます, 送付申し上げます, 伺います, 送ります.
const JA_POLITE =
  '(?:連絡|返信|回答|返答|返事|案内|提示|提出|報告|送付|電話|訪問|用意|納品|発送|出荷|配送|配達|持参|共有|設置|搬入|施工|取り付け|お持ち|お送り|お届け|お渡し|お伺い)を?(?:いたし|致し|し(?!て(?:ください|下さい|いただ|頂))|させていただ|させて頂|申し上げ|差し上げ|さしあげ|でき)|送り(?:ます|いたし)|送らせ|届け(?:ます|いたし|させ)|伺(?:います|わせ|いいたし)|参ります|納め(?:ます|させ)'
const JA_COMMIT =
  JA_POLITE +
  '|ご連絡|ご返信|ご回答|ご返答|お返事|ご案内|ご提示|ご提出|ご報告|お知らせ|お送り|送付|発送|出荷|お届け|納品|お伺い|伺い|お電話|お待ちしております|(?<!ご)予定|見込み|目処|めど|目途|目安|となります|になります|となる見込|順次|までに|お渡し|ご用意|ご訪問|お持ち|変更|延期|前倒し|着予定|到着'

const JA_MARKERS = new RegExp(
  `(?<p>${JA_PAST})|(?<r>${JA_REQUEST})|(?<n>${JA_NOTICE})|(?<d>${JA_DISCUSS})|(?<c>${JA_COMMIT})`,
  'g',
)
const JA_REQUEST_RE = new RegExp(JA_REQUEST)
const JA_AFTER_COMMIT = new RegExp(`${JA_PAST}|${JA_REQUEST}|でしょうか|ますか|ですか|ませんか`)

const EN_VERB =
  'reply|respond|ship|dispatch|pick(?: it| them)? up|call|send|e-?mail|mail|post|deliver|follow up|be in touch|get back|contact|update|let you know|confirm|share|provide|arrive|be (?:ready|shipped|delivered|sent|dispatched|done|finished|completed|back in touch|with you)|have|visit|come|install|drop|notify|hear|receive|get|finish|complete|prepare|print|bring|return|be there|reach out|text|ring|phone|invoice|bill|check in|check back|touch base'
const EN_COMMIT = new RegExp(
  `(?:'ll|\\bwill|\\bshall|(?<!\\b(?:was|were|been)\\s+)\\b(?:going to|plan to|expect to|aim to|intend to|scheduled to|expected to|due to))\\s+(?:[\\w']+\\s+){0,5}?(?:${EN_VERB})\\b|\\b(?:be in touch|get back to you|follow up|hear from us|expect (?:our|a|an|the|delivery|it|them)|(?<!(?:was|were|been|originally|initially)\\s+)(?:scheduled|expected|estimated|planned)\\b|eta|on track|(?<!\\bto\\s+)ships?\\s+(?:on|by)|arrives?|arriving|delivery (?:date|on|by)|ship date|moved to|changed to|rescheduled (?:to|for)|postponed (?:to|until)|pushed (?:back )?to|we (?:can|could) (?:${EN_VERB}))\\b`,
  'gi',
)
const EN_EXCLUDE = new RegExp(
  [
    '\\bplease\\b(?!\\s+(?:note|be advised|be aware|rest assured|expect|allow|find))',
    '\\bkindly\\b',
    '\\b(?:could|can|would|will) you\\b',
    '\\b(?:if|once|when|after|as soon as) you\\b',
    "\\byou(?:'ll| will)? (?:need|have) to\\b",
    '\\byou (?:must|should)\\b',
    '\\bneed (?:you|your|the|to receive|to have)\\b',
    '\\blet (?:us|me) know\\b',
    '\\bmake sure\\b',
    '\\bwas\\b|\\bwere\\b|\\bdid\\b|\\bhad\\b',
    '\\b(?:has|have) (?:already )?been\\b(?!\\s+(?:moved|changed|rescheduled|postponed|pushed|updated))',
    "(?<!\\b(?:will|'ll|to|be|been|get|gets)\\s+)\\b(?:ordered|placed|received|sent|shipped|delivered|dispatched|submitted|paid|approved|arrived|emailed|called|requested|mailed|signed)\\b",
    '\\b(?:originally|initially|previously|instead of)\\b',
    '\\b(?:closed|closure|holidays?|day off|new prices?|price change|pricing|business hours|office hours|opening hours|valid until|valid through|expires?|expiry|expiration|deadline|cut-?off|out of (?:the )?office)\\b',
    '\\b(?:you requested|your requested|you asked for|you preferred|your preferred|requested date|preferred date|regarding|whether|works? for you|suits? you|convenient)\\b',
  ].join('|'),
  'gi',
)
const EN_IMPERATIVE =
  /^\s*(?:send|reply|confirm|submit|upload|pay|return|approve|review|sign|let us know|get back to us)\b/i
const EN_WEAK =
  /\b(?:by|until|till|no later than|before|on or before|from|starting|as of)\s+(?:the\s+)?$/i
const EN_DESC_AFTER =
  /^\s*(?:\([^)]*\)\s*)?(?:is|was|will be|'s)\s+(?:also\s+)?(?:a\s+|an\s+|our\s+)?(?:(?:public|national|bank|company|statutory)\s+)?(?:holiday|day off|sunday|saturday|weekend|closed)/i
const EN_DESC_BEFORE = /(?:\bit's|\bit is|\btoday is|\bbeing|\bsince it's|\bas it's)\s+(?:a\s+)?$/i
const JA_DESC_AFTER =
  /^\s*(?:は|も|が)?\s*(?:(?:[月火水木金土日]曜日?|土日|週末|祝日|休日|祭日|定休日|休業日|弊社の?休業日|お休み|休み|休業)(?!明け)|(?:です|でございます)(?:が|ので|けれど)|のため|につき|なので)/
const QUESTION = /(?:[?？]|でしょうか|ますか|ですか|ませんか)[\s」』)）]*$/
const RANGE_FROM = /^\s*(?:から|より|→|->|⇒|〜|~)\s*$/
const RESCHEDULE_JA = /変更|延期|変わり|前倒し|繰り上げ|繰り下げ/
const RESCHEDULE_EN = /\b(?:moved|changed|rescheduled|postponed|pushed|brought forward)\b/i
const WAIT_TRIGGER =
  /次第|入荷後|到着後|完了後|完成後|届き次第|\bonce\b|\bas soon as\b|\bwhen (?:it|they|the)\b|\bafter (?:it|they|the)\b/i
// Asides such as （土日祝を除く）/ excluding holidays qualify a count; they are not notices.
const ASIDE =
  /[（(][^（()）]*[)）]|(?:土日|土・日|土曜|日曜|祝祭日|祝日|祝|・|、|年末年始|弊社休業日|休業日)+を?除[くきい]て?|\b(?:excluding|except(?: for)?|not counting)\s+(?:weekends?|(?:public |national |bank )?holidays?|and|,|\s)+/gi
const HAS_JA = /[\u3040-\u30ff\u3400-\u9fff]/

const SENTENCE_END = /[。！？!?\n]+|\.(?=\s|$)/g
const ABBREV_BEFORE_DOT =
  /(?:\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|no|approx|mr|mrs|ms|dr|vs|etc|e\.g|i\.e|a\.m|p\.m)|\d)$/i
const CLAUSE_BREAK =
  /[、，,;；]|(?<=ので|ため|けれど|けど|ですが|ますが|ましたが|でしたが|ければ|れば|ましたら|でしたら)(?![、，,。])|\s(?=(?:but|so|because|although|though|while|once|if|unless|whereas|as soon as)\s)|\s(?=and\s+(?:we|i|you|it|they|our|your|the|this)\b)/gi

const DEFAULT_CALENDAR = defaultBusinessCalendar(new Set())
const offsetCache = new Map<string, number>()

function offsetMinutes(timeZone: string, ms: number): number {
  // Offsets only change on quarter-hour boundaries, so one lookup serves a whole bucket.
  const key = `${timeZone}|${Math.floor(ms / 900_000)}`
  let off = offsetCache.get(key)
  if (off === undefined) {
    off = tzOffset(timeZone, new Date(ms))
    if (offsetCache.size > 4096) offsetCache.clear()
    offsetCache.set(key, off)
  }
  return off
}

function localOf(timeZone: string, ms: number): { day: Day; minutes: number } {
  const shifted = new Date(ms + offsetMinutes(timeZone, ms) * 60_000)
  const day = makeDay(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate())
  return { day: day as Day, minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() }
}

function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`
}

function ranges(
  text: string,
  re: RegExp,
  from: number,
  to: number,
  keepDelim: boolean,
): [number, number][] {
  const out: [number, number][] = []
  let start = from
  re.lastIndex = from
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null && m.index < to) {
    if (m[0].length === 0) re.lastIndex++
    if (
      re === SENTENCE_END &&
      m[0] === '.' &&
      ABBREV_BEFORE_DOT.test(text.slice(Math.max(0, m.index - 5), m.index))
    ) {
      continue
    }
    const end = keepDelim ? Math.min(to, m.index + m[0].length) : m.index
    if (end > start) out.push([start, end])
    start = Math.min(to, m.index + m[0].length)
  }
  if (to > start) out.push([start, to])
  return out
}

const ATTACH_AFTER_DATE =
  /^[\s、,のにはごろ頃@(（)）]*(?:at|by|around|before|from|between|,)?[\s、,]*(?:at|around|by)?\s*$/i
const ATTACH_BEFORE_DATE = /^\s*(?:,|on|、)?\s*$/i
// EOD Friday, tomorrow EOD, 明日の朝イチ, first thing Monday, end of day on Wednesday
const WEAK_GAP = /^(?:\s|,|、|の|\b(?:on|of|the)\b)*$/i

// 当日 / 翌日 / that day count from the nearest date named before them; with none, from today.
function bindReferences(mentions: Mention[]): void {
  let last: DateMention | null = null
  for (const m of mentions) {
    if (m.kind !== 'date') continue
    if (m.ref !== undefined && last) {
      const base: DateMention = last
      const n = m.ref
      m.resolve = (c) => {
        const d = base.resolve(c)
        return d ? plusDays(d, n) : null
      }
      m.part = m.part ?? base.part
    }
    if (!m.weak) last = m
  }
}

// A weak date (EOD, 朝イチ, first thing) next to another date is a time of that date.
function mergeWeak(mentions: Mention[], text: string): Mention[] {
  const out: Mention[] = []
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as Mention
    const next = mentions[i + 1]
    if (m.kind !== 'date' || next?.kind !== 'date' || m.weak === next.weak) {
      out.push(m)
      continue
    }
    if (!WEAK_GAP.test(text.slice(m.end, next.start))) {
      out.push(m)
      continue
    }
    const strong = m.weak ? next : m
    const weak = m.weak ? m : next
    const part = strong.part ?? weak.part
    out.push({
      kind: 'date',
      start: m.start,
      end: next.end,
      resolve: strong.resolve,
      ...(part ? { part } : {}),
    })
    i++
  }
  return out
}

// Pairs each clock time with the date right before (明日15時) or after (3pm tomorrow) it.
function toUnits(found: Mention[], text: string): Unit[] {
  bindReferences(found)
  const mentions = mergeWeak(found, text)
  const units: Unit[] = []
  const used = new Set<Mention>()
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as Mention
    if (used.has(m)) continue
    if (m.kind === 'hours') {
      units.push({ start: m.start, end: m.end, hours: m.hours })
      continue
    }
    const next = mentions[i + 1]
    if (m.kind === 'date') {
      if (next?.kind === 'time' && ATTACH_AFTER_DATE.test(text.slice(m.end, next.start))) {
        used.add(next)
        units.push({ start: m.start, end: next.end, day: m, time: next })
      } else {
        units.push({ start: m.start, end: m.end, day: m })
      }
      continue
    }
    if (next?.kind === 'date' && ATTACH_BEFORE_DATE.test(text.slice(m.end, next.start))) {
      used.add(next)
      units.push({ start: m.start, end: next.end, day: next, time: m })
      continue
    }
    units.push({ start: m.start, end: m.end, time: m })
  }
  return units
}

function withMinutes(day: Day, minutes: number | undefined): Resolved {
  if (minutes === undefined) return { day }
  // 24時 / midnight: 00:00 of the next day.
  if (minutes >= 1440) return { day: plusDays(day, 1), minutes: minutes - 1440 }
  return { day, minutes }
}

function resolveUnit(u: Unit, c: Ctx): Resolved | null {
  if (u.hours !== undefined) return c.local(c.nowMs + u.hours * 3_600_000)
  if (u.day) {
    const day = u.day.resolve(c)
    if (!day) return null
    return withMinutes(day, u.time ? timeIn(u.time, u.day.part) : undefined)
  }
  const t = u.time as TimeMention
  if (u.bound) {
    const day = u.bound.resolve(c)
    if (day && compareDays(day, c.today) >= 0) return withMinutes(day, timeIn(t, u.bound.part))
  }
  // A bare time is today if still ahead, otherwise tomorrow.
  const minutes = timeIn(t, undefined)
  return withMinutes(minutes > c.nowMinutes ? c.today : plusDays(c.today, 1), minutes)
}

function clean(s: string): string {
  ASIDE.lastIndex = 0
  return s.replace(ASIDE, ' ')
}

// Japanese: the first marker after the date decides; a commitment must not turn out past/asked.
function firstMarkerJa(s: string): Verdict | null {
  JA_MARKERS.lastIndex = 0
  const m = JA_MARKERS.exec(s)
  if (!m || !m.groups) return null
  if (m.groups.c === undefined) return 'excluded'
  const rest = s.slice(m.index + m[0].length)
  // 10月30日に変更となりました: the change is past, the new date is not.
  if (RESCHEDULE_JA.test(m[0])) return JA_REQUEST_RE.test(rest) ? 'excluded' : 'candidate'
  return JA_AFTER_COMMIT.test(rest) ? 'excluded' : 'candidate'
}

function lastIndexOf(re: RegExp, s: string): number {
  re.lastIndex = 0
  let last = -1
  let m: RegExpExecArray | null
  while ((m = re.exec(s)) !== null) {
    last = m.index
    if (m[0].length === 0) re.lastIndex++
  }
  return last
}

// English: whichever of commitment / exclusion comes last before the date wins (ties exclude).
function lastMarkerEn(s: string): Verdict | null {
  const ex = Math.max(lastIndexOf(EN_EXCLUDE, s), EN_IMPERATIVE.test(s) ? 0 : -1)
  const co = lastIndexOf(EN_COMMIT, s)
  if (ex < 0 && co < 0) return null
  return co > ex ? 'candidate' : 'excluded'
}

function firstMarkerEn(s: string): Verdict | null {
  EN_EXCLUDE.lastIndex = 0
  EN_COMMIT.lastIndex = 0
  const ex = EN_EXCLUDE.exec(s)
  const co = EN_COMMIT.exec(s)
  if (!ex && !co) return null
  if (!ex) return 'candidate'
  if (!co) return 'excluded'
  return co.index < ex.index ? 'candidate' : 'excluded'
}

function lastMarkerJa(s: string): Verdict | null {
  JA_MARKERS.lastIndex = 0
  let last: RegExpExecArray | null = null
  let m: RegExpExecArray | null
  while ((m = JA_MARKERS.exec(s)) !== null) last = m
  if (!last?.groups) return null
  return last.groups.c === undefined ? 'excluded' : 'candidate'
}

function clauseVerdict(s: string, ja: boolean): Verdict | null {
  return ja ? firstMarkerJa(s) : (firstMarkerEn(s) ?? (EN_IMPERATIVE.test(s) ? 'excluded' : null))
}

type Clause = { start: number; end: number; units: Unit[] }

function judge(unit: Unit, clause: Clause, sentence: Clause[], text: string): Verdict {
  const idx = clause.units.indexOf(unit)
  const prev = clause.units[idx - 1]
  const next = clause.units[idx + 1]
  const ja = HAS_JA.test(text.slice(clause.start, clause.end))
  const afterSeg = clean(text.slice(unit.end, next ? next.start : clause.end))
  const afterClause = clean(text.slice(unit.end, clause.end))
  const beforeSeg = text.slice(prev ? prev.end : clause.start, unit.start)
  const beforeClause = text.slice(clause.start, unit.start)

  if (JA_DESC_AFTER.test(afterClause) || EN_DESC_AFTER.test(afterClause)) return 'described'
  if (EN_DESC_BEFORE.test(beforeSeg)) return 'described'
  if (QUESTION.test(text.slice(clause.start, clause.end))) return 'excluded'
  // "11月5日から11月8日に変更": only the new date survives a reschedule.
  if (
    next &&
    RANGE_FROM.test(afterSeg) &&
    (RESCHEDULE_JA.test(afterClause) || RESCHEDULE_EN.test(afterClause))
  ) {
    return 'excluded'
  }
  if (
    /\bfrom\s+$/i.test(beforeSeg) &&
    next &&
    RESCHEDULE_EN.test(text.slice(clause.start, clause.end))
  ) {
    return 'excluded'
  }

  if (ja) {
    const v = firstMarkerJa(afterSeg) ?? firstMarkerJa(afterClause) ?? lastMarkerJa(beforeClause)
    if (v) return v
  } else {
    const v = lastMarkerEn(beforeClause)
    if (v) return v
    if (EN_WEAK.test(beforeSeg)) return 'candidate'
    const w = firstMarkerEn(afterClause)
    if (w) return w
  }

  const at = sentence.indexOf(clause)
  // 初校は10月9日、再校は10月16日にご提示いたします: a date that closes its clause shares the
  // predicate of the next clause, even though that clause has a date of its own.
  const following = sentence[at + 1]
  if (!next && following && /^[\s、，,]*$/.test(afterClause)) {
    const s = clean(text.slice(following.start, following.end))
    const v = clauseVerdict(s, HAS_JA.test(s))
    if (v) return v
  }
  // A clause with no date of its own lends its commitment (On Friday, we'll call you /
  // 10営業日ほどで仕上がり、完成次第発送いたします); nearest clauses first, following side first.
  for (let d = 1; d < sentence.length; d++) {
    for (const j of [at + d, at - d]) {
      const other = sentence[j]
      if (!other || other.units.length > 0) continue
      const s = clean(text.slice(other.start, other.end))
      const v = clauseVerdict(s, HAS_JA.test(s))
      if (v) return v
    }
  }
  return 'orphan'
}

const CONCESSIVE_JA = /ですが|でございますが|ではございますが|ではありますが|だが|けれど|けど|でも/
const CONCESSIVE_EN = /\b(?:but|although|though|however|still|anyway|even so)\b/i
const CONCESSIVE_BEFORE = /\b(?:although|though|even though|even if|despite)\b|にもかかわらず/i

// A day described as a holiday or a weekday (明日は祝日ですが…) is not the promise when another
// date in the sentence is; otherwise a promise that goes on despite it (…ですが、発送いたします /
// …, but we'll still deliver / Even though Monday is a holiday, we'll deliver) is made for it.
function settleDescribed(
  units: Unit[],
  verdicts: Map<Unit, Verdict>,
  text: string,
  clauses: Clause[],
): void {
  const described = units.filter((u) => verdicts.get(u) === 'described')
  if (described.length === 0) return
  const taken = units.some((u) => verdicts.get(u) === 'candidate')
  const sentenceStart = clauses[0]?.start ?? 0
  const sentenceEnd = clauses[clauses.length - 1]?.end ?? text.length
  for (const u of described) {
    verdicts.set(u, 'excluded')
    if (taken) continue
    const rest = text.slice(u.end, sentenceEnd)
    const ja = HAS_JA.test(rest)
    let after: string | null = null
    const m = (ja ? CONCESSIVE_JA : CONCESSIVE_EN).exec(rest)
    if (m) after = rest.slice(m.index + m[0].length)
    else if (CONCESSIVE_BEFORE.test(text.slice(sentenceStart, u.start))) {
      const own = clauses.find((c) => c.start <= u.start && u.start < c.end)
      if (own) after = text.slice(own.end, sentenceEnd)
    }
    if (after !== null && clauseVerdict(clean(after), ja) === 'candidate') {
      verdicts.set(u, 'candidate')
    }
  }
}

// "packed on Thursday, and we'll ship them at noon" / 木曜日に梱包し、正午に発送: a time with no
// day of its own belongs to the day named before it in the same sentence (unless that day was
// ruled out: a past event, a request).
function bindBareTimes(units: Unit[], verdicts: Map<Unit, Verdict>): void {
  let lastDay: DateMention | undefined
  for (const u of units) {
    if (u.day) {
      const v = verdicts.get(u)
      if (v === 'candidate' || v === 'orphan') lastDay = u.day
      continue
    }
    if (u.time && u.hours === undefined && lastDay) u.bound = lastDay
  }
}

const MONTH_WORD =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may(?=\s*\d)|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/gi

// chrono knows English phrasings our grammar does not ("October thirteenth", 13-Oct); it is slow
// (~60 µs), so it only runs on a sentence that names a month our grammar could not read.
function chronoUnits(text: string, from: number, to: number, known: Unit[]): Unit[] {
  const sentence = text.slice(from, to)
  MONTH_WORD.lastIndex = 0
  let unread = false
  let w: RegExpExecArray | null
  while (!unread && (w = MONTH_WORD.exec(sentence)) !== null) {
    const at = from + w.index
    unread = !known.some((u) => u.start <= at && at < u.end)
  }
  if (!unread) return []
  const out: Unit[] = []
  for (const r of chrono.en.strict.parse(sentence, new Date(2000, 0, 1))) {
    const month = r.start.get('month')
    const day = r.start.get('day')
    if (!r.start.isCertain('month') || !r.start.isCertain('day') || !month || !day) continue
    const year = r.start.isCertain('year') ? r.start.get('year') : null
    const minutes = r.start.isCertain('hour')
      ? (r.start.get('hour') ?? 0) * 60 + (r.start.get('minute') ?? 0)
      : undefined
    const start = from + r.index
    const end = start + r.text.length
    const dayMention: DateMention = {
      kind: 'date',
      start,
      end,
      resolve: (c) => {
        let d = year ? makeDay(year, month, day) : makeDay(c.today.getFullYear(), month, day)
        if (d && !year && compareDays(d, c.today) < 0)
          d = makeDay(c.today.getFullYear() + 1, month, day)
        return d
      },
    }
    out.push(
      minutes === undefined
        ? { start, end, day: dayMention }
        : { start, end, day: dayMention, time: { kind: 'time', start, end, minutes } },
    )
  }
  return out
}

/**
 * What resolving a mention needs, from the options of a reading: today and the minute of `now`
 * in the zone (default Asia/Tokyo), the business calendar 営業日 counts, and the zone's clock.
 * Shared with the date checks of ./contradictions.ts, so both read a date the same way.
 */
export function readingContext(opts: ExtractOptions): Ctx {
  const timeZone = opts.timeZone ?? 'Asia/Tokyo'
  const nowMs = opts.now.getTime()
  const local = localOf(timeZone, nowMs)
  return {
    today: local.day,
    nowMinutes: local.minutes,
    nowMs,
    calendar:
      opts.calendar ??
      (opts.closedDays?.length
        ? defaultBusinessCalendar(new Set(opts.closedDays))
        : DEFAULT_CALENDAR),
    local: (ms) => localOf(timeZone, ms),
  }
}

/**
 * Finds the date (and optional time) on which the sender of a staff message promises to next
 * contact, reply, ship, deliver or visit, following docs spec "next-contact" and the rules added
 * on top of it in ./README.md (day parts, clock forms, business idioms, references, binding a
 * later time to the day named, holidays). Pure and synchronous; returns null when the message
 * promises nothing dated. `time` is HH:mm (24 h); `text` is an exact substring of `text`.
 */
export function extractNextContact(text: string, opts: ExtractOptions): NextContact | null {
  const nowMs = opts.now.getTime()
  if (Number.isNaN(nowMs) || text.length === 0) return null
  const norm = normalize(text)
  const t = norm.text
  const mentions = scanMentions(t)
  MONTH_WORD.lastIndex = 0
  const hasMonthWord = MONTH_WORD.test(t)
  if (mentions.length === 0 && !hasMonthWord) return null

  const ctx = readingContext(opts)

  let units = toUnits(mentions, t)
  const sentences = ranges(t, SENTENCE_END, 0, t.length, true)
  if (hasMonthWord) {
    const extra = sentences.flatMap(([s, e]) => chronoUnits(t, s, e, units))
    if (extra.length > 0) {
      // chrono read the longer phrase ("December the 5th"), so our partial reading yields.
      const kept = units.filter((u) => !extra.some((x) => u.start < x.end && x.start < u.end))
      units = [...kept, ...extra].sort((a, b) => a.start - b.start)
    }
  }
  if (units.length === 0) return null

  const verdicts = new Map<Unit, Verdict>()
  const perSentence: Clause[][] = sentences.map(([s, e]) =>
    ranges(t, CLAUSE_BREAK, s, e, true).map(([cs, ce]) => ({
      start: cs,
      end: ce,
      units: units.filter((u) => u.start >= cs && u.start < ce),
    })),
  )
  for (const clauses of perSentence) {
    for (const clause of clauses) {
      for (const u of clause.units) verdicts.set(u, judge(u, clause, clauses, t))
    }
  }
  // A dated event the promise waits for lends its date across a sentence break
  // (12月中旬に入荷予定です。入荷次第ご連絡いたします).
  for (let i = 0; i + 1 < perSentence.length; i++) {
    const cur = (perSentence[i] as Clause[]).flatMap((c) => c.units)
    const nextClauses = perSentence[i + 1] as Clause[]
    if (nextClauses.some((c) => c.units.length > 0)) continue
    if (cur.some((u) => verdicts.get(u) === 'candidate')) continue
    const nextStart = nextClauses[0]?.start ?? 0
    const nextEnd = nextClauses[nextClauses.length - 1]?.end ?? 0
    const nextText = clean(t.slice(nextStart, nextEnd))
    if (!WAIT_TRIGGER.test(nextText)) continue
    if (clauseVerdict(nextText, HAS_JA.test(nextText)) !== 'candidate') continue
    for (const u of cur) if (verdicts.get(u) === 'orphan') verdicts.set(u, 'candidate')
  }

  for (const clauses of perSentence) {
    const inSentence = clauses.flatMap((c) => c.units)
    settleDescribed(inSentence, verdicts, t, clauses)
    bindBareTimes(inSentence, verdicts)
  }

  let best: { unit: Unit; day: Day; minutes?: number } | null = null
  for (const u of units) {
    if (verdicts.get(u) !== 'candidate') continue
    const r = resolveUnit(u, ctx)
    if (!r || compareDays(r.day, ctx.today) < 0) continue
    if (!best) {
      best = { unit: u, ...r }
      continue
    }
    const cmp = compareDays(r.day, best.day)
    const better =
      cmp < 0 ||
      (cmp === 0 &&
        r.minutes !== undefined &&
        (best.minutes === undefined || r.minutes < best.minutes))
    if (better) best = { unit: u, ...r }
  }
  if (!best) return null
  const [s, e] = originalSpan(norm, best.unit.start, best.unit.end)
  const out: NextContact = { date: ymd(best.day), text: text.slice(s, e) }
  if (best.minutes !== undefined) out.time = hhmm(best.minutes)
  return out
}
