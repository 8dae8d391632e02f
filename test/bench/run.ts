// `npm run bench`: every benchmark, one machine, one run; prints figures and target ratios.
import { benchNextContact } from './next-contact.bench'
import { benchPosting, benchStaffPages } from './staff.bench'
import { benchApiStandalone } from './api.bench'
import { benchEmails, benchMemberRenders } from './emails.bench'
import { benchCustomer, BURST_ROUNDS } from './customer.bench'
import { benchUpload, printUploadBench } from './upload.bench'
import { benchStartup } from './startup.bench'
import { benchStatistics } from './statistics.bench'
import { benchSearch } from './search.bench'

const fmt = (n: number, digits = 1) => n.toFixed(digits)
const verdict = (ok: boolean) => (ok ? 'OK' : 'MISSED')

async function main() {
  const only = process.argv[2]
  const run = (name: string) => !only || only === name

  if (run('startup')) {
    const startup = await benchStartup()
    console.log(
      `start-up: npm start → /healthz ${fmt(startup.appMs, 0)} ms (median of 5 restarts; first start with the demo seed ${fmt(startup.firstStartMs, 0)} ms) vs a bare node:http hello started the same way ${fmt(startup.helloMs, 0)} ms`,
    )
    console.log(`    ratio ${fmt(startup.ratio, 2)} (target ≤ 5) ${verdict(startup.ratio <= 5)}`)
  }
  if (run('staff')) {
    const pages = await benchStaffPages()
    console.log(
      `\n(a) staff board page, 50 messages (${pages.pageBytes} B): ${fmt(pages.staffRps)} req/s`,
    )
    console.log(
      `    render-only hono/jsx page (${pages.renderOnlyBytes} B):   ${fmt(pages.renderOnlyRps)} req/s`,
    )
    console.log(
      `    ratio ${fmt(pages.pageRatio * 100)} % (target ≥ 50 %) ${verdict(pages.pageRatio >= 0.5)}`,
    )
    console.log(
      `(b) board list over 100k boards, concurrency 1: p50 ${fmt(pages.listP50Ms, 2)} ms, p99 ${fmt(pages.listP99Ms, 2)} ms (target ≤ 10 ms) ${verdict(pages.listP99Ms <= 10)}`,
    )
    if (pages.non2xx > 0)
      console.log(
        `    ${pages.non2xx} staff page or list responses were not 2xx: the figures above are not valid`,
      )
    console.log(
      `customer page (50 messages): ${fmt(pages.customerPageRps)} req/s; customer posts: ${fmt(pages.customerPostRps)} req/s (non-2xx ${pages.customerNon2xx})`,
    )
    const posting = await benchPosting()
    console.log(
      `(c) posting: ${fmt(posting.postsPerSecond)} posts/s vs raw single-row commits ${fmt(posting.rawCommitsPerSecond)}/s (WAL, synchronous=FULL)`,
    )
    console.log(
      `    ratio ${fmt(posting.ratio * 100)} % (target ≥ 60 %) ${verdict(posting.ratio >= 0.6)}`,
    )
  }
  if (run('emails')) {
    const emails = await benchEmails()
    console.log(
      `\nemails: render ${fmt(emails.renderPerSecond)}/s (median ${fmt(emails.renderMedianMs, 2)} ms, p99 ${fmt(emails.renderP99Ms, 2)} ms, ${emails.htmlBytes} B html); outbox send path ${fmt(emails.outboxPerSecond)}/s`,
    )
  }
  if (run('customer')) {
    // issue #20, in one run: 10 members with notifications on
    const customer = await benchCustomer()
    console.log(
      `\ncustomer page ÷ staff board page (10 connections, alternating 2 s slices): 1k boards ${fmt(customer.small.customerRps)} ÷ ${fmt(customer.small.staffRps)} req/s = ${fmt(customer.ratioSmall, 2)}; 100k boards ${fmt(customer.large.customerRps)} ÷ ${fmt(customer.large.staffRps)} req/s = ${fmt(customer.ratioLarge, 2)}`,
    )
    console.log(
      `    at 100k target ≥ 1.0 ${verdict(customer.ratioLarge >= 1)}; 1k vs 100k apart by ${fmt(customer.drift * 100)} % (target ≤ 10 %) ${verdict(customer.drift <= 0.1)}${customer.small.non2xx + customer.large.non2xx > 0 ? ' — some responses were not 2xx: not valid' : ''}`,
    )
    console.log(
      `customer posts ÷ staff posts over HTTP (each slice until its emails are sent): ${fmt(customer.posts.customerPerSecond)} ÷ ${fmt(customer.posts.staffPerSecond)} posts/s = ${fmt(customer.postRatio, 2)} (target ≥ 0.5) ${verdict(customer.postRatio >= 0.5)}${customer.posts.non2xx > 0 ? ` — ${customer.posts.non2xx} not 2xx: not valid` : ''}`,
    )
    console.log(
      `staff board page p99 during a burst of 100 customer posts (until their 1,000 emails are sent; ${BURST_ROUNDS} bursts and ${BURST_ROUNDS} rests, alternately) ÷ at rest: ${fmt(customer.burst.burst.p99, 2)} ÷ ${fmt(customer.burst.rest.p99, 2)} ms = ${fmt(customer.burstRatio, 2)} (target ≤ 2) ${verdict(customer.burstRatio <= 2)} (p50 ${fmt(customer.burst.burst.p50, 2)} vs ${fmt(customer.burst.rest.p50, 2)} ms; ${customer.burst.burst.n} and ${customer.burst.rest.n} requests)`,
    )
    console.log(
      `    of which while the 100 posts came in: p99 ${fmt(customer.burst.burst.before.p99, 2)} ms = ${fmt(customer.burst.burst.before.p99 / customer.burst.rest.p99, 2)} × at rest (${customer.burst.burst.before.n} requests); while only their emails went out: p99 ${fmt(customer.burst.burst.after.p99, 2)} ms = ${fmt(customer.burst.burst.after.p99 / customer.burst.rest.p99, 2)} × (${customer.burst.burst.after.n} requests)`,
    )
    console.log(
      `    the same burst as 100 silent staff posts (no email): p99 ${fmt(customer.burst.silent.p99, 2)} ms = ${fmt(customer.burst.silent.p99 / customer.burst.rest.p99, 2)} × at rest (p50 ${fmt(customer.burst.silent.p50, 2)} ms)`,
    )
    const renders = await benchMemberRenders()
    console.log(
      `member emails of one post to ${renders.members} members: render once + fill ${fmt(renders.oncePerSecond)}/s ÷ renderEmail each ${fmt(renders.baselinePerSecond)}/s = ${fmt(renders.ratio, 1)}× (target ≥ 5×) ${verdict(renders.ratio >= 5)}`,
    )
  }
  if (run('api')) {
    const api = await benchApiStandalone()
    console.log(
      `\nAPI: create board ${fmt(api.createBoardsRps)} req/s, duplicate create ${fmt(api.duplicateCreatesRps)} req/s, post message ${fmt(api.postMessagesRps)} req/s (p99 ${api.p99Ms.create}/${api.p99Ms.duplicate}/${api.p99Ms.post} ms, non-2xx ${api.non2xx})`,
    )
  }
  if (run('upload')) {
    console.log('')
    printUploadBench(await benchUpload())
  }
  if (run('next-contact')) {
    const extraction = await benchNextContact()
    console.log(
      `\nnext-contact extraction over ${extraction.n} sentences: median ${fmt(extraction.medianUs)} µs, p99 ${fmt(extraction.p99Us)} µs (target median ≤ 50 µs, p99 ≤ 500 µs) ${verdict(extraction.medianUs <= 50 && extraction.p99Us <= 500)}`,
    )
  }
  if (run('statistics')) {
    const stats = await benchStatistics()
    const [load1] = (await import('node:os')).loadavg()
    console.log(
      `\n(load average at the end: ${fmt(load1!, 2)} on ${(await import('node:os')).availableParallelism()} cores)`,
    )
    const size = `${stats.boards.toLocaleString('en')} boards / ${stats.messages.toLocaleString('en')} messages`
    console.log(
      `\nstatistics page over ${size}: this month p50 ${fmt(stats.month.p50, 2)} ms, p99 ${fmt(stats.month.p99, 2)} ms (target ≤ 100 ms) ${verdict(stats.month.p99 <= 100)}; a whole year p99 ${fmt(stats.year.p99, 2)} ms`,
    )
    for (const [name, run] of [
      ['boards.csv (UTF-8)', stats.boardsCsv],
      ['boards.csv (Shift_JIS)', stats.boardsSjis],
      ['messages.csv (3 months)', stats.messagesCsv],
    ] as const) {
      console.log(
        `CSV ${name}: ${run.rows.toLocaleString('en')} rows, ${fmt(run.megabytes)} MB, ${fmt(run.rowsPerSecond, 0)} rows/s (target ≥ 50,000) ${verdict(run.rowsPerSecond >= 50_000)} (${fmt(run.rowsPerCpuSecond, 0)} rows per CPU second), RSS growth ${fmt(run.rssGrowthMb)} MB (target < 32) ${verdict(run.rssGrowthMb < 32)}`,
      )
    }
  }
  if (run('search')) {
    const s = await benchSearch()
    console.log(
      `\nsearch over ${s.boards.toLocaleString('en')} boards / ${s.messages.toLocaleString('en')} messages (seeded in ${fmt(s.seedMs / 1000)} s, ${fmt(s.prepareMs / 1000)} s with optimize + ANALYZE), the list's search request, concurrency 1:`,
    )
    for (const [name, figures, target] of [
      ['(a) 3+ characters (ロゴデータ)', s.long, 20],
      ['(b) 2 characters (名刺)', s.short, 50],
      ['(c) operators only', s.operators, 20],
      ['(d) operators + word', s.both, 20],
    ] as const)
      console.log(
        `    ${name}: p50 ${fmt(figures.p50, 2)} ms, p99 ${fmt(figures.p99, 2)} ms (target ≤ ${target} ms) ${verdict(figures.p99 <= target)}`,
      )
    console.log(
      `    the view tabs' counts (asked for after the list has loaded): p50 ${fmt(s.page.p50, 2)} ms, p99 ${fmt(s.page.p99, 2)} ms (the list's table alone p99 ${fmt(s.plain.p99, 2)} ms)`,
    )
    console.log(
      `posting with the search index ${fmt(s.posting.withIndex)} posts/s vs without ${fmt(s.posting.withoutIndex)} posts/s: ${fmt(s.posting.ratio * 100)} % (target ≥ 75 %) ${verdict(s.posting.ratio >= 0.75)}`,
    )
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
