import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../../src/application/bounded-map.js';

describe('mapBounded', () => {
  it('keeps at most the limit in flight and answers in the items’ order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([30, 5, 20, 1, 10, 2], 3, async (ms) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(ms);
      running -= 1;
      return ms * 2;
    });
    expect(results).toEqual([60, 10, 40, 2, 20, 4]);
    expect(peak).toBe(3);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapBounded([1, 2, 3, 4, 5], 1, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('item 2 failed');
      return item;
    });
    await expect(run).rejects.toThrow('item 2 failed');
    expect(started).toEqual([1, 2]);
  });

  it('answers an empty list at once', async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});
