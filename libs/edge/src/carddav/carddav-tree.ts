import { Inject, Injectable } from '@nestjs/common';
import { type ContactObject } from '@davmesh/contracts';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type PropertyContext } from '../properties/property';
import { ReportRegistry } from '../reports/report-registry';
import { onePage, renderedMembersKey, type PropfindNode, type ResourceTree } from '../resources/adapters';
import { contextIn } from '../resources/dav-scope';
import { type Resource } from '../resources/resource';
import { CarddavResources } from './carddav-resources';
import { type AddressbookView } from './carddav-scope';

/** The address book home (Depth 1: the books this user is shown), the address books (Depth 1: every contact, page by page) and the contacts. */
@Injectable()
export class CarddavTree implements ResourceTree {
  readonly kinds = ['addressbook-home', 'addressbook', 'aggregated-addressbook', 'contact'] as const;

  constructor(
    @Inject(CarddavResources) private readonly resources: CarddavResources,
    @Inject(ReportRegistry) private readonly reports: ReportRegistry,
  ) {}

  async open(exchange: DavExchange): Promise<() => Promise<PropfindNode>> {
    return () => this.node(exchange);
  }

  private async node(exchange: DavExchange): Promise<PropfindNode> {
    const { resource } = exchange;
    const scope = await this.resources.open(exchange);
    const context = (target: Resource, addressbook?: AddressbookView, contact?: ContactObject): PropertyContext => ({
      ...contextIn(scope, target),
      reports: this.reports.namesFor(target.kind),
      ...(addressbook ? { addressbook } : {}),
      ...(contact ? { contact } : {}),
    });
    if (resource.kind === 'addressbook-home') {
      const books = scope.collections.map((book) => {
        const target: Resource = book.kind === 'aggregated' ? { kind: 'aggregated-addressbook', path: book.href } : { kind: 'addressbook', path: book.href, segment: book.segment };
        return context(target, book);
      });
      return { self: context(resource), members: () => onePage(books) };
    }
    if (resource.kind === 'contact') {
      const { view, object } = await this.resources.object(exchange, scope);
      if (!object) throw new DavHttpError(404, 'no such contact');
      return { self: context(resource, view, object) };
    }
    const view = this.resources.collection(scope, resource);
    const resources = this.resources;
    return {
      self: context(resource, view),
      membersKey: renderedMembersKey(scope.user, view, resources.listingKey(scope, view)),
      async *members() {
        for await (const page of resources.objects(scope, view)) {
          yield page.map((contact) => context({ kind: 'contact', path: `${view.href}${contact.name}`, segment: view.segment, name: contact.name }, view, contact));
        }
      },
    };
  }
}
