import { defineReprokitConfig } from '../../vitest.shared.ts';

export default defineReprokitConfig();
