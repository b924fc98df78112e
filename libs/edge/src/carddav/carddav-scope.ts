import { type IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { ContactFoldersList, GAL_FOLDER_ID, type ContactFolder, type EffectiveConfig, type User } from '@davmesh/contracts';
import { DavHttpError } from '../http/dav-exchange';
import { AGGREGATED_SEGMENT } from '../resources/resource';
import { ContactFolderCache } from './contact-folder-cache';
import { unwrap } from '../http/reply-errors';
import { encodeSyncToken } from '../reports/sync-token';
import { collectionLookup, scopeFromListing, type DavScope } from '../resources/dav-scope';

/** One address book as a client sees it: a folder, or the aggregated collection over several. */
export interface AddressbookView {
  kind: 'folder' | 'aggregated';
  href: string;
  segment: string;
  /** Folders whose objects it shows. */
  folderIds: number[];
  /** Where a new object PUT into it lands. */
  targetFolderId: number;
  displayName: string;
  description: string | null;
  writable: boolean;
  /** sync-token and getctag: changes whenever any member folder changes. */
  syncToken: string;
  folder?: ContactFolder;
}

/** What CardDAV shows one user on one request: the config rules applied to their folders. */
export interface CarddavScope extends DavScope<AddressbookView> {
  folders: ContactFolder[];
  /** The collections listed in the home. */
  collections: AddressbookView[];
}

/**
 * A book the user made keeps the name their MKCOL chose; any other (shared, GAL) is addressed by id,
 * since slugs are unique per owner only and a grantee's own book may carry the same one.
 */
function folderSegment(user: User, folder: ContactFolder): string {
  return folder.slug !== null && folder.ownerUserId === user.userId ? folder.slug : String(folder.folderId);
}

/**
 * Applies com.openexchange.carddav.*: enabled (403), ignoreFolders, exposedCollections
 * with the user-agent pattern, reducedAggregatedCollection. The rules apply on every request
 * to the folders as the contacts service listed them, cached or not.
 */
@Injectable()
export class CarddavScopes {
  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
    @Inject(ContactFolderCache) private readonly folderCache: ContactFolderCache,
  ) {}

  /** See scopeFromListing for `reuse`. */
  async open(request: IncomingMessage, user: User, prefix: string, reuse?: string[]): Promise<CarddavScope> {
    const config = await this.userConfig.forUser(user.userId);
    if (config.values['com.openexchange.carddav.enabled'].value !== true) throw new DavHttpError(403, 'CardDAV is disabled for this user');
    const list = async () => unwrap(await this.bus.request(ContactFoldersList, { userId: user.userId, contextId: user.contextId }));
    return scopeFromListing(this.folderCache, user.userId, reuse, list, (all) => this.scopeOf(request, user, config, prefix, all));
  }

  private scopeOf(request: IncomingMessage, user: User, config: EffectiveConfig, prefix: string, all: ContactFolder[]): CarddavScope {
    const homeHref = `${prefix}/carddav/`;
    const ignored = new Set(
      String(config.values['com.openexchange.carddav.ignoreFolders'].value)
        .split(',')
        .map((id) => Number(id.trim()))
        .filter((id) => Number.isInteger(id) && id > 0),
    );
    const folders = all.filter((f) => !ignored.has(f.folderId));
    const personal = all.find((f) => f.kind === 'personal' && f.ownerUserId === user.userId);
    if (!personal) throw new DavHttpError(500, 'the personal contacts folder is missing');

    const perFolder = folders.map((folder): AddressbookView => {
      const segment = folderSegment(user, folder);
      return {
        kind: 'folder',
        href: `${homeHref}${segment}/`,
        segment,
        folderIds: [folder.folderId],
        targetFolderId: folder.folderId,
        displayName: folder.displayName,
        description: folder.description,
        writable: folder.rights === 'write',
        syncToken: encodeSyncToken({ [folder.folderId]: folder.revision }),
        folder,
      };
    });
    const reduced = config.values['com.openexchange.carddav.reducedAggregatedCollection'].value === true;
    const members = folders.filter((f) => !reduced || f.folderId === personal.folderId || f.folderId === GAL_FOLDER_ID);
    const aggregated: AddressbookView = {
      kind: 'aggregated',
      href: `${homeHref}${AGGREGATED_SEGMENT}/`,
      segment: AGGREGATED_SEGMENT,
      folderIds: members.map((f) => f.folderId),
      targetFolderId: personal.folderId,
      displayName: 'All Contacts',
      description: null,
      writable: true,
      syncToken: encodeSyncToken(Object.fromEntries(members.map((f) => [f.folderId, f.revision]))),
    };
    const collections = this.aggregatedWanted(config, request.headers['user-agent']) ? [aggregated] : perFolder;
    return {
      user,
      config,
      prefix,
      homeHref,
      folders,
      collections,
      ...collectionLookup(collections, (collection, folderId) => collection.folderIds.includes(folderId)),
    };
  }

  private aggregatedWanted(config: EffectiveConfig, userAgent: string | undefined): boolean {
    const mode = String(config.values['com.openexchange.carddav.exposedCollections'].value);
    if (mode === '1') return false;
    if (mode === '2') return true;
    const pattern = String(config.values['com.openexchange.carddav.userAgentForAggregatedCollection'].value);
    try {
      return new RegExp(pattern, 'i').test(userAgent ?? '');
    } catch {
      return false;
    }
  }
}
