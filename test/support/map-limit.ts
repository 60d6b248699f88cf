// The tests' import path; the helper lives in shared/ since the CLI uses it too.
export { mapLimit } from '../../shared/src/runtime/map-limit.ts';
