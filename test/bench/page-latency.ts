// A client of its own (see list-latency.ts for why): asks for one page, one request at a time on
// one kept-alive socket, until the bench runner says `stop` over IPC; reports when each request
// started (ms since the epoch, comparable across processes) and how long it took.
import http from 'node:http'

const url = process.env.PAGE_URL!
const cookie = process.env.PAGE_COOKIE ?? ''
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

const getPage = () =>
  new Promise<number>((resolve, reject) => {
    http
      .get(url, { agent, headers: { Cookie: cookie } }, (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      })
      .on('error', reject)
  })

let stopped = false
process.on('message', () => (stopped = true))
for (let i = 0; i < 100; i++) await getPage()
process.send!({ warm: true })
const samples: [number, number][] = []
let non2xx = 0
while (!stopped) {
  const started = performance.now()
  const status = await getPage()
  samples.push([performance.timeOrigin + started, performance.now() - started])
  if (status !== 200) non2xx++
}
agent.destroy()
process.send!({ samples, non2xx }, () => process.exit(0))
