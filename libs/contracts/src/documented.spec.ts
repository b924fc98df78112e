import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigReference } from './config-docs';
import { ALL_CONTRACTS } from './registry';

describe('docs/bus-api.md', () => {
  it('documents every subject the code defines', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'bus-api.md'), 'utf8');
    const undocumented = [...ALL_CONTRACTS.requests, ...ALL_CONTRACTS.events]
      .map((c) => c.subject)
      .filter((subject) => !doc.includes(`\`${subject}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('docs/config.md', () => {
  it('is what the key registry generates (run `npm run docs:config` after changing a key)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'config.md'), 'utf8');
    expect(doc).toBe(renderConfigReference());
  });
});
