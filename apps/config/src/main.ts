import 'reflect-metadata';
import { serve } from '@davmesh/runtime';

// The config role alone: needs NATS_URL and DATABASE_URL.
void serve('config');
