import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from './read-json.ts';
import { TOPIC_CODES, type TopicCode } from './taxonomy.ts';

const file = fileURLToPath(new URL('../config/routing/departments.json', import.meta.url));

/** The default handling department per topic (config/routing/departments.json); every topic must have one. */
export function loadDepartments(path = file): Record<TopicCode, string> {
  const schema = z.object(
    Object.fromEntries(TOPIC_CODES.map((t) => [t, z.string().min(1)])) as Record<TopicCode, z.ZodString>,
  );
  const parsed = schema.safeParse(readJsonFile(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Departments ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data as Record<TopicCode, string>;
}
