// The helpers that register vitest hooks: a separate entry, so that scripts importing the
// root entry (the README examples' runner) do not load vitest.
export { useNginx } from './nginx/use-nginx.js';
