import { DomainException } from '@davmesh/contracts';

export interface ObjectPosition {
  folderId: number;
  name: string;
}

export function encodeCursor(position: ObjectPosition): string {
  return Buffer.from(JSON.stringify([position.folderId, position.name])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): ObjectPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [folderId, name] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof folderId === 'number' && typeof name === 'string') return { folderId, name };
  } catch {
    // fall through
  }
  throw new DomainException('bad-request', 'invalid cursor');
}
