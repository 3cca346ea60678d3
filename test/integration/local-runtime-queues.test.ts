import { describe, expect, it } from 'vitest';
import { queues as manifestQueues } from '#shared/manifest.ts';
import { ensureQueues } from '../../scripts/local/queues.ts';
import { testClients, testResources } from '../support/index.ts';

describe('ensureQueues', () => {
  it('returns the same queues when called again on queues that already exist', async () => {
    const { queuePrefix, queues } = testResources();

    const again = await ensureQueues(testClients().sqs, manifestQueues, { prefix: queuePrefix });

    expect(again.map((q) => [q.url, q.dlqUrl])).toEqual(queues.map((q) => [q.url, q.dlqUrl]));
  });

  it('applies a changed visibility timeout to an existing queue', async () => {
    const { queuePrefix } = testResources();

    const changed = await ensureQueues(testClients().sqs, manifestQueues, {
      prefix: queuePrefix,
      visibilityTimeoutSeconds: 2,
    });

    expect(changed.every((q) => q.visibilityTimeoutSeconds === 2)).toBe(true);
  });
});
