import 'reflect-metadata';
import { serve } from '@davmesh/runtime';

// The contacts role alone: needs NATS_URL and DATABASE_URL.
void serve('contacts');
