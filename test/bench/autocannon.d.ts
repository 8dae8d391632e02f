// The few parts of autocannon the benchmarks use (it ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string
      connections?: number
      duration?: number
      amount?: number
      method?: string
      headers?: Record<string, string>
      body?: string
      requests?: {
        method?: string
        path?: string
        headers?: Record<string, string>
        body?: string
      }[]
    }
    interface Histogram {
      average: number
      mean: number
      p50: number
      p99: number
      max: number
    }
    interface Result {
      /** seconds the run took */
      duration: number
      requests: Histogram & { total: number }
      latency: Histogram
      throughput: Histogram
      non2xx: number
      errors: number
      timeouts: number
      '2xx': number
    }
  }
  function autocannon(
    options: autocannon.Options,
    callback: (error: Error | null, result: autocannon.Result) => void,
  ): unknown
  export default autocannon
}
