// Stands in for prettier in the Workers bundle (wrangler.toml [alias]). @react-email/render
// imports prettier lazily for its `pretty` option, which this app never uses; without the alias
// esbuild still bundles all of prettier (~340 KiB) into the worker.
export function format(): never {
  throw new Error('prettier is not bundled on Workers: render emails without { pretty: true }')
}
export const html = {}
export default { format, html }
