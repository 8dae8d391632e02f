// (b) of `npm run bench`, in a process of its own: the latency one member sees paging through
// 100k boards, one request at a time. The bench runner has loaded the whole app, React and
// autocannon; its own garbage collections showed up as 10-30 ms "server" stalls. This client is
// node:http on one kept-alive socket, like a browser tab (fetch cost the client 0.7 ms a request).
import http from 'node:http'

const base = process.env.LIST_BASE!
const cookie = process.env.LIST_COOKIE!
const paths = [
  '/w/bench/boards',
  '/w/bench/boards?sort=next_contact',
  '/w/bench/boards?status=waiting',
  '/w/bench/boards?due=1',
]
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

const getPage = (path: string) =>
  new Promise<number>((resolve, reject) => {
    http
      .get(`${base}${path}`, { agent, headers: { Cookie: cookie } }, (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      })
      .on('error', reject)
  })

const samples: number[] = []
let non2xx = 0
for (let i = 0; i < 300; i++) await getPage(paths[i % paths.length]!)
for (let i = 0; i < 2000; i++) {
  const started = performance.now()
  const status = await getPage(paths[i % paths.length]!)
  samples.push(performance.now() - started)
  if (status !== 200) non2xx++
}
agent.destroy()
process.stdout.write(JSON.stringify({ samples, non2xx }))
