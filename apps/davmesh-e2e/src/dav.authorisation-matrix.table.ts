import { COLLECTION_METHODS, FOLDER_METHODS, type Area, type Method } from './dav.authorisation-matrix.requests';
import { type Kind, type Login } from './dav.authorisation-matrix.world';

/**
 * What each cell answers today, by RFC 4918, RFC 3744 and the README:
 * - a 2xx number: allowed, and the effect is there for the owner to see;
 * - `need-privileges`: 403 with DAV:need-privileges (RFC 3744 7.1.1), for what the user sees but may not do;
 * - `supported-report`: 403 with DAV:supported-report (RFC 3253 3.6), a report the resource has not;
 * - `404`: a resource the user may not know of answers as if it did not exist (RFC 4918 9.3.1/RFC 3744 7.1.1);
 * - `405`: the method is not allowed on this kind of resource, whoever asks (so it discloses nothing);
 * - `disputed`: today's answer looks wrong (see DISPUTED); the cell asserts only that nothing leaks
 *   and a refusal changes nothing, so that fixing it does not break the matrix.
 */
export type Answer = '200' | '201' | '204' | '207' | 'need-privileges' | 'supported-report' | '404' | '405' | 'disputed';

export interface Cell {
  area: Area;
  who: Login;
  /** What the resource is to bob (carol and dave try alice's folder shared read-write with bob). */
  kind: Kind;
  method: Method;
  answer: Answer;
  /** Why a disputed cell is disputed. */
  note?: string;
}

/** One answer per column; `undefined` where the column has no such resource. */
type Row<Columns extends readonly unknown[], Value = Answer> = { [K in keyof Columns]: Value };

const PRINCIPAL_COLUMNS = ['own principal', "another's principal", "another context's principal"] as const;

/** bob on the principals of /dav/principals/users/: his own, alice's (his context), dave's (another context). */
const PRINCIPALS: Record<(typeof COLLECTION_METHODS)[number], Row<typeof PRINCIPAL_COLUMNS>> = {
  //                          own     alice's   dave's
  'PROPFIND depth 0':       ['207',   '207',    '404'],
  'PROPFIND depth 1':       ['207',   '207',    '404'],
  PROPPATCH:                ['405',   '405',    '405'],
  'PUT new inside':         ['404',   '404',    '404'],
  'MKCOL inside':           ['404',   '404',    '404'],
  'REPORT sync-collection': ['supported-report', 'supported-report', 'supported-report'],
  DELETE:                   ['405',   '405',    '405'],
};

/** bob on his calendar home and his address book home. */
const HOMES: Record<(typeof COLLECTION_METHODS)[number], Row<readonly ['caldav', 'carddav']>> = {
  //                          /dav/caldav/        /dav/carddav/
  'PROPFIND depth 0':       ['207',              '207'],
  'PROPFIND depth 1':       ['207',              '207'],
  PROPPATCH:                ['405',              '405'],
  'PUT new inside':         ['405',              '405'],
  'MKCOL inside':           ['201',              '201'],
  'REPORT sync-collection': ['supported-report', '405'],
  DELETE:                   ['405',              '405'],
};

const FOLDER_COLUMNS = [
  ['bob', 'own folder'],
  ['bob', 'shared read-only'],
  ['bob', 'shared read-write'],
  ['bob', 'GAL'],
  ['bob', "another user's folder"],
  ['bob', "another context's folder"],
  ['carol', 'shared read-write'],
  ['dave', 'shared read-write'],
] as const satisfies readonly (readonly [Login, Kind])[];

const NONE = undefined;

/** CalDAV has no global address list: its column is empty. */
const CALDAV: Record<(typeof FOLDER_METHODS)[number], Row<typeof FOLDER_COLUMNS, Answer | undefined>> = {
  //                          bob: own    read-only          read-write         GAL    alice's  dave's   carol: rw  dave: rw
  'PROPFIND depth 0':       ['207',      '207',             '207',             NONE,  '404',   '404',   '404',     '404'],
  'PROPFIND depth 1':       ['207',      '207',             '207',             NONE,  '404',   '404',   '404',     '404'],
  'GET object':             ['200',      '200',             '200',             NONE,  '404',   '404',   '404',     '404'],
  'PROPFIND object':        ['207',      '207',             '207',             NONE,  '404',   '404',   '404',     '404'],
  'REPORT multiget':        ['207',      '207',             '207',             NONE,  '404',   '404',   '404',     '404'],
  'REPORT query':           ['207',      '207',             '207',             NONE,  '404',   '404',   '404',     '404'],
  'REPORT sync-collection': ['207',      '207',             '207',             NONE,  '404',   '404',   '404',     '404'],
  'PUT new inside':         ['201',      'need-privileges', '201',             NONE,  '404',   '404',   '404',     '404'],
  'PUT overwrite object':   ['204',      'need-privileges', '204',             NONE,  '404',   '404',   '404',     '404'],
  PROPPATCH:                ['207',      'need-privileges', '207',             NONE,  '404',   '404',   '404',     '404'],
  'MKCOL inside':           ['disputed', 'disputed',        'disputed',        NONE,  '404',   '404',   '404',     '404'],
  'MOVE object out of':     ['201',      'need-privileges', '201',             NONE,  '404',   '404',   '404',     '404'],
  'MOVE object into':       ['201',      'need-privileges', '201',             NONE,  '404',   '404',   '404',     '404'],
  'DELETE object':          ['204',      'need-privileges', '204',             NONE,  '404',   '404',   '404',     '404'],
  DELETE:                   ['204',      'need-privileges', 'need-privileges', NONE,  '404',   '404',   '404',     '404'],
};

