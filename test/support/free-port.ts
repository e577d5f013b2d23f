import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on right now (another process may still take it first). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port was assigned'))));
    });
  });
