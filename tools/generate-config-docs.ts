import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigReference } from '@davmesh/contracts';

writeFileSync(join(__dirname, '..', 'docs', 'config.md'), renderConfigReference());