const CARDDAV: Record<(typeof FOLDER_METHODS)[number], Row<typeof FOLDER_COLUMNS>> = {
  //                          bob: own    read-only          read-write         GAL                alice's  dave's   carol: rw  dave: rw
  'PROPFIND depth 0':       ['207',      '207',             '207',             '207',             '404',   '404',   '404',     '404'],
  'PROPFIND depth 1':       ['207',      '207',             '207',             '207',             '404',   '404',   '404',     '404'],
  'GET object':             ['200',      '200',             '200',             '200',             '404',   '404',   '404',     '404'],
  'PROPFIND object':        ['207',      '207',             '207',             '207',             '404',   '404',   '404',     '404'],
  'REPORT multiget':        ['207',      '207',             '207',             '207',             '404',   '404',   '404',     '404'],
  'REPORT query':           ['207',      '207',             '207',             '207',             '404',   '404',   '404',     '404'],
  'REPORT sync-collection': ['207',      '207',             '207',             '207',             '404',   '404',   '404',     '404'],
  'PUT new inside':         ['201',      'need-privileges', '201',             'need-privileges', '404',   '404',   '404',     '404'],
  'PUT overwrite object':   ['204',      'need-privileges', '204',             'need-privileges', '404',   '404',   '404',     '404'],
  PROPPATCH:                ['207',      'need-privileges', 'disputed',        'need-privileges', '404',   '404',   '404',     '404'],
  'MKCOL inside':           ['disputed', 'disputed',        'disputed',        'disputed',        '404',   '404',   '404',     '404'],
  'MOVE object out of':     ['201',      'need-privileges', '201',             'need-privileges', '404',   '404',   '404',     '404'],
  'MOVE object into':       ['201',      'need-privileges', '201',             'need-privileges', '404',   '404',   '404',     '404'],
  'DELETE object':          ['204',      'need-privileges', '204',             'need-privileges', '404',   '404',   '404',     '404'],
  DELETE:                   ['204',      'need-privileges', 'need-privileges', 'need-privileges', '404',   '404',   '404',     '404'],
};

/** Cells whose answer today looks wrong; keyed `area who kind method`. */
const DISPUTED: Record<string, string> = {
  "carddav bob shared read-write PROPPATCH":
    'the book advertises DAV:write-properties to the read-write grantee (RFC 3744 3.2), yet PROPPATCH answers 403 need-privileges; CalDAV lets a read-write grantee PROPPATCH',
  ...Object.fromEntries(
    (['own folder', 'shared read-only', 'shared read-write'] as const).flatMap((kind) => [
      [`caldav bob ${kind} MKCOL inside`, 'MKCALENDAR inside a calendar bob sees answers 404; RFC 4791 5.3.1.1 asks 403 CALDAV:calendar-collection-location-ok'],
      [`carddav bob ${kind} MKCOL inside`, 'MKCOL inside an address book bob sees answers 404; RFC 6352 5.2 forbids nesting, RFC 5689/4918 9.3.1 answer 403'],
    ]),
  ),
  'carddav bob GAL MKCOL inside': 'MKCOL inside the GAL answers 404; RFC 4918 9.3.1 answers 403 for a location where no collection may be made',
};

export const cellName = (cell: Pick<Cell, 'area' | 'who' | 'kind' | 'method'>) => `${cell.area} ${cell.who} ${cell.kind} ${cell.method}`;

function cells(): Cell[] {
  const all: Cell[] = [];
  const add = (area: Area, who: Login, kind: Kind, method: Method, answer: Answer | undefined) => {
    if (answer === undefined) return;
    const cell: Cell = { area, who, kind, method, answer };
    const note = DISPUTED[cellName(cell)];
    if ((answer === 'disputed') !== (note !== undefined)) throw new Error(`${cellName(cell)}: a disputed cell needs a note, and only a disputed one`);
    all.push(note ? { ...cell, note } : cell);
  };
  for (const method of COLLECTION_METHODS) PRINCIPAL_COLUMNS.forEach((kind, i) => add('principals', 'bob', kind, method, PRINCIPALS[method][i]));
  for (const method of COLLECTION_METHODS) (['caldav', 'carddav'] as const).forEach((area, i) => add(area, 'bob', 'home', method, HOMES[method][i]));
  for (const [area, grid] of [['caldav', CALDAV], ['carddav', CARDDAV]] as const) {
    for (const method of FOLDER_METHODS) FOLDER_COLUMNS.forEach(([who, kind], i) => add(area, who, kind, method, grid[method][i]));
  }
  // Folders go last, bob's own the very last: deleting it must not take what other cells use.
  const deletesFolder = (cell: Cell) => cell.method === 'DELETE' && cell.area !== 'principals' && cell.kind !== 'home';
  const rank = (cell: Cell) => (deletesFolder(cell) ? (cell.kind === 'own folder' ? 2 : 1) : 0);
  return all.map((cell, index) => ({ cell, index })).sort((a, b) => rank(a.cell) - rank(b.cell) || a.index - b.index).map(({ cell }) => cell);
}

export const MATRIX: readonly Cell[] = cells();
