// The statistics page's charts (統計): each <canvas data-chart="…"> is drawn with Chart.js
// (served from /static/chart.umd.min.js). The numbers are also in the table under 「表で見る」,
// which works without this script.
;(() => {
  const Chart = window.Chart
  if (!Chart) return
  const page = getComputedStyle(document.body)
  Chart.defaults.font.family = page.fontFamily
  Chart.defaults.color = page.color
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    let spec
    try {
      spec = JSON.parse(canvas.dataset.chart)
    } catch {
      continue
    }
    const number = new Intl.NumberFormat(spec.locale)
    const horizontal = spec.kind === 'categories'
    const count = {
      beginAtZero: true,
      ticks: {
        precision: 0,
        callback: (value) => (Number.isInteger(value) ? number.format(value) : ''),
      },
    }
    const category = { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } }
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.series.map((series) => ({
          label: series.label,
          data: series.values,
          backgroundColor: series.colour,
        })),
      },
      options: {
        locale: spec.locale,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: false } },
        scales: horizontal
          ? { x: count, y: category }
          : { x: { ...category, stacked: true }, y: { ...count, stacked: true } },
      },
    })
  }
})()
