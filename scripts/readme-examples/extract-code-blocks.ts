import { readFileSync } from 'node:fs';

/**
 * The fenced code blocks of one language in a Markdown file, in file order. The runner
 * addresses examples by their index here, so a README edit that adds or removes a block of
 * that language shows up as a failing example rather than a silently skipped one.
 *
 * @example
 * const [first] = extractCodeBlocks('README.md', 'ts');
 */
export function extractCodeBlocks(markdownPath: string, language: string): string[] {
  const text = readFileSync(markdownPath, 'utf8');
  const blocks: string[] = [];
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  for (const match of text.matchAll(fence)) blocks.push(match[1] ?? '');
  return blocks;
}
