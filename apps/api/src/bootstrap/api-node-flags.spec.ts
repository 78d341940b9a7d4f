import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_NODE_FLAGS } from './api-node-flags';

const ROOT = join(__dirname, '../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the API start commands', () => {
  const flags = API_NODE_FLAGS.join(' ');

  it.each([
    ['infra/docker/Dockerfile', () => read('infra/docker/Dockerfile'), `CMD ["node", ${API_NODE_FLAGS.map((flag) => `"${flag}"`).join(', ')}, "dist/apps/api/main.js"]`],
    ['docker-compose.yml', () => read('docker-compose.yml'), `command: ["node", ${API_NODE_FLAGS.map((flag) => `"${flag}"`).join(', ')}, "dist/apps/api/main.js"]`],
    ["package.json's start", () => (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start']!, `node ${flags} dist/apps/api/main.js`],
    ['infra/local/start-demo.sh', () => read('infra/local/start-demo.sh'), `node ${flags} dist/apps/api/main.js`],
  ])('%s starts the API with its Node flags', (_where, text, command) => {
    expect(text()).toContain(command);
    // And no start of the API without them.
    expect(text().split('\n').filter((line) => /node"?,? "?dist\/apps\/api\/main\.js/.test(line))).toEqual([]);
  });
});
