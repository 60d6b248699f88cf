#!/usr/bin/env node
// The `provisim` command: runs the TypeScript CLI through tsx's loader, as `npm start` runs the
// server (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../provisim.ts');
