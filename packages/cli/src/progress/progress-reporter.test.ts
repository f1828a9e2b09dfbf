import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from './progress-reporter.js';

function fakeTerminal(): { stream: NodeJS.WritableStream; written: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  }) as Writable & {
    isTTY: boolean;
    columns: number;
    cursorTo: () => boolean;
    clearLine: () => boolean;
  };
  stream.isTTY = true;
  stream.columns = 80;
  return { stream, written: () => text };
}

describe('terminalProgress', () => {
  it('draws nothing for work shorter than the delay', () => {
    let now = 0;
    const terminal = fakeTerminal();
    const progress = terminalProgress({ stream: terminal.stream, now: () => now });
    progress.phase('read', 10);
    for (let step = 0; step < 10; step++) {
      now += 50;
      progress.advance();
    }
    progress.finish();
    expect(terminal.written()).toBe('');
  });

  it('draws the bar with the phase and count once the delay has passed', () => {
    let now = 0;
    const terminal = fakeTerminal();
    const progress = terminalProgress({ stream: terminal.stream, now: () => now });
    progress.phase('read model.safetensors', 4);
    progress.advance();
    expect(terminal.written()).toBe('');
    now = 1500;
    progress.advance();
    expect(terminal.written()).toContain('read model.safetensors');
    expect(terminal.written()).toContain('2/4');
    progress.finish();
  });
});
