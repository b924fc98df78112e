import { CONFIG_KEYS, type ConfigKey } from './config-keys';

/** docs/config.md, generated from the registry so the two never disagree. */
export function renderConfigReference(): string {
  const lines = [
    '# Configuration keys',
    '',
    '<!-- Generated from libs/contracts/src/config-keys.ts by `npm run docs:config`; a test fails when it is stale. -->',
    '',
    'Effective value for a user: the highest level that sets the key.',
    'Levels, lowest first: built-in default < server (`*.properties` in `DAVMESH_CONFIG_DIR`)',
    '< context set (`contextSets/*.yml`, matched by the context\'s tags; of several matching sets the one',
    'later in file-name order, then file order, wins) < context < user (both set with `davmesh config set`).',
    '',
    '| key | type | default | allowed | levels | meaning |',
    '|---|---|---|---|---|---|',
  ];
  for (const key of Object.keys(CONFIG_KEYS).sort() as ConfigKey[]) {
    const d = CONFIG_KEYS[key];
    const allowed = 'allowed' in d ? d.allowed.map((v) => `\`${v}\``).join(', ') : 'min' in d ? `${d.min} to ${d.max}` : describeType(d.type);
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    lines.push(
      `| \`${key}\` | ${d.type} | \`${cell(String(d.default))}\` | ${cell(allowed)} | ${d.levels.join(', ')} | ${cell(d.help)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeType(type: string): string {
  switch (type) {
    case 'boolean':
      return '`true`, `false`';
    case 'regex':
      return 'a regular expression (case-insensitive)';
    case 'folder-list':
      return 'comma-separated folder ids';
    case 'path':
      return 'an absolute path';
    case 'address-list':
      return 'comma-separated IP addresses or CIDR ranges';
    case 'agent-patterns':
      return 'comma-separated regular expressions, ! before one refuses';
    case 'domain':
      return 'a DNS domain name, or empty';
    case 'smtp-url':
      return 'empty, or smtp:// or smtps:// [user:password@] host [:port]';
    case 'email-address':
      return 'empty, or an e-mail address';
    default:
      return 'any text';
  }
}
