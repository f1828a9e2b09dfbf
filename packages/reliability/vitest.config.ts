import { mergeConfig } from 'vitest/config';
import { defineReprokitConfig } from '../../vitest.shared.ts';

// Two test files at a time: the kill and race tests spend most of their time waiting on child
// processes and the disk, so running two side by side roughly halves the package's wall time.
export default mergeConfig(defineReprokitConfig(), { test: { maxWorkers: 2 } });
