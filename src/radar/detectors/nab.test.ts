import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatNabResults, parseNabCsv, parseNabTimestamp, scoreNabSeries } from './nab.ts';
import { seasonalMetric } from './synthetic.ts';

const BIN = fileURLToPath(new URL('../../../bin/earshot.mjs', import.meta.url));

/** A NAB-format CSV of a synthetic seasonal series with a spike at row `spikeAt`. */
function nabCsv(seed: number, spikeAt: number): string {
  const points = seasonalMetric({ seed, days: 3, bucketMs: 5 * 60_000, surge: { from: spikeAt, to: spikeAt + 2, factor: 4 } });
  const rows = points.map((p) => `${new Date(p.t).toISOString().replace('T', ' ').slice(0, 19)},${p.value.toFixed(3)}`);
  return ['timestamp,value', ...rows].join('\n') + '\n';
}

describe('NAB contract', () => {
  it('reads NAB timestamps as UTC and CSVs by header', () => {
    assert.equal(parseNabTimestamp('2014-04-10 07:15:00'), Date.UTC(2014, 3, 10, 7, 15));
    assert.deepEqual(parseNabCsv('value,timestamp\n1.5,2014-04-10 07:15:00\n'), [{ timestamp: '2014-04-10 07:15:00', value: 1.5 }]);
    assert.throws(() => parseNabCsv('time,v\n1,2\n'), /timestamp,value/);
  });

  it('scores every point and writes timestamp,value,anomaly_score', () => {
    const series = parseNabCsv(nabCsv(1, 700));
    const scores = scoreNabSeries(series);
    assert.equal(scores.length, series.length);
    const out = formatNabResults(series, scores).trim().split('\n');
    assert.equal(out[0], 'timestamp,value,anomaly_score');
    assert.equal(out.length, series.length + 1);
    assert.ok(scores.slice(700, 702).some((s) => s >= 0.5), 'the spike alerts');
  });

  it('`earshot nab --data --out` mirrors <category>/<file>.csv with scores', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-nab-'));
    try {
      const data = path.join(dir, 'data');
      fs.mkdirSync(path.join(data, 'catA'), { recursive: true });
      fs.mkdirSync(path.join(data, 'catB'), { recursive: true });
      fs.writeFileSync(path.join(data, 'catA', 'one.csv'), nabCsv(2, 650));
      fs.writeFileSync(path.join(data, 'catB', 'two.csv'), nabCsv(3, 750));
      const out = path.join(dir, 'out');
      const r = spawnSync(process.execPath, [BIN, 'nab', '--data', data, '--out', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      for (const rel of ['catA/one.csv', 'catB/two.csv']) {
        const lines = fs.readFileSync(path.join(out, rel), 'utf8').trim().split('\n');
        const input = fs.readFileSync(path.join(data, rel), 'utf8').trim().split('\n');
        assert.equal(lines[0], 'timestamp,value,anomaly_score');
        assert.equal(lines.length, input.length);
        assert.equal(lines[1]!.split(',')[0], input[1]!.split(',')[0]);
        for (const line of lines.slice(1)) {
          const score = Number(line.split(',')[2]);
          assert.ok(score >= 0 && score <= 1);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
