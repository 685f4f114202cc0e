/**
 * A health prober in its own process (scripts/bench-security.ts): asks
 * GET /api/health every gap ms from a local address until it gets SIGTERM,
 * then prints the latency summary as one JSON line. Apart from the bench so
 * that the attackers' and clients' work in the bench process does not delay
 * its clock.
 *
 *   node --import tsx scripts/security/health-probe.ts URL LOCAL_ADDRESS [GAP_MS]
 */
import { probeHealth } from './attack-peers.ts';

const [url, localAddress, gap] = process.argv.slice(2);
if (url === undefined || localAddress === undefined) throw new Error('usage: health-probe.ts URL LOCAL_ADDRESS [GAP_MS]');
const prober = probeHealth(url, localAddress, Number(gap ?? 20));
process.stdout.write('probing\n');
process.once('SIGTERM', () => {
  void prober.stop().then((summary) => {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exit(0);
  });
});
