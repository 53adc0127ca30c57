import { describe, expect, it } from 'vitest';
import { MEMORY } from '../helpers/servers.js';
import { startCaged, support } from './caged-server.js';

// Needs a working bubblewrap (.ci/run installs it): without one these tests fail, naming why.
describe('an ordinary npm server under the default profile', () => {
  it('runs where bubblewrap works (.ci/run installs it)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
  });

  it('starts from node_modules and serves its tools (the project-root rule binds its dependencies)', async () => {
    const caged = await startCaged(MEMORY, { limits: { memoryMb: 256, pids: 64 } });
    try {
      const { tools } = await caged.client.listTools();
      expect(tools.map((t) => t.name)).toContain('create_entities');
      const graph = await caged.client.callTool({ name: 'read_graph', arguments: {} });
      expect(graph.isError).not.toBe(true);
    } finally {
      await caged.close();
    }
  });
});
