// A filtered replay: a dry run first (how many would be sent), then the replay at a rate, with a progress bar
// polled from GET /v1/replays/{id}, and cancel (DELETE). Changing the filter asks for a new dry run.
import { api, h, show, badge, problemBox, every, Problem } from './api.js';

const POLL_MILLIS = 500;

export function replayPanel(filter) {
  const rate = h('input', { id: 'replay-rate', type: 'number', min: 1, value: 50 });
  const includeReplayed = h('input', { id: 'replay-include-replayed', type: 'checkbox' });
  const dryRun = h('button', { id: 'dry-run', type: 'button', class: 'secondary' }, 'Dry run');
  const start = h('button', { id: 'replay', type: 'button', disabled: true }, 'Replay');
  const cancel = h('button', { id: 'cancel-replay', type: 'button', class: 'danger', hidden: true }, 'Cancel');
  const bar = h('progress', { id: 'replay-progress', max: 1, value: 0, hidden: true });
  const status = h('div', { id: 'replay-status', 'aria-live': 'polite' });
  let expected = 0;
  let stopPolling = () => {};
  let running = null;

  const request = (dry) => ({
    filter: filter(), dryRun: dry, ratePerSecond: Number(rate.value) || undefined,
    includeReplayed: includeReplayed.checked,
  });
  const fail = (e) => {
    if (!(e instanceof Problem)) throw e;
    show(status, problemBox(e));
  };
  const poll = (job, onEnd) => {
    stopPolling();
    stopPolling = every(POLL_MILLIS, async () => {
      try {
        const now = await api(`/v1/replays/${encodeURIComponent(job.id)}`);
        if (now.state === 'RUNNING') {
          onEnd.progress?.(now);
          return true;
        }
        onEnd.done(now);
      } catch (e) {
        fail(e);
      }
      return false;
    });
  };

  dryRun.addEventListener('click', async () => {
    start.disabled = true;
    show(status, h('span', { class: 'muted' }, 'Counting…'));
    try {
      poll(await api('/v1/replays', { method: 'POST', body: request(true) }), {
        done: (job) => {
          expected = job.matched;
          show(status, h('span', { id: 'dry-run-result', 'data-matched': job.matched },
            `${job.matched} dead letters would be sent again (of ${job.scanned} scanned), at ${job.ratePerSecond}/s.`));
          start.textContent = `Replay ${job.matched}`;
          start.disabled = job.matched === 0;
        },
      });
    } catch (e) {
      fail(e);
    }
  });

  const progress = (job) => {
    const done = job.sent + job.failed;
    bar.max = Math.max(1, expected, job.matched);
    bar.value = done;
    show(status, badge(job.state), ' ', h('span', { id: 'replay-counts', 'data-sent': job.sent,
      'data-failed': job.failed, 'data-state': job.state }, `${job.sent} sent, ${job.failed} failed, ${job.matched} matched`),
      job.error ? h('div', { class: 'problem' }, job.error) : '');
  };

  start.addEventListener('click', async () => {
    start.disabled = true;
    dryRun.disabled = true;
    bar.hidden = false;
    try {
      running = await api('/v1/replays', { method: 'POST', body: request(false) });
      cancel.hidden = false;
      progress(running);
      poll(running, {
        progress,
        done: (job) => {
          progress(job);
          if (job.state === 'COMPLETED') bar.value = bar.max;
          start.textContent = 'Replay';
          cancel.hidden = true;
          dryRun.disabled = false;
          running = null;
        },
      });
    } catch (e) {
      dryRun.disabled = false;
      fail(e);
    }
  });

  cancel.addEventListener('click', async () => {
    if (!running) return;
    try {
      await api(`/v1/replays/${encodeURIComponent(running.id)}`, { method: 'DELETE' });
    } catch (e) {
      fail(e);
    }
  });

  const element = h('section', { class: 'card', id: 'replay-panel' },
    h('div', { class: 'filters' },
      h('label', {}, 'Rate (per second)', rate),
      h('label', {}, 'Include dead letters already replayed', includeReplayed)),
    h('p', { class: 'muted' }, 'The filter above applies. A dry run counts what would be sent; nothing is sent.'),
    h('div', { class: 'actions' }, dryRun, start, cancel), bar, status);
  return {
    element,
    filterChanged: () => {
      if (running) return;
      start.disabled = true;
      start.textContent = 'Replay';
    },
    stop: () => stopPolling(),
  };
}
