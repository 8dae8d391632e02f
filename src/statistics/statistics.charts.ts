// The statistics charts as SVG, drawn on the server by Observable Plot (a maintained charting
// library) into linkedom's document, so the page needs no script and works the same on Node and
// Workers. Loaded with import() by the statistics route: the Node server does not parse the
// charting code until the page is first opened.
//
// The page's CSP allows no inline styles: Plot's own <style> element (display: block, max-width)
// is taken out here, and app.css carries the same rules for `.chart svg`. Colours are attributes.
import * as Plot from '@observablehq/plot'
import { parseHTML } from 'linkedom/worker'

/** One coloured series of a chart. */
export interface ChartSeries {
  key: string
  label: string
  colour: string
  values: number[]
}

const { document } = parseHTML('<!doctype html><html><body></body></html>')

/** Integer ticks 0 … ≥ max, about `count` of them (counts of boards have no halves). */
export function integerTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1]
  const rough = max / count
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? magnitude,
  )
  const ticks: number[] = []
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick)
  return ticks
}

function serialize(svg: Element, label: string): string {
  svg.querySelector('style')?.remove()
  // The page's own font (Noto Sans JP) rather than Plot's system-ui, a little larger.
  svg.removeAttribute('font-family')
  svg.setAttribute('font-size', '12')
  svg.setAttribute('role', 'img')
  svg.setAttribute('aria-label', label)
  // Plot names its layers with aria-label; inside an image they would only be read as noise.
  for (const layer of svg.querySelectorAll('[aria-label]')) {
    if (layer !== svg) layer.removeAttribute('aria-label')
  }
  return svg.toString()
}

/**
 * Stacked bars per day: one bar per day, one segment per series (boards created, decided,
 * closed). `dayLabels` are the x-axis labels (only every `labelEvery`-th is written), `format`
 * writes the y-axis numbers in the reader's locale. Returns SVG markup with role="img".
 */
export function stackedDailyBars({
  days,
  dayLabels,
  series,
  width,
  height,
  labelEvery,
  format,
  label,
}: {
  days: string[]
  dayLabels: string[]
  series: ChartSeries[]
  width: number
  height: number
  labelEvery: number
  format: (value: number) => string
  label: string
}): string {
  const data = series.flatMap((one) =>
    days.map((day, index) => ({ day, series: one.key, count: one.values[index] ?? 0 })),
  )
  const totals = days.map((_, index) =>
    series.reduce((sum, one) => sum + (one.values[index] ?? 0), 0),
  )
  const ticks = integerTicks(Math.max(0, ...totals))
  const labelOf = new Map(days.map((day, index) => [day, dayLabels[index] ?? day]))
  const svg = Plot.plot({
    document,
    width,
    height,
    marginLeft: 36,
    marginBottom: 28,
    x: {
      type: 'band',
      domain: days,
      label: null,
      tickSize: 0,
      ticks: days.filter((_, index) => index % labelEvery === 0),
      tickFormat: (day: string) => labelOf.get(day) ?? day,
    },
    y: {
      domain: [0, ticks[ticks.length - 1]!],
      ticks,
      tickFormat: format,
      grid: true,
      label: null,
    },
    color: {
      domain: series.map((one) => one.key),
      range: series.map((one) => one.colour),
    },
    marks: [Plot.barY(data, { x: 'day', y: 'count', fill: 'series', inset: 1 }), Plot.ruleY([0])],
  }) as unknown as Element
  return serialize(svg, label)
}

/**
 * Horizontal bars, one per category (boards per status now), each labelled at its end with its
 * number in the reader's locale. Returns SVG markup with role="img".
 */
export function categoryBars({
  categories,
  width,
  format,
  colour,
  label,
}: {
  categories: { label: string; value: number }[]
  width: number
  format: (value: number) => string
  colour: string
  label: string
}): string {
  const max = Math.max(1, ...categories.map((category) => category.value))
  const svg = Plot.plot({
    document,
    width,
    height: 28 * categories.length + 16,
    marginLeft: 84,
    marginRight: 48,
    x: { axis: null, domain: [0, max] },
    y: { domain: categories.map((category) => category.label), label: null, tickSize: 0 },
    marks: [
      Plot.barX(categories, { y: 'label', x: 'value', fill: colour, inset: 3 }),
      Plot.text(categories, {
        y: 'label',
        x: 'value',
        text: (category: { value: number }) => format(category.value),
        dx: 6,
        textAnchor: 'start',
      }),
    ],
  }) as unknown as Element
  return serialize(svg, label)
}
