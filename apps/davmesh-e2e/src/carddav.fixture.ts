import request from 'supertest';
import { type BusClient } from '@davmesh/bus';
import { ConfigSet, type ConfigValue, type User } from '@davmesh/contracts';
import { basicAuth, carddavClient, DAVX5_UA, parseMultistatus, userAgentProxy, vcard, type ParsedResponse } from '@davmesh/testing';
import { sharedNodePerSuite, type SharedNode } from './shared-node.fixture';

/** One user of a node, speaking HTTP with a chosen user agent. */
export interface DavAgent {
  user: User;
  request(method: string, path: string, userAgent?: string): request.Test;
  /** Depth 1 PROPFIND, parsed; `body` defaults to a getetag + resourcetype prop request. */
  propfind(path: string, userAgent?: string, body?: string, depth?: '0' | '1'): Promise<ParsedResponse[]>;
  /** The hrefs of the address books listed in the home. */
  addressbooks(userAgent?: string): Promise<string[]>;
  /** The resource names of the contacts in a collection. */
  contactNames(collection: string, userAgent?: string): Promise<string[]>;
  put(path: string, vcard: string, userAgent?: string): request.Test;
  /** A REPORT with a body; the multistatus parsed when the answer is 207. */
  report(path: string, body: string, userAgent?: string): Promise<{ status: number; text: string; responses: ParsedResponse[] }>;
  /** A user-level setting through the config cascade (config.v1.set on the bus), seen by the edge once its cache hears of it. */
  configure(key: string, value: ConfigValue): Promise<void>;
}

/** A suite's share of its worker's embedded node (shared-node.fixture.ts), with users as CardDAV agents. */
export interface CarddavNode extends Omit<SharedNode, 'addUser'> {
  /** Adds a user to the suite's context and returns an agent for them (password `<login>-pw`; logs in as `agent.user.login`). */
  addUser(login: string, displayName?: string): Promise<DavAgent>;
}

const GETETAG = `<propfind xmlns="DAV:"><prop><getetag/><resourcetype/><displayname/><sync-token/></prop></propfind>`;

/** One user of a node, speaking HTTP to it at `url`; `bus` carries the user's config settings. */
function davAgent(url: string, bus: BusClient, user: User, password: string): DavAgent {
  const auth = basicAuth(user.login, password);
  const send = (method: string, path: string, userAgent = DAVX5_UA) =>
    request(url)[method.toLowerCase() as 'get'](path).set('Authorization', auth).set('User-Agent', userAgent);
  const self: DavAgent = {
    user,
    request: send,
    async propfind(path, userAgent, body = GETETAG, depth = '1') {
      const response = await send('PROPFIND', path, userAgent).set('Depth', depth).send(body);
      if (response.status !== 207) throw new Error(`PROPFIND ${path}: ${response.status} ${response.text}`);
      return parseMultistatus(response.text);
    },
    async addressbooks(userAgent) {
      const home = '/dav/carddav/';
      return (await self.propfind(home, userAgent)).map((r) => r.href).filter((href) => href !== home);
    },
    async contactNames(collection, userAgent) {
      const responses = await self.propfind(collection, userAgent);
      return responses
        .map((r) => r.href)
        .filter((href) => href !== collection)
        .map((href) => decodeURIComponent(href.split('/').pop()!))
        .sort();
    },
    async report(path, body, userAgent) {
      const response = await send('REPORT', path, userAgent).set('Content-Type', 'application/xml; charset=utf-8').send(body);
      return { status: response.status, text: response.text, responses: response.status === 207 ? await parseMultistatus(response.text) : [] };
    },
    put: (path, vcard, userAgent) => send('PUT', path, userAgent).set('Content-Type', 'text/vcard; charset=utf-8').send(vcard),
    async configure(key, value) {
      await bus.call(ConfigSet, { key, value, userId: user.userId });
    },
  };
  return self;
}

/** The worker's shared node for the enclosing describe block (sharedNodePerSuite), with CardDAV agents for its users. */
export function carddavNodePerSuite(): () => CarddavNode {
  const shared = sharedNodePerSuite();
  return () => {
    const node = shared();
    return {
      ...node,
      async addUser(login, displayName = login) {
        const password = `${login}-pw`;
        return davAgent(node.url, node.bus, await node.addUser(login, password, { displayName }), password);
      },
    };
  };
}

/** The path of a user's personal address book, as DAVx5 sees it. */
export async function personalBook(agent: DavAgent): Promise<string> {
  const responses = await agent.propfind('/dav/carddav/', DAVX5_UA);
  const personal = responses.find((r) => r.found.get('{DAV:}displayname')?.text === 'Contacts' && r.href !== '/dav/carddav/');
  if (!personal) throw new Error('no personal address book');
  return personal.href;
}

/**
 * A real client (tsdav) of one user with one user agent, through discovery, behind a proxy that
 * checks every request reached the server with that user agent: the address books it is shown
 * (paths, sorted), the contact names in each, and the status of a contact it creates in one of them.
 */
export async function tsdavSession(
  serverUrl: string,
  login: string,
  password: string,
  userAgent: string,
  create?: { book: string; uid: string },
) {
  const proxy = await userAgentProxy(serverUrl);
  try {
    const client = await carddavClient(proxy.url, login, password, userAgent);
    const addressBooks = await client.fetchAddressBooks();
    const pathOf = (url: string) => new URL(url, proxy.url).pathname;
    const contents: Record<string, string[]> = {};
    for (const book of addressBooks) {
      contents[pathOf(book.url)] = (await client.fetchVCards({ addressBook: book })).map((c) => pathOf(c.url).split('/').pop()!).sort();
    }
    let created: number | undefined;
    const target = addressBooks.find((b) => pathOf(b.url) === create?.book);
    if (create && target) {
      created = (await client.createVCard({ addressBook: target, filename: `${create.uid}.vcf`, vCardString: vcard(create.uid, create.uid) })).status;
    }
    const agents = new Set(proxy.seen.map((line) => line.split(' ').slice(2).join(' ')));
    if (agents.size !== 1 || !agents.has(userAgent)) throw new Error(`user agents that reached the server: ${[...agents].join(' | ')}`);
    return { books: addressBooks.map((b) => pathOf(b.url)).sort(), contents, created, requests: proxy.seen.length };
  } finally {
    await proxy.close();
  }
}
