import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestCheckpoint, resumePoint } from '../../../training/run-folder.js';
import { CHECKPOINT_STATE_FILE } from '../../../training/index.js';

function runDir(steps: { step: number; complete: boolean }[]): string {
  const out = mkdtempSync(path.join(tmpdir(), 'kgtune-resume-'));
  for (const s of steps) {
    const d = path.join(out, 'checkpoints', `checkpoint-${s.step}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'trainable.safetensors'), 'x');
    if (s.complete) writeFileSync(path.join(d, CHECKPOINT_STATE_FILE), '{}');
  }
  return out;
}

describe('where a retried training attempt resumes', () => {
  it('skips a checkpoint whose state file was never written (killed while saving)', async () => {
    const out = runDir([{ step: 170, complete: true }, { step: 230, complete: true }, { step: 235, complete: false }]);
    expect(await latestCheckpoint(out)).toBe(path.join(out, 'checkpoints', 'checkpoint-230'));
  });

  it('prefers the newest complete checkpoint on disk over an older heartbeat (heartbeats are throttled)', async () => {
    const out = runDir([{ step: 170, complete: true }, { step: 230, complete: true }]);
    expect(await resumePoint(out, path.join(out, 'checkpoints', 'checkpoint-170'))).toBe(path.join(out, 'checkpoints', 'checkpoint-230'));
  });

  it('uses the heartbeat checkpoint when it is the newest, and nothing when there is none', async () => {
    const out = runDir([{ step: 50, complete: true }]);
    expect(await resumePoint(out, path.join(out, 'checkpoints', 'checkpoint-50'))).toBe(path.join(out, 'checkpoints', 'checkpoint-50'));
    expect(await resumePoint(runDir([]), undefined)).toBeUndefined();
  });
});
