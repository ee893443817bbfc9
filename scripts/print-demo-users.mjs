// Printed by `make run`: where the product is, and who to sign in as.
import { DEMO_PASSWORD, DEMO_USERS } from './seed-demo.mjs';

const port = process.argv[2] || '8787';
console.log(`\nServing the demo partnership (KRSCP) on http://127.0.0.1:${port}\n`);
console.log(`Sign in as any of these, password: ${DEMO_PASSWORD}\n`);
for (const [local, name, role] of DEMO_USERS) {
  console.log(`  ${role.padEnd(22)} ${`${local}@krscp.demo`.padEnd(34)} ${name}`);
}
console.log('');
