import 'reflect-metadata';
import { serve } from '@davmesh/runtime';

// The edge role alone: needs NATS_URL.
void serve('edge');
