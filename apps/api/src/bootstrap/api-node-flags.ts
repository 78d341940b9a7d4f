/**
 * The Node flags every start command of the API passes (infra/docker/Dockerfile,
 * docker-compose.yml, package.json's `start`, infra/local/start-demo.sh; the benchmark's API host
 * too). They cannot be set from inside the process: V8 sizes its heap before any code runs.
 *
 * `--max-semi-space-size=64`: V8's young generation may grow to 64 MB a semi-space (16 by
 * default) when allocation is fast. Under 32 clients submitting, scavenges paused the API's one
 * thread for 23–55 µs per submission with the default and 10–16 µs with it (3–6 % less CPU a
 * submission, net). The space starts at 1 MB and grows
 * only under a fast allocation rate, to at most 128 MB (two semi-spaces; 32 MB by default): about
 * 100–200 MB more memory for a busy API (docs/performance.md, "The API's young generation").
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
