// The pictures of an endpoint's statistics (GET /v1/subscriptions/{id}/stats?window=): delivery rate and
// error rate over time, latency percentiles, volume by status. Field names are read leniently.
import { h } from './api.js';
import { lineChart, barChart } from './charts.js';

export function statsView(stats) {
  const buckets = stats.series || stats.buckets || stats.timeline || [];
  const points = buckets.map((b) => ({
    at: new Date(b.start || b.at || b.time || b.bucket),
    total: number(b.total ?? b.count ?? b.attempts ?? (number(b.delivered) + number(b.failed))),
    failed: number(b.failed ?? b.errors ?? b.failures),
  })).filter((p) => !Number.isNaN(p.at.getTime()));
  const latency = stats.latency || stats.latencyMillis || stats.latencyPercentiles || {};
  const volume = stats.volume || stats.byStatus || {};
  const figures = [];
  if (points.length) {
    figures.push(figure('Deliveries per interval', lineChart('Delivery rate',
      [{ name: 'attempts', points: points.map((p) => [p.at, p.total]) }])));
    figures.push(figure('Error rate', lineChart('Error rate',
      [{ name: 'errors', points: points.map((p) => [p.at, p.total ? (100 * p.failed) / p.total : 0]) }],
      (v) => `${Math.round(v)} %`)));
  }
  const percentiles = Object.entries(latency).filter(([, v]) => typeof v === 'number');
  if (percentiles.length) {
    figures.push(figure('Latency percentiles (ms)', barChart('Latency percentiles',
      percentiles.map(([label, value]) => ({ label, value })), (v) => `${Math.round(v)}`)));
  }
  const statuses = Object.entries(volume).filter(([, v]) => typeof v === 'number');
  if (statuses.length) {
    figures.push(figure('Volume by status', barChart('Volume by status',
      statuses.map(([label, value]) => ({ label, value })))));
  }
  const rate = stats.successRate;
  return h('div', { id: 'stats' },
    h('p', {}, 'Success rate: ', h('strong', { id: 'success-rate' }, rate === undefined ? '—' : percent(rate))),
    figures.length ? h('div', { class: 'charts' }, figures) : h('p', { class: 'muted' }, 'No deliveries in this window.'));
}

function figure(caption, chart) {
  return h('figure', {}, h('figcaption', {}, caption), chart);
}

function number(value) {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

function percent(rate) {
  const value = rate <= 1 ? rate * 100 : rate;
  return `${value.toFixed(1)} %`;
}
