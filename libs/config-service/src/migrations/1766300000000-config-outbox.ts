import { OUTBOX_TABLE, serviceTablesMigration } from '@davmesh/storage';
import { CONFIG_SCHEMA } from '../schema';

/** The events of a write, stored in its transaction and published after it (see Outbox). */
export const ConfigOutbox1766300000000 = serviceTablesMigration('ConfigOutbox1766300000000', CONFIG_SCHEMA, [OUTBOX_TABLE]);
