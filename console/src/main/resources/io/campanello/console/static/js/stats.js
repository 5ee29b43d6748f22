// The pictures of an endpoint's statistics (GET /v1/subscriptions/{id}/stats?window=): delivery rate and
// error rate over time (the answer's 30 intervals), latency over time and its percentiles, volume by status.
import { h } from './api.js';
import { lineChart, barChart } from './charts.js';

export function statsView(stats) {
  const points = (stats.series || []).map((interval) => ({
    at: new Date(interval.start),
    attempts: number(interval.attempts),
    failed: number(interval.failed),
    p90: interval.p90Millis,
  }));
  const latency = stats.latencyMillis || {};
  const volume = stats.byStatus || {};
  const figures = [];
  if (points.some((p) => p.attempts > 0)) {
    figures.push(figure('Attempts per interval', lineChart('Delivery rate',
      [{ name: 'attempts', points: points.map((p) => [p.at, p.attempts]) },
        { name: 'failed', points: points.map((p) => [p.at, p.failed]) }])));
    figures.push(figure('Error rate', lineChart('Error rate',
      [{ name: 'errors', points: points.map((p) => [p.at, p.attempts ? (100 * p.failed) / p.attempts : null]) }],
      (v) => `${Math.round(v)} %`)));
    figures.push(figure('Latency p90 per interval (ms)', lineChart('Latency over time',
      [{ name: 'p90', points: points.map((p) => [p.at, typeof p.p90 === 'number' ? p.p90 : null]) }])));
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
    h('p', {}, 'Success rate: ', h('strong', { id: 'success-rate' }, rate === null || rate === undefined ? '—' : percent(rate))),
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
