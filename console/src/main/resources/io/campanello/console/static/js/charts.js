// Inline SVG charts drawn here (no chart library): lines over time, and bars.
const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const HEIGHT = 160;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  Object.entries(attributes).forEach(([name, value]) => element.setAttribute(name, String(value)));
  children.forEach((child) => element.append(typeof child === 'string' ? document.createTextNode(child) : child));
  return element;
}

function frame(label, max, format) {
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': label });
  const bottom = HEIGHT - PAD.bottom;
  root.append(
    svg('line', { class: 'axis', x1: PAD.left, y1: bottom, x2: WIDTH - PAD.right, y2: bottom }),
    svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: bottom }),
    svg('text', { class: 'label', x: PAD.left - 4, y: PAD.top + 8, 'text-anchor': 'end' }, format(max)),
    svg('text', { class: 'label', x: PAD.left - 4, y: bottom, 'text-anchor': 'end' }, format(0)));
  return root;
}

/**
 * Lines over time: series = [{name, points: [[Date, number | null], …]}]. The x axis spans the earliest to the latest
 * point; the y axis starts at 0. A null value is a gap in the line; a value alone between gaps is drawn as a dot.
 */
export function lineChart(label, series, format = (v) => String(Math.round(v))) {
  const points = series.flatMap((s) => s.points);
  const values = points.map(([, v]) => v).filter((v) => typeof v === 'number');
  const max = Math.max(1e-9, ...values);
  const first = Math.min(...points.map(([t]) => t.getTime()));
  const last = Math.max(first + 1, ...points.map(([t]) => t.getTime()));
  const root = frame(label, max, format);
  const x = (t) => PAD.left + ((t.getTime() - first) / (last - first)) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  series.forEach((s, i) => {
    let d = '';
    s.points.forEach(([t, v], j) => {
      if (typeof v !== 'number') return;
      const joined = j > 0 && typeof s.points[j - 1][1] === 'number';
      d += `${joined ? ' L' : ' M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      const alone = !joined && !(j + 1 < s.points.length && typeof s.points[j + 1][1] === 'number');
      if (alone) root.append(svg('circle', { class: `dot series-${i}`, cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.5 }));
    });
    root.append(svg('path', { class: `series-${i}`, d: d.trim() }, svg('title', {}, s.name)));
  });
  if (points.length) {
    const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    root.append(
      svg('text', { class: 'label', x: PAD.left, y: HEIGHT - 6 }, clock(first)),
      svg('text', { class: 'label', x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end' }, clock(last)));
  }
  return root;
}

/** Bars: bars = [{label, value}]. */
export function barChart(label, bars, format = (v) => String(Math.round(v))) {
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const root = frame(label, max, format);
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, bars.length);
  bars.forEach((b, i) => {
    const height = (b.value / max) * (HEIGHT - PAD.top - PAD.bottom);
    const left = PAD.left + i * slot + slot * 0.15;
    root.append(
      svg('rect', { class: 'bar', x: left, y: HEIGHT - PAD.bottom - height, width: slot * 0.7, height },
        svg('title', {}, `${b.label}: ${format(b.value)}`)),
      svg('text', { class: 'label', x: left + slot * 0.35, y: HEIGHT - 6, 'text-anchor': 'middle' }, b.label));
  });
  return root;
}
