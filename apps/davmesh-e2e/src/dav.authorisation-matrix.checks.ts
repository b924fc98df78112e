import { cellNames, isFolderKind, RENAMED, REWRITTEN, targetPath, type Area, type Method } from './dav.authorisation-matrix.requests';
import { FOLDER_KINDS, type Kind, type Login, type World } from './dav.authorisation-matrix.world';

const LISTING = '<propfind xmlns="DAV:"><prop><getetag/><displayname/></prop></propfind>';

const PRINCIPAL_OWNER: Partial<Record<Kind, Login>> = { 'own principal': 'bob', "another's principal": 'alice', "another context's principal": 'dave' };

function userSecrets(world: World, login: Login): string[] {
  return [world.users[login].displayName, world.users[login].email!];
}

/** The data of a cell's target that a refusal must not carry: display names, UIDs, texts. */
export function targetSecrets(world: World, area: Area, kind: Kind): string[] {
  const principalOwner = PRINCIPAL_OWNER[kind];
  if (principalOwner) return userSecrets(world, principalOwner);
  if (area === 'principals' || !isFolderKind(kind)) return [];
  return world.folders[area][kind]!.secrets;
}

/** Everything a user may not see, whatever they ask: no answer of theirs carries any of it. */
export function invisibleTo(world: World, who: Login): string[] {
  const visible: Record<Login, readonly string[]> = {
    alice: ['own folder', 'shared read-only', 'shared read-write', "another user's folder", 'GAL'],
    bob: ['own folder', 'shared read-only', 'shared read-write', 'GAL'],
    carol: ['GAL'],
    dave: ["another context's folder"],
  };
  const folders = (['caldav', 'carddav'] as const).flatMap((area) =>
    FOLDER_KINDS.filter((kind) => !visible[who].includes(kind)).flatMap((kind) => world.folders[area][kind]?.secrets ?? []),
  );
  const people = who === 'dave' ? (['alice', 'bob', 'carol'] as const) : (['dave'] as const);
  return [...folders, ...people.flatMap((login) => userSecrets(world, login))];
}

/** What a refusal must leave as it was: the target as its owner reads it, and for a MOVE the requester's second folder. */
export async function snapshot(world: World, area: Area, kind: Kind, method: Method, who: Login): Promise<string[]> {
  const listing = async (login: Login, path: string, depth: '0' | '1') => {
    const response = await world.as[login]('PROPFIND', path, { Depth: depth }, LISTING);
    return `${login} ${path} ${response.status} ${response.text}`;
  };
  const principalOwner = PRINCIPAL_OWNER[kind];
  if (area === 'principals' || principalOwner) return [await listing(principalOwner!, targetPath(world, area, kind), '0')];
  const second = method.startsWith('MOVE') ? [await listing(who, world.second[area][who], '1')] : [];
  if (kind === 'home') return [await listing(who, `/dav/${area}/`, '1'), ...second];
  const folder = world.folders[area][kind as (typeof FOLDER_KINDS)[number]]!;
  return [await listing(folder.owner, folder.ownerPath, '1'), ...second];
}

/**
 * Checks that an allowed cell did what it says, reading back as the owner where it wrote; answers
 * what went wrong, or undefined.
 */
export async function allowedEffect(world: World, area: Area, kind: Kind, method: Method, who: Login, text: string): Promise<string | undefined> {
  const path = targetPath(world, area, kind);
  const must = (ok: boolean, what: string) => (ok ? undefined : what);
  if (area === 'principals' || !isFolderKind(kind)) {
    if (method === 'PROPFIND depth 1' && kind === 'home' && area !== 'principals') {
      const shared = [world.folders[area]['shared read-only']!.path, world.folders[area]['shared read-write']!.path];
      return must(shared.every((href) => text.includes(`<d:href>${href}</d:href>`)), 'the home does not list the folders shared with bob');
    }
    if (method.startsWith('PROPFIND')) return must(text.includes(`<d:href>${path}</d:href>`), `the answer lacks ${path}`);
    if (method === 'MKCOL inside') {
      const home = await world.as[who]('PROPFIND', path, { Depth: '1' }, LISTING);
      return must(home.text.includes(`${path}${cellNames(area, kind, who).collection}`), 'the new collection is not in the home');
    }
    return `no effect known for ${method} on ${kind}`;
  }
  const folder = world.folders[area][kind]!;
  const names = cellNames(area, kind, who);
  const asOwner = (name: string) => world.as[folder.owner]('GET', `${folder.ownerPath}${name}`);
  const asSelf = (target: string) => world.as[who]('GET', target);
  const uid = `${folder.prefix}-item-uid`;
  switch (method) {
    case 'PROPFIND depth 0':
      return must(text.includes(`<d:href>${path}</d:href>`), `the answer lacks ${path}`);
    case 'PROPFIND depth 1':
    case 'PROPFIND object':
    case 'REPORT sync-collection':
      return must(text.includes(`${path}${folder.names.item}</d:href>`), `the answer lacks ${folder.names.item}`);
    case 'GET object':
    case 'REPORT multiget':
    case 'REPORT query':
      return must(text.includes(kind === 'GAL' ? 'Alice Anderson' : uid), 'the answer lacks the object');
    case 'PUT new inside':
      return must((await asOwner(names.created)).text.includes(`new-${names.tag}-uid`), 'the owner does not see the new object');
    case 'PUT overwrite object':
      return must((await asOwner(folder.names.overwrite)).text.includes(REWRITTEN), 'the owner does not see the new content');
    case 'PROPPATCH': {
      const props = await world.as[folder.owner]('PROPFIND', folder.ownerPath, { Depth: '0' }, LISTING);
      return must(props.text.includes(RENAMED), 'the owner does not see the new name');
    }
    case 'MOVE object out of':
      if ((await asOwner(folder.names.movable)).status !== 404) return 'the owner still has the moved object';
      return must((await asSelf(`${world.second[area][who]}${names.movedOut}`)).status === 200, 'the moved object is not at its destination');
    case 'MOVE object into':
      if ((await asSelf(`${world.second[area][who]}${names.incoming}`)).status !== 404) return 'the moved object is still at its source';
      return must((await asOwner(names.movedIn)).status === 200, 'the owner does not see the moved object');
    case 'DELETE object':
      return must((await asOwner(folder.names.doomed)).status === 404, 'the owner still has the deleted object');
    case 'DELETE': {
      const gone = await world.as[folder.owner]('PROPFIND', folder.ownerPath, { Depth: '0' }, LISTING);
      return must(gone.status === 404, 'the owner still has the deleted folder');
    }
    case 'MKCOL inside':
      return 'no collection may be made inside a folder';
  }
}
